import { isIPv4 } from 'node:net';
import { InsecureUrlError, type Requester, type Session } from '@forcekit/core';
import { cometdPath } from '../channels.js';
import { StreamingError } from '../errors.js';
import type { ResolvedStreamingOptions } from '../options.js';
import type { DisconnectReason } from '../subscription.js';
import { reconnectDelayMs } from './backoff.js';
import { classifyFailure, type FailedReply } from './bayeux-errors.js';
import {
  type CometdClient,
  type CometdRuntime,
  CookieJar,
  type FailureInfo,
  type FailureMessage,
  loadCometd,
  type Message,
} from './cometd-runtime.js';

/** One subscription as the session drives it (implemented by the public `Subscription`). */
export interface ChannelSink {
  readonly channel: string;
  /** False while the subscription is paused (buffer full) or over: it is then not (re)subscribed. */
  readonly wantsEvents: boolean;
  /**
   * Work the sink must finish before its next `/meta/subscribe` (a `-1` subscription without a replay id
   * fetches the server's time to anchor its resumption), or undefined when there is none.
   */
  prepareSubscribe(): Promise<void> | undefined;
  /** The replay id for the next `/meta/subscribe`. */
  replayFrom(): number;
  /** An event arrived (the `data` of the Bayeux message). */
  deliver(data: unknown): void;
  /** The server confirmed the subscription. */
  subscribed(replayFrom: number, resubscribed: boolean): void;
  /** The server refused `replayFrom` as invalid or too old: true to subscribe again (from the sink's fallback). */
  replayRefused(replayFrom: number, bayeuxError: string): boolean;
  connectionLost(reason: DisconnectReason, error: StreamingError): void;
  /** The subscription is over because of `error`. */
  fail(error: StreamingError): void;
}

interface SubscriptionHandle {
  readonly channel: string;
}

/** One CometD client and what belongs to it; replaced whole after a re-authentication. */
interface Connection {
  readonly client: CometdClient;
  readonly session: Session;
  readonly handles: Map<ChannelSink, SubscriptionHandle>;
  readonly timers: Set<ReturnType<typeof setTimeout>>;
  /** Handshake done and not being redone: subscriptions can be sent. */
  ready: boolean;
  /** Replaced or shut down: its late callbacks are ignored. */
  stale: boolean;
}

const ERROR_LOG_LIMIT = 200;

/**
 * The CometD session of one `Streaming` object: one client (one `clientId`, one cookie jar) carrying
 * every subscription, and the recovery rules of the Streaming API (protocol notes 6.5):
 * - network failure: after a jittered exponential backoff, a new handshake and re-subscription from
 *   the last received replay ids (merely retrying the connect would lose any events the failed
 *   long-poll answer carried: the server counts them as delivered);
 * - `403::Unknown client`: handshake again at once (then with backoff) and re-subscribe everything;
 * - `401::Authentication invalid` / `403::Handshake denied`: refresh the session through core's
 *   single-flight `refreshSession`, then a new client handshakes and re-subscribes; a fresh session
 *   that is refused too ends the subscriptions with `AUTHENTICATION_FAILED`.
 * Every re-subscription asks each sink where to resume, so nothing is lost or delivered twice.
 */
export class BayeuxSession {
  readonly #requester: Requester;
  readonly #options: ResolvedStreamingOptions;
  readonly #sinks = new Set<ChannelSink>();
  readonly #cookies = new CookieJar();
  #connection: Connection | undefined;
  #opening: Promise<void> | undefined;
  #closed = false;
  /** A handshake has succeeded before: later subscriptions are re-subscriptions. */
  #everHandshaken = false;
  /** Consecutive failures since the last successful connect: the backoff exponent. */
  #failures = 0;
  /** The session was refreshed and no handshake has succeeded since. */
  #refreshed = false;
  /** Sinks were told the connection was lost and no handshake has succeeded since. */
  #lost = false;

  constructor(requester: Requester, options: ResolvedStreamingOptions) {
    this.#requester = requester;
    this.#options = options;
  }

  add(sink: ChannelSink): void {
    if (this.#closed) {
      sink.fail(new StreamingError('CLOSED', 'This Streaming object is closed', { channel: sink.channel }));
      return;
    }
    this.#sinks.add(sink);
    const connection = this.#connection;
    if (connection?.ready) this.#subscribe(connection, sink, this.#everHandshaken);
    else if (connection === undefined) this.#open();
  }

  /** Stops delivering to `sink`; the last one leaving disconnects the client. */
  async remove(sink: ChannelSink): Promise<void> {
    if (!this.#sinks.delete(sink)) return;
    const connection = this.#connection;
    if (connection === undefined) return;
    if (this.#sinks.size === 0) {
      this.#connection = undefined;
      await this.#shutdown(connection);
      return;
    }
    this.#unsubscribe(connection, sink);
  }

  /** Unsubscribes `sink` on the server while it stays registered (its buffer is full). */
  pause(sink: ChannelSink): void {
    const connection = this.#connection;
    if (connection !== undefined) this.#unsubscribe(connection, sink);
  }

  /** Subscribes a paused `sink` again, from its resume point. */
  resume(sink: ChannelSink): void {
    const connection = this.#connection;
    if (connection?.ready && this.#sinks.has(sink) && !connection.handles.has(sink)) {
      this.#subscribe(connection, sink, true);
    }
  }

  /** Disconnects and forgets every sink (they are ended by the caller). */
  async close(): Promise<void> {
    this.#closed = true;
    this.#sinks.clear();
    const connection = this.#connection;
    this.#connection = undefined;
    if (connection !== undefined) await this.#shutdown(connection);
    await this.#opening;
  }

  #open(session?: Session): void {
    if (this.#opening !== undefined) return;
    this.#opening = this.#connect(session).finally(() => {
      this.#opening = undefined;
    });
  }

  async #connect(fresh: Session | undefined): Promise<void> {
    let runtime: CometdRuntime;
    try {
      runtime = await loadCometd();
    } catch (error) {
      this.#failAll(
        new StreamingError('HANDSHAKE_FAILED', `Cannot load the CometD client: ${messageOf(error)}`, {
          cause: error,
        }),
      );
      return;
    }
    let session: Session;
    try {
      session = fresh ?? (await this.#requester.getSession());
    } catch (error) {
      this.#failAll(
        new StreamingError('AUTHENTICATION_FAILED', `No session to stream with: ${messageOf(error)}`, {
          cause: error,
        }),
      );
      return;
    }
    if (this.#closed || this.#sinks.size === 0 || this.#connection !== undefined) return;
    let url: string;
    try {
      url = cometdUrl(session.instanceUrl, this.#requester.version);
    } catch (error) {
      this.#failAll(new StreamingError('HANDSHAKE_FAILED', messageOf(error), { cause: error }));
      return;
    }
    const connection: Connection = {
      client: runtime.createClient(this.#cookies),
      session,
      handles: new Map(),
      timers: new Set(),
      ready: false,
      stale: false,
    };
    const { client } = connection;
    client.configure({
      url,
      // One client per session: a refreshed session gets a new client, never a changed header.
      requestHeaders: { Authorization: `Bearer ${session.accessToken}` },
      appendMessageTypeToURL: false,
      maxNetworkDelay: this.#options.maxNetworkDelayMs,
      backoffIncrement: this.#options.reconnect.initialMs,
      maxBackoff: this.#options.reconnect.maxMs,
      logLevel: 'warn',
    });
    client.addListener('/meta/handshake', (message) => this.#onHandshake(connection, message));
    client.addListener('/meta/connect', (message) => this.#onConnect(connection, message));
    client.onTransportFailure = (message, info, handler) =>
      this.#onTransportFailure(runtime, connection, message, info, handler);
    this.#connection = connection;
    client.handshake();
  }

  #onHandshake(connection: Connection, message: Message): void {
    if (connection.stale || message.successful !== true) return;
    connection.ready = true;
    connection.handles.clear(); // CometD dropped its subscriptions when it handshook again
    this.#refreshed = false;
    this.#lost = false;
    const resubscribed = this.#everHandshaken;
    this.#everHandshaken = true;
    for (const sink of this.#sinks) {
      if (sink.wantsEvents) this.#subscribe(connection, sink, resubscribed);
    }
  }

  #onConnect(connection: Connection, message: Message): void {
    if (connection.stale || message.successful !== true) return;
    this.#failures = 0;
  }

  /** Decides what follows a failed handshake or connect; CometD carries it out. */
  #onTransportFailure(
    runtime: CometdRuntime,
    connection: Connection,
    message: FailureMessage,
    info: FailureInfo,
    handler: (info: FailureInfo) => void,
  ): void {
    if (connection.stale || this.#closed) {
      info.action = 'none';
      handler(info);
      return;
    }
    runtime.defaultOnTransportFailure.call(connection.client, message, info, (decided) => {
      const kind = classifyFailure(message as FailedReply);
      const error = lostError(message);
      if (kind === 'reauthenticate') {
        decided.action = 'none';
        handler(decided);
        this.#connectionLost('authentication', error);
        void this.#reauthenticate(connection, message);
        return;
      }
      if (
        kind !== undefined &&
        kind !== 'rehandshake' &&
        kind !== 'limit' &&
        message.channel === '/meta/handshake'
      ) {
        decided.action = 'none';
        handler(decided);
        this.#failAll(
          new StreamingError(
            'HANDSHAKE_FAILED',
            `The Streaming API refused the handshake: ${message.error}`,
            {
              bayeuxError: typeof message.error === 'string' ? message.error : undefined,
            },
          ),
        );
        return;
      }
      const reason: DisconnectReason =
        kind === 'rehandshake' ? 'unknown-client' : kind === 'limit' ? 'limit' : 'network';
      // Never just retry the connect: a long-poll answer lost on the way may have carried events the
      // server now counts as delivered. A new handshake re-subscribes every sink after its last id.
      decided.action = 'handshake';
      connection.ready = false;
      // The first handshake after the server forgot the client goes at once; anything repeated backs off.
      const attempt = this.#failures++;
      decided.delay =
        kind === 'rehandshake' && attempt === 0 ? 0 : reconnectDelayMs(attempt, this.#options.reconnect);
      handler(decided);
      this.#connectionLost(reason, error);
    });
  }

  async #reauthenticate(connection: Connection, message: FailureMessage): Promise<void> {
    if (connection.stale) return; // another failure of the same client got here first
    if (this.#connection === connection) this.#connection = undefined;
    void this.#shutdown(connection);
    if (this.#refreshed) {
      this.#failAll(
        new StreamingError(
          'AUTHENTICATION_FAILED',
          `The Streaming API refused a freshly refreshed session: ${String(message.error ?? 'authentication failed')}`,
          { bayeuxError: typeof message.error === 'string' ? message.error : undefined },
        ),
      );
      return;
    }
    this.#refreshed = true;
    let session: Session;
    try {
      session = await this.#requester.refreshSession(connection.session);
    } catch (error) {
      this.#failAll(
        new StreamingError('AUTHENTICATION_FAILED', `Could not refresh the session: ${messageOf(error)}`, {
          cause: error,
          bayeuxError: typeof message.error === 'string' ? message.error : undefined,
        }),
      );
      return;
    }
    if (this.#closed || this.#sinks.size === 0 || this.#connection !== undefined) return;
    this.#open(session);
  }

  #subscribe(connection: Connection, sink: ChannelSink, resubscribed: boolean): void {
    const preparing = sink.prepareSubscribe();
    if (preparing === undefined) {
      this.#sendSubscribe(connection, sink, resubscribed);
      return;
    }
    void preparing.then(() => {
      if (connection.ready && this.#sinks.has(sink) && sink.wantsEvents && !connection.handles.has(sink)) {
        this.#sendSubscribe(connection, sink, resubscribed);
      }
    });
  }

  #sendSubscribe(connection: Connection, sink: ChannelSink, resubscribed: boolean): void {
    const replayFrom = sink.replayFrom();
    let handle: SubscriptionHandle | undefined;
    try {
      handle = connection.client.subscribe(
        sink.channel,
        (message) => {
          if (!connection.stale && connection.handles.get(sink) === handle) sink.deliver(message.data);
        },
        { ext: { replay: { [sink.channel]: replayFrom } } },
        (reply) => {
          if (handle !== undefined)
            this.#onSubscribeReply(connection, sink, handle, reply, replayFrom, resubscribed);
        },
      ) as SubscriptionHandle;
    } catch {
      // CometD refuses while it is disconnected; the next handshake subscribes every sink.
      return;
    }
    connection.handles.set(sink, handle);
  }

  #onSubscribeReply(
    connection: Connection,
    sink: ChannelSink,
    handle: SubscriptionHandle,
    reply: Message,
    replayFrom: number,
    resubscribed: boolean,
  ): void {
    if (connection.stale || !this.#sinks.has(sink) || connection.handles.get(sink) !== handle) return;
    if (reply.successful === true) {
      sink.subscribed(replayFrom, resubscribed);
      return;
    }
    connection.handles.delete(sink); // CometD already dropped it
    const kind = classifyFailure(reply as FailedReply);
    const bayeuxError = typeof reply.error === 'string' ? reply.error : undefined;
    switch (kind) {
      case 'invalid-replay':
        if (sink.replayRefused(replayFrom, bayeuxError ?? ''))
          this.#subscribe(connection, sink, resubscribed);
        else this.#sinks.delete(sink);
        return;
      case 'channel-not-found':
      case 'refused':
        this.#sinks.delete(sink);
        sink.fail(
          new StreamingError(
            kind === 'channel-not-found' ? 'CHANNEL_NOT_FOUND' : 'SUBSCRIBE_FAILED',
            `Cannot subscribe to ${sink.channel}: ${bayeuxError}`,
            { channel: sink.channel, bayeuxError },
          ),
        );
        if (this.#sinks.size === 0 && this.#connection === connection) {
          this.#connection = undefined;
          void this.#shutdown(connection);
        }
        return;
      case 'reauthenticate':
        // The long poll will hit the same wall; go there now instead of after its hold.
        this.#connectionLost('authentication', lostError(reply));
        void this.#reauthenticate(connection, reply);
        return;
      case 'rehandshake':
        this.#connectionLost('unknown-client', lostError(reply));
        this.#restart(connection);
        return;
      default:
        // Network failure or a limit: the server may never have seen it; try again after a backoff.
        this.#later(connection, reconnectDelayMs(this.#failures, this.#options.reconnect), () => {
          if (
            connection.ready &&
            this.#sinks.has(sink) &&
            sink.wantsEvents &&
            !connection.handles.has(sink)
          ) {
            this.#subscribe(connection, sink, resubscribed);
          }
        });
    }
  }

  #unsubscribe(connection: Connection, sink: ChannelSink): void {
    const handle = connection.handles.get(sink);
    if (handle === undefined) return;
    connection.handles.delete(sink);
    if (!connection.ready) return;
    try {
      connection.client.unsubscribe(handle);
    } catch {
      // Disconnected meanwhile: the server drops the subscription with the client.
    }
  }

  /** Replaces the client with a new one (new handshake, same session and cookies). */
  #restart(connection: Connection): void {
    if (this.#connection === connection) this.#connection = undefined;
    void this.#shutdown(connection);
    if (!this.#closed && this.#sinks.size > 0) this.#open(connection.session);
  }

  #later(connection: Connection, delayMs: number, task: () => void): void {
    const timer = setTimeout(() => {
      connection.timers.delete(timer);
      if (!connection.stale) task();
    }, delayMs);
    connection.timers.add(timer);
  }

  #connectionLost(reason: DisconnectReason, error: StreamingError): void {
    if (this.#lost) return;
    this.#lost = true;
    for (const sink of this.#sinks) sink.connectionLost(reason, error);
  }

  #failAll(error: StreamingError): void {
    this.#refreshed = false;
    const sinks = [...this.#sinks];
    this.#sinks.clear();
    const connection = this.#connection;
    this.#connection = undefined;
    if (connection !== undefined) void this.#shutdown(connection);
    for (const sink of sinks) sink.fail(error);
  }

  /** Disconnects a client, then cuts any long poll the server still holds for it. */
  async #shutdown(connection: Connection): Promise<void> {
    connection.stale = true;
    connection.ready = false;
    for (const timer of connection.timers) clearTimeout(timer);
    connection.timers.clear();
    const { client } = connection;
    const transport = client.getTransport();
    if (!client.isDisconnected()) {
      await new Promise<void>((resolve) => {
        try {
          client.disconnect(() => resolve());
        } catch {
          resolve();
        }
      });
    }
    transport?.abort();
  }
}

function cometdUrl(instanceUrl: string, version: string): string {
  const base = new URL(instanceUrl);
  if (base.protocol !== 'https:' && !(base.protocol === 'http:' && isLoopback(base.hostname))) {
    throw new InsecureUrlError(base.origin);
  }
  return `${base.origin}${cometdPath(version)}`;
}

/** Hosts that never leave the machine (127.0.0.0/8, ::1, localhost), as core decides for REST. */
function isLoopback(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost') || host === '[::1]') return true;
  return isIPv4(host) && host.startsWith('127.');
}

function lostError(message: FailureMessage | Message): StreamingError {
  const error = typeof message.error === 'string' ? message.error : undefined;
  const failure = (message as FailureMessage).failure;
  const detail =
    error ?? failure?.reason ?? (failure?.httpCode ? `HTTP ${failure.httpCode}` : 'network failure');
  return new StreamingError('CONNECTION_LOST', `${message.channel} failed: ${truncate(String(detail))}`, {
    bayeuxError: error,
  });
}

function truncate(text: string): string {
  return text.length > ERROR_LOG_LIMIT ? `${text.slice(0, ERROR_LOG_LIMIT)}…` : text;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
