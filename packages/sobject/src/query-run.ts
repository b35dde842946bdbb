import { EventEmitter } from 'node:events';
import { ConfigurationError } from '@forcekit/core';
import type { QueryEvents, QueryResult, QueryRunSummary } from '@forcekit/soql';
import type { QueryOptions } from './query.js';

/** How a run starts: the package's query gives it an async iterator of records and tells it each page. */
export type QueryRunStarter<R> = (
  options: QueryOptions | undefined,
  onPage: (page: QueryResult<R>) => void,
) => AsyncIterator<R>;

/**
 * One run of a query in the event style of the `node-salesforce` seed:
 *
 * ```ts
 * query(client, 'SELECT Id, Name FROM Account')
 *   .on('record', (record, index) => ...)
 *   .on('end', ({ totalSize, totalFetched }) => ...)
 *   .on('error', (error) => ...)
 *   .run({ autoFetch: true, maxFetch: 4000 });
 * ```
 *
 * Records are emitted as pages arrive (the next page is fetched while one is emitted). As with any
 * EventEmitter, an `error` with no listener is thrown (an unhandled rejection): attach one.
 */
export class QueryRun<R> implements QueryEvents<R> {
  readonly #emitter = new EventEmitter();
  readonly #start: QueryRunStarter<R>;
  #iterator: AsyncIterator<R> | undefined;
  #totalSize: number | undefined;
  #totalFetched = 0;
  #ended = false;

  constructor(start: QueryRunStarter<R>) {
    this.#start = start;
  }

  /** How many records the query matches, once the first page arrived. */
  get totalSize(): number | undefined {
    return this.#totalSize;
  }

  /** How many records were emitted so far. */
  get totalFetched(): number {
    return this.#totalFetched;
  }

  /** True once `run()` was called. */
  get started(): boolean {
    return this.#iterator !== undefined;
  }

  on(event: 'record', listener: (record: R, index: number) => void): this;
  on(event: 'page', listener: (page: QueryResult<R>) => void): this;
  on(event: 'end', listener: (summary: QueryRunSummary) => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
  on(event: 'record' | 'page' | 'end' | 'error', listener: (...args: never[]) => void): this {
    this.#emitter.on(event, listener as (...args: unknown[]) => void);
    return this;
  }

  once(event: 'record', listener: (record: R, index: number) => void): this;
  once(event: 'page', listener: (page: QueryResult<R>) => void): this;
  once(event: 'end', listener: (summary: QueryRunSummary) => void): this;
  once(event: 'error', listener: (error: Error) => void): this;
  once(event: 'record' | 'page' | 'end' | 'error', listener: (...args: never[]) => void): this {
    this.#emitter.once(event, listener as (...args: unknown[]) => void);
    return this;
  }

  off(event: 'record' | 'page' | 'end' | 'error', listener: (...args: never[]) => void): this {
    this.#emitter.off(event, listener as (...args: unknown[]) => void);
    return this;
  }

  /**
   * Starts the run (once). Events come later, asynchronously, so listeners may also be attached after
   * `run()` in the same tick.
   */
  run(options?: QueryOptions): this {
    if (this.#iterator !== undefined) {
      throw new ConfigurationError(
        [{ field: 'run', message: 'this run has already started: start another with query.run()' }],
        'query run',
      );
    }
    let iterator: AsyncIterator<R>;
    try {
      iterator = this.#start(options, (page) => {
        this.#totalSize = page.totalSize;
        this.#emitter.emit('page', page);
      });
    } catch (error) {
      // Bad options: reported like any other failure, after the caller had a chance to listen.
      this.#iterator = { next: () => Promise.reject(error) };
      queueMicrotask(() => this.#fail(error));
      return this;
    }
    this.#iterator = iterator;
    void this.#pump(iterator);
    return this;
  }

  /** Stops the run: no more records are emitted; `end` follows. */
  cancel(): void {
    if (this.#ended) return;
    void this.#iterator?.return?.();
    this.#end();
  }

  async #pump(iterator: AsyncIterator<R>): Promise<void> {
    try {
      for (;;) {
        const step = await iterator.next();
        if (step.done || this.#ended) break;
        this.#emitter.emit('record', step.value, this.#totalFetched++);
      }
    } catch (error) {
      this.#fail(error);
      return;
    }
    this.#end();
  }

  #fail(error: unknown): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#emitter.emit('error', error instanceof Error ? error : new Error(String(error)));
  }

  #end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#emitter.emit('end', {
      totalSize: this.#totalSize ?? this.#totalFetched,
      totalFetched: this.#totalFetched,
    });
  }
}
