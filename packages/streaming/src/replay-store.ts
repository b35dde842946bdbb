/**
 * Where a subscription keeps the replay id of the last event it delivered, per channel, so that a new
 * subscription (in this process or the next) resumes right after it. `set` is called after each event
 * is delivered, and the next event waits for it: a store that resolves `set` only once the id is
 * durable gives "resume exactly after the last delivered event" across a crash.
 *
 * One store serves one org and one consumer: two processes sharing a store would overwrite each
 * other's positions. Implement it over Redis, a database row, or anything else; the memory and file
 * stores are included.
 */
export interface ReplayStore {
  /** The last delivered replay id of `channel`, or undefined when none is stored. */
  get(channel: string): number | undefined | Promise<number | undefined>;
  /** Records `replayId` as the last delivered event of `channel`. */
  set(channel: string, replayId: number): void | Promise<void>;
  /** Forgets `channel`, so the next subscription starts from its `replay` option. */
  delete(channel: string): void | Promise<void>;
}

/** A replay store in memory: positions survive re-subscriptions and reconnections, not a restart. */
export class MemoryReplayStore implements ReplayStore {
  readonly #ids = new Map<string, number>();

  get(channel: string): number | undefined {
    return this.#ids.get(channel);
  }

  set(channel: string, replayId: number): void {
    this.#ids.set(channel, replayId);
  }

  delete(channel: string): void {
    this.#ids.delete(channel);
  }

  /** Every stored position, by channel. */
  entries(): ReadonlyMap<string, number> {
    return new Map(this.#ids);
  }
}
