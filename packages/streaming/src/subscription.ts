import type { ChannelKind } from './channels.js';
import type { StreamingError } from './errors.js';

/** Why the connection dropped: `'network'`, `'unknown-client'` (the server forgot the client), `'authentication'` (the token expired), `'limit'`. */
export type DisconnectReason = 'network' | 'unknown-client' | 'authentication' | 'limit';

/** The `'connect'` event: the subscription is live on the server (again). */
export interface ConnectInfo {
  readonly channel: string;
  /** The replay id the `/meta/subscribe` carried: `-1`, `-2`, or the id it resumed after. */
  readonly replayFrom: number;
  /** False for the first subscription, true after any reconnection. */
  readonly reconnected: boolean;
  /** Set when the server refused this replay id as invalid or too old, so `replayFrom` is the fallback. */
  readonly refusedReplayId?: number;
}

/** The `'disconnect'` event: the connection failed; the client is already recovering. */
export interface DisconnectInfo {
  readonly channel: string;
  readonly reason: DisconnectReason;
  /** What failed (code `CONNECTION_LOST`, with the server's Bayeux error when it sent one). */
  readonly error: StreamingError;
}

/** Events of a subscription and what their listeners receive. */
export interface SubscriptionEvents<E> {
  /** An event. Listeners run one event at a time; a returned promise is awaited before the next. */
  data: E;
  connect: ConnectInfo;
  disconnect: DisconnectInfo;
  /** The subscription is over because of this error (see `StreamingError` codes). */
  error: StreamingError;
}

/** A listener; `'data'` listeners may return a promise, which is awaited before the next event. */
export type SubscriptionListener<T> = (value: T) => void | Promise<void>;

/**
 * A subscription to one channel. Consume it in one of two ways:
 * - `for await (const event of subscription)`: events one at a time; or
 * - `on('data', listener)` (or the callback form `streaming.topic(name).subscribe(listener)`).
 *
 * Events wait in a bounded buffer until your code takes them (`maxBuffer`, with the `overflow`
 * policy). An event counts as delivered, and its replay id is written to the replay store, once your
 * code is done with it: when the loop comes back for the next event, or when the `'data'` listeners
 * have returned (their promises resolved). Leaving the loop with `break` or a throw, or a listener that
 * throws, leaves that last event unrecorded, so the next subscription delivers it again; to stop
 * without repeating anything, use `unsubscribe()` or the `signal` option, which let the loop finish
 * normally. Whatever the consumer does, an event is never skipped.
 */
export interface Subscription<E> extends AsyncIterable<E>, AsyncDisposable {
  readonly channel: string;
  readonly kind: ChannelKind;
  /** The replay id of the last event delivered (and recorded), if any. */
  readonly lastReplayId: number | undefined;
  /** True once the subscription is over (unsubscribed, aborted, or failed). */
  readonly closed: boolean;

  /**
   * Resolves once the server confirmed the subscription; rejects if it fails first (for example
   * `CHANNEL_NOT_FOUND`). Events published after it resolves are delivered even with replay `-1`.
   */
  ready(): Promise<void>;

  /** Adds a listener; returns the function that removes it. `'data'` cannot be combined with `for await`. */
  on<K extends keyof SubscriptionEvents<E>>(
    event: K,
    listener: SubscriptionListener<SubscriptionEvents<E>[K]>,
  ): () => void;
  off<K extends keyof SubscriptionEvents<E>>(
    event: K,
    listener: SubscriptionListener<SubscriptionEvents<E>[K]>,
  ): void;

  /**
   * Ends the subscription: unsubscribes on the server (disconnecting when it was the last one), drops
   * buffered events (they are not recorded, so a later subscription gets them), and ends `for await`.
   */
  unsubscribe(): Promise<void>;

  /** The events, one at a time. Every call returns the same iterator: a subscription is one stream. */
  [Symbol.asyncIterator](): AsyncIterator<E, undefined>;
  /** `await using subscription = streaming.subscribe(...)` unsubscribes at the end of the block. */
  [Symbol.asyncDispose](): Promise<void>;
}
