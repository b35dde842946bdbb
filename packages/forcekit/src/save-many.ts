/**
 * Size-aware saves: `createMany`, `updateMany`, `upsertMany` and `deleteMany` send a small set through
 * sObject Collections (`@forcekit/sobject`) and a large one through a Bulk API 2.0 load
 * (`@forcekit/bulk`), and give back the same thing either way: one `{ id, success, errors }` per input
 * record, in input order.
 *
 * This lives in the facade because it is the one package that sees both: sobject and bulk do not depend
 * on each other. It composes their public APIs and adds two things of its own, both small: the choice of
 * path, and the translation of bulk's per-row outcomes into sObject Collections results.
 */
import type { Bulk, IngestOperation, LoadOptions, LoadRowResult } from '@forcekit/bulk';
import { ConfigurationError, parseOptions } from '@forcekit/core';
import {
  type CollectionOptions,
  externalIdOf,
  fieldsToSend,
  isRecordId,
  markSaved,
  type PayloadMode,
  type RecordInput,
  recordIdOf,
  type SaveError,
  type SaveResult,
  type SObject,
  type UpsertResult,
} from '@forcekit/sobject';
import { z } from 'zod';

/**
 * Above this many records a `createMany`/`updateMany`/`upsertMany`/`deleteMany` goes through Bulk API
 * 2.0; at or below it, through sObject Collections. At 2,000 records Collections needs 10 requests of
 * 200 (a few hundred ms) and counts 10 API calls; a bulk load needs about 6 requests plus polling and
 * seconds of queueing on a real org, but its cost barely grows with the row count.
 */
export const DEFAULT_BULK_THRESHOLD = 2_000;

/** The `statusCode` of a record that a bulk job never processed (the job failed or was aborted first). */
export const BULK_UNPROCESSED = 'BULK_UNPROCESSED';

/** The Bulk API 2.0 options a size-aware save passes to `bulk.load()` when it goes that way. */
export type BulkSaveOptions = Pick<
  LoadOptions,
  | 'pollInterval'
  | 'maxPollInterval'
  | 'pollTimeout'
  | 'onProgress'
  | 'assignmentRuleId'
  | 'maxBytesPerJob'
  | 'maxRowsPerJob'
  | 'lineEnding'
  | 'columnDelimiter'
>;

/** Options of `createMany`, `updateMany` and `deleteMany`. */
export interface SaveManyOptions extends CollectionOptions {
  /**
   * Records above which the save uses Bulk API 2.0 instead of sObject Collections. Default: the
   * connection's `bulkThreshold`, else `DEFAULT_BULK_THRESHOLD` (2,000). `0` always uses bulk (for a
   * non-empty input); `Infinity` never does. `allOrNone: true` always uses Collections, whatever the size:
   * Bulk API 2.0 has no all-or-none.
   */
  readonly bulkThreshold?: number | undefined;
  /** Used when the save goes through Bulk API 2.0: polling, progress, job size, dialect. */
  readonly bulk?: BulkSaveOptions | undefined;
}

/** Options of `upsertMany`: `SaveManyOptions` and the external id field to match on. */
export interface UpsertManyOptions extends SaveManyOptions {
  /**
   * The field records are matched on (`Ext__c`, or `Id`). Default: the field a tracked record's
   * `setExternalId()` named (the first record's).
   */
  readonly externalIdField?: string | undefined;
}

/** What `deleteMany` accepts: Ids, or records with an `Id`. */
export type IdOrRecord = string | { readonly Id?: unknown };

/** What a size-aware save needs: the repository (for the Collections path) and a bound `Bulk`. */
export interface SaveManyTarget<T extends object> {
  readonly repository: SObject<T>;
  readonly bulk: Bulk;
  /** The connection's default threshold. */
  readonly bulkThreshold: number;
}

const THRESHOLD_RULE = 'must be a whole number of records (0 or more) or Infinity';
const thresholdSchema = z.union(
  [z.int({ error: THRESHOLD_RULE }).min(0, THRESHOLD_RULE), z.literal(Number.POSITIVE_INFINITY)],
  { error: THRESHOLD_RULE },
);

const saveManyShape = {
  allOrNone: z.boolean({ error: 'must be true or false' }).optional(),
  concurrency: z
    .int({ error: 'must be an integer' })
    .min(1, 'must be from 1 to 10')
    .max(10, 'must be from 1 to 10')
    .optional(),
  signal: z
    .custom<AbortSignal>((value) => value instanceof AbortSignal, { error: 'must be an AbortSignal' })
    .optional(),
  bulkThreshold: thresholdSchema.optional(),
  // Its members are checked by bulk.load(), which names each one.
  bulk: z.record(z.string(), z.unknown(), { error: 'must be an object of bulk load options' }).optional(),
};
const saveManySchema = z.strictObject(saveManyShape);
const upsertManySchema = z.strictObject({
  ...saveManyShape,
  externalIdField: z
    .string({ error: 'must be a field API name such as Ext__c' })
    .regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'must be a field API name such as Ext__c')
    .optional(),
});

/** Checks a threshold given to the connection; the same rule as the per-call option. */
export function checkBulkThreshold(value: unknown, field: string): number {
  const parsed = thresholdSchema.safeParse(value);
  if (!parsed.success) {
    throw new ConfigurationError([{ field, message: parsed.error.issues[0]?.message ?? 'is invalid' }]);
  }
  return parsed.data;
}

interface Parsed {
  readonly collections: CollectionOptions;
  readonly load: LoadOptions;
  readonly threshold: number;
  readonly externalIdField: string | undefined;
}

function parse(
  schema: typeof saveManySchema | typeof upsertManySchema,
  options: UpsertManyOptions | undefined,
  defaultThreshold: number,
  subject: string,
): Parsed {
  // Checked, then used as given: the members of `bulk` are checked by bulk.load() itself.
  parseOptions(schema, options, subject);
  const { bulkThreshold, bulk, externalIdField, ...collections } = (options ?? {}) as UpsertManyOptions;
  return {
    collections,
    load: { ...bulk, signal: collections.signal },
    threshold: bulkThreshold ?? defaultThreshold,
    externalIdField,
  };
}

/** Whether a save of `count` records goes through Bulk API 2.0. */
function viaBulk(count: number, parsed: Parsed): boolean {
  return parsed.collections.allOrNone !== true && count > parsed.threshold;
}

function inputArray<R>(records: readonly R[], subject: string, field: string): readonly R[] {
  if (!Array.isArray(records)) {
    throw new ConfigurationError([{ field, message: 'must be an array' }], subject);
  }
  return records;
}

/**
 * The fields of a record's row, as `SObject` would send them (never `Id` or `attributes`). A tracked
 * record with no changes still gets its row, of its Id alone, which changes nothing: results stay row for
 * row with the input.
 */
function rowFields(record: object, mode: PayloadMode): Record<string, unknown> {
  return fieldsToSend(record, mode) ?? {};
}

/**
 * Settles the records a bulk load saved, as `SObject` does after a save: a tracked record forgets its
 * changes and, after a create or an upsert (`takeId`), takes its Id.
 */
function settle(records: readonly object[], results: readonly SaveResult[], takeId: boolean): void {
  results.forEach((result, i) => {
    if (result.success) markSaved(records[i] as object, takeId ? result.id : undefined);
  });
}

function requireId(record: object, label: string, subject: string): string {
  const id = recordIdOf(record);
  if (!isRecordId(id)) {
    throw new ConfigurationError(
      [{ field: `${label}.Id`, message: 'must be a 15- or 18-character record Id' }],
      subject,
    );
  }
  return id;
}

function recordOf(value: unknown, label: string, subject: string): object {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigurationError([{ field: label, message: 'must be a record object' }], subject);
  }
  return value;
}

/** sObject Collections' error entry for a bulk row that failed or was never processed. */
function bulkErrors(row: LoadRowResult<unknown>): SaveError[] {
  if (row.status === 'failure') {
    return [{ statusCode: row.error.code, message: row.error.message, fields: row.error.fields }];
  }
  if (row.status === 'unprocessed') {
    const why = row.reason ?? 'the job ended before reaching it';
    return [
      {
        statusCode: BULK_UNPROCESSED,
        message: `Not processed by Bulk API job ${row.jobId}: ${why}. The record was not saved; send it again.`,
        fields: [],
      },
    ];
  }
  return [];
}

/** One bulk row outcome as an sObject Collections result; `inputId` stands in when the row has none. */
export function toSaveResult(row: LoadRowResult<unknown>, inputId: string | undefined): SaveResult {
  if (row.status === 'success') return { id: row.id, success: true, errors: [] };
  const id = row.status === 'failure' ? (row.id ?? inputId) : inputId;
  return { id, success: false, errors: bulkErrors(row) };
}

/** One bulk row outcome of an upsert as an sObject Collections upsert result. */
export function toUpsertResult(row: LoadRowResult<unknown>, inputId: string | undefined): UpsertResult {
  return { ...toSaveResult(row, inputId), created: row.status === 'success' && row.created };
}

/** Runs a bulk load and gives each input row its result, in input order. */
async function load<R>(
  bulk: Bulk,
  object: string,
  operation: IngestOperation,
  rows: readonly Record<string, unknown>[],
  options: LoadOptions,
  toResult: (row: LoadRowResult<unknown>, index: number) => R,
): Promise<R[]> {
  const { rows: outcomes } = await bulk.load(object, operation, rows, options);
  return outcomes.map((row, index) => toResult(row, index));
}

/** `createMany`: see `SaveManyOptions`. */
export async function createMany<T extends object>(
  target: SaveManyTarget<T>,
  records: readonly RecordInput<T>[],
  options?: SaveManyOptions,
): Promise<SaveResult[]> {
  const subject = 'createMany arguments';
  const parsed = parse(saveManySchema, options, target.bulkThreshold, 'createMany options');
  const list = inputArray(records, subject, 'records');
  if (!viaBulk(list.length, parsed)) return target.repository.create(list, parsed.collections);
  const rows = list.map((record, i) => rowFields(recordOf(record, `records[${i}]`, subject), 'all'));
  const results = await load(target.bulk, target.repository.type, 'insert', rows, parsed.load, (row) =>
    toSaveResult(row, undefined),
  );
  settle(list, results, true);
  return results;
}

/** `updateMany`: see `SaveManyOptions`. Every record needs its `Id`. */
export async function updateMany<T extends object>(
  target: SaveManyTarget<T>,
  records: readonly RecordInput<T>[],
  options?: SaveManyOptions,
): Promise<SaveResult[]> {
  const subject = 'updateMany arguments';
  const parsed = parse(saveManySchema, options, target.bulkThreshold, 'updateMany options');
  const list = inputArray(records, subject, 'records');
  if (!viaBulk(list.length, parsed)) return target.repository.update(list, parsed.collections);
  const ids: string[] = [];
  const rows = list.map((record, i) => {
    const label = `records[${i}]`;
    const id = requireId(recordOf(record, label, subject), label, subject);
    ids.push(id);
    return { Id: id, ...rowFields(record, 'changes') };
  });
  const results = await load(target.bulk, target.repository.type, 'update', rows, parsed.load, (row, i) =>
    toSaveResult(row, ids[i]),
  );
  settle(list, results, false);
  return results;
}

/** `upsertMany`: see `UpsertManyOptions`. */
export async function upsertMany<T extends object>(
  target: SaveManyTarget<T>,
  records: readonly RecordInput<T>[],
  options?: UpsertManyOptions,
): Promise<UpsertResult[]> {
  const subject = 'upsertMany arguments';
  const parsed = parse(upsertManySchema, options, target.bulkThreshold, 'upsertMany options');
  const list = inputArray(records, subject, 'records');
  if (!viaBulk(list.length, parsed)) {
    return target.repository.upsert(list, parsed.externalIdField, parsed.collections);
  }
  const first = list[0] === undefined ? undefined : externalIdOf(list[0]);
  const field = parsed.externalIdField ?? first?.field;
  if (field === undefined) {
    throw new ConfigurationError(
      [
        {
          field: 'externalIdField',
          message: 'is required (or set it on tracked records with setExternalId)',
        },
      ],
      'upsertMany options',
    );
  }
  const ids: (string | undefined)[] = [];
  const rows = list.map((record, i) => {
    const label = `records[${i}]`;
    const source = recordOf(record, label, subject);
    // A tracked record reads like a plain one: the key's value, changed or not.
    const value = (source as Record<string, unknown>)[field];
    if ((typeof value !== 'string' || value === '') && typeof value !== 'number') {
      throw new ConfigurationError(
        [{ field: `${label}.${field}`, message: 'must hold the external id (a string or number)' }],
        subject,
      );
    }
    ids.push(recordIdOf(source));
    return { ...rowFields(source, 'changes'), [field]: value };
  });
  const results = await load(
    target.bulk,
    target.repository.type,
    'upsert',
    rows,
    { ...parsed.load, externalIdField: field },
    (row, i) => toUpsertResult(row, ids[i]),
  );
  settle(list, results, true);
  return results;
}

/** `deleteMany`: see `SaveManyOptions`. Takes Ids or records with an `Id`. */
export async function deleteMany<T extends object>(
  target: SaveManyTarget<T>,
  idsOrRecords: readonly IdOrRecord[],
  options?: SaveManyOptions,
): Promise<SaveResult[]> {
  const subject = 'deleteMany arguments';
  const parsed = parse(saveManySchema, options, target.bulkThreshold, 'deleteMany options');
  const list = inputArray(idsOrRecords, subject, 'ids');
  if (!viaBulk(list.length, parsed)) return target.repository.destroy(list, parsed.collections);
  const ids = list.map((entry, i) => {
    const label = `ids[${i}]`;
    if (typeof entry === 'string') {
      if (!isRecordId(entry)) {
        throw new ConfigurationError(
          [{ field: label, message: 'must be a 15- or 18-character record Id' }],
          subject,
        );
      }
      return entry;
    }
    return requireId(recordOf(entry, label, subject), label, subject);
  });
  return load(
    target.bulk,
    target.repository.type,
    'delete',
    ids.map((Id) => ({ Id })),
    parsed.load,
    (row, i) => toSaveResult(row, ids[i]),
  );
}
