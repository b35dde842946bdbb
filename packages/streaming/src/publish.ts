import { apiPath, ConfigurationError, parseOptions, type Requester, ResponseError } from '@forcekit/core';
import { z } from 'zod';
import { channelKind } from './channels.js';
import { StreamingError } from './errors.js';

/** What `POST sobjects/StreamingChannel/<id>/push` reports for one pushed event. */
export interface PushResult {
  /** How many subscribers the event went to. */
  readonly fanoutCount: number;
  /** For targeted pushes (`userIds`): which of those users were online, by user id. */
  readonly userOnlineStatus: Readonly<Record<string, boolean>>;
}

export interface PublishOptions {
  /** Deliver only to these users (15 or 18-character user ids). Default: every subscriber. */
  readonly userIds?: readonly string[];
  readonly signal?: AbortSignal;
}

/** The REST answer to a platform event publish (`POST sobjects/<Event>__e`). */
export interface PublishEventResult {
  /** The event's id (`e00…`): not a record id, events cannot be queried. */
  readonly id: string;
  readonly success: boolean;
  readonly errors: readonly unknown[];
}

const USER_ID = /^005[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?$/;
const EVENT_OBJECT = /^[A-Za-z][A-Za-z0-9_]*__e$/;

const publishOptionsSchema = z.strictObject({
  userIds: z.array(z.string().regex(USER_ID, 'must be user ids (005…)')).optional(),
  signal: z
    .custom<AbortSignal>((value) => value instanceof AbortSignal, { error: 'must be an AbortSignal' })
    .optional(),
});

const pushResponseSchema = z.array(
  z.looseObject({
    fanoutCount: z.number(),
    userOnlineStatus: z.record(z.string(), z.boolean()).optional(),
  }),
);

/**
 * Publishing to generic streaming channels (`/u/<Name>`) through the REST push resource, with the
 * channel's `StreamingChannel` id looked up once and cached.
 */
export class GenericPublisher {
  readonly #requester: Requester;
  readonly #ids = new Map<string, Promise<string>>();

  constructor(requester: Requester) {
    this.#requester = requester;
  }

  async publish(channel: string, payload: string, options: PublishOptions = {}): Promise<PushResult> {
    if (channelKind(channel) !== 'generic') {
      throw invalid(
        'channel',
        `must be a generic channel (/u/<Name>), got ${JSON.stringify(channel)}: publish platform events with publishEvent()`,
      );
    }
    if (typeof payload !== 'string') throw invalid('payload', 'must be a string');
    const parsed = parseOptions(publishOptionsSchema, options, 'publish options');
    const id = await this.#channelId(channel, parsed.signal);
    const path = apiPath`sobjects/StreamingChannel/${id}/push`;
    const response = await this.#requester.request<unknown>({
      method: 'POST',
      path,
      body: { pushEvents: [{ payload, userIds: parsed.userIds ?? [] }] },
      signal: parsed.signal,
    });
    const results = pushResponseSchema.safeParse(response);
    const first = results.success ? results.data[0] : undefined;
    if (first === undefined) {
      throw new ResponseError({ method: 'POST', path }, 200, 'expected [{"fanoutCount":n,...}]');
    }
    return { fanoutCount: first.fanoutCount, userOnlineStatus: first.userOnlineStatus ?? {} };
  }

  /** Creates the `StreamingChannel` record that defines `/u/<Name>`. */
  async createChannel(channel: string, description?: string): Promise<{ id: string }> {
    if (channelKind(channel) !== 'generic') {
      throw invalid('channel', `must be a generic channel (/u/<Name>), got ${JSON.stringify(channel)}`);
    }
    if (description !== undefined && typeof description !== 'string') {
      throw invalid('description', 'must be a string');
    }
    const created = await this.#requester.request<{ id: string }>({
      method: 'POST',
      path: 'sobjects/StreamingChannel',
      body: description === undefined ? { Name: channel } : { Name: channel, Description: description },
    });
    this.#ids.set(channel, Promise.resolve(created.id));
    return { id: created.id };
  }

  #channelId(channel: string, signal: AbortSignal | undefined): Promise<string> {
    let id = this.#ids.get(channel);
    if (id === undefined) {
      id = this.#lookUp(channel, signal);
      this.#ids.set(channel, id);
      id.catch(() => this.#ids.delete(channel));
    }
    return id;
  }

  async #lookUp(channel: string, signal: AbortSignal | undefined): Promise<string> {
    // The channel name was checked against /u/[A-Za-z0-9_/]+: it cannot break out of the literal.
    const page = await this.#requester.request<{ records?: { Id?: unknown }[] }>({
      path: 'query',
      query: { q: `SELECT Id FROM StreamingChannel WHERE Name = '${channel}' LIMIT 1` },
      signal,
    });
    const id = page.records?.[0]?.Id;
    if (typeof id !== 'string') {
      throw new StreamingError('CHANNEL_NOT_FOUND', `No StreamingChannel named ${channel}`, { channel });
    }
    return id;
  }
}

/** Publishes a platform event through REST: `POST sobjects/<Event>__e` with the event's fields. */
export async function publishPlatformEvent(
  requester: Requester,
  eventObject: string,
  fields: Readonly<Record<string, unknown>>,
): Promise<PublishEventResult> {
  if (typeof eventObject !== 'string' || !EVENT_OBJECT.test(eventObject)) {
    throw invalid(
      'eventObject',
      `must be a platform event object name ending in __e, got ${JSON.stringify(eventObject)}`,
    );
  }
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) {
    throw invalid('fields', 'must be an object of event field values');
  }
  const result = await requester.request<PublishEventResult>({
    method: 'POST',
    path: apiPath`sobjects/${eventObject}`,
    body: fields,
  });
  return { id: result.id, success: result.success, errors: result.errors ?? [] };
}

function invalid(field: string, message: string): ConfigurationError {
  return new ConfigurationError([{ field, message }], 'streaming publish arguments');
}
