/** The `data` member of a Bayeux message delivered on a channel. */
export type EventData = Record<string, unknown>;

/**
 * One retained event. Its `data` is built on first delivery and kept: change events are recorded for
 * every committed write, and most are never read, so rendering them eagerly would tax every write.
 */
export class RetainedEvent {
  readonly replayId: number;
  /** Org time (epoch ms) of the event, for the retention window. */
  readonly at: number;
  /** For change events: the object that changed (the entity channels filter on it). */
  readonly entity: string | undefined;
  /** For generic events pushed to some users only: who may receive it. */
  readonly audience: ReadonlySet<string> | undefined;
  #render: ((replayId: number) => EventData) | undefined;
  #data: EventData | undefined;

  constructor(
    replayId: number,
    at: number,
    render: (replayId: number) => EventData,
    tags: { readonly entity?: string | undefined; readonly audience?: ReadonlySet<string> | undefined },
  ) {
    this.replayId = replayId;
    this.at = at;
    this.entity = tags.entity;
    this.audience = tags.audience;
    this.#render = render;
  }

  get data(): EventData {
    if (this.#data === undefined) {
      this.#data = (this.#render as (replayId: number) => EventData)(this.replayId);
      this.#render = undefined;
    }
    return this.#data;
  }
}

/**
 * The retained events of one stream (a PushTopic, a platform event, a generic channel, or the change
 * events of the org), with replay ids that increase by one per event. Old events fall out after the
 * retention time or beyond the count cap; a replay id older than what is retained is invalid, as it is
 * on Salesforce, because the events after it can no longer all be delivered.
 */
export class EventStream {
  readonly #retentionMs: () => number;
  readonly #maxEvents: () => number;
  #events: RetainedEvent[] = [];
  /** Index of the oldest retained event in `#events` (dropping from the front is amortized). */
  #head = 0;
  #lastReplayId = 0;

  constructor(retentionMs: () => number, maxEvents: () => number) {
    this.#retentionMs = retentionMs;
    this.#maxEvents = maxEvents;
  }

  /** The replay id of the newest event ever appended (0 before the first). */
  get lastReplayId(): number {
    return this.#lastReplayId;
  }

  get size(): number {
    return this.#events.length - this.#head;
  }

  append(
    at: number,
    render: (replayId: number) => EventData,
    tags: { readonly entity?: string | undefined; readonly audience?: ReadonlySet<string> | undefined } = {},
  ): RetainedEvent {
    this.#lastReplayId += 1;
    const event = new RetainedEvent(this.#lastReplayId, at, render, tags);
    this.#events.push(event);
    this.prune(at);
    return event;
  }

  /** Drops events beyond the count cap and older than the retention window. */
  prune(now: number): void {
    const max = this.#maxEvents();
    const oldest = now - this.#retentionMs();
    while (this.size > 0) {
      const first = this.#events[this.#head] as RetainedEvent;
      if (this.size <= max && first.at >= oldest) break;
      this.#head += 1;
    }
    if (this.#head > 1024 && this.#head * 2 > this.#events.length) {
      this.#events = this.#events.slice(this.#head);
      this.#head = 0;
    }
  }

  /**
   * Whether a client may resume after `replayId`: -1 (new events only), -2 (everything retained), or
   * an id from the oldest retained one's predecessor up to the newest, so nothing after it is lost.
   */
  accepts(replayId: number, now: number): boolean {
    if (replayId === -1 || replayId === -2) return true;
    if (!Number.isSafeInteger(replayId) || replayId < 0) return false;
    this.prune(now);
    const first =
      this.size > 0 ? (this.#events[this.#head] as RetainedEvent).replayId : this.#lastReplayId + 1;
    return replayId >= first - 1 && replayId <= this.#lastReplayId;
  }

  /** Retained events after `replayId` (-2: all retained; -1: none), oldest first. */
  after(replayId: number, now: number): RetainedEvent[] {
    if (replayId === -1) return [];
    this.prune(now);
    const out: RetainedEvent[] = [];
    for (let i = this.#head; i < this.#events.length; i++) {
      const event = this.#events[i] as RetainedEvent;
      if (replayId === -2 || event.replayId > replayId) out.push(event);
    }
    return out;
  }
}
