/**
 * The replay logic of one subscription: which replay id each `/meta/subscribe` carries in
 * `ext.replay`, and which arriving events are new. It is pure state, tested alone.
 *
 * Replay ids increase along a channel. The cursor keeps the highest id it has accepted in this process
 * (events in the buffer plus events handed to the consumer), and every (re)subscription resumes after
 * it, so the server resends exactly what the client has not got. Events at or below it that a resumed
 * subscription sends again are dropped as duplicates. Before the first event, a subscription resumes
 * after the stored id (the last one delivered by an earlier run), or from the requested `-1` / `-2`.
 */

/** `-1`: only events published from now on. */
export const REPLAY_NEW = -1;
/** `-2`: every event the server still retains. */
export const REPLAY_ALL = -2;

/** What to do when the server refuses a replay id as invalid or too old. */
export type InvalidReplayPolicy = 'all' | 'new' | 'error';

export class ReplayCursor {
  readonly #initial: number;
  /** The last id delivered by an earlier run (from the replay store), or a requested explicit id. */
  #floor: number | undefined;
  /** The highest id accepted in this process. */
  #highest: number | undefined;
  /** Set after a refused replay id: the `-1` / `-2` the next subscription uses instead. */
  #fallback: number | undefined;
  #paused = false;
  /** Events older than this (server time, ms) predate a -1 subscription being re-made: dropped. */
  #since: number | undefined;

  /**
   * @param initial `-1`, `-2` or an id to resume after, used when nothing is stored.
   * @param stored the id the replay store holds for the channel, if any.
   */
  constructor(initial: number, stored: number | undefined) {
    this.#initial = initial;
    this.#floor = stored ?? (initial >= 0 ? initial : undefined);
  }

  /**
   * The replay id for the next `/meta/subscribe`: the fallback after a refused id (until an event
   * arrives), else after the highest accepted id, else after the floor, else the requested start.
   */
  resumePoint(): number {
    return this.#fallback ?? this.#highest ?? this.#floor ?? this.#initial;
  }

  /** The highest replay id accepted in this process, if any. */
  get highest(): number | undefined {
    return this.#highest;
  }

  /** While paused (the buffer is full), arriving events are dropped: they are replayed on resume. */
  get paused(): boolean {
    return this.#paused;
  }

  pause(): void {
    this.#paused = true;
  }

  resume(): void {
    this.#paused = false;
  }

  /**
   * Whether an arriving event should be delivered. False while paused and for a replay id at or below
   * the highest accepted (or, before any, the floor): a duplicate from a resumed subscription.
   * An event without a replay id cannot be compared and is accepted.
   */
  accept(replayId: number | undefined, eventTimeMs?: number): boolean {
    if (this.#paused) return false;
    if (this.#since !== undefined && eventTimeMs !== undefined && eventTimeMs < this.#since) return false;
    if (replayId === undefined) return true;
    const last = this.#highest ?? this.#floor;
    if (last !== undefined && replayId <= last) return false;
    this.#highest = replayId;
    this.#fallback = undefined;
    this.#since = undefined;
    return true;
  }

  /**
   * True for a `-1` subscription that has no replay id to resume after (no event yet, nothing stored):
   * re-subscribing with `-1` would miss what was published while it was down, so it needs `anchor()`.
   */
  needsAnchor(): boolean {
    return (
      this.#initial === REPLAY_NEW &&
      this.#highest === undefined &&
      this.#floor === undefined &&
      this.#fallback === undefined &&
      this.#since === undefined
    );
  }

  /**
   * Makes a `-1` subscription without a replay id resumable: it re-subscribes with `-2` and drops the
   * retained events created before `subscribedAtMs` (server time, when it first subscribed), rounded
   * down to the second because platform event times have second resolution. So an event from the
   * second before the subscription may be delivered; none is delivered twice and none is missed.
   */
  anchor(subscribedAtMs: number): void {
    this.#fallback = REPLAY_ALL;
    this.#since = Math.floor(subscribedAtMs / 1000) * 1000;
  }

  /**
   * The server refused `rejected` as invalid or too old. Returns the replay id to subscribe with
   * instead (`-2` or `-1` per `policy`), or undefined when the subscription must fail: under `'error'`,
   * or when `-1` / `-2` themselves were refused (retrying could only loop).
   *
   * If this process has accepted no event yet, the refused id came from the store (or the caller) and
   * may belong to another org or a refreshed sandbox, so it stops filtering duplicates. If events were
   * accepted, their ids are real and keep filtering what the fallback resends.
   */
  invalidReplay(rejected: number, policy: InvalidReplayPolicy): number | undefined {
    if (policy === 'error' || rejected < 0) return undefined;
    if (this.#highest === undefined) this.#floor = undefined;
    this.#fallback = policy === 'all' ? REPLAY_ALL : REPLAY_NEW;
    return this.#fallback;
  }
}
