/**
 * The org's notion of "now". It follows the real clock, and tests can move it forward
 * (`org.clock.advance(ms)`) to expire sessions, authorization codes or query locators without waiting.
 */
export class Clock {
  #offsetMs = 0;

  /** Milliseconds since the epoch, as the org sees them. */
  now(): number {
    return Date.now() + this.#offsetMs;
  }

  date(): Date {
    return new Date(this.now());
  }

  /** Moves the org's time forward (never backward: records and sessions assume time only grows). */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advance(ms) needs a finite ms >= 0, got ${ms}`);
    this.#offsetMs += ms;
  }
}
