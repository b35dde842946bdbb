import type { Requester } from '@forcekit/core';
import { ConfigurationError } from '@forcekit/core';
import { parseChannel, toChannel } from './channels.js';
import { StreamingError } from './errors.js';
import type { EventOf, PushTopicEvent } from './events.js';
import { BayeuxSession } from './internal/bayeux-session.js';
import { LiveSubscription } from './internal/live-subscription.js';
import {
  type ResolvedStreamingOptions,
  resolveStreamingOptions,
  resolveSubscribeOptions,
  type StreamingOptions,
  type SubscribeOptions,
} from './options.js';
import {
  GenericPublisher,
  type PublishEventResult,
  type PublishOptions,
  type PushResult,
  publishPlatformEvent,
} from './publish.js';
import {
  type CreatedPushTopic,
  createPushTopic,
  deletePushTopic,
  type PushTopicDefinition,
} from './push-topics.js';
import type { ReplayStore } from './replay-store.js';
import type { Subscription, SubscriptionListener } from './subscription.js';

/** A channel in the callback style of `node-salesforce`: `streaming.topic('AllAccounts').subscribe(fn)`. */
export interface Topic<E> {
  readonly channel: string;
  /** Subscribes and calls `listener` with each event (awaiting a returned promise before the next). */
  subscribe(listener: SubscriptionListener<E>, options?: SubscribeOptions): Subscription<E>;
}

/**
 * The Streaming API of one org and user (the facade's `conn.streaming`). All subscriptions of one
 * `Streaming` share one CometD client: one handshake, one long poll, one set of cookies.
 */
export interface Streaming extends AsyncDisposable {
  /** The replay store subscriptions record their positions in. */
  readonly replayStore: ReplayStore;

  /**
   * Subscribes to `/topic/<PushTopic>`, `/event/<Event>__e`, `/data/<Object>ChangeEvent`,
   * `/data/ChangeEvents` or `/u/<Channel>`. Returns at once; the subscription starts in the background
   * (`await subscription.ready()` to wait for it). Resumes after the replay store's position for the
   * channel, else from `options.replay` (default `-1`). One live subscription per channel.
   *
   * The event type follows the channel (`PushTopicEvent` for `/topic/...`); pass one to describe its
   * fields: `subscribe<PushTopicEvent<{ Id: string; Name: string }>>('/topic/Accounts')`.
   */
  subscribe<E = never, C extends string = string>(
    channel: C,
    options?: SubscribeOptions,
  ): Subscription<[E] extends [never] ? EventOf<C> : E>;

  /** A channel for the callback form; a bare name means a PushTopic (`'AllAccounts'` is `/topic/AllAccounts`). */
  topic<E = PushTopicEvent>(nameOrChannel: string): Topic<E>;

  /** Publishes a free-text event on a generic channel (`/u/<Name>`) through `StreamingChannel/<id>/push`. */
  publish(channel: string, payload: string, options?: PublishOptions): Promise<PushResult>;

  /** Publishes a platform event through REST (`POST sobjects/<Event>__e`). */
  publishEvent(eventObject: string, fields: Readonly<Record<string, unknown>>): Promise<PublishEventResult>;

  /** Creates a generic streaming channel (a `StreamingChannel` record named `/u/<Name>`). */
  createChannel(channel: string, description?: string): Promise<{ id: string }>;

  /** Creates a PushTopic from SOQL text or a builder with `toSOQL()`. */
  createPushTopic(definition: PushTopicDefinition): Promise<CreatedPushTopic>;

  /** Deletes a PushTopic by name or id; false when there was none. */
  deletePushTopic(nameOrId: string): Promise<boolean>;

  /** Ends every subscription and disconnects. Later `subscribe()` calls fail with `CLOSED`. */
  close(): Promise<void>;
}

/**
 * The Streaming API over a `Requester` (a forcekit client, or a `client.as(session)` view for one user
 * of many). Nothing connects until the first `subscribe()`.
 *
 * ```ts
 * const streaming = createStreaming(client, { replayStore: new FileReplayStore('replay.json') });
 * for await (const event of streaming.subscribe('/topic/InvoiceUpdates')) {
 *   console.log(event.event.type, event.sobject.Name);
 * }
 * ```
 */
export function createStreaming(requester: Requester, options?: StreamingOptions): Streaming {
  if (typeof requester !== 'object' || requester === null || typeof requester.getSession !== 'function') {
    throw new ConfigurationError(
      [{ field: 'requester', message: 'must be a forcekit client or Requester' }],
      'createStreaming arguments',
    );
  }
  return new StreamingClient(requester, resolveStreamingOptions(options));
}

class StreamingClient implements Streaming {
  readonly #requester: Requester;
  readonly #options: ResolvedStreamingOptions;
  readonly #session: BayeuxSession;
  readonly #publisher: GenericPublisher;
  readonly #live = new Map<string, LiveSubscription<unknown>>();
  #closed = false;

  constructor(requester: Requester, options: ResolvedStreamingOptions) {
    this.#requester = requester;
    this.#options = options;
    this.#session = new BayeuxSession(requester, options);
    this.#publisher = new GenericPublisher(requester);
  }

  get replayStore(): ReplayStore {
    return this.#options.replayStore;
  }

  subscribe<E = never, C extends string = string>(
    channel: C,
    options?: SubscribeOptions,
  ): Subscription<[E] extends [never] ? EventOf<C> : E> {
    const kind = parseChannel(channel);
    const resolved = resolveSubscribeOptions(options, this.#options);
    if (this.#closed) throw new StreamingError('CLOSED', 'This Streaming object is closed', { channel });
    if (this.#live.has(channel)) {
      throw new StreamingError(
        'ALREADY_SUBSCRIBED',
        `Already subscribed to ${channel}: unsubscribe first, or use another createStreaming() for an independent consumer`,
        { channel },
      );
    }
    const subscription: LiveSubscription<unknown> = new LiveSubscription({
      channel,
      kind,
      options: resolved,
      session: this.#session,
      store: this.#options.replayStore,
      serverTime: () => serverTime(this.#requester),
      onEnd: () => {
        if (this.#live.get(channel) === subscription) this.#live.delete(channel);
      },
    });
    if (!subscription.closed) this.#live.set(channel, subscription);
    return subscription as Subscription<[E] extends [never] ? EventOf<C> : E>;
  }

  topic<E = PushTopicEvent>(nameOrChannel: string): Topic<E> {
    const channel = toChannel(nameOrChannel);
    return {
      channel,
      subscribe: (listener, options) => {
        if (typeof listener !== 'function') {
          throw new ConfigurationError(
            [{ field: 'listener', message: 'must be a function' }],
            'topic subscribe arguments',
          );
        }
        const subscription = this.subscribe(channel, options) as unknown as Subscription<E>;
        subscription.on('data', listener);
        return subscription;
      },
    };
  }

  publish(channel: string, payload: string, options?: PublishOptions): Promise<PushResult> {
    return this.#publisher.publish(channel, payload, options);
  }

  publishEvent(eventObject: string, fields: Readonly<Record<string, unknown>>): Promise<PublishEventResult> {
    return publishPlatformEvent(this.#requester, eventObject, fields);
  }

  createChannel(channel: string, description?: string): Promise<{ id: string }> {
    return this.#publisher.createChannel(channel, description);
  }

  createPushTopic(definition: PushTopicDefinition): Promise<CreatedPushTopic> {
    return createPushTopic(this.#requester, definition);
  }

  deletePushTopic(nameOrId: string): Promise<boolean> {
    return deletePushTopic(this.#requester, nameOrId);
  }

  async close(): Promise<void> {
    this.#closed = true;
    const live = [...this.#live.values()];
    this.#live.clear();
    await Promise.all(live.map((subscription) => subscription.unsubscribe()));
    await this.#session.close();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/**
 * The server's clock, from the `Date` header of `GET /services/data/` (the versions list: it needs no
 * session and counts against no API limit). Second resolution.
 */
async function serverTime(requester: Requester): Promise<number | undefined> {
  const response = await requester.raw({ path: '/services/data/', maxRetries: 1, timeout: 10_000 });
  response.body.resume();
  const date = response.headers.date;
  const time = typeof date === 'string' ? Date.parse(date) : Number.NaN;
  return Number.isNaN(time) ? undefined : time;
}
