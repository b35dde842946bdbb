import type { Readable } from 'node:stream';
import type { Requester } from '@forcekit/core';
import type {
  CompiledQuery,
  QueryEditOptions,
  QueryEditResult,
  QueryEvents,
  QueryExecutor,
  QueryExplanation,
  QueryRecordChange,
  QueryResult,
  QueryRunOptions,
} from '@forcekit/soql';
import type { CollectionOptions } from './collections.js';
import { Query, type QueryOptions } from './query.js';

declare module '@forcekit/soql' {
  /** The options `@forcekit/sobject` adds to every bound builder's `execute()`, `stream()`... */
  interface QueryRunOptions {
    /** See `QueryOptions.autoFetch`. */
    autoFetch?: boolean | undefined;
    /** See `QueryOptions.maxFetch`. */
    maxFetch?: number | undefined;
    /** See `QueryOptions.batchSize`. */
    batchSize?: number | undefined;
    /** See `QueryOptions.includeDeleted`. */
    includeDeleted?: boolean | undefined;
    /** See `QueryOptions.tracked`. */
    tracked?: boolean | undefined;
  }

  /** The options `@forcekit/sobject` adds to a bound builder's `update()` and `destroy()`. */
  interface QueryEditOptions {
    /** See `CollectionOptions.allOrNone`: all or none per request of 200, not across requests. */
    allOrNone?: boolean | undefined;
    /** See `CollectionOptions.concurrency`. */
    concurrency?: number | undefined;
  }
}

/**
 * Runs the soql package's builders over a `Requester`: every execution method of a bound builder
 * becomes a `Query` of the compiled SOQL. `defaults` apply to every run; a call's options win.
 */
export class SObjectQueryExecutor implements QueryExecutor {
  readonly #requester: Requester;
  readonly #defaults: QueryOptions;

  constructor(requester: Requester, defaults: QueryOptions = {}) {
    this.#requester = requester;
    this.#defaults = defaults;
  }

  /** The `Query` behind a compiled builder. */
  query<R>(compiled: CompiledQuery): Query<R> {
    return new Query<R>(this.#requester, compiled.soql, this.#defaults);
  }

  execute(compiled: CompiledQuery, options: QueryRunOptions): Promise<QueryResult<unknown>> {
    return this.query(compiled).execute(options as QueryOptions);
  }

  iterate(compiled: CompiledQuery, options: QueryRunOptions): AsyncIterable<unknown> {
    return this.query(compiled).records(options as QueryOptions);
  }

  count(compiled: CompiledQuery, options: QueryRunOptions): Promise<number> {
    return this.query(compiled).count(options as QueryOptions);
  }

  stream(compiled: CompiledQuery, options: QueryRunOptions): Readable {
    return this.query(compiled).stream(options as QueryOptions);
  }

  csv(compiled: CompiledQuery, options: QueryRunOptions): Readable {
    return this.query(compiled).toCSV(options as QueryOptions);
  }

  events(compiled: CompiledQuery): QueryEvents<unknown> {
    return this.query(compiled).events();
  }

  explain(compiled: CompiledQuery, options: QueryRunOptions): Promise<QueryExplanation> {
    return this.query(compiled).explain(options as QueryOptions);
  }

  update(
    compiled: CompiledQuery,
    change: QueryRecordChange<unknown, Record<string, unknown>>,
    options: QueryEditOptions,
  ): Promise<QueryEditResult[]> {
    return this.query(compiled).update(change, options as CollectionOptions);
  }

  destroy(compiled: CompiledQuery, options: QueryEditOptions): Promise<QueryEditResult[]> {
    return this.query(compiled).destroy(options as CollectionOptions);
  }
}
