import { fetchFirstPage, fetchPageAt, type PageSource, preparePage, type RawPage } from './pages.js';

const noop = (): void => {};

/**
 * The pages of one query run, read in order with one page of prefetch: when a page is handed out, the
 * request for the page after it starts, so the network works while the caller consumes; the page after
 * that is requested only when the caller asks for the next one. At most one request is in flight, and at
 * most two pages are held. `close()` aborts the request in flight.
 */
export class PageCursor {
  readonly #source: PageSource;
  readonly #controller = new AbortController();
  #pending: Promise<RawPage> | undefined;
  /** The next page's URL when it was not prefetched. */
  #next: string | undefined;
  #started = false;
  #finished = false;

  /** `from`: a `nextRecordsUrl` to start at instead of running the query. */
  constructor(source: PageSource, from?: string) {
    const signal =
      source.signal === undefined
        ? this.#controller.signal
        : AbortSignal.any([source.signal, this.#controller.signal]);
    this.#source = { ...source, signal };
    if (from !== undefined) {
      this.#started = true;
      this.#pending = this.#load(from);
    }
  }

  /**
   * The next page, ready to read (children complete, records tracked), or undefined after the last.
   * `prefetch` decides, once the page is here, whether to request the one after it now (default yes).
   */
  async next(prefetch?: (page: RawPage) => boolean): Promise<RawPage | undefined> {
    if (this.#finished) return undefined;
    let pending = this.#pending;
    if (pending === undefined) {
      if (this.#next !== undefined) {
        pending = this.#load(this.#next);
        this.#next = undefined;
      } else if (this.#started) {
        return undefined;
      } else {
        this.#started = true;
        pending = this.#load(undefined);
      }
    }
    this.#pending = undefined;
    let page: RawPage;
    try {
      page = await pending;
    } catch (error) {
      this.#finished = true;
      throw error;
    }
    if (page.done || typeof page.nextRecordsUrl !== 'string') {
      this.#finished = true;
    } else if (prefetch === undefined || prefetch(page)) {
      this.#pending = this.#load(page.nextRecordsUrl);
    } else {
      this.#next = page.nextRecordsUrl;
    }
    return page;
  }

  /** Stops: aborts the prefetch in flight, if any. Safe to call more than once. */
  close(): void {
    this.#finished = true;
    if (this.#pending !== undefined) {
      this.#pending = undefined;
      this.#controller.abort();
    }
  }

  #load(url: string | undefined): Promise<RawPage> {
    const source = this.#source;
    const loading = (url === undefined ? fetchFirstPage(source) : fetchPageAt(source, url)).then((page) =>
      preparePage(source, page),
    );
    // A prefetch may fail before anyone awaits it (or never be awaited after close()): not unhandled.
    loading.catch(noop);
    return loading;
  }
}

export interface RecordIteratorOptions {
  /** The most records to hand out. Default: all. */
  readonly limit?: number | undefined;
  /** Stop after the first page (`run()` without `autoFetch`). */
  readonly firstPageOnly?: boolean | undefined;
  /** Called with each page as it arrives, before its records are handed out. */
  readonly onPage?: ((page: RawPage) => void) | undefined;
}

/**
 * Records one by one over a `PageCursor`, at most `limit` of them. `next()` answers from the current page
 * without touching the network; a record handed out is dropped from the page, so consumed records can
 * be collected while the rest of the page is still held.
 */
export class RecordIterator<R> implements AsyncIterableIterator<R> {
  readonly #cursor: PageCursor;
  #records: unknown[] = [];
  #index = 0;
  #remaining: number;
  #done = false;
  readonly #firstPageOnly: boolean;
  readonly #onPage: ((page: RawPage) => void) | undefined;

  constructor(cursor: PageCursor, options: RecordIteratorOptions = {}) {
    this.#cursor = cursor;
    this.#remaining = options.limit ?? Number.POSITIVE_INFINITY;
    this.#firstPageOnly = options.firstPageOnly === true;
    this.#onPage = options.onPage;
  }

  next(): Promise<IteratorResult<R>> {
    if (this.#index < this.#records.length && this.#remaining > 0) {
      this.#remaining--;
      const value = this.#records[this.#index] as R;
      this.#records[this.#index++] = undefined;
      return Promise.resolve({ value, done: false });
    }
    return this.#nextPage();
  }

  async #nextPage(): Promise<IteratorResult<R>> {
    while (!this.#done && this.#remaining > 0) {
      let page: RawPage | undefined;
      try {
        const wanted = this.#remaining;
        page = await this.#cursor.next((arrived) => !this.#firstPageOnly && arrived.records.length < wanted);
      } catch (error) {
        this.#finish();
        throw error;
      }
      if (page === undefined) break;
      if (this.#firstPageOnly) this.#cursor.close();
      this.#onPage?.(page);
      this.#records = page.records;
      this.#index = 0;
      if (this.#records.length > 0) return this.next();
    }
    this.#finish();
    return { value: undefined, done: true };
  }

  return(): Promise<IteratorResult<R>> {
    this.#finish();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  #finish(): void {
    this.#done = true;
    this.#records = [];
    this.#cursor.close();
  }
}
