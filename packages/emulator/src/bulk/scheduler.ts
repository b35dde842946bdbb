/**
 * The timers behind asynchronous bulk processing. `pause()` holds every job where it stands until
 * `resume()`, and `clear()` (on `org.reset()`) drops whatever is pending.
 */
export class BulkScheduler {
  #paused = false;
  #generation = 0;
  readonly #held: Array<() => void> = [];
  readonly #timers = new Set<NodeJS.Timeout | NodeJS.Immediate>();

  get paused(): boolean {
    return this.#paused;
  }

  /** Runs `work` after `ms` (0: on the next turn of the event loop), or when resumed if paused then. */
  after(ms: number, work: () => void): void {
    const generation = this.#generation;
    const fire = () => {
      this.#timers.delete(timer);
      if (generation !== this.#generation) return;
      if (this.#paused) this.#held.push(work);
      else work();
    };
    // Timeouts are unref'd so a test process can exit while a job waits. Immediates stay ref'd: an
    // unref'd immediate lets the event loop block in its poll phase until other I/O or a timer wakes
    // it, which would stretch each processing step to the next client poll.
    const timer = ms > 0 ? setTimeout(fire, ms).unref() : setImmediate(fire);
    this.#timers.add(timer);
  }

  pause(): void {
    this.#paused = true;
  }

  resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    const held = this.#held.splice(0);
    for (const work of held) this.after(0, work);
  }

  clear(): void {
    this.#generation += 1;
    this.#held.length = 0;
    for (const timer of this.#timers) {
      clearTimeout(timer as NodeJS.Timeout);
      clearImmediate(timer as NodeJS.Immediate);
    }
    this.#timers.clear();
  }
}
