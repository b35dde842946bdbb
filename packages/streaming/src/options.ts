import { ConfigurationError, lazy, parseOptions } from '@forcekit/core';
import { z } from 'zod';
import type { InvalidReplayPolicy } from './internal/replay-cursor.js';
import { MemoryReplayStore, type ReplayStore } from './replay-store.js';

export type { InvalidReplayPolicy } from './internal/replay-cursor.js';

/**
 * What a subscription does when its buffer is full because the consumer is slower than the events:
 * - `'pause'` (default): stop taking events from the server (unsubscribe) and, once the consumer has
 *   worked the buffer down to half, subscribe again from the last buffered replay id. Nothing is lost
 *   and memory stays bounded, as long as the consumer catches up within the retention window.
 * - `'error'`: end the subscription with a `BUFFER_OVERFLOW` error.
 */
export type OverflowPolicy = 'pause' | 'error';

/** Options of `createStreaming()`: the first tier. */
export interface StreamingOptions {
  /** Where replay positions are kept. Default: a `MemoryReplayStore` per `Streaming`. */
  readonly replayStore?: ReplayStore;
  /**
   * What a subscription does when the server refuses its replay id as invalid or too old
   * (`400::The replayId {N} you provided was invalid...`): `'all'` (default) re-subscribes with `-2`,
   * which delivers every event still retained and so loses only what already expired; `'new'`
   * re-subscribes with `-1`; `'error'` ends the subscription with `INVALID_REPLAY_ID`.
   */
  readonly invalidReplay?: InvalidReplayPolicy;
  /** Events a subscription buffers ahead of its consumer. Default 1,000. */
  readonly maxBuffer?: number;
  /** See `OverflowPolicy`. Default `'pause'`. */
  readonly overflow?: OverflowPolicy;
  /**
   * Waits between reconnection attempts after network failures: doubling from `initialDelayMs` up to
   * `maxDelayMs`, each with random jitter in its upper half. Defaults 1,000 and 60,000 ms.
   */
  readonly reconnect?: { readonly initialDelayMs?: number; readonly maxDelayMs?: number };
  /**
   * How long to wait for a reply beyond what the server announced (its long-poll hold, `advice.timeout`,
   * for `/meta/connect`) before treating the request as lost. Default 15,000 ms, as Salesforce's EMP
   * Connector does.
   */
  readonly maxNetworkDelayMs?: number;
}

/** Options of one `subscribe()`: the second tier (they override the `Streaming`'s). */
export interface SubscribeOptions {
  /**
   * Where to start when the replay store holds no position for the channel: `-1` (default) for events
   * published from now on, `-2` for every retained event, or a replay id to resume after.
   */
  readonly replay?: number;
  /** Ends the subscription when aborted (iteration then finishes normally). */
  readonly signal?: AbortSignal;
  readonly invalidReplay?: InvalidReplayPolicy;
  readonly maxBuffer?: number;
  readonly overflow?: OverflowPolicy;
}

export interface ResolvedStreamingOptions {
  readonly replayStore: ReplayStore;
  readonly invalidReplay: InvalidReplayPolicy;
  readonly maxBuffer: number;
  readonly overflow: OverflowPolicy;
  readonly reconnect: { readonly initialMs: number; readonly maxMs: number };
  readonly maxNetworkDelayMs: number;
}

export interface ResolvedSubscribeOptions {
  readonly replay: number;
  readonly signal: AbortSignal | undefined;
  readonly invalidReplay: InvalidReplayPolicy;
  readonly maxBuffer: number;
  readonly overflow: OverflowPolicy;
}

// Built on first use (core's `lazy`), not at import: see docs/benchmarks.md, start-up.
const parts = lazy(() => {
  const replayStoreSchema = z.custom<ReplayStore>(
    (value) =>
      typeof value === 'object' &&
      value !== null &&
      typeof (value as ReplayStore).get === 'function' &&
      typeof (value as ReplayStore).set === 'function' &&
      typeof (value as ReplayStore).delete === 'function',
    { error: 'must be a ReplayStore (get, set and delete methods)' },
  );
  const invalidReplaySchema = z.enum(['all', 'new', 'error'], { error: "must be 'all', 'new' or 'error'" });
  const overflowSchema = z.enum(['pause', 'error'], { error: "must be 'pause' or 'error'" });
  const maxBufferSchema = z
    .int({ error: 'must be an integer' })
    .min(1, 'must be from 1 to 1000000')
    .max(1_000_000, 'must be from 1 to 1000000');
  const delaySchema = z
    .int({ error: 'must be an integer number of ms' })
    .min(1, 'must be at least 1 ms')
    .max(3_600_000, 'must be at most 3600000 ms');
  return { replayStoreSchema, invalidReplaySchema, overflowSchema, maxBufferSchema, delaySchema };
});

const streamingOptionsSchema = lazy(() => {
  const { replayStoreSchema, invalidReplaySchema, overflowSchema, maxBufferSchema, delaySchema } = parts();
  return z.strictObject({
    replayStore: replayStoreSchema.optional(),
    invalidReplay: invalidReplaySchema.optional(),
    maxBuffer: maxBufferSchema.optional(),
    overflow: overflowSchema.optional(),
    reconnect: z
      .strictObject({ initialDelayMs: delaySchema.optional(), maxDelayMs: delaySchema.optional() })
      .optional(),
    maxNetworkDelayMs: delaySchema.optional(),
  });
});

const subscribeOptionsSchema = lazy(() => {
  const { invalidReplaySchema, overflowSchema, maxBufferSchema } = parts();
  return z.strictObject({
    replay: z
      .int({ error: 'must be -1, -2 or a replay id' })
      .min(-2, 'must be -1, -2 or a replay id')
      .optional(),
    signal: z
      .custom<AbortSignal>((value) => value instanceof AbortSignal, { error: 'must be an AbortSignal' })
      .optional(),
    invalidReplay: invalidReplaySchema.optional(),
    maxBuffer: maxBufferSchema.optional(),
    overflow: overflowSchema.optional(),
  });
});

export function resolveStreamingOptions(options: StreamingOptions | undefined): ResolvedStreamingOptions {
  const parsed = parseOptions(streamingOptionsSchema(), options, 'streaming options');
  const initialMs = parsed.reconnect?.initialDelayMs ?? 1_000;
  const maxMs = parsed.reconnect?.maxDelayMs ?? 60_000;
  if (maxMs < initialMs) {
    throw new ConfigurationError(
      [{ field: 'reconnect.maxDelayMs', message: 'must not be less than reconnect.initialDelayMs' }],
      'streaming options',
    );
  }
  return {
    replayStore: parsed.replayStore ?? new MemoryReplayStore(),
    invalidReplay: parsed.invalidReplay ?? 'all',
    maxBuffer: parsed.maxBuffer ?? 1_000,
    overflow: parsed.overflow ?? 'pause',
    reconnect: { initialMs, maxMs },
    maxNetworkDelayMs: parsed.maxNetworkDelayMs ?? 15_000,
  };
}

export function resolveSubscribeOptions(
  options: SubscribeOptions | undefined,
  defaults: ResolvedStreamingOptions,
): ResolvedSubscribeOptions {
  const parsed = parseOptions(subscribeOptionsSchema(), options, 'subscribe options');
  return {
    replay: parsed.replay ?? -1,
    signal: parsed.signal,
    invalidReplay: parsed.invalidReplay ?? defaults.invalidReplay,
    maxBuffer: parsed.maxBuffer ?? defaults.maxBuffer,
    overflow: parsed.overflow ?? defaults.overflow,
  };
}
