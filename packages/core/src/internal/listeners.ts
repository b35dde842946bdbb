/** A tiny typed event registry: `on` returns the function that removes the listener. */
export class Listeners<Events> {
  readonly #byName = new Map<keyof Events, Set<(event: never) => void>>();
  readonly #onListenerError: (error: unknown) => void;

  constructor(onListenerError: (error: unknown) => void) {
    this.#onListenerError = onListenerError;
  }

  on<K extends keyof Events>(name: K, listener: (event: Events[K]) => void): () => void {
    let set = this.#byName.get(name);
    if (set === undefined) {
      set = new Set();
      this.#byName.set(name, set);
    }
    set.add(listener as (event: never) => void);
    return () => this.off(name, listener);
  }

  off<K extends keyof Events>(name: K, listener: (event: Events[K]) => void): void {
    this.#byName.get(name)?.delete(listener as (event: never) => void);
  }

  /** Calls every listener; one that throws is reported and does not stop the others or the caller. */
  emit<K extends keyof Events>(name: K, event: Events[K]): void {
    const set = this.#byName.get(name);
    if (set === undefined) return;
    for (const listener of set) {
      try {
        (listener as (event: Events[K]) => void)(event);
      } catch (error) {
        this.#onListenerError(error);
      }
    }
  }
}
