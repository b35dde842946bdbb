import { ConfigurationError } from '@forcekit/core';
import type { ChannelKind } from '../channels.js';
import { StreamingError } from '../errors.js';
import { eventTimeOf, replayIdOf } from '../events.js';
import type { ResolvedSubscribeOptions } from '../options.js';
import type { ReplayStore } from '../replay-store.js';
import type {
  DisconnectReason,
  Subscription,
  SubscriptionEvents,
  SubscriptionListener,
} from '../subscription.js';
import type { BayeuxSession, ChannelSink } from './bayeux-session.js';
import { Fifo } from './fifo.js';
import { ReplayCursor } from './replay-cursor.js';

type EventName = keyof SubscriptionEvents<unknown>;
type AnyListener = SubscriptionListener<never>;

/** How far the client's clock may be behind the server's when the server's time is unknown. */
const CLOCK_SKEW_MARGIN_MS = 60_000;

/**
 * The `Subscription` implementation: the bounded buffer between the CometD session and the consumer,
 * the replay cursor, and the commit of each delivered event's replay id to the store.
 */
export class LiveSubscription<E> implements Subscription<E>, ChannelSink {
  readonly channel: string;
  readonly kind: ChannelKind;
  readonly #options: ResolvedSubscribeOptions;
  readonly #session: BayeuxSession;
  readonly #store: ReplayStore;
  readonly #onEnd: () => void;
  readonly #serverTime: () => Promise<number | undefined>;
  readonly #queue = new Fifo<E>();
  readonly #listeners = new Map<EventName, Set<AnyListener>>();
  #cursor: ReplayCursor | undefined;
  #mode: 'iterator' | 'listeners' | undefined;
  #ended = false;
  #error: StreamingError | undefined;
  #errorThrown = false;
  /** The replay id of the event the iterator handed out and the loop is still working on. */
  #inHand: number | undefined;
  #lastReplayId: number | undefined;
  #wake: (() => void) | undefined;
  #nextChain: Promise<unknown> = Promise.resolve();
  #pumping = false;
  /** Paused for a full buffer: the re-subscription on resume is flow control, not a reconnection. */
  #resuming = false;
  #refusedReplayId: number | undefined;
  #ready: { promise: Promise<void>; resolve: () => void; reject: (error: StreamingError) => void };
  #readySettled = false;
  /** ready() was called: a failure before the subscription was confirmed is seen there. */
  #readyObserved = false;
  #iterator: AsyncIterator<E, undefined> | undefined;
  /** `performance.now()` when the server first confirmed the subscription. */
  #confirmedAt: number | undefined;
  #anchoring: Promise<void> | undefined;

  constructor(init: {
    channel: string;
    kind: ChannelKind;
    options: ResolvedSubscribeOptions;
    session: BayeuxSession;
    store: ReplayStore;
    /** The server's current time (ms), read from an HTTP `Date` header; undefined when unknown. */
    serverTime: () => Promise<number | undefined>;
    onEnd: () => void;
  }) {
    this.channel = init.channel;
    this.kind = init.kind;
    this.#options = init.options;
    this.#session = init.session;
    this.#store = init.store;
    this.#onEnd = init.onEnd;
    this.#serverTime = init.serverTime;
    let resolve!: () => void;
    let reject!: (error: StreamingError) => void;
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    promise.catch(() => undefined); // observed through ready(), 'error' or the iterator
    this.#ready = { promise, resolve, reject };
    const { signal } = init.options;
    if (signal?.aborted) {
      this.#end(undefined);
      return;
    }
    signal?.addEventListener('abort', () => void this.unsubscribe(), { once: true });
    void this.#start();
  }

  get lastReplayId(): number | undefined {
    return this.#lastReplayId;
  }

  get closed(): boolean {
    return this.#ended;
  }

  ready(): Promise<void> {
    this.#readyObserved = true;
    return this.#ready.promise;
  }

  on<K extends EventName>(event: K, listener: SubscriptionListener<SubscriptionEvents<E>[K]>): () => void {
    if (typeof listener !== 'function') {
      throw new ConfigurationError(
        [{ field: 'listener', message: 'must be a function' }],
        'subscription listener',
      );
    }
    if (event === 'data') this.#claim('listeners');
    let set = this.#listeners.get(event);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    set.add(listener as AnyListener);
    if (event === 'data') void this.#pump();
    return () => this.off(event, listener);
  }

  off<K extends EventName>(event: K, listener: SubscriptionListener<SubscriptionEvents<E>[K]>): void {
    this.#listeners.get(event)?.delete(listener as AnyListener);
  }

  async unsubscribe(): Promise<void> {
    this.#end(undefined);
    await this.#session.remove(this);
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.unsubscribe();
  }

  [Symbol.asyncIterator](): AsyncIterator<E, undefined> {
    // One stream of events: every call returns the same iterator.
    this.#iterator ??= this.#createIterator();
    return this.#iterator;
  }

  #createIterator(): AsyncIterator<E, undefined> {
    this.#claim('iterator');
    return {
      next: () => {
        const step = this.#nextChain.then(
          () => this.#next(),
          () => this.#next(),
        );
        this.#nextChain = step;
        return step;
      },
      return: async () => {
        // Leaving the loop early: the event in hand is not recorded (see Subscription).
        this.#inHand = undefined;
        await this.unsubscribe();
        return { done: true, value: undefined };
      },
    };
  }

  // ChannelSink: called by the session.

  get wantsEvents(): boolean {
    return !this.#ended && this.#cursor !== undefined && !this.#cursor.paused;
  }

  prepareSubscribe(): Promise<void> | undefined {
    const cursor = this.#cursor;
    if (this.#confirmedAt === undefined || cursor === undefined || !cursor.needsAnchor()) return undefined;
    this.#anchoring ??= this.#anchor(cursor, this.#confirmedAt).finally(() => {
      this.#anchoring = undefined;
    });
    return this.#anchoring;
  }

  /**
   * A `-1` subscription that must be made again before its first event has no replay id to resume
   * after. It resumes with `-2`, dropping retained events created before it first subscribed: that
   * moment in server time is the server's clock now (an HTTP `Date` header) minus the time elapsed
   * here, so the client's clock never enters. Without the server's time, the client's clock less a
   * generous margin stands in.
   */
  async #anchor(cursor: ReplayCursor, confirmedAt: number): Promise<void> {
    const serverNow = await this.#serverTime().catch(() => undefined);
    const elapsed = performance.now() - confirmedAt;
    cursor.anchor(
      serverNow === undefined ? Date.now() - elapsed - CLOCK_SKEW_MARGIN_MS : serverNow - elapsed,
    );
  }

  replayFrom(): number {
    return this.#cursor?.resumePoint() ?? this.#options.replay;
  }

  deliver(data: unknown): void {
    const cursor = this.#cursor;
    if (this.#ended || cursor === undefined) return;
    if (!cursor.accept(replayIdOf(data), eventTimeOf(data))) return;
    this.#queue.push(data as E);
    if (this.#queue.length >= this.#options.maxBuffer) {
      if (this.#options.overflow === 'error') {
        this.fail(
          new StreamingError(
            'BUFFER_OVERFLOW',
            `${this.#options.maxBuffer} events of ${this.channel} are waiting for the consumer (overflow: 'error')`,
            { channel: this.channel },
          ),
        );
        return;
      }
      cursor.pause();
      this.#session.pause(this);
    }
    this.#signal();
  }

  subscribed(replayFrom: number, resubscribed: boolean): void {
    if (this.#ended) return;
    if (!this.#readySettled) {
      this.#readySettled = true;
      this.#ready.resolve();
    }
    this.#confirmedAt ??= performance.now();
    if (this.#resuming) {
      this.#resuming = false;
      return;
    }
    const refused = this.#refusedReplayId;
    this.#refusedReplayId = undefined;
    this.#emit('connect', {
      channel: this.channel,
      replayFrom,
      reconnected: resubscribed,
      ...(refused === undefined ? {} : { refusedReplayId: refused }),
    });
  }

  replayRefused(replayFrom: number, bayeuxError: string): boolean {
    const cursor = this.#cursor;
    const fallback = cursor?.invalidReplay(replayFrom, this.#options.invalidReplay);
    if (fallback === undefined) {
      this.fail(
        new StreamingError(
          'INVALID_REPLAY_ID',
          `The server refused replay id ${replayFrom} for ${this.channel}`,
          {
            channel: this.channel,
            bayeuxError,
          },
        ),
      );
      return false;
    }
    this.#refusedReplayId = replayFrom;
    return true;
  }

  connectionLost(reason: DisconnectReason, error: StreamingError): void {
    if (!this.#ended) this.#emit('disconnect', { channel: this.channel, reason, error });
  }

  fail(error: StreamingError): void {
    if (this.#ended) return;
    this.#end(error);
    void this.#session.remove(this);
  }

  // Internals.

  async #start(): Promise<void> {
    let stored: number | undefined;
    try {
      stored = await this.#store.get(this.channel);
    } catch (error) {
      this.fail(
        error instanceof StreamingError
          ? error
          : new StreamingError('REPLAY_STORE_FAILED', `Cannot read the replay position of ${this.channel}`, {
              channel: this.channel,
              cause: error,
            }),
      );
      return;
    }
    if (this.#ended) return;
    this.#cursor = new ReplayCursor(this.#options.replay, stored);
    this.#session.add(this);
  }

  #claim(mode: 'iterator' | 'listeners'): void {
    if (this.#mode === mode && mode === 'listeners') return;
    if (this.#mode !== undefined) {
      throw new ConfigurationError(
        [
          {
            field: 'subscription',
            message:
              this.#mode === 'iterator'
                ? "is already consumed by for await; use either for await or on('data')"
                : "is consumed by on('data'); use either for await or on('data')",
          },
        ],
        'subscription use',
      );
    }
    this.#mode = mode;
  }

  async #next(): Promise<IteratorResult<E, undefined>> {
    const done = this.#inHand;
    if (done !== undefined) {
      this.#inHand = undefined;
      const committing = this.#commit(done);
      if (committing !== undefined) await committing;
    }
    for (;;) {
      if (this.#error !== undefined && !this.#errorThrown) {
        this.#errorThrown = true;
        throw this.#error;
      }
      if (this.#ended) return { done: true, value: undefined };
      if (this.#queue.length > 0) {
        const event = this.#queue.shift() as E;
        this.#afterShift();
        this.#inHand = replayIdOf(event);
        return { done: false, value: event };
      }
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
  }

  async #pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      while (!this.#ended && this.#queue.length > 0) {
        const event = this.#queue.shift() as E;
        this.#afterShift();
        try {
          for (const listener of [...(this.#listeners.get('data') ?? [])]) {
            const result = (listener as SubscriptionListener<E>)(event);
            if (result !== undefined && typeof (result as Promise<void>).then === 'function') await result;
          }
        } catch (error) {
          this.fail(
            new StreamingError(
              'LISTENER_FAILED',
              `A 'data' listener of ${this.channel} failed: ${messageOf(error)}`,
              {
                channel: this.channel,
                cause: error,
              },
            ),
          );
          return;
        }
        const replayId = replayIdOf(event);
        const committing = replayId === undefined ? undefined : this.#commit(replayId);
        if (committing !== undefined) await committing;
      }
    } finally {
      this.#pumping = false;
    }
  }

  /**
   * Records `replayId` as delivered. A store that answers synchronously (the memory store) is not
   * awaited, so the per-event cost stays a function call; a promise is awaited before the next event.
   */
  #commit(replayId: number): Promise<void> | undefined {
    let written: void | Promise<void>;
    try {
      written = this.#store.set(this.channel, replayId);
    } catch (error) {
      this.#storeFailed(replayId, error);
      return undefined;
    }
    if (written === undefined || typeof (written as Promise<void>).then !== 'function') {
      this.#lastReplayId = replayId;
      return undefined;
    }
    return (written as Promise<void>).then(
      () => {
        this.#lastReplayId = replayId;
      },
      (error: unknown) => this.#storeFailed(replayId, error),
    );
  }

  #storeFailed(replayId: number, error: unknown): void {
    this.fail(
      error instanceof StreamingError
        ? error
        : new StreamingError(
            'REPLAY_STORE_FAILED',
            `Cannot record replay id ${replayId} of ${this.channel}`,
            {
              channel: this.channel,
              cause: error,
            },
          ),
    );
  }

  /** After taking an event: a paused subscription resumes once the buffer is down to half. */
  #afterShift(): void {
    const cursor = this.#cursor;
    if (cursor?.paused && this.#queue.length <= Math.floor(this.#options.maxBuffer / 2)) {
      cursor.resume();
      this.#resuming = true;
      this.#session.resume(this);
    }
  }

  #signal(): void {
    if (this.#mode === 'listeners') {
      void this.#pump();
      return;
    }
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  #end(error: StreamingError | undefined): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#error = error;
    this.#queue.clear();
    const seenByReady = !this.#readySettled && this.#readyObserved;
    if (!this.#readySettled) {
      this.#readySettled = true;
      this.#ready.reject(
        error ??
          new StreamingError('CLOSED', `Unsubscribed from ${this.channel} before the server confirmed it`),
      );
    }
    this.#onEnd();
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
    if (error !== undefined) {
      const listeners = this.#listeners.get('error');
      if (listeners !== undefined && listeners.size > 0) this.#emit('error', error);
      // Nobody would hear of it otherwise: say it on stderr rather than end in silence.
      else if (this.#mode !== 'iterator' && !seenByReady) process.emitWarning(error);
    }
  }

  #emit<K extends EventName>(event: K, value: SubscriptionEvents<E>[K]): void {
    for (const listener of [...(this.#listeners.get(event) ?? [])]) {
      try {
        const result = (listener as SubscriptionListener<SubscriptionEvents<E>[K]>)(value);
        if (result !== undefined && typeof (result as Promise<void>).then === 'function') {
          (result as Promise<void>).catch((error: unknown) => reportListenerError(event, error));
        }
      } catch (error) {
        reportListenerError(event, error);
      }
    }
  }
}

function reportListenerError(event: string, error: unknown): void {
  process.emitWarning(`A '${event}' listener of a forcekit subscription threw: ${messageOf(error)}`);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
