import type { Readable } from 'node:stream';
import type { QueryNode } from './nodes.js';

/** A query ready to run: its SOQL text and the node tree it was compiled from. */
export interface CompiledQuery {
  readonly soql: string;
  readonly node: QueryNode;
}

/**
 * Per-call options passed through a bound builder's `execute()`, `first()`, `count()` and `stream()`
 * to its executor, untouched. This package knows only `signal`; the executor's package adds its own
 * options (auto-fetch, page caps, `queryAll`...) by declaration merging:
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

/**
 * What runs queries. `@forcekit/soql` never does I/O: a builder created with `from(name, executor)`
 * delegates every execution method to this interface, and `@forcekit/sobject` implements it on top of
 * `@forcekit/core`. A builder created without one throws a `SoqlBuildError` (`NOT_EXECUTABLE`) when
 * asked to run. Records are returned as the executor produces them; the builder's type parameters
 * describe their shape.
 */
export interface QueryExecutor {
  /** Run the query and resolve with its records; how many pages it follows is the executor's policy. */
  execute(query: CompiledQuery, options: QueryRunOptions): Promise<unknown[]>;
  /** Yield the query's records one by one, fetching further pages lazily (`for await`). */
  iterate(query: CompiledQuery, options: QueryRunOptions): AsyncIterable<unknown>;
  /** Run a `SELECT COUNT() ...` query and resolve with its `totalSize`. */
  count(query: CompiledQuery, options: QueryRunOptions): Promise<number>;
  /** The query's records as an object-mode Node stream, with backpressure. */
  stream(query: CompiledQuery, options: QueryRunOptions): Readable;
}
