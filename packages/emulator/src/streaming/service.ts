import type { SessionStore } from '../auth/sessions.js';
import type { ChangeEvent, PlatformEventMessage } from '../data/events.js';
import type { DataStore } from '../data/store.js';
import type { Clock } from '../platform/clock.js';
import type { ApiLimits } from '../platform/limits.js';
import type { ObjectDef } from '../schema/field.js';
import type { StoredRecord } from '../schema/types.js';
import { ERRORS } from './bayeux.js';
import { changeEventData, objectOfChangeEvent, supportsChangeEvents } from './change-events.js';
import { type ChannelRoute, ClientSession } from './clients.js';
import { type EventData, EventStream, type RetainedEvent } from './event-stream.js';
import { defineStreamingChannelObject, STREAMING_CHANNEL } from './generic.js';
import { type ResolvedStreamingOptions, resolveStreamingOptions, type StreamingOptions } from './options.js';
import { platformEventData } from './platform-events.js';
import { type CompiledTopic, compileTopic, notificationFor, pushTopicSaveRule } from './push-topics.js';
import { isoTime, schemaIdOf } from './wire-values.js';

/** What the streaming service needs from the org. */
export interface StreamingDeps {
  readonly data: DataStore;
  readonly sessions: SessionStore;
  readonly clock: Clock;
  readonly limits: ApiLimits;
  readonly apiVersion: string;
}

/** A connected CometD client, as `org.streaming.clients()` reports it. */
export interface StreamingClientInfo {
  readonly clientId: string;
  readonly userId: string;
  /** Subscribed channels, in subscription order. */
  readonly channels: readonly string[];
  /** True while a `/meta/connect` of this client is held open. */
  readonly polling: boolean;
  /** Messages waiting for its next `/meta/connect`. */
  readonly pending: number;
}

/** A retained event, as `org.streaming.retained(channel)` reports it. */
export interface RetainedEventInfo {
  readonly replayId: number;
  /** The `data` member of the Bayeux message. */
  readonly data: EventData;
}

/** Subscribing failed: the Bayeux `error` string to answer with. */
export interface ChannelError {
  readonly error: string;
}

/**
 * `org.streaming`: the Streaming API's controls for tests. (The CometD endpoint uses more of the
 * service than this; those parts are not public.)
 */
export interface StreamingControl {
  /** The options in force (defaults filled in). */
  readonly options: Readonly<ResolvedStreamingOptions>;
  /** Changes options at run time: a shorter hold, a smaller retention window, other CDC entities... */
  configure(options: StreamingOptions): void;
  /** The connected clients (expired ones are dropped first). */
  clients(): StreamingClientInfo[];
  /**
   * Forgets clients as the server does when it loses their session: their next message gets
   * `403::Unknown client` (a held long poll is answered with it now). All clients, or one by id.
   * Returns how many were forgotten.
   */
  forgetClients(clientId?: string): number;
  /** Cuts the connection of every held `/meta/connect` mid-hold, as a network failure would. */
  dropLongPolls(): number;
  /** Answers every held `/meta/connect` now (with whatever is waiting), instead of at the end of the hold. */
  releaseLongPolls(): number;
  /** The events a channel still retains, oldest first (what `-2` would replay to a new subscriber). */
  retained(channel: string): RetainedEventInfo[];
  /** Creates a generic streaming channel (`/u/Name`, a `StreamingChannel` record); returns its id. */
  defineChannel(name: string, description?: string): string;
  /**
   * Publishes a generic event (`{"event":{...},"payload":"<text>"}`) on a `/u/` channel, to the given
   * users only when `userIds` is not empty. Returns the fan-out: how many subscribed clients take it.
   */
  publishGeneric(channel: string, payload: string, userIds?: readonly string[]): number;
  /** The users (ids) with a client subscribed to a generic channel. */
  onlineUsers(channel: string): string[];
  /** Whether records of this object publish change events under the current configuration. */
  capturesChanges(def: ObjectDef): boolean;
  /**
   * Back to how the org started (`org.reset()` calls it): every client forgotten (a held long poll
   * gets `403::Unknown client`), every retained event dropped, replay ids and commit numbers counted
   * from the start again, and the options given at start back in force.
   */
  reset(): void;
}

/** First commit number handed out; Salesforce's are large system change numbers. */
const FIRST_COMMIT_NUMBER = 11_000_000_000_000;

/**
 * The org's Streaming API (`org.streaming`): the CometD clients and their subscriptions, a retained,
 * replayable stream per channel, the event sources (PushTopics and Change Data Capture from committed
 * record changes, platform events from publishes, generic events from `StreamingChannel` pushes), and
 * the controls tests use to inject faults.
 */
export class StreamingService implements StreamingControl {
  readonly #deps: StreamingDeps;
  /** The options given at start, which `reset()` puts back. */
  readonly #startOptions: ResolvedStreamingOptions;
  #options: ResolvedStreamingOptions;
  #capture: ReadonlySet<string> | 'all' | 'none' = 'all';
  #captured = new WeakMap<ObjectDef, boolean>();
  readonly #streams = new Map<string, EventStream>();
  readonly #clients = new Map<string, ClientSession>();
  /** Compiled PushTopics by object (lower case); rebuilt after any PushTopic change. */
  #topics: Map<string, CompiledTopic[]> | undefined;
  #commitNumber = FIRST_COMMIT_NUMBER;
  #lastTransactionKey: string | undefined;

  constructor(deps: StreamingDeps, options: StreamingOptions = {}) {
    this.#deps = deps;
    this.#startOptions = resolveStreamingOptions(options);
    this.#options = this.#startOptions;
    this.#setCapture(this.#options.changeDataCapture);
    defineStreamingChannelObject(deps.data);
    deps.data.addSaveRule('PushTopic', pushTopicSaveRule(deps.data));
    deps.data.onChange((event) => this.#onChange(event));
    deps.data.onPlatformEvent((message) => this.#onPlatformEvent(message));
    deps.limits.register('DurableStreamingApiConcurrentClients', () => {
      const max = this.#options.maxConcurrentClients;
      return { Max: max, Remaining: Math.max(0, max - this.#liveClientCount()) };
    });
  }

  // ---- configuration --------------------------------------------------------------------------

  /** The options in force (defaults filled in). */
  get options(): Readonly<ResolvedStreamingOptions> {
    return this.#options;
  }

  /** Changes options at run time (a shorter hold, a smaller retention window...). */
  configure(options: StreamingOptions): void {
    this.#options = resolveStreamingOptions(options, this.#options);
    this.#setCapture(this.#options.changeDataCapture);
  }

  #setCapture(setting: ResolvedStreamingOptions['changeDataCapture']): void {
    this.#capture =
      setting === 'all' || setting === 'none' ? setting : new Set(setting.map((n) => n.toLowerCase()));
    this.#captured = new WeakMap();
  }

  /** Whether records of this object publish change events. */
  capturesChanges(def: ObjectDef): boolean {
    // Asked once per committed write (a million for a big seed), so the answer is kept per definition.
    let captured = this.#captured.get(def);
    if (captured === undefined) {
      captured =
        supportsChangeEvents(def) &&
        this.#capture !== 'none' &&
        (this.#capture === 'all' || this.#capture.has(def.name.toLowerCase()));
      this.#captured.set(def, captured);
    }
    return captured;
  }

  // ---- control API ----------------------------------------------------------------------------

  /** The connected clients (expired ones are dropped first). */
  clients(): StreamingClientInfo[] {
    this.#sweep();
    return [...this.#clients.values()].map((client) => ({
      clientId: client.clientId,
      userId: client.userId,
      channels: [...client.subscriptions.keys()],
      polling: client.poll !== undefined,
      pending: client.queue.length,
    }));
  }

  /**
   * Forgets clients as the server does when it loses their session: their next message gets
   * `403::Unknown client` (a held long poll is answered with it now). All clients, or one by id.
   * Returns how many were forgotten.
   */
  forgetClients(clientId?: string): number {
    const targets =
      clientId === undefined ? [...this.#clients.values()] : [this.#clients.get(clientId)].filter((c) => !!c);
    for (const client of targets) this.removeClient(client as ClientSession, 'forgotten');
    return targets.length;
  }

  /** Cuts the connection of every held `/meta/connect` mid-hold, as a network failure would. */
  dropLongPolls(): number {
    let dropped = 0;
    for (const client of this.#clients.values()) {
      if (client.poll === undefined) continue;
      client.poll.drop();
      dropped++;
    }
    return dropped;
  }

  /** Answers every held `/meta/connect` now (with whatever is waiting), instead of at the end of the hold. */
  releaseLongPolls(): number {
    let released = 0;
    for (const client of this.#clients.values()) {
      if (client.poll === undefined) continue;
      client.poll.end({ kind: 'deliver' });
      released++;
    }
    return released;
  }

  /** The events a channel still retains, oldest first (what `-2` would replay to a new subscriber). */
  retained(channel: string): RetainedEventInfo[] {
    const route = this.resolveChannel(channel);
    if ('error' in route) throw new Error(`retained(${channel}): ${route.error}`);
    const stream = this.#streams.get(route.streamKey);
    if (stream === undefined) return [];
    return stream
      .after(-2, this.#now())
      .filter((event) => route.entity === undefined || event.entity === route.entity)
      .map((event) => ({ replayId: event.replayId, data: event.data }));
  }

  /**
   * Creates a generic streaming channel (`/u/Name`, a `StreamingChannel` record) and returns its id;
   * an existing channel of that name is returned as it is.
   */
  defineChannel(name: string, description?: string): string {
    if (!/^\/u\/[^*]+$/.test(name))
      throw new TypeError(`defineChannel: name must look like /u/Name, got "${name}"`);
    const existing = this.#genericChannel(name);
    if (existing !== undefined) return existing.Id as string;
    return this.#deps.data.transaction((dml) =>
      dml.create(STREAMING_CHANNEL, { Name: name, Description: description ?? null }),
    );
  }

  /**
   * Publishes a generic event (`{"event":{...},"payload":"<text>"}`) on a `/u/` channel, to the
   * given users only when `userIds` is not empty. Returns the fan-out: how many subscribed clients
   * will receive it.
   */
  publishGeneric(channel: string, payload: string, userIds: readonly string[] = []): number {
    if (typeof payload !== 'string') throw new TypeError('publishGeneric: payload must be a string');
    if (this.#genericChannel(channel) === undefined) {
      throw new Error(`publishGeneric: no streaming channel ${channel} (create it with defineChannel)`);
    }
    const now = this.#now();
    const audience = userIds.length > 0 ? new Set(userIds) : undefined;
    const event = this.#stream(`generic:${channel}`).append(
      now,
      (replayId) => ({ event: { createdDate: isoTime(now), replayId }, payload }),
      { audience },
    );
    return this.#deliver(`generic:${channel}`, event);
  }

  /** The users (ids) with a client subscribed to a generic channel. */
  onlineUsers(channel: string): string[] {
    const users = new Set<string>();
    for (const client of this.#clients.values()) {
      for (const subscription of client.subscriptions.values()) {
        if (subscription.route.streamKey === `generic:${channel}`) users.add(client.userId);
      }
    }
    return [...users];
  }

  /**
   * Back to how the org started (`org.reset()`): no clients, no retained events, replay ids and commit
   * numbers from the start, the start options.
   */
  reset(): void {
    this.forgetClients();
    this.#streams.clear();
    this.#topics = undefined;
    this.#commitNumber = FIRST_COMMIT_NUMBER;
    this.#lastTransactionKey = undefined;
    this.#options = this.#startOptions;
    this.#setCapture(this.#options.changeDataCapture);
  }

  // ---- what the CometD endpoint uses -----------------------------------------------------------

  now(): number {
    return this.#now();
  }

  /** A new client for a user, or the Bayeux error when the org is at its concurrent-client limit. */
  createClient(userId: string, browserId: string, apiVersion: string): ClientSession | ChannelError {
    this.#sweep();
    if (this.#clients.size >= this.#options.maxConcurrentClients) return { error: ERRORS.concurrentClients };
    const client = new ClientSession(userId, browserId, apiVersion, this.#now());
    this.#clients.set(client.clientId, client);
    return client;
  }

  /** A live client by id (an expired one is forgotten first). */
  client(clientId: string): ClientSession | undefined {
    const client = this.#clients.get(clientId);
    if (client === undefined) return undefined;
    if (this.#expired(client, this.#now())) {
      this.removeClient(client, 'forgotten');
      return undefined;
    }
    return client;
  }

  /** Ends a client; a held poll is answered as forgotten (`403::Unknown client`) or disconnected. */
  removeClient(client: ClientSession, how: 'forgotten' | 'disconnected'): void {
    this.#clients.delete(client.clientId);
    client.subscriptions.clear();
    client.poll?.end({ kind: how === 'forgotten' ? 'forgotten' : 'deliver' });
  }

  /** Clients of one browser currently holding a long poll. */
  heldPollsOfBrowser(browserId: string, except: ClientSession): number {
    let held = 0;
    for (const client of this.#clients.values()) {
      if (client !== except && client.browserId === browserId && client.poll !== undefined) held++;
    }
    return held;
  }

  /** Where a channel's events come from, or the error a subscribe to it gets. */
  resolveChannel(channel: string): ChannelRoute | ChannelError {
    const notFound = { error: ERRORS.channelDoesNotExist(channel) };
    const [, kind, name, ...rest] = channel.split('/');
    if (name === undefined || name === '' || (rest.length > 0 && kind !== 'u')) return notFound;
    switch (kind) {
      case 'topic': {
        const topic = this.#deps.data
          .records('PushTopic')
          .find((r) => r.IsDeleted !== true && r.Name === name);
        // Keyed by the topic's id: renaming a PushTopic leaves live subscriptions as they are, as on
        // Salesforce, while new subscribers use the new name.
        return topic === undefined ? notFound : { streamKey: `topic:${topic.Id}`, entity: undefined };
      }
      case 'event': {
        const def = this.#deps.data.object(name);
        return def?.eventObject ? { streamKey: `event:${def.name}`, entity: undefined } : notFound;
      }
      case 'data': {
        if (name === 'ChangeEvents') return { streamKey: 'cdc', entity: undefined };
        const objectName = objectOfChangeEvent(name);
        const def = objectName === undefined ? undefined : this.#deps.data.object(objectName);
        if (def === undefined || !supportsChangeEvents(def)) return notFound;
        return { streamKey: 'cdc', entity: def.name };
      }
      case 'u':
        return this.#genericChannel(channel) === undefined
          ? { error: ERRORS.unknownGenericChannel }
          : { streamKey: `generic:${channel}`, entity: undefined };
      default:
        return notFound;
    }
  }

  /** Whether `replayId` can be resumed from on a route's stream. */
  acceptsReplay(route: ChannelRoute, replayId: number): boolean {
    return this.#stream(route.streamKey).accepts(replayId, this.#now());
  }

  /**
   * Subscribes a client (replacing an earlier subscription to the same channel) and queues the
   * retained events after `replayId` for its next connect.
   */
  subscribe(client: ClientSession, channel: string, route: ChannelRoute, replayId: number): void {
    client.subscriptions.set(channel, { channel, route });
    const replayed = this.#stream(route.streamKey).after(replayId, this.#now());
    let queued = false;
    for (const event of replayed) queued = client.offer(channel, route, event) || queued;
    if (queued) this.#schedule(client);
  }

  // ---- event sources --------------------------------------------------------------------------

  #onChange(event: ChangeEvent): void {
    if (event.object === 'PushTopic') this.#topics = undefined;
    const topics = this.#topicsFor(event.object);
    if (topics !== undefined) {
      for (const topic of topics) this.#notifyTopic(topic, event);
    }
    const def = this.#deps.data.object(event.object);
    if (def !== undefined && this.capturesChanges(def)) this.#captureChange(def, event);
  }

  #notifyTopic(topic: CompiledTopic, event: ChangeEvent): void {
    const notification = notificationFor(topic, event, this.#deps.data);
    if (notification === undefined) return;
    const now = this.#now();
    const key = `topic:${topic.id}`;
    const retained = this.#stream(key).append(now, (replayId) => ({
      event: { createdDate: isoTime(now), replayId, type: notification.type },
      sobject: notification.sobject,
    }));
    this.#deliver(key, retained);
  }

  #captureChange(def: ObjectDef, event: ChangeEvent): void {
    if (event.transactionKey !== this.#lastTransactionKey) {
      this.#lastTransactionKey = event.transactionKey;
      this.#commitNumber += 1;
    }
    const commitNumber = this.#commitNumber;
    // Rendered on first delivery: most change events are never read.
    const retained = this.#stream('cdc').append(
      event.commitTimestamp,
      (replayId) =>
        changeEventData(
          def,
          event,
          {
            schemaId: schemaIdOf(def, 'change'),
            commitNumber,
            changeOrigin: `com/salesforce/api/rest/${this.#deps.apiVersion}`,
          },
          replayId,
        ),
      { entity: def.name },
    );
    this.#deliver('cdc', retained);
  }

  #onPlatformEvent(message: PlatformEventMessage): void {
    const def = this.#deps.data.object(message.object);
    if (def === undefined) return;
    const key = `event:${def.name}`;
    const retained = this.#stream(key).append(message.publishedAt, (replayId) =>
      platformEventData(def, message, replayId),
    );
    this.#deliver(key, retained);
  }

  #topicsFor(objectName: string): CompiledTopic[] | undefined {
    if (this.#topics === undefined) {
      const byObject = new Map<string, CompiledTopic[]>();
      for (const record of this.#deps.data.records('PushTopic')) {
        if (record.IsDeleted === true) continue;
        const topic = compileTopic(record);
        if (topic === undefined) continue;
        const list = byObject.get(topic.object) ?? [];
        list.push(topic);
        byObject.set(topic.object, list);
      }
      this.#topics = byObject;
    }
    return this.#topics.get(objectName.toLowerCase());
  }

  #genericChannel(name: string): StoredRecord | undefined {
    return this.#deps.data
      .records(STREAMING_CHANNEL)
      .find((record) => record.IsDeleted !== true && record.Name === name);
  }

  // ---- delivery -------------------------------------------------------------------------------

  #stream(key: string): EventStream {
    let stream = this.#streams.get(key);
    if (stream === undefined) {
      const durable = key.startsWith('event:') || key === 'cdc';
      stream = new EventStream(
        () => (durable ? this.#options.eventRetentionMs : this.#options.topicRetentionMs),
        () => this.#options.maxRetainedEvents,
      );
      this.#streams.set(key, stream);
    }
    return stream;
  }

  /** Queues an event for every client subscribed to its stream; returns how many take it. */
  #deliver(streamKey: string, event: RetainedEvent): number {
    if (this.#clients.size === 0) return 0;
    const now = this.#now();
    let fanout = 0;
    for (const client of [...this.#clients.values()]) {
      if (this.#expired(client, now)) {
        this.removeClient(client, 'forgotten');
        continue;
      }
      for (const subscription of client.subscriptions.values()) {
        if (subscription.route.streamKey !== streamKey) continue;
        if (client.offer(subscription.channel, subscription.route, event)) {
          fanout++;
          this.#schedule(client);
        }
      }
    }
    return fanout;
  }

  /**
   * Answers the client's held poll on the next turn of the event loop, so the events of one
   * transaction (or one burst of publishes) go out in one response.
   */
  #schedule(client: ClientSession): void {
    if (client.flushScheduled) return;
    client.flushScheduled = true;
    setImmediate(() => {
      client.flushScheduled = false;
      if (client.queue.length > 0) client.poll?.end({ kind: 'deliver' });
    });
  }

  #expired(client: ClientSession, now: number): boolean {
    return client.poll === undefined && now - client.lastSeenAt > this.#options.reconnectWindowMs;
  }

  #sweep(): void {
    const now = this.#now();
    for (const client of [...this.#clients.values()]) {
      if (this.#expired(client, now)) this.removeClient(client, 'forgotten');
    }
  }

  #liveClientCount(): number {
    this.#sweep();
    return this.#clients.size;
  }

  #now(): number {
    return this.#deps.clock.now();
  }
}
