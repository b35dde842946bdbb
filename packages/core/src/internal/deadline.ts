/**
 * The reason a request's signal carries when its total timeout ran out. The transport recognises it and
 * reports a `TimeoutError` (kind `'total'`) rather than an `AbortError`.
 */
export class DeadlineExceeded {
  readonly ms: number;

  constructor(ms: number) {
    this.ms = ms;
  }
}

/**
 * One request's total timeout: a single timer for the whole call (waiting for a slot, every attempt,
 * every backoff, a session refresh), and one signal that aborts when the timer fires or when the
 * caller's own signal does, whichever comes first.
 */
export class Deadline {
  readonly ms: number;
  readonly signal: AbortSignal;
  readonly #endsAt: number;
  readonly #timer: ReturnType<typeof setTimeout>;
  readonly #parent: AbortSignal | undefined;
  readonly #onParentAbort: () => void;

  constructor(ms: number, parent: AbortSignal | undefined) {
    const controller = new AbortController();
    this.ms = ms;
    this.signal = controller.signal;
    this.#endsAt = performance.now() + ms;
    this.#parent = parent;
    this.#onParentAbort = () => controller.abort(parent?.reason);
    if (parent?.aborted) controller.abort(parent.reason);
    else parent?.addEventListener('abort', this.#onParentAbort, { once: true });
    this.#timer = setTimeout(() => controller.abort(new DeadlineExceeded(ms)), ms);
    // The request itself keeps the process alive while it runs; the timer alone should not.
    this.#timer.unref();
  }

  /** Milliseconds left before the deadline (negative once it has passed). */
  remaining(): number {
    return this.#endsAt - performance.now();
  }

  /** Stops the timer and lets go of the caller's signal: call once the request is over. */
  clear(): void {
    clearTimeout(this.#timer);
    this.#parent?.removeEventListener('abort', this.#onParentAbort);
  }
}
