/** Where the org's clock starts and whether it runs. */
export interface ClockOptions {
  /**
   * The org's time when it starts (a `Date`, epoch ms or an ISO string): a test that depends on the
   * date (`CreatedDate`, `TODAY`, `LAST_N_DAYS:7`) runs on the same date every time. Default: now.
   */
  readonly start?: Date | number | string;
  /** Start stopped: the time stays `start` until `advance()`, `set()` or `resume()`. Default false. */
  readonly frozen?: boolean;
}

/**
 * The org's notion of "now". It runs at the real clock's pace from where it started, and tests move
 * it forward (`advance(ms)`, `set(time)`) to expire sessions, authorization codes or query locators
 * without waiting, or stop it (`freeze()`) so every record of a test gets the same time. It never goes
 * back: records, sessions and events assume time only grows.
 */
export class Clock {
  #offsetMs = 0;
  /** The stopped time while frozen. */
  #frozenAt: number | undefined;

  constructor(options: ClockOptions = {}) {
    const start = options.start === undefined ? Date.now() : toEpochMs(options.start, 'clock.start');
    if (options.frozen === true) this.#frozenAt = start;
    else this.#offsetMs = start - Date.now();
  }

  /** Milliseconds since the epoch, as the org sees them. */
  now(): number {
    return this.#frozenAt ?? Date.now() + this.#offsetMs;
  }

  date(): Date {
    return new Date(this.now());
  }

  /** True while the clock is stopped. */
  get frozen(): boolean {
    return this.#frozenAt !== undefined;
  }

  /** Moves the org's time forward (never backward). A frozen clock stays frozen, at the later time. */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advance(ms) needs a finite ms >= 0, got ${ms}`);
    if (this.#frozenAt !== undefined) this.#frozenAt += ms;
    else this.#offsetMs += ms;
  }

  /** Moves the org's time forward to `time` (a `Date`, epoch ms or an ISO string). */
  set(time: Date | number | string): void {
    const target = toEpochMs(time, 'set(time)');
    const now = this.now();
    if (target < now) {
      throw new RangeError(
        `set(time): the org's clock only moves forward; ${new Date(target).toISOString()} is before ${new Date(now).toISOString()}`,
      );
    }
    this.advance(target - now);
  }

  /** Stops the clock at the current time: `now()` stays put until `advance()`, `set()` or `resume()`. */
  freeze(): void {
    this.#frozenAt ??= this.now();
  }

  /** Lets a frozen clock run again from where it stopped. */
  resume(): void {
    if (this.#frozenAt === undefined) return;
    this.#offsetMs = this.#frozenAt - Date.now();
    this.#frozenAt = undefined;
  }
}

function toEpochMs(time: Date | number | string, what: string): number {
  const ms = time instanceof Date ? time.getTime() : typeof time === 'number' ? time : Date.parse(time);
  if (!Number.isFinite(ms)) throw new TypeError(`${what}: not a time: ${String(time)}`);
  return ms;
}
