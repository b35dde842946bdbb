import { type IdFactory, KEY_PREFIXES } from '../ids.js';
import type { QueryResultSet } from '../soql/index.js';

/** Salesforce keeps a query cursor about 15 minutes after its last use. */
export const DEFAULT_QUERY_LOCATOR_IDLE_MS = 15 * 60_000;
/** A user may have this many query cursors open; opening another releases the oldest. */
export const DEFAULT_MAX_OPEN_CURSORS = 10;
/** Child-subquery cursors are capped separately (one page of parents may open hundreds). */
const MAX_CHILD_CURSORS = 10_000;

export interface QueryCursorOptions {
  readonly idleMs?: number;
  readonly maxOpenPerUser?: number;
}

export interface QueryCursor {
  readonly locator: string;
  readonly result: QueryResultSet;
  readonly userId: string;
  readonly pageSize: number;
  /** True for the rest of a child subquery result. */
  readonly child: boolean;
  lastUsed: number;
}

/**
 * Open query locators (`01g...`): the evaluated result behind a `nextRecordsUrl`, so the next page is a
 * slice of it. A cursor expires after an idle time; each user has a cap of open top-level cursors, and
 * opening one more releases that user's least recently used one.
 */
export class QueryCursors {
  readonly #ids: IdFactory;
  readonly #now: () => number;
  readonly idleMs: number;
  readonly maxOpenPerUser: number;
  /** Insertion/use order: the Map's first entry is the least recently used. */
  readonly #cursors = new Map<string, QueryCursor>();
  #childCount = 0;

  constructor(ids: IdFactory, now: () => number, options: QueryCursorOptions = {}) {
    this.#ids = ids;
    this.#now = now;
    this.idleMs = options.idleMs ?? DEFAULT_QUERY_LOCATOR_IDLE_MS;
    this.maxOpenPerUser = options.maxOpenPerUser ?? DEFAULT_MAX_OPEN_CURSORS;
    if (!(this.idleMs > 0)) throw new RangeError(`queryLocatorIdleMs must be > 0, got ${this.idleMs}`);
    if (!(this.maxOpenPerUser >= 1))
      throw new RangeError(`maxQueryCursors must be >= 1, got ${this.maxOpenPerUser}`);
  }

  /** Registers a result and returns its locator (`01g` + 15 characters). */
  open(result: QueryResultSet, userId: string, pageSize: number, child = false): string {
    this.#sweep();
    const locator = this.#ids.next(KEY_PREFIXES.QueryLocator);
    this.#cursors.set(locator, { locator, result, userId, pageSize, child, lastUsed: this.#now() });
    if (child) {
      this.#childCount++;
      if (this.#childCount > MAX_CHILD_CURSORS) this.#evictOldest((c) => c.child);
    } else {
      let open = 0;
      for (const cursor of this.#cursors.values()) if (!cursor.child && cursor.userId === userId) open++;
      while (open > this.maxOpenPerUser) {
        this.#evictOldest((c) => !c.child && c.userId === userId);
        open--;
      }
    }
    return locator;
  }

  /** The cursor behind a locator, if it is still open for this user; marks it used. */
  use(locator: string, userId: string): QueryCursor | undefined {
    const cursor = this.#cursors.get(locator);
    if (cursor === undefined) return undefined;
    if (this.#now() - cursor.lastUsed > this.idleMs || cursor.userId !== userId) {
      if (cursor.userId === userId) this.#delete(cursor);
      return undefined;
    }
    cursor.lastUsed = this.#now();
    // Move to the end: the Map order is least-recently-used first.
    this.#cursors.delete(locator);
    this.#cursors.set(locator, cursor);
    return cursor;
  }

  /** Releases a cursor whose last page was served. */
  close(locator: string): void {
    const cursor = this.#cursors.get(locator);
    if (cursor !== undefined) this.#delete(cursor);
  }

  /** Open cursors (for tests and the measurement script). */
  get size(): number {
    return this.#cursors.size;
  }

  clear(): void {
    this.#cursors.clear();
    this.#childCount = 0;
  }

  #delete(cursor: QueryCursor): void {
    this.#cursors.delete(cursor.locator);
    if (cursor.child) this.#childCount--;
  }

  #evictOldest(matches: (cursor: QueryCursor) => boolean): void {
    for (const cursor of this.#cursors.values()) {
      if (matches(cursor)) {
        this.#delete(cursor);
        return;
      }
    }
  }

  /** Drops expired cursors; cheap because the Map is in last-use order. */
  #sweep(): void {
    const now = this.#now();
    for (const cursor of this.#cursors.values()) {
      if (now - cursor.lastUsed <= this.idleMs) break;
      this.#delete(cursor);
    }
  }
}
