/** A waiter in line for a slot. */
interface Waiter {
  resolve(): void;
  reject(reason: unknown): void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

/**
 * A counting semaphore for the concurrency limit. `tryAcquire()` is the allocation-free fast path the
 * transport takes first; only a request that has to wait pays for a promise.
 */
export class Semaphore {
  readonly #max: number;
  #active = 0;
  readonly #queue: Waiter[] = [];

  constructor(max: number) {
    this.#max = max;
  }

  get active(): number {
    return this.#active;
  }

  get waiting(): number {
    return this.#queue.length;
  }

  tryAcquire(): boolean {
    if (this.#active >= this.#max) return false;
    this.#active++;
    return true;
  }

  /** Waits for a slot; rejects with the signal's reason if it aborts first. */
  acquire(signal?: AbortSignal): Promise<void> {
    if (this.tryAcquire()) return Promise.resolve();
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, signal, onAbort: undefined };
      if (signal !== undefined) {
        waiter.onAbort = () => {
          const index = this.#queue.indexOf(waiter);
          if (index !== -1) this.#queue.splice(index, 1);
          reject(signal.reason);
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.#queue.push(waiter);
    });
  }

  /** Frees a slot, handing it straight to the next waiter if there is one. */
  release(): void {
    const next = this.#queue.shift();
    if (next === undefined) {
      this.#active--;
      return;
    }
    if (next.onAbort !== undefined) next.signal?.removeEventListener('abort', next.onAbort);
    next.resolve();
  }
}
