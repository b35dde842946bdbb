import type { Readable } from 'node:stream';
import type {
  QueryEditOptions,
  QueryEditResult,
  QueryEvents,
  QueryExecutor,
  QueryExplanation,
  QueryRecordChange,
  QueryResult,
  QueryRunOptions,
  QueryRunSummary,
} from './executor.js';
import { createQueryBuilder } from './internal/query-builder.js';
import type { QueryNode } from './nodes.js';
import type {
  AddChild,
  AddSelect,
  CheckedConditions,
  CheckedHaving,
  ChildRecord,
  ChildRelationshipName,
  EmptySelection,
  GroupByInput,
  IncludeOptions,
  QueryRow,
  SelectInput,
  Selection,
  SoqlScope,
  SortInput,
  SortOptions,
  UntypedRecord,
  ValidGroupBy,
  ValidSelect,
  ValidSort,
} from './types.js';

/**
 * An immutable SOQL query. Every method returns a new builder, so a base query can be branched
 * (`base.limit(10)`, `base.sort('Name')`) without either branch seeing the other's changes.
 * `toSOQL()` needs no connection. Builders are not thenable: a builder bound to a `QueryExecutor`
 * runs with `execute()`, `first()`, `count()`, `stream()`, `toCSV()`, `run()` or `for await`, and edits
 * what it matches with `update()` / `destroy()`; an unbound one rejects
 * those with a `SoqlBuildError` (`NOT_EXECUTABLE`).
 *
 * `T` is the record schema (`UntypedRecord` when untyped); `S` tracks what has been selected, from
 * which `QueryRow<T, S>` (the row type) is derived.
 */
export interface QueryBuilder<
  in out T extends object = UntypedRecord,
  in out S extends Selection = EmptySelection,
> {
  /** The object queried (`FROM` clause). */
  readonly objectName: string;

  /** `where(conditions)` plus `select(fields)`, in one call. */
  find<const C, const F extends SelectInput<T> = never>(
    conditions?: CheckedConditions<T, C> | null,
    fields?: F & ValidSelect<T, F>,
  ): QueryBuilder<T, AddSelect<S, F>>;

  /**
   * Add fields to the select list: `['Id', 'Owner.Name']`, `'Id, Owner.Name'`, `{ Id: 1 }`, and
   * aggregates (`'COUNT()'`, `'SUM(Amount) total'`). Repeats are dropped. No select means `SELECT Id`.
   */
  select<const F extends SelectInput<T>>(fields: F & ValidSelect<T, F>): QueryBuilder<T, AddSelect<S, F>>;

  /** Add conditions, ANDed with any earlier ones. */
  where<const C>(conditions: CheckedConditions<T, C>): QueryBuilder<T, S>;

  /**
   * Append ORDER BY keys: `'-CreatedDate Name'`, `{ CreatedDate: -1, Name: 'asc' }` or
   * `[['CreatedDate', 'desc', 'last']]`; `options.nulls` sets NULLS FIRST/LAST.
   */
  sort<const X extends SortInput<T>>(spec: X & ValidSort<T, X>, options?: SortOptions): QueryBuilder<T, S>;

  /** LIMIT: a non-negative integer. */
  limit(count: number): QueryBuilder<T, S>;
  /** OFFSET: a non-negative integer, at most 2000. */
  skip(count: number): QueryBuilder<T, S>;
  /** Same as `skip`. */
  offset(count: number): QueryBuilder<T, S>;

  /**
   * Add a child-relationship subquery, `(SELECT ... FROM Contacts WHERE ... ORDER BY ... LIMIT n)`.
   * Including the same relationship again replaces it.
   */
  include<
    const K extends ChildRelationshipName<T>,
    const C,
    const F extends SelectInput<ChildRecord<T, K>> = never,
  >(
    relationship: K,
    conditions?: CheckedConditions<ChildRecord<T, K>, C> | null,
    fields?: F & ValidSelect<ChildRecord<T, K>, F>,
    options?: IncludeOptions<ChildRecord<T, K>>,
  ): QueryBuilder<T, AddChild<S, K, QueryRow<ChildRecord<T, K>, AddSelect<EmptySelection, F>>>>;

  /** Append GROUP BY fields. */
  groupBy<const G extends GroupByInput<T>>(fields: G & ValidGroupBy<T, G>): QueryBuilder<T, S>;
  /** Add HAVING conditions (ANDed); keys are grouped fields or aggregate calls like `'SUM(Amount)'`. */
  having<const C>(conditions: CheckedHaving<T, C>): QueryBuilder<T, S>;

  /** `USING SCOPE scope`. */
  scope(scope: SoqlScope): QueryBuilder<T, S>;
  /** `WITH SECURITY_ENFORCED` (replaces any other WITH access clause). */
  withSecurityEnforced(): QueryBuilder<T, S>;
  /** `WITH USER_MODE`: run with the user's sharing, field- and object-level security. */
  withUserMode(): QueryBuilder<T, S>;
  /** `WITH SYSTEM_MODE`. */
  withSystemMode(): QueryBuilder<T, S>;
  /** `FOR VIEW`: update the records' last-viewed date. */
  forView(): QueryBuilder<T, S>;
  /** `FOR REFERENCE`: update the records' last-referenced date. */
  forReference(): QueryBuilder<T, S>;
  /** `FOR UPDATE`: lock the selected records. */
  forUpdate(): QueryBuilder<T, S>;

  /** The query's node tree (frozen). */
  toNode(): QueryNode;
  /** The SOQL text. Pure: no connection needed. */
  toSOQL(): string;

  /**
   * Run the query through the bound executor: `{ records, totalSize, done, nextRecordsUrl }` of the first
   * page, or of more pages as the executor's options say (`autoFetch`, `maxFetch` with `@forcekit/sobject`).
   */
  execute(options?: QueryRunOptions): Promise<QueryResult<QueryRow<T, S>>>;
  /** Run the query with `LIMIT 1` and resolve with the row, or `undefined` when none matched. */
  first(options?: QueryRunOptions): Promise<QueryRow<T, S> | undefined>;
  /** Run `SELECT COUNT()` with the same FROM, scope, WHERE and WITH, and resolve with the count. */
  count(options?: QueryRunOptions): Promise<number>;
  /** The rows as an object-mode Node stream, with backpressure. */
  stream(options?: QueryRunOptions): Readable;
  /** The rows as a CSV text stream, header first (parent fields flattened as `Account.Name`). */
  toCSV(options?: QueryRunOptions): Readable;
  /**
   * Event style: `query.on('record', ...).on('end', ...).on('error', ...).run(options)`. Returns the run,
   * which starts when its `run()` is called.
   */
  on(event: 'record', listener: (record: QueryRow<T, S>, index: number) => void): QueryEvents<QueryRow<T, S>>;
  on(event: 'page', listener: (page: QueryResult<QueryRow<T, S>>) => void): QueryEvents<QueryRow<T, S>>;
  on(event: 'end', listener: (summary: QueryRunSummary) => void): QueryEvents<QueryRow<T, S>>;
  on(event: 'error', listener: (error: Error) => void): QueryEvents<QueryRow<T, S>>;
  /** Start a run in event style (attach listeners to what it returns). */
  run(options?: QueryRunOptions): QueryEvents<QueryRow<T, S>>;
  /** The query plans the server would consider. */
  explain(options?: QueryRunOptions): Promise<QueryExplanation>;
  /**
   * Update every record the query returns with `change` (fields to set, or a function of the row that
   * returns them); one result per edited record, in query order.
   */
  update(
    change: QueryRecordChange<QueryRow<T, S>, T>,
    options?: QueryEditOptions,
  ): Promise<QueryEditResult[]>;
  /** Delete every record the query returns; one result per record, in query order. */
  destroy(options?: QueryEditOptions): Promise<QueryEditResult[]>;
  /** `for await (const row of query)`: rows one by one, pages fetched lazily. */
  [Symbol.asyncIterator](): AsyncIterator<QueryRow<T, S>>;
}

/**
 * Start a query on `objectName`. Without `executor` the builder only compiles (`toSOQL()`); with one
 * (this is how `@forcekit/sobject` creates its builders) it can also run.
 *
 * ```ts
 * from('Account').find({ Name: { $like: 'A%' } }, ['Id', 'Name']).sort('-CreatedDate').limit(10).toSOQL();
 * from<Account>('Account').select(['Id', 'Owner.Name']); // typed: fields and values checked
 * ```
 */
export function from<T extends object = UntypedRecord>(
  objectName: string,
  executor?: QueryExecutor,
): QueryBuilder<T> {
  return createQueryBuilder(objectName, executor) as unknown as QueryBuilder<T>;
}
