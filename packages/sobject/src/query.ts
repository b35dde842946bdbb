import { Readable } from 'node:stream';
import { ConfigurationError, type Requester } from '@forcekit/core';
import type { QueryExplanation, QueryResult, QueryRunSummary, UntypedRecord } from '@forcekit/soql';
import {
  type CollectionOptions,
  deleteMany,
  markSaved,
  PartialSaveError,
  type SaveError,
  type SaveItem,
  type SaveResult,
  updateMany,
} from './collections.js';
import { CsvWriter } from './internal/csv.js';
import { PageCursor, RecordIterator } from './internal/cursor.js';
import { hasSubquery, type PageSource, type RawPage } from './internal/pages.js';
import { collectionOptionsSchema, parseOptions, queryOptionsSchema } from './internal/validate.js';
import { QueryRun } from './query-run.js';
import { changedFields, recordIdOf, sobjectTypeOf } from './records.js';

/** Options of a query run; set them when creating the query, or per call (the call's win). */
export interface QueryOptions {
  /**
   * `execute()` and `run()`: follow `nextRecordsUrl` until done or `maxFetch` records are held. Default
   * false: the first page only. (`for await`, `stream()` and `toCSV()` always read every page.)
   */
  readonly autoFetch?: boolean | undefined;
  /**
   * The most records a call returns or emits. The last page fetched is cut at this count; its records
   * past it are not returned, and `nextRecordsUrl` points at the page after it. Default 10000 for
   * `execute()` and `run()`, no limit for `for await`, `stream()` and `toCSV()`.
   */
  readonly maxFetch?: number | undefined;
  /**
   * Records per page, 200 to 2000, sent as `Sforce-Query-Options: batchSize=n`. Salesforce may send fewer
   * (wide rows). Default: Salesforce's (2000).
   */
  readonly batchSize?: number | undefined;
  /** Query with `queryAll`: deleted and archived records too. Default false. */
  readonly includeDeleted?: boolean | undefined;
  /**
   * Return tracked records (see `records.ts`), which remember which fields were assigned so that
   * `update(record)` sends only those; false returns the plain objects Salesforce sent. Default: true
   * where records are collected and returned (`execute()`, `first()`, `run()`), false where they are
   * handed out one at a time and dropped (`for await`, `records()`, `pages()`, `stream()`, `toCSV()`):
   * a tracked record is a `Proxy`, and on those paths it costs 5-10% of the throughput (docs/benchmarks.md).
   */
  readonly tracked?: boolean | undefined;
  readonly signal?: AbortSignal | undefined;
}

/** What a bulk edit does to each record: fields to set, or a function returning them. */
export type RecordChange<R> =
  | Readonly<Partial<R>>
  | Readonly<Record<string, unknown>>
  /**
   * Return the fields to set; or assign fields on the (tracked) record and return nothing, and its
   * changes are sent; return `null` or `false` to leave the record alone.
   */
  | ((record: R) => Readonly<Partial<R>> | Readonly<Record<string, unknown>> | null | false | undefined);

const DEFAULT_MAX_FETCH = 10_000;
/** Records per bulk-edit group: 200-record requests, several in flight, while the query keeps paging. */
const EDIT_GROUP = 800;

interface Resolved {
  readonly autoFetch: boolean;
  readonly maxFetch: number | undefined;
  readonly source: PageSource;
}

/**
 * A SOQL query ready to run. Nothing touches the network until a method runs it, and it can run any
 * number of times. Created by `query()` / `queryAll()` for SOQL text, and behind every bound builder
 * (`conn.sobject('Account').find(...)`).
 *
 * ```ts
 * const result = await query(client, 'SELECT Id, Name FROM Account').execute({ autoFetch: true });
 * for await (const account of query(client, 'SELECT Id FROM Account')) { ... }
 * ```
 */
export class Query<R = UntypedRecord> implements AsyncIterable<R> {
  readonly #requester: Requester;
  readonly #soql: string;
  readonly #defaults: QueryOptions;

  constructor(requester: Requester, soql: string, options: QueryOptions = {}) {
    if (typeof soql !== 'string' || soql.trim() === '') {
      throw new ConfigurationError([{ field: 'soql', message: 'must be a non-empty SOQL string' }], 'query');
    }
    this.#requester = requester;
    this.#soql = soql;
    this.#defaults = parseOptions(queryOptionsSchema(), options, 'query options');
  }

  /** The SOQL text. */
  get soql(): string {
    return this.#soql;
  }

  /** `trackedByDefault`: the path's default for `tracked` (see `QueryOptions.tracked`). */
  #resolve(options: QueryOptions | undefined, trackedByDefault: boolean): Resolved {
    const call = options === undefined ? {} : parseOptions(queryOptionsSchema(), options, 'query options');
    const merged = { ...this.#defaults, ...stripUndefined(call) };
    return {
      autoFetch: merged.autoFetch === true,
      maxFetch: merged.maxFetch,
      source: {
        requester: this.#requester,
        soql: this.#soql,
        includeDeleted: merged.includeDeleted === true,
        batchSize: merged.batchSize,
        tracked: merged.tracked ?? trackedByDefault,
        children: hasSubquery(this.#soql),
        signal: merged.signal,
      },
    };
  }

  /**
   * Runs the query: the first page, or with `autoFetch` every page up to `maxFetch` records, as
   * `{ records, totalSize, done, nextRecordsUrl }`.
   */
  async execute(options?: QueryOptions): Promise<QueryResult<R>> {
    const { autoFetch, maxFetch, source } = this.#resolve(options, true);
    return collect<R>(source, autoFetch, maxFetch ?? DEFAULT_MAX_FETCH, undefined);
  }

  /** The first record, or undefined when none matched. Reads one page of the smallest size. */
  async first(options?: QueryOptions): Promise<R | undefined> {
    const { source } = this.#resolve(options, true);
    const result = await collect<R>({ ...source, batchSize: source.batchSize ?? 200 }, false, 1, undefined);
    return result.records[0];
  }

  /** How many records the query matches (its `totalSize`), reading one page of the smallest size. */
  async count(options?: QueryOptions): Promise<number> {
    const { source } = this.#resolve(options, false);
    const result = await collect<R>(
      { ...source, batchSize: source.batchSize ?? 200, tracked: false },
      false,
      1,
      undefined,
    );
    return result.totalSize;
  }

  /**
   * Every record, one at a time, with one page of prefetch: the next page is requested while the current
   * one is consumed, never more. Stops (and aborts the prefetch) when the loop breaks. Records are plain
   * objects unless `tracked: true`.
   */
  records(options?: QueryOptions): AsyncIterableIterator<R> {
    const { maxFetch, source } = this.#resolve(options, false);
    return new RecordIterator<R>(new PageCursor(source), { limit: maxFetch });
  }

  [Symbol.asyncIterator](): AsyncIterator<R> {
    return this.records();
  }

  /**
   * Every page as it comes (each a `QueryResult` of that page), with one page of prefetch: the fastest
   * loop, one await per page instead of one per record. Records are plain objects unless `tracked: true`.
   */
  async *pages(options?: QueryOptions): AsyncGenerator<QueryResult<R>, void, undefined> {
    const { source } = this.#resolve(options, false);
    const cursor = new PageCursor(source);
    try {
      for (let page = await cursor.next(); page !== undefined; page = await cursor.next()) {
        yield toResult<R>(page, page.records as R[]);
      }
    } finally {
      cursor.close();
    }
  }

  /**
   * The records as an object-mode Readable, with backpressure (pages are read as the stream is). Records
   * are plain objects unless `tracked: true`.
   */
  stream(options?: QueryOptions & { readonly highWaterMark?: number | undefined }): Readable {
    const { highWaterMark, ...queryOptions } = options ?? {};
    const iterator = this.records(queryOptions);
    return Readable.from(
      iterator,
      highWaterMark === undefined ? { objectMode: true } : { objectMode: true, highWaterMark },
    );
  }

  /**
   * The records as CSV text (RFC 4180: CRLF line ends, quotes where needed), header first; parent
   * relationship fields flattened as `Account.Name`; child subqueries left out. Backpressure as `stream()`.
   */
  toCSV(options?: QueryOptions): Readable {
    const { source } = this.#resolve(options, false);
    const writer = new CsvWriter(this.#soql);
    const chunks = async function* (): AsyncGenerator<string> {
      const cursor = new PageCursor({ ...source, tracked: false });
      try {
        let wroteHeader = false;
        for (let page = await cursor.next(); page !== undefined; page = await cursor.next()) {
          const text = writer.write(page.records);
          wroteHeader = true;
          if (text !== '') yield text;
        }
        if (!wroteHeader) yield writer.write([]);
      } finally {
        cursor.close();
      }
    };
    const stream = Readable.from(chunks(), { objectMode: false });
    stream.setEncoding('utf8');
    return stream;
  }

  /**
   * The event style of the `node-salesforce` seed: `query.on('record', ...).on('end', ...).run(options)`.
   * Returns a `QueryRun` that starts when its `run()` is called.
   */
  on(event: 'record', listener: (record: R, index: number) => void): QueryRun<R>;
  on(event: 'page', listener: (page: QueryResult<R>) => void): QueryRun<R>;
  on(event: 'end', listener: (summary: QueryRunSummary) => void): QueryRun<R>;
  on(event: 'error', listener: (error: Error) => void): QueryRun<R>;
  on(event: 'record' | 'page' | 'end' | 'error', listener: (...args: never[]) => void): QueryRun<R> {
    return this.#newRun().on(event as 'record', listener as (record: R, index: number) => void);
  }

  /** Starts a run that emits `page` and `record` events, then `end` (or `error`). See `QueryRun`. */
  run(options?: QueryOptions): QueryRun<R> {
    return this.#newRun().run(options);
  }

  /** A run in event style, not started yet: attach listeners, then call its `run(options)`. */
  events(): QueryRun<R> {
    return this.#newRun();
  }

  #newRun(): QueryRun<R> {
    return new QueryRun<R>((options, onPage) => {
      const { autoFetch, maxFetch, source } = this.#resolve(options, true);
      return new RecordIterator<R>(new PageCursor(source), {
        limit: maxFetch ?? DEFAULT_MAX_FETCH,
        firstPageOnly: !autoFetch,
        onPage: (page) => onPage(toResult<R>(page, page.records as R[])),
      });
    });
  }

  /** `GET query?explain=`: the query plans Salesforce would consider. */
  explain(options: Pick<QueryOptions, 'signal'> = {}): Promise<QueryExplanation> {
    return this.#requester.request<QueryExplanation>({
      path: 'query',
      query: { explain: this.#soql },
      signal: options.signal,
    });
  }

  /**
   * Updates every record the query returns (all pages) through sObject Collections, 200 a request, while
   * the query keeps paging. Returns one result per record, in query order; records the change leaves alone
   * are not in the results. Records need their Id (selected, or in `attributes.url`).
   */
  async update(change: RecordChange<R>, options?: CollectionOptions): Promise<SaveResult[]> {
    const saveOptions = parseOptions(collectionOptionsSchema(), options, 'update options');
    if (
      change === null ||
      (typeof change !== 'function' && typeof change !== 'object') ||
      Array.isArray(change)
    ) {
      throw new ConfigurationError(
        [{ field: 'change', message: 'must be an object of field values or a function' }],
        'query update',
      );
    }
    const results: SaveResult[] = [];
    let group: { item: SaveItem; record: object }[] = [];
    let halted = false;
    let sending = 0;
    const flush = async (): Promise<void> => {
      const batch = group;
      group = [];
      if (batch.length === 0) return;
      if (halted) {
        for (const { item } of batch) results.push(haltedResult(item.id));
        return;
      }
      sending = batch.length;
      const saved = await updateMany(
        this.#requester,
        batch.map((entry) => entry.item),
        saveOptions,
      );
      sending = 0;
      saved.forEach((result, i) => {
        results.push(result);
        if (result.success) markSaved((batch[i] as { record: object }).record);
      });
      if (saveOptions.allOrNone === true && saved.some((result) => !result.success)) halted = true;
    };
    try {
      for await (const record of this.records({ tracked: true, signal: saveOptions.signal })) {
        const fields = fieldsFor(change, record);
        if (fields === undefined) continue;
        group.push({ item: itemOf(record as object, fields), record: record as object });
        if (group.length >= EDIT_GROUP) await flush();
      }
      await flush();
    } catch (error) {
      throw editFailure(error, results, sending);
    }
    return results;
  }

  /** Deletes every record the query returns, through sObject Collections; one result per record. */
  async destroy(options?: CollectionOptions): Promise<SaveResult[]> {
    const saveOptions = parseOptions(collectionOptionsSchema(), options, 'destroy options');
    const results: SaveResult[] = [];
    let ids: string[] = [];
    let halted = false;
    let sending = 0;
    const flush = async (): Promise<void> => {
      const batch = ids;
      ids = [];
      if (batch.length === 0) return;
      if (halted) {
        for (const id of batch) results.push(haltedResult(id));
        return;
      }
      sending = batch.length;
      const deleted = await deleteMany(this.#requester, batch, saveOptions);
      sending = 0;
      for (const result of deleted) results.push(result);
      if (saveOptions.allOrNone === true && deleted.some((result) => !result.success)) halted = true;
    };
    try {
      for await (const record of this.records({ tracked: false, signal: saveOptions.signal })) {
        const id = recordIdOf(record as object);
        if (id === undefined) throw missing('Id', 'destroy');
        ids.push(id);
        if (ids.length >= EDIT_GROUP) await flush();
      }
      await flush();
    } catch (error) {
      throw editFailure(error, results, sending);
    }
    return results;
  }
}

const HALTED_ERROR: SaveError = {
  statusCode: 'PROCESSING_HALTED',
  message:
    'Not sent: an earlier request of this allOrNone edit failed. Requests before it were committed and are not rolled back.',
  fields: [],
};

/**
 * A bulk edit failed part way (a page of the query, or a save request): with results already known, a
 * `PartialSaveError` carries them, followed by the failed group's (known or `undefined`); records the
 * query had not returned yet are not represented. With nothing known, the failure itself.
 */
function editFailure(error: unknown, results: readonly SaveResult[], sending: number): unknown {
  if (error instanceof PartialSaveError)
    return new PartialSaveError(error.cause, [...results, ...error.results]);
  if (results.length === 0) return error;
  return new PartialSaveError(error, [...results, ...new Array<undefined>(sending).fill(undefined)]);
}

function haltedResult(id: string | undefined): SaveResult {
  return { id, success: false, errors: [HALTED_ERROR] };
}

function missing(what: string, operation: string): ConfigurationError {
  return new ConfigurationError(
    [
      {
        field: what,
        message: `a record returned by the query has no ${what}, so it cannot be sent to ${operation}`,
      },
    ],
    `query ${operation}`,
  );
}

function fieldsFor<R>(change: RecordChange<R>, record: R): Record<string, unknown> | undefined {
  if (typeof change !== 'function') return { ...(change as Record<string, unknown>) };
  const out = change(record);
  if (out === null || out === false) return undefined;
  if (out === undefined) {
    const changes = changedFields(record as object);
    return changes === undefined || Object.keys(changes).length === 0 ? undefined : changes;
  }
  if (typeof out !== 'object' || Array.isArray(out)) {
    throw new ConfigurationError(
      [
        {
          field: 'change',
          message: 'the function must return an object of field values, null, false or nothing',
        },
      ],
      'query update',
    );
  }
  return { ...(out as Record<string, unknown>) };
}

function itemOf(record: object, fields: Record<string, unknown>): SaveItem {
  const id = recordIdOf(record);
  const type = sobjectTypeOf(record);
  if (id === undefined) throw missing('Id', 'update');
  if (type === undefined) throw missing('attributes.type', 'update');
  delete fields.Id;
  delete fields.attributes;
  return { type, id, fields };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] !== undefined) out[key] = value[key];
  return out;
}

function toResult<R>(page: RawPage, records: R[]): QueryResult<R> {
  const result: { records: R[]; totalSize: number; done: boolean; nextRecordsUrl?: string } = {
    records,
    totalSize: page.totalSize,
    done: page.done,
  };
  if (!page.done && typeof page.nextRecordsUrl === 'string') result.nextRecordsUrl = page.nextRecordsUrl;
  return result;
}

/** Reads the first page (or, with autoFetch, pages until `maxFetch` records), starting at `from` if given. */
export async function collect<R>(
  source: PageSource,
  autoFetch: boolean,
  maxFetch: number,
  from: string | undefined,
): Promise<QueryResult<R>> {
  const cursor = new PageCursor(source, from);
  try {
    const wantsMore = (page: RawPage, held: number) => autoFetch && held + page.records.length < maxFetch;
    let held = 0;
    const first = await cursor.next((page) => wantsMore(page, held));
    if (first === undefined) return { records: [], totalSize: 0, done: true };
    const records = first.records as R[];
    held = records.length;
    let last = first;
    while (autoFetch && held < maxFetch && !last.done) {
      const page = await cursor.next((next) => wantsMore(next, held));
      if (page === undefined) break;
      for (const record of page.records) records.push(record as R);
      held = records.length;
      last = page;
    }
    const cut = records.length > maxFetch;
    if (cut) records.length = maxFetch;
    const result = toResult<R>(last, records);
    return cut && result.done ? { ...result, done: false } : result;
  } finally {
    cursor.close();
  }
}

/** A query of SOQL text. */
export function query<R = UntypedRecord>(
  requester: Requester,
  soql: string,
  options?: QueryOptions,
): Query<R> {
  return new Query<R>(requester, soql, options);
}

/** A query of SOQL text through `queryAll`: deleted and archived records too. */
export function queryAll<R = UntypedRecord>(
  requester: Requester,
  soql: string,
  options?: QueryOptions,
): Query<R> {
  return new Query<R>(requester, soql, { ...options, includeDeleted: true });
}

/**
 * The page at a `nextRecordsUrl` (or a bare locator such as `01gxx0000000001-2000`), or with `autoFetch`
 * that page and the ones after it up to `maxFetch` records.
 */
export function queryMore<R = UntypedRecord>(
  requester: Requester,
  locator: string,
  options: Omit<QueryOptions, 'includeDeleted'> = {},
): Promise<QueryResult<R>> {
  const parsed = parseOptions(queryOptionsSchema(), options, 'queryMore options');
  if (typeof locator !== 'string' || locator === '') {
    throw new ConfigurationError(
      [{ field: 'locator', message: 'must be a nextRecordsUrl or a query locator' }],
      'queryMore',
    );
  }
  const url = locator.startsWith('/services/data/')
    ? locator
    : /^[A-Za-z0-9]+-\d+$/.test(locator)
      ? `/services/data/v${requester.version}/query/${locator}`
      : undefined;
  if (url === undefined) {
    throw new ConfigurationError(
      [
        {
          field: 'locator',
          message: `must be a nextRecordsUrl or a locator like 01gxx0000000001-2000, got ${JSON.stringify(locator)}`,
        },
      ],
      'queryMore',
    );
  }
  const source: PageSource = {
    requester,
    soql: '',
    includeDeleted: false,
    batchSize: parsed.batchSize,
    tracked: parsed.tracked !== false,
    // The query text is unknown here: look for child subquery results in every record.
    children: true,
    signal: parsed.signal,
  };
  return collect<R>(source, parsed.autoFetch === true, parsed.maxFetch ?? DEFAULT_MAX_FETCH, url);
}
