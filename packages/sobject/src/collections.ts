import {
  apiPath,
  ConfigurationError,
  type Requester,
  type RequestOptions,
  ResponseError,
  SalesforceError,
} from '@forcekit/core';
import { chunk, mapLimit } from './internal/concurrency.js';
import { stateOf, targetOf } from './internal/tracking.js';
import { changedFields, isTracked, toPlainObject } from './records.js';

/** One error of a per-record result (sObject Collections name the code `statusCode`). */
export interface SaveError {
  readonly statusCode: string;
  readonly message: string;
  readonly fields: readonly string[];
}

/** The outcome of saving or deleting one record. */
export interface SaveResult {
  /** The record's Id: the new one after a create, the input's after an update or a delete. */
  readonly id: string | undefined;
  readonly success: boolean;
  /** Empty on success (except informational entries, e.g. `OPERATION_ENQUEUED` for a platform event). */
  readonly errors: readonly SaveError[];
}

/** The outcome of upserting one record. */
export interface UpsertResult extends SaveResult {
  /** True when the upsert created the record, false when it updated one. */
  readonly created: boolean;
}

/** Options of the operations that take arrays (sent through sObject Collections). */
export interface CollectionOptions {
  /**
   * Salesforce's `allOrNone`: when one record of a request fails, none of that request is saved (the others
   * report `ALL_OR_NONE_OPERATION_ROLLED_BACK`). A request carries at most 200 records and is one
   * transaction: **a save of more than 200 records cannot be all-or-none across requests**. With
   * `allOrNone` and more than one request, requests are sent one at a time; after one fails, the rest are
   * not sent (their records report `PROCESSING_HALTED`), and the requests before it stay committed.
   * Default false.
   */
  readonly allOrNone?: boolean | undefined;
  /** Requests of 200 records in flight at once (1 to 10). Default 4. Ignored with `allOrNone` (always 1). */
  readonly concurrency?: number | undefined;
  readonly signal?: AbortSignal | undefined;
}

/**
 * A request of a multi-request save failed (a network error, a timeout, a 5xx after retries, an expired
 * session that could not be refreshed...) after other requests of the same save had completed. `results`
 * holds, in input order, the results that are known, and `undefined` for the records whose outcome is
 * unknown (the failed request's, and those never sent). `cause` is the failure; `code` is its code.
 * When no request completed, the failure itself is thrown instead.
 */
export class PartialSaveError extends SalesforceError {
  readonly results: readonly (SaveResult | undefined)[];

  constructor(cause: unknown, results: readonly (SaveResult | undefined)[]) {
    const known = results.filter((result) => result !== undefined).length;
    const code = cause instanceof SalesforceError ? cause.code : 'UNKNOWN';
    const message = cause instanceof Error ? cause.message : String(cause);
    super(code, `${message} (after ${known} of ${results.length} records were processed; see results)`, {
      cause,
    });
    this.results = results;
  }
}

// ---- preparing records and settling them ----------------------------------------------------------
// Public so that a save that goes another way (the facade's Bulk API 2.0 path) sends the same fields,
// checks Ids the same way and leaves tracked records in the same state as a save through this package.

const RECORD_ID = /^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/;

/** True for a Salesforce record Id: 15 or 18 letters and digits (`001000000000001AAA`). */
export function isRecordId(value: unknown): value is string {
  return typeof value === 'string' && RECORD_ID.test(value);
}

/** Which fields a save sends: `'all'` (creates) or `'changes'` (updates and upserts). */
export type PayloadMode = 'all' | 'changes';

/**
 * The fields to send for a record, never `attributes` or `Id`. Mode `'changes'` sends a tracked record's
 * changes (`undefined` when it has none: nothing to send) and all of a plain object's fields; `'all'`
 * sends every field. Nested tracked records (a parent given by external id) are sent as plain objects.
 */
export function fieldsToSend(record: object, mode: PayloadMode): Record<string, unknown> | undefined {
  const changes = mode === 'changes' ? changedFields(record) : undefined;
  if (changes !== undefined && Object.keys(changes).length === 0) return undefined;
  const source = changes ?? targetOf(record) ?? record;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(source)) {
    if (key === 'attributes' || key === 'Id') continue;
    const value = (source as Record<string, unknown>)[key];
    out[key] = isTracked(value) ? toPlainObject(value as object) : value;
  }
  return out;
}

/**
 * Settles a record after a successful save: a tracked record forgets its changes (so the next update
 * sends only what is assigned after this) and, after a create or an upsert, takes its new Id (not counted
 * as a change). Plain objects are never modified.
 */
export function markSaved(record: object, id?: string): void {
  const target = targetOf(record);
  if (target === undefined) return;
  if (id !== undefined && target.Id !== id) target.Id = id;
  stateOf(target)?.originals.clear();
}

// ---- sObject Collections requests ---------------------------------------------------------------------

/** Records per sObject Collections request (Salesforce's limit). */
export const COLLECTION_CHUNK_SIZE = 200;
/** Ids per sObject Collections retrieve (Salesforce's limit for the POST form). */
export const RETRIEVE_CHUNK_SIZE = 2000;
/** Ids per GET retrieve: beyond this the POST form keeps the URL far under Salesforce's 16 KB limit. */
const RETRIEVE_GET_MAX_IDS = 200;
const RETRIEVE_GET_MAX_FIELDS_LENGTH = 4000;
const DEFAULT_CONCURRENCY = 4;

/** A record to save, prepared: its type, its Id (updates), and the fields to send. */
export interface SaveItem {
  readonly type: string;
  readonly id?: string | undefined;
  /** `undefined`: nothing changed, so nothing is sent and the result is a success. */
  readonly fields: Readonly<Record<string, unknown>> | undefined;
}

interface WireError {
  statusCode?: unknown;
  errorCode?: unknown;
  message?: unknown;
  fields?: unknown;
}

interface WireResult {
  id?: unknown;
  success?: unknown;
  created?: unknown;
  errors?: unknown;
}

export function toSaveError(error: WireError): SaveError {
  return {
    statusCode: String(error.statusCode ?? error.errorCode ?? 'UNKNOWN'),
    message: String(error.message ?? ''),
    fields: Array.isArray(error.fields) ? error.fields.map(String) : [],
  };
}

/** A result as Salesforce sent it, normalised; the input's Id fills in when the result has none. */
export function toSaveResult(wire: WireResult, inputId: string | undefined): SaveResult {
  const errors = Array.isArray(wire.errors) ? (wire.errors as WireError[]).map(toSaveError) : [];
  return { id: typeof wire.id === 'string' ? wire.id : inputId, success: wire.success === true, errors };
}

function toUpsertResult(wire: WireResult, inputId: string | undefined): UpsertResult {
  return { ...toSaveResult(wire, inputId), created: wire.created === true };
}

function checkResults(body: unknown, expected: number, method: string, path: string): WireResult[] {
  if (!Array.isArray(body) || body.length !== expected) {
    throw new ResponseError(
      { method, path },
      200,
      `expected an array of ${expected} results, got ${Array.isArray(body) ? `${body.length} results` : typeof body}`,
    );
  }
  return body as WireResult[];
}

export function resolveConcurrency(options: CollectionOptions, requests: number): number {
  const { concurrency } = options;
  if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 10)) {
    throw new ConfigurationError(
      [{ field: 'concurrency', message: 'must be an integer from 1 to 10' }],
      'options',
    );
  }
  if (options.allOrNone === true) return 1;
  return Math.min(concurrency ?? DEFAULT_CONCURRENCY, Math.max(requests, 1));
}

const HALTED: SaveError = {
  statusCode: 'PROCESSING_HALTED',
  message:
    'Not sent: an earlier request of this allOrNone save failed. Requests before it were committed and are not rolled back.',
  fields: [],
};

/** One sObject Collections request per batch of items: what to send, and how to read the answer. */
interface CollectionCall<Result extends SaveResult> {
  readonly method: 'POST' | 'PATCH' | 'DELETE';
  readonly path: string;
  /** The body or query string of the request for `batch`. */
  readonly request: (
    batch: readonly SaveItem[],
    allOrNone: boolean,
  ) => Pick<RequestOptions, 'body' | 'query'>;
  /** One result of Salesforce's; `inputId` is the item's Id, for results that carry none. */
  readonly toResult: (wire: WireResult, inputId: string | undefined) => Result;
  /** The result of an item answered without a request: a success (nothing to send), or `HALTED`. */
  readonly localResult: (item: SaveItem, success: boolean) => Result;
}

function localSaveResult(item: SaveItem, success: boolean): SaveResult {
  return { id: item.id, success, errors: success ? [] : [HALTED] };
}

/**
 * Sends `items` in requests of `COLLECTION_CHUNK_SIZE`, at most `concurrency` at once, and returns one
 * result per item in input order. Items whose `fields` are undefined are answered without a request.
 * See `PartialSaveError` for failures of whole requests.
 */
async function saveInChunks<Result extends SaveResult>(
  requester: Requester,
  items: readonly SaveItem[],
  options: CollectionOptions,
  call: CollectionCall<Result>,
): Promise<Result[]> {
  const allOrNone = options.allOrNone === true;
  const results = new Array<Result | undefined>(items.length).fill(undefined);
  const toSend: { item: SaveItem; index: number }[] = [];
  items.forEach((item, index) => {
    if (item.fields === undefined) results[index] = call.localResult(item, true);
    else toSend.push({ item, index });
  });
  const batches = chunk(toSend, COLLECTION_CHUNK_SIZE);
  const concurrency = resolveConcurrency(options, batches.length);
  let halt = false;
  let completed = 0;
  try {
    await mapLimit(batches, concurrency, async (batch) => {
      if (halt) {
        for (const { item, index } of batch) results[index] = call.localResult(item, false);
        return;
      }
      const sent = batch.map((entry) => entry.item);
      const body = await requester.request({
        method: call.method,
        path: call.path,
        ...call.request(sent, allOrNone),
        signal: options.signal,
      });
      const answers = checkResults(body, sent.length, call.method, call.path);
      batch.forEach(({ item, index }, i) => {
        results[index] = call.toResult(answers[i] as WireResult, item.id);
      });
      completed++;
      if (allOrNone && answers.some((answer) => answer.success !== true)) halt = true;
    });
  } catch (error) {
    // Nothing was sent successfully: the failure itself says everything.
    if (completed === 0) throw error;
    throw new PartialSaveError(error, results);
  }
  return results as Result[];
}

/** The records of a request body: each item in its `attributes` envelope, with its Id when asked. */
function envelopes(batch: readonly SaveItem[], withId: boolean): Record<string, unknown>[] {
  return batch.map((item) => {
    const record: Record<string, unknown> = { attributes: { type: item.type } };
    if (withId) record.Id = item.id;
    return Object.assign(record, item.fields);
  });
}

/** POST `composite/sobjects`: creates (mixed types allowed). */
export function createMany(
  requester: Requester,
  items: readonly SaveItem[],
  options: CollectionOptions,
): Promise<SaveResult[]> {
  return saveInChunks(requester, items, options, {
    method: 'POST',
    path: 'composite/sobjects',
    request: (batch, allOrNone) => ({ body: { allOrNone, records: envelopes(batch, false) } }),
    toResult: toSaveResult,
    localResult: localSaveResult,
  });
}

/** PATCH `composite/sobjects`: updates (mixed types allowed); unchanged tracked records are not sent. */
export function updateMany(
  requester: Requester,
  items: readonly SaveItem[],
  options: CollectionOptions,
): Promise<SaveResult[]> {
  return saveInChunks(requester, items, options, {
    method: 'PATCH',
    path: 'composite/sobjects',
    request: (batch, allOrNone) => ({ body: { allOrNone, records: envelopes(batch, true) } }),
    toResult: toSaveResult,
    localResult: localSaveResult,
  });
}

/** PATCH `composite/sobjects/{type}/{externalIdField}`: upserts of one type. */
export function upsertMany(
  requester: Requester,
  type: string,
  externalIdField: string,
  items: readonly SaveItem[],
  options: CollectionOptions,
): Promise<UpsertResult[]> {
  return saveInChunks(requester, items, options, {
    method: 'PATCH',
    path: apiPath`composite/sobjects/${type}/${externalIdField}`,
    request: (batch, allOrNone) => ({ body: { allOrNone, records: envelopes(batch, false) } }),
    toResult: toUpsertResult,
    localResult: (item, success) => ({ ...localSaveResult(item, success), created: false }),
  });
}

/** DELETE `composite/sobjects?ids=...`: deletes by Id (mixed types allowed). */
export function deleteMany(
  requester: Requester,
  ids: readonly string[],
  options: CollectionOptions,
): Promise<SaveResult[]> {
  const items: SaveItem[] = ids.map((id) => ({ type: '', id, fields: {} }));
  return saveInChunks(requester, items, options, {
    method: 'DELETE',
    path: 'composite/sobjects',
    request: (batch, allOrNone) => ({ query: { ids: batch.map((item) => item.id).join(','), allOrNone } }),
    toResult: toSaveResult,
    localResult: localSaveResult,
  });
}

/**
 * `composite/sobjects/{type}` retrieve: GET for short id lists, POST (up to 2,000 ids a request) for long
 * ones. One entry per id, in input order; `null` for an id with no record.
 */
export async function retrieveMany(
  requester: Requester,
  type: string,
  ids: readonly string[],
  fields: readonly string[],
  options: { readonly signal?: AbortSignal | undefined; readonly concurrency?: number | undefined },
): Promise<unknown[]> {
  const path = apiPath`composite/sobjects/${type}`;
  const fieldList = fields.join(',');
  const batches = chunk(ids, RETRIEVE_CHUNK_SIZE);
  const pages = await mapLimit(batches, resolveConcurrency(options, batches.length), async (batch) => {
    const useGet = batch.length <= RETRIEVE_GET_MAX_IDS && fieldList.length <= RETRIEVE_GET_MAX_FIELDS_LENGTH;
    const body = useGet
      ? await requester.request({
          path,
          query: { ids: batch.join(','), fields: fieldList },
          signal: options.signal,
        })
      : await requester.request({
          method: 'POST',
          path,
          body: { ids: batch, fields },
          // A retrieve reads: repeating it cannot duplicate anything.
          idempotent: true,
          signal: options.signal,
        });
    return checkResults(body, batch.length, useGet ? 'GET' : 'POST', path) as unknown[];
  });
  return pages.flat();
}
