import type { Readable } from 'node:stream';
import type { QueryNode } from './nodes.js';

/** A query ready to run: its SOQL text and the node tree it was compiled from. */
export interface CompiledQuery {
  readonly soql: string;
  readonly node: QueryNode;
}

/**
 * Per-call options passed through a bound builder's execution methods to its executor, untouched.
 * This package knows only `signal`; the executor's package adds its own options (auto-fetch, page caps,
 * `queryAll`...) by declaration merging:
 *
 * ```ts
 * declare module '@forcekit/soql' {
 *   interface QueryRunOptions { autoFetch?: boolean; maxFetch?: number }
 * }
 * ```
 */
export interface QueryRunOptions {
  /** Aborts the request(s) the executor makes. */
  signal?: AbortSignal;
}

/** Options of `update()` and `destroy()`; the executor's package adds its own by declaration merging. */
export interface QueryEditOptions {
  /** Aborts the request(s) the executor makes. */
  signal?: AbortSignal;
}

/** What `execute()` resolves to: the records of the first page, or of every page the executor followed. */
export interface QueryResult<R> {
  readonly records: R[];
  /** How many records the query matches in all. */
  readonly totalSize: number;
  /** True when `records` holds every matching record. */
  readonly done: boolean;
  /** Where the next page is, when `done` is false (the executor's locator). */
  readonly nextRecordsUrl?: string;
}

/** What `update()` does to each row: fields to set, or a function of the row that returns them. */
export type QueryRecordChange<Row, T = Row> =
  | Readonly<Partial<T>>
  /**
   * Return the fields to set; `null` or `false` leaves the row alone. An executor may also accept
   * `undefined` after the function assigned fields on the row (tracked records).
   */
  | ((row: Row) => Readonly<Partial<T>> | null | false | undefined);

/** One error of a per-record edit result. */
export interface QueryEditError {
  readonly statusCode: string;
  readonly message: string;
  readonly fields: readonly string[];
}

/** The outcome of editing one record in `update()` / `destroy()`. */
export interface QueryEditResult {
  readonly id: string | undefined;
  readonly success: boolean;
  readonly errors: readonly QueryEditError[];
}

/** What the `end` event of a run reports. */
export interface QueryRunSummary {
  /** How many records the query matches in all. */
  readonly totalSize: number;
  /** How many records were emitted. */
  readonly totalFetched: number;
}

/**
 * A run of a query in event style: listeners first, then `run(options)` starts it (events arrive
 * asynchronously, so listeners attached right after `run()` see everything too).
 */
export interface QueryEvents<R> {
  on(event: 'record', listener: (record: R, index: number) => void): this;
  on(event: 'page', listener: (page: QueryResult<R>) => void): this;
  on(event: 'end', listener: (summary: QueryRunSummary) => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
  run(options?: QueryRunOptions): this;
}

/** One plan of `explain()`. */
export interface QueryPlan {
  readonly cardinality: number;
  readonly fields: readonly string[];
  readonly leadingOperationType: string;
  readonly relativeCost: number;
  readonly sobjectCardinality: number;
  readonly sobjectType: string;
  readonly notes: readonly {
    readonly description: string;
    readonly fields: readonly string[];
    readonly tableEnumOrId: string;
  }[];
}

/** `explain()`: the plans Salesforce would consider for the query, cheapest first. */
export interface QueryExplanation {
  readonly plans: readonly QueryPlan[];
  readonly sourceQuery?: string;
}

/**
 * What runs queries. `@forcekit/soql` never does I/O: a builder created with `from(name, executor)`
 * delegates every execution method to this interface, and `@forcekit/sobject` implements it on top of
 * `@forcekit/core`. A builder created without one throws a `SoqlBuildError` (`NOT_EXECUTABLE`) when
 * asked to run. Records are returned as the executor produces them; the builder's type parameters
 * describe their shape.
 */
export interface QueryExecutor {
  /** Run the query: the first page, or more as the options say (`{ records, totalSize, done, nextRecordsUrl }`). */
  execute(query: CompiledQuery, options: QueryRunOptions): Promise<QueryResult<unknown>>;
  /** Yield the query's records one by one, fetching further pages lazily (`for await`). */
  iterate(query: CompiledQuery, options: QueryRunOptions): AsyncIterable<unknown>;
  /** Run a `SELECT COUNT() ...` query and resolve with its `totalSize`. */
  count(query: CompiledQuery, options: QueryRunOptions): Promise<number>;
  /** The query's records as an object-mode Node stream, with backpressure. */
  stream(query: CompiledQuery, options: QueryRunOptions): Readable;
  /** The query's records as a CSV text stream, header first. */
  csv(query: CompiledQuery, options: QueryRunOptions): Readable;
  /** A run of the query in event style, not started yet. */
  events(query: CompiledQuery): QueryEvents<unknown>;
  /** The query's plans. */
  explain(query: CompiledQuery, options: QueryRunOptions): Promise<QueryExplanation>;
  /** Update every record the query returns; one result per edited record, in query order. */
  update(
    query: CompiledQuery,
    change: QueryRecordChange<unknown, Record<string, unknown>>,
    options: QueryEditOptions,
  ): Promise<QueryEditResult[]>;
  /** Delete every record the query returns; one result per record, in query order. */
  destroy(query: CompiledQuery, options: QueryEditOptions): Promise<QueryEditResult[]>;
}
