/** One request the org answered (control routes are not logged). */
export interface LoggedRequest {
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  /** The query string, without `?`; empty when none. Secret parameters (`oauth_token`, `code`...) read `REDACTED`. */
  readonly query: string;
  /** The status sent; null when the connection was dropped before a status line. */
  readonly status: number | null;
  /** The caller, for authenticated requests. */
  readonly userId: string | undefined;
  /** When the request arrived, org time (epoch ms). */
  readonly at: number;
}

/**
 * The most recent requests the org answered, oldest first, so a test can assert what a client did
 * ("retried twice", "refreshed once, then replayed the call") rather than only what it returned.
 */
export class RequestLog {
  readonly #capacity: number;
  #entries: LoggedRequest[] = [];

  constructor(capacity = 10_000) {
    this.#capacity = capacity;
  }

  record(entry: LoggedRequest): void {
    this.#entries.push(entry);
    // Trim in batches so a long run stays O(1) per request on average.
    if (this.#entries.length > this.#capacity * 1.5) this.#entries = this.#entries.slice(-this.#capacity);
  }

  /** The logged requests, oldest first, optionally only those matching a method and path filter. */
  entries(filter: { method?: string; path?: string | RegExp } = {}): LoggedRequest[] {
    const method = filter.method?.toUpperCase();
    const path = filter.path;
    return this.#entries.slice(-this.#capacity).filter((entry) => {
      if (method !== undefined && entry.method !== method) return false;
      if (path === undefined) return true;
      return typeof path === 'string' ? entry.path === path : path.test(entry.path);
    });
  }

  clear(): void {
    this.#entries = [];
  }
}
