import { z } from 'zod';

/**
 * How the emulated Streaming API behaves. Every default is Salesforce's documented value; tests shorten
 * the times (`holdMs: 200`) so a long poll or an expiry takes milliseconds instead of minutes.
 */
export interface StreamingOptions {
  /**
   * How long a `/meta/connect` is held when there is nothing to deliver, advertised as
   * `advice.timeout`. Default 110,000 ms, as Salesforce holds it.
   */
  readonly holdMs?: number;
  /**
   * A client that has not sent its next `/meta/connect` this long after the previous one was answered
   * is forgotten (`403::Unknown client` afterwards). Default 40,000 ms.
   */
  readonly reconnectWindowMs?: number;
  /** How long PushTopic (`/topic`) and generic (`/u`) events stay replayable. Default 24 hours. */
  readonly topicRetentionMs?: number;
  /** How long platform events (`/event`) and change events (`/data`) stay replayable. Default 72 hours. */
  readonly eventRetentionMs?: number;
  /**
   * The most events kept per stream (each PushTopic, platform event, generic channel, and the one
   * change-event stream); older ones fall out of the replay window. Default 10,000: the emulator's
   * memory bound, where Salesforce bounds by time only.
   */
  readonly maxRetainedEvents?: number;
  /**
   * Which objects publish change events (`/data/ChangeEvents`, `/data/<Object>ChangeEvent`): `'all'`
   * (default: every object that supports Change Data Capture), `'none'`, or a list of object names,
   * like the entity selection in Setup.
   */
  readonly changeDataCapture?: 'all' | 'none' | readonly string[];
  /**
   * Long polls one browser (one `BAYEUX_BROWSER` cookie) may hold at once; further clients of that
   * browser get `advice: { "multiple-clients": true, interval }` and are answered at once, as
   * Salesforce's CometD server does. Default 1.
   */
  readonly maxSessionsPerBrowser?: number;
  /** The `advice.interval` those extra clients get. Default 2,000 ms. */
  readonly multipleClientsIntervalMs?: number;
  /**
   * Concurrent CometD clients the org allows (`DurableStreamingApiConcurrentClients`); a handshake
   * beyond it is denied with `403::Organization concurrent user limit exceeded`. Default 2,000.
   */
  readonly maxConcurrentClients?: number;
  /**
   * Whether a client's requests must carry the `BAYEUX_BROWSER` cookie its handshake set, as
   * Salesforce requires. Default true.
   */
  readonly requireCookie?: boolean;
}

export type ResolvedStreamingOptions = {
  -readonly [K in keyof StreamingOptions]-?: Exclude<StreamingOptions[K], undefined>;
};

const HOUR = 60 * 60 * 1000;

export const STREAMING_DEFAULTS: ResolvedStreamingOptions = {
  holdMs: 110_000,
  reconnectWindowMs: 40_000,
  topicRetentionMs: 24 * HOUR,
  eventRetentionMs: 72 * HOUR,
  maxRetainedEvents: 10_000,
  changeDataCapture: 'all',
  maxSessionsPerBrowser: 1,
  multipleClientsIntervalMs: 2_000,
  maxConcurrentClients: 2_000,
  requireCookie: true,
};

const positiveMs = z.number().int().positive();

const streamingOptionsSchema = z.strictObject({
  holdMs: positiveMs.optional(),
  reconnectWindowMs: positiveMs.optional(),
  topicRetentionMs: positiveMs.optional(),
  eventRetentionMs: positiveMs.optional(),
  maxRetainedEvents: z.number().int().positive().optional(),
  changeDataCapture: z
    .union([z.literal('all'), z.literal('none'), z.array(z.string().min(1)).readonly()])
    .optional(),
  maxSessionsPerBrowser: z.number().int().positive().optional(),
  multipleClientsIntervalMs: z.number().int().nonnegative().optional(),
  maxConcurrentClients: z.number().int().positive().optional(),
  requireCookie: z.boolean().optional(),
});

/** Checks options at the boundary; a bad one throws a TypeError naming the option. */
export function resolveStreamingOptions(
  input: StreamingOptions | undefined,
  base: ResolvedStreamingOptions = STREAMING_DEFAULTS,
): ResolvedStreamingOptions {
  const parsed = streamingOptionsSchema.safeParse(input ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'options';
    throw new TypeError(`streaming.${where}: ${issue?.message ?? 'invalid'}`);
  }
  const out: ResolvedStreamingOptions = { ...base };
  for (const [key, value] of Object.entries(parsed.data)) {
    if (value !== undefined) (out as Record<string, unknown>)[key] = value;
  }
  return out;
}
