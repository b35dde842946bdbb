import { apiPath, ConfigurationError, type Requester } from '@forcekit/core';
import {
  type AddSelect,
  type CheckedConditions,
  type EmptySelection,
  from,
  type QueryBuilder,
  type QueryRow,
  type QueryRunOptions,
  type SelectInput,
  type UntypedRecord,
  type ValidSelect,
} from '@forcekit/soql';
import {
  type CollectionOptions,
  createMany,
  deleteMany,
  fieldsToSend,
  markSaved,
  type PayloadMode,
  retrieveMany,
  type SaveItem,
  type SaveResult,
  toSaveResult,
  type UpsertResult,
  updateMany,
  upsertMany,
} from './collections.js';
import {
  type DescribeCache,
  type DescribeOptions,
  type DescribeSObjectResult,
  sharedDescribeCache,
} from './describe.js';
import { targetOf, trackPage } from './internal/tracking.js';
import {
  checkId,
  checkName,
  checkRecord,
  collectionOptionsSchema,
  describeValue,
  invalid,
  parseOptions,
  retrieveOptionsSchema,
} from './internal/validate.js';
import type { QueryOptions } from './query.js';
import { SObjectQueryExecutor } from './query-executor.js';
import { externalIdOf, recordIdOf, sobjectTypeOf } from './records.js';

type IsUntyped<T> = string extends keyof T ? true : false;

/** What a field of type `V` accepts in a save: its own type (or a plain string for a multi-select picklist) or null. */
type FieldInput<V> = [V] extends [string]
  ? ([Exclude<keyof V, keyof string>] extends [never] ? V : string) | null
  : [V] extends [number | boolean | Date | null | undefined]
    ? V | null
    : unknown;

/**
 * A record given to `create`, `update` or `upsert`: any of `T`'s fields (values checked for scalar
 * fields; relationship fields take an object, e.g. a parent by external id), or a tracked record.
 */
export type RecordInput<T> =
  IsUntyped<T> extends true ? UntypedRecord : { readonly [K in keyof T]?: FieldInput<T[K]> };

/** A record as `retrieve` and `recent` return it: tracked, with the fields asked for. */
export type RetrievedRecord<T> = T;

export interface RetrieveOptions {
  /** The fields to return. Default: every field (for many ids, the field list comes from `describe()`). */
  readonly fields?: readonly string[] | undefined;
  readonly signal?: AbortSignal | undefined;
}

/** Options of a single-record save. */
export interface SaveOptions {
  readonly signal?: AbortSignal | undefined;
}

export interface SObjectOptions {
  /** Where `describe()` caches. Default: a cache shared by the process, keyed by org, user and version. */
  readonly describeCache?: DescribeCache | undefined;
  /** Defaults for every query this repository's builders run (`batchSize`, `tracked`...). */
  readonly queryDefaults?: QueryOptions | undefined;
}

/** `GET sobjects/{type}/updated`. */
export interface UpdatedResult {
  readonly ids: readonly string[];
  readonly latestDateCovered: string;
}

/** `GET sobjects/{type}/deleted`. */
export interface DeletedResult {
  readonly deletedRecords: readonly { readonly id: string; readonly deletedDate: string }[];
  readonly earliestDateAvailable: string;
  readonly latestDateCovered: string;
}

/** `{ Id: ... }`, a tracked record, or a plain object with an Id: what `destroy` accepts besides an Id string. */
type IdOrRecord = string | { readonly Id?: unknown };

/**
 * The records of one sObject type, over any `Requester` (a client, or `client.as(session)` for one
 * user of a multi-user app). Single records go to the single-record REST endpoints and throw on failure;
 * arrays go through sObject Collections (200 records a request, several requests at once) and return
 * one result per record, in input order, failures included.
 *
 * ```ts
 * const accounts = new SObject<Account>(client, 'Account');
 * const { id } = await accounts.create({ Name: 'Acme' });
 * const acme = await accounts.retrieve(id);
 * acme.Name = 'Acme Corp';
 * await accounts.update(acme); // sends only Name
 * const big = await accounts.find({ AnnualRevenue: { $gt: 1e6 } }, ['Id', 'Name']).sort('Name').execute();
 * ```
 */
export class SObject<T extends object = UntypedRecord> {
  /** The sObject API name, e.g. `Account`. */
  readonly type: string;
  readonly #requester: Requester;
  readonly #describeCache: DescribeCache;
  readonly #base: QueryBuilder<T>;

  /**
   * `find(conditions, fields)`: a query builder bound to this repository's requester (`where` + `select`).
   * Run it with `execute()`, `first()`, `count()`, `for await`, `stream()`.
   */
  readonly find: QueryBuilder<T>['find'];
  /** `select(fields)`: a bound query builder selecting `fields`. */
  readonly select: QueryBuilder<T>['select'];

  constructor(requester: Requester, type: string, options: SObjectOptions = {}) {
    this.type = checkName(type, 'type', 'sobject');
    this.#requester = requester;
    this.#describeCache = options.describeCache ?? sharedDescribeCache;
    const base = from<T>(this.type, new SObjectQueryExecutor(requester, options.queryDefaults));
    this.#base = base;
    this.find = base.find.bind(base) as QueryBuilder<T>['find'];
    this.select = base.select.bind(base) as QueryBuilder<T>['select'];
  }

  /** The requester this repository sends with. */
  get requester(): Requester {
    return this.#requester;
  }

  /** The first record matching `conditions` (with `fields`, default `Id`), or undefined. */
  findOne<const C, const F extends SelectInput<T> = never>(
    conditions?: CheckedConditions<T, C> | null,
    fields?: F & ValidSelect<T, F>,
    options?: QueryRunOptions,
  ): Promise<QueryRow<T, AddSelect<EmptySelection, F>> | undefined> {
    const find = this.#base.find as unknown as (
      c: unknown,
      f: unknown,
    ) => QueryBuilder<T, AddSelect<EmptySelection, F>>;
    return find.call(this.#base, conditions, fields).first(options);
  }

  /** How many records match `conditions` (`SELECT COUNT() FROM ...`). */
  count<const C>(conditions?: CheckedConditions<T, C> | null, options?: QueryRunOptions): Promise<number> {
    const find = this.#base.find as unknown as (c: unknown) => QueryBuilder<T>;
    return find.call(this.#base, conditions).count(options);
  }

  // ---- retrieve -----------------------------------------------------------------------------------

  /**
   * One record by Id (`GET sobjects/{type}/{id}`; a missing record throws `NotFoundError`), or many
   * (`composite/sobjects/{type}`, GET or, for long lists, POST; 2,000 a request): one entry per id in
   * input order, `null` where there is no record. Records are tracked.
   */
  retrieve(id: string, options?: RetrieveOptions): Promise<RetrievedRecord<T>>;
  retrieve(ids: readonly string[], options?: RetrieveOptions): Promise<(RetrievedRecord<T> | null)[]>;
  async retrieve(
    idOrIds: string | readonly string[],
    options?: RetrieveOptions,
  ): Promise<RetrievedRecord<T> | (RetrievedRecord<T> | null)[]> {
    const { fields, signal } = parseOptions(retrieveOptionsSchema(), options, 'retrieve options');
    if (!Array.isArray(idOrIds)) {
      const id = checkId(idOrIds, 'id', 'retrieve arguments');
      const record = await this.#requester.request<Record<string, unknown>>({
        path: apiPath`sobjects/${this.type}/${id}`,
        query: fields === undefined ? undefined : { fields: fields.join(',') },
        signal,
      });
      const page = [record];
      trackPage(page, false);
      return page[0] as RetrievedRecord<T>;
    }
    const ids = (idOrIds as readonly unknown[]).map((id, i) =>
      checkId(id, `ids[${i}]`, 'retrieve arguments'),
    );
    if (ids.length === 0) return [];
    const fieldList = fields ?? (await this.describe({ signal })).fields.map((field) => field.name);
    const records = await retrieveMany(this.#requester, this.type, ids, fieldList, { signal });
    const present = records.filter((record) => record !== null);
    trackPage(present, false);
    let next = 0;
    return records.map((record) => (record === null ? null : (present[next++] as RetrievedRecord<T>)));
  }

  // ---- create -------------------------------------------------------------------------------------

  /**
   * Creates one record (`POST sobjects/{type}`; a failure throws the `ApiError`) or many (sObject
   * Collections; one result per record, failures included). A tracked record gets its new Id.
   */
  create(record: RecordInput<T>, options?: SaveOptions): Promise<SaveResult>;
  create(records: readonly RecordInput<T>[], options?: CollectionOptions): Promise<SaveResult[]>;
  async create(
    input: RecordInput<T> | readonly RecordInput<T>[],
    options?: CollectionOptions,
  ): Promise<SaveResult | SaveResult[]> {
    const saveOptions = parseOptions(collectionOptionsSchema(), options, 'create options');
    if (!Array.isArray(input)) {
      const item = this.#item(input, 'record', 'create', 'all');
      const body = await this.#requester.request({
        method: 'POST',
        path: apiPath`sobjects/${this.type}`,
        body: item.fields ?? {},
        signal: saveOptions.signal,
      });
      const result = toSaveResult(body as object, undefined);
      if (result.success) markSaved(input, result.id);
      return result;
    }
    const records = input as readonly RecordInput<T>[];
    const items = records.map((record, i) => this.#item(record, `records[${i}]`, 'create', 'all'));
    const results = await createMany(this.#requester, items, saveOptions);
    results.forEach((result, i) => {
      if (result.success) markSaved(records[i] as object, result.id);
    });
    return results;
  }

  // ---- update -------------------------------------------------------------------------------------

  /**
   * Updates one record (`PATCH sobjects/{type}/{id}`; a failure throws) or many (sObject Collections).
   * A tracked record sends only its changed fields, and one with no change sends nothing and succeeds;
   * a plain object sends every field it has. Every record needs its `Id`.
   */
  update(record: RecordInput<T>, options?: SaveOptions): Promise<SaveResult>;
  update(records: readonly RecordInput<T>[], options?: CollectionOptions): Promise<SaveResult[]>;
  async update(
    input: RecordInput<T> | readonly RecordInput<T>[],
    options?: CollectionOptions,
  ): Promise<SaveResult | SaveResult[]> {
    const saveOptions = parseOptions(collectionOptionsSchema(), options, 'update options');
    if (!Array.isArray(input)) {
      const item = this.#item(input, 'record', 'update', 'changes');
      const id = item.id as string;
      if (item.fields !== undefined) {
        await this.#requester.request({
          method: 'PATCH',
          path: apiPath`sobjects/${this.type}/${id}`,
          body: item.fields,
          signal: saveOptions.signal,
        });
        markSaved(input);
      }
      return { id, success: true, errors: [] };
    }
    const records = input as readonly RecordInput<T>[];
    const items = records.map((record, i) => this.#item(record, `records[${i}]`, 'update', 'changes'));
    const results = await updateMany(this.#requester, items, saveOptions);
    results.forEach((result, i) => {
      if (result.success) markSaved(records[i] as object);
    });
    return results;
  }

  // ---- upsert -------------------------------------------------------------------------------------

  /**
   * Inserts or updates by an external id field: one record (`PATCH sobjects/{type}/{field}/{value}`; a
   * failure throws) or many (sObject Collections). `created` tells which happened. Without
   * `externalIdField`, the field a tracked record's `setExternalId()` named is used.
   */
  upsert(record: RecordInput<T>, externalIdField?: string, options?: SaveOptions): Promise<UpsertResult>;
  upsert(
    records: readonly RecordInput<T>[],
    externalIdField?: string,
    options?: CollectionOptions,
  ): Promise<UpsertResult[]>;
  async upsert(
    input: RecordInput<T> | readonly RecordInput<T>[],
    externalIdField?: string,
    options?: CollectionOptions,
  ): Promise<UpsertResult | UpsertResult[]> {
    const saveOptions = parseOptions(collectionOptionsSchema(), options, 'upsert options');
    const list: readonly object[] = Array.isArray(input) ? (input as readonly object[]) : [input as object];
    const label = (i: number) => (Array.isArray(input) ? `records[${i}]` : 'record');
    const field = this.#externalIdField(list, externalIdField, label);
    const items = list.map((record, i) => {
      const item = this.#item(record, label(i), 'upsert', 'changes');
      const value = (targetOf(record) ?? (record as Record<string, unknown>))[field];
      if ((typeof value !== 'string' || value === '') && typeof value !== 'number') {
        throw invalid(
          'upsert arguments',
          `${label(i)}.${field}`,
          `must hold the external id (a string or number), got ${describeValue(value)}`,
        );
      }
      return { ...item, fields: { ...item.fields, [field]: value } };
    });
    if (!Array.isArray(input)) {
      const item = items[0] as SaveItem & { fields: Record<string, unknown> };
      const { [field]: value, ...body } = item.fields;
      const response = await this.#requester.request({
        method: 'PATCH',
        path: apiPath`sobjects/${this.type}/${field}/${value as string}`,
        body,
        signal: saveOptions.signal,
      });
      // 201 created / 200 updated carry a body (API 46.0+); older versions answer 204 to an update.
      const result: UpsertResult =
        response === undefined
          ? { id: item.id, success: true, errors: [], created: false }
          : {
              ...toSaveResult(response as object, item.id),
              created: (response as { created?: unknown }).created === true,
            };
      if (result.success) markSaved(input as object, result.id);
      return result;
    }
    const results = await upsertMany(this.#requester, this.type, field, items, saveOptions);
    results.forEach((result, i) => {
      if (result.success) markSaved(list[i] as object, result.id);
    });
    return results;
  }

  // ---- delete -------------------------------------------------------------------------------------

  /**
   * Deletes one record (`DELETE sobjects/{type}/{id}`; a failure throws) or many (sObject Collections,
   * one result per record). Takes Ids or records with an Id.
   */
  destroy(idOrRecord: IdOrRecord, options?: SaveOptions): Promise<SaveResult>;
  destroy(idsOrRecords: readonly IdOrRecord[], options?: CollectionOptions): Promise<SaveResult[]>;
  async destroy(
    input: IdOrRecord | readonly IdOrRecord[],
    options?: CollectionOptions,
  ): Promise<SaveResult | SaveResult[]> {
    const saveOptions = parseOptions(collectionOptionsSchema(), options, 'destroy options');
    if (!Array.isArray(input)) {
      const id = this.#idOf(input as IdOrRecord, 'id');
      await this.#requester.request({
        method: 'DELETE',
        path: apiPath`sobjects/${this.type}/${id}`,
        signal: saveOptions.signal,
      });
      return { id, success: true, errors: [] };
    }
    const ids = (input as readonly IdOrRecord[]).map((entry, i) => this.#idOf(entry, `ids[${i}]`));
    return deleteMany(this.#requester, ids, saveOptions);
  }

  /** Same as `destroy` (the seeds' name). */
  del(idOrRecord: IdOrRecord, options?: SaveOptions): Promise<SaveResult>;
  del(idsOrRecords: readonly IdOrRecord[], options?: CollectionOptions): Promise<SaveResult[]>;
  del(
    input: IdOrRecord | readonly IdOrRecord[],
    options?: CollectionOptions,
  ): Promise<SaveResult | SaveResult[]> {
    return this.destroy(input as IdOrRecord, options);
  }

  // ---- metadata and replication -------------------------------------------------------------------

  /** `GET sobjects/{type}/describe`, cached per org, user and version; revalidated with `If-Modified-Since`. */
  describe(options?: DescribeOptions): Promise<DescribeSObjectResult> {
    return this.#describeCache.describe(this.#requester, this.type, options);
  }

  /** Ids of records updated between `start` and `end` (`GET sobjects/{type}/updated`, at most 30 days back). */
  updated(start: Date | string, end: Date | string, options: SaveOptions = {}): Promise<UpdatedResult> {
    return this.#requester.request<UpdatedResult>({
      path: apiPath`sobjects/${this.type}/updated`,
      query: { start: replicationDate(start, 'start'), end: replicationDate(end, 'end') },
      signal: options.signal,
    });
  }

  /** Records deleted between `start` and `end` (`GET sobjects/{type}/deleted`). */
  deleted(start: Date | string, end: Date | string, options: SaveOptions = {}): Promise<DeletedResult> {
    return this.#requester.request<DeletedResult>({
      path: apiPath`sobjects/${this.type}/deleted`,
      query: { start: replicationDate(start, 'start'), end: replicationDate(end, 'end') },
      signal: options.signal,
    });
  }

  /** The records of this type the user viewed most recently (`recentItems` of `GET sobjects/{type}`), tracked. */
  async recent(options: SaveOptions = {}): Promise<RetrievedRecord<Partial<T>>[]> {
    const info = await this.#requester.request<{ recentItems?: unknown[] }>({
      path: apiPath`sobjects/${this.type}`,
      signal: options.signal,
    });
    const items = Array.isArray(info?.recentItems) ? [...info.recentItems] : [];
    trackPage(items, false);
    return items as RetrievedRecord<Partial<T>>[];
  }

  // ---- helpers ------------------------------------------------------------------------------------

  /** Checks a record and prepares what to send. */
  #item(
    record: unknown,
    label: string,
    operation: 'create' | 'update' | 'upsert',
    mode: PayloadMode,
  ): SaveItem {
    const subject = `${operation} arguments`;
    checkRecord(record, label, subject);
    const type = sobjectTypeOf(record as object);
    if (type !== undefined && type !== this.type) {
      throw invalid(
        subject,
        `${label}.attributes.type`,
        `is '${type}', but this is the '${this.type}' repository`,
      );
    }
    const id = recordIdOf(record as object);
    if (operation === 'create' && id !== undefined) {
      throw invalid(
        subject,
        `${label}.Id`,
        'must be absent: a record to create has no Id yet (use update or upsert)',
      );
    }
    if (operation === 'update') {
      if (id === undefined) throw invalid(subject, `${label}.Id`, 'is required to update a record');
      checkId(id, `${label}.Id`, subject);
    }
    return { type: this.type, id, fields: fieldsToSend(record as object, mode) };
  }

  #externalIdField(list: readonly object[], given: string | undefined, label: (i: number) => string): string {
    if (given !== undefined) return checkName(given, 'externalIdField', 'upsert arguments');
    let field: string | undefined;
    list.forEach((record, i) => {
      const own = externalIdOf(record)?.field;
      if (own === undefined) {
        throw invalid(
          'upsert arguments',
          'externalIdField',
          `name the external id field, or set it on ${label(i)} with setExternalId(field, value)`,
        );
      }
      if (field !== undefined && own !== field) {
        throw invalid(
          'upsert arguments',
          `${label(i)}`,
          `uses external id field ${own}, but earlier records use ${field}`,
        );
      }
      field = own;
    });
    if (field === undefined) throw invalid('upsert arguments', 'records', 'must not be empty');
    return field;
  }

  #idOf(entry: IdOrRecord, label: string): string {
    if (typeof entry === 'string') return checkId(entry, label, 'destroy arguments');
    checkRecord(entry, label, 'destroy arguments');
    const id = recordIdOf(entry);
    if (id === undefined) throw invalid('destroy arguments', `${label}.Id`, 'is required to delete a record');
    return checkId(id, `${label}.Id`, 'destroy arguments');
  }
}

/** `2015-08-12T00:00:00+00:00` for the replication resources (whole seconds, UTC). */
function replicationDate(value: Date | string, field: string): string {
  const date = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : undefined;
  if (date === undefined || Number.isNaN(date.getTime())) {
    throw new ConfigurationError(
      [{ field, message: `must be a Date or an ISO 8601 date-time, got ${describeValue(value)}` }],
      'replication arguments',
    );
  }
  return `${date.toISOString().slice(0, 19)}+00:00`;
}

/** A repository for `type` (the function form of `new SObject(...)`). */
export function sobject<T extends object = UntypedRecord>(
  requester: Requester,
  type: string,
  options?: SObjectOptions,
): SObject<T> {
  return new SObject<T>(requester, type, options);
}
