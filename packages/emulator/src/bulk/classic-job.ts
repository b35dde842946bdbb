import type { DmlError } from '../data/errors.js';
import type { DataStore } from '../data/store.js';
import type { FieldType } from '../schema/types.js';
import { executeSoql, type QueryResultSet, SoqlError } from '../soql/index.js';
import { parseCsv } from './csv.js';
import type { InjectedFailure } from './ingest-job.js';
import { bulkQueryShape, columnTypes, isCompound } from './query-columns.js';
import {
  applyRecord,
  csvRecord,
  failedRecordId,
  type IngestOperation,
  planColumns,
  recordErrors,
} from './records.js';

export type ClassicOperation = IngestOperation | 'query' | 'queryAll';
export type ClassicContentType = 'CSV' | 'XML' | 'JSON';
export type ClassicJobState = 'Open' | 'Closed' | 'Aborted' | 'Failed';
export type BatchState = 'Queued' | 'InProgress' | 'Completed' | 'Failed' | 'NotProcessed';

export const CLASSIC_OPERATIONS: readonly ClassicOperation[] = [
  'insert',
  'update',
  'upsert',
  'delete',
  'hardDelete',
  'query',
  'queryAll',
];

export interface ClassicJobInit {
  readonly id: string;
  readonly operation: ClassicOperation;
  readonly object: string;
  readonly externalIdFieldName: string | undefined;
  readonly assignmentRuleId: string | undefined;
  readonly concurrencyMode: 'Parallel' | 'Serial';
  readonly contentType: ClassicContentType;
  readonly apiVersion: string;
  readonly createdById: string;
  readonly createdAt: number;
}

/** A classic (Bulk API 1.0) job: settings, state and its batches in the order they were added. */
export class ClassicJob implements ClassicJobInit {
  readonly id: string;
  readonly operation: ClassicOperation;
  readonly object: string;
  readonly externalIdFieldName: string | undefined;
  readonly assignmentRuleId: string | undefined;
  readonly concurrencyMode: 'Parallel' | 'Serial';
  readonly contentType: ClassicContentType;
  readonly apiVersion: string;
  readonly createdById: string;
  readonly createdAt: number;
  state: ClassicJobState = 'Open';
  modifiedAt: number;
  readonly batches: ClassicBatch[] = [];

  constructor(init: ClassicJobInit) {
    this.id = init.id;
    this.operation = init.operation;
    this.object = init.object;
    this.externalIdFieldName = init.externalIdFieldName;
    this.assignmentRuleId = init.assignmentRuleId;
    this.concurrencyMode = init.concurrencyMode;
    this.contentType = init.contentType;
    this.apiVersion = init.apiVersion;
    this.createdById = init.createdById;
    this.createdAt = init.createdAt;
    this.modifiedAt = init.createdAt;
  }

  get isQuery(): boolean {
    return this.operation === 'query' || this.operation === 'queryAll';
  }

  count(state: BatchState): number {
    return this.batches.filter((batch) => batch.state === state).length;
  }

  get numberRecordsProcessed(): number {
    return this.batches.reduce((sum, batch) => sum + batch.numberRecordsProcessed, 0);
  }

  get numberRecordsFailed(): number {
    return this.batches.reduce((sum, batch) => sum + batch.numberRecordsFailed, 0);
  }

  get processingMs(): number {
    return this.batches.reduce((sum, batch) => sum + batch.processingMs, 0);
  }
}

/** The outcome of one record of an ingest batch. */
export interface ClassicRecordResult {
  readonly id: string;
  readonly success: boolean;
  readonly created: boolean;
  readonly errors: readonly DmlError[];
}

/** One result file of a query batch: a `752…` id and the rows it covers. */
export interface ClassicResultFile {
  readonly id: string;
  readonly start: number;
  readonly end: number;
}

/** Records of an ingest batch, or why the batch cannot run (its `stateMessage`). */
export type BatchInput =
  | { readonly kind: 'records'; readonly records: readonly Record<string, unknown>[] }
  | { readonly kind: 'csv'; readonly header: readonly string[]; readonly rows: readonly string[][] }
  | { readonly kind: 'query'; readonly soql: string }
  | { readonly kind: 'invalid'; readonly stateMessage: string };

export interface ClassicBatchInit {
  readonly id: string;
  readonly job: ClassicJob;
  readonly createdAt: number;
  readonly request: Buffer;
  readonly requestContentType: string;
  readonly input: BatchInput;
}

/**
 * A classic batch: Queued -> InProgress -> Completed | Failed (NotProcessed when its job is aborted
 * first). Ingest records run through the same DML as REST writes; a query batch evaluates once and
 * splits its rows into result files.
 */
export class ClassicBatch {
  readonly id: string;
  readonly job: ClassicJob;
  readonly createdAt: number;
  readonly request: Buffer;
  readonly requestContentType: string;
  readonly input: BatchInput;
  state: BatchState = 'Queued';
  stateMessage: string | undefined;
  modifiedAt: number;
  numberRecordsProcessed = 0;
  numberRecordsFailed = 0;
  processingMs = 0;
  injected: InjectedFailure | undefined;
  readonly results: ClassicRecordResult[] = [];
  #records: readonly Record<string, unknown>[] = [];
  query: { readonly result: QueryResultSet; readonly types: readonly (FieldType | undefined)[] } | undefined;
  resultFiles: ClassicResultFile[] = [];

  constructor(init: ClassicBatchInit) {
    this.id = init.id;
    this.job = init.job;
    this.createdAt = init.createdAt;
    this.modifiedAt = init.createdAt;
    this.request = init.request;
    this.requestContentType = init.requestContentType;
    this.input = init.input;
  }

  /** Records this batch holds (after `start`). */
  get size(): number {
    return this.#records.length;
  }

  /** Moves to InProgress and prepares the records (or the query), failing the batch if it cannot run. */
  start(
    data: DataStore,
    options: { readonly resultRows: number; readonly maxRecords: number; nextResultId(): string },
  ): void {
    this.state = 'InProgress';
    const input = this.input;
    const job = this.job;
    if (input.kind === 'invalid') {
      this.fail(input.stateMessage);
      return;
    }
    const def = data.object(job.object);
    if (def === undefined) {
      this.fail(`InvalidBatch : Unable to find object: ${job.object}`);
      return;
    }
    if (input.kind === 'query') {
      this.#startQuery(data, input.soql, options);
      return;
    }
    if (input.kind === 'csv') {
      const plan = planColumns(def, input.header, data);
      if (typeof plan === 'string') {
        this.fail(plan);
        return;
      }
      this.#records = input.rows.map((row) => csvRecord(plan, row));
    } else this.#records = input.records;
    if (this.#records.length > options.maxRecords) {
      this.#records = [];
      this.fail(`InvalidBatch : Records in a batch exceeded the limit of ${options.maxRecords}`);
    }
  }

  #startQuery(
    data: DataStore,
    soql: string,
    options: { readonly resultRows: number; nextResultId(): string },
  ): void {
    const shape = bulkQueryShape(soql);
    if (shape?.unsupported !== undefined) {
      this.fail(`InvalidBatch : Failed to process query: FUNCTIONALITY_NOT_ENABLED: ${shape.unsupported}`);
      return;
    }
    let result: QueryResultSet;
    try {
      result = executeSoql(soql, data, {
        includeDeleted: this.job.operation === 'queryAll',
        apiVersion: this.job.apiVersion,
        userId: this.job.createdById,
      });
    } catch (error) {
      if (error instanceof SoqlError) {
        this.fail(`InvalidBatch : Failed to process query: ${error.errorCode}: ${error.message}`);
        return;
      }
      throw error;
    }
    const types = columnTypes(data, shape?.object ?? this.job.object, result.columns);
    if (types.some(isCompound)) {
      this.fail(
        'InvalidBatch : Failed to process query: FUNCTIONALITY_NOT_ENABLED: Selecting compound data not supported in Bulk Query',
      );
      return;
    }
    this.query = { result, types };
    // A query with no rows still has one (empty) result file.
    const size = result.size;
    for (let start = 0; start === 0 || start < size; start += options.resultRows) {
      this.resultFiles.push({
        id: options.nextResultId(),
        start,
        end: Math.min(size, start + options.resultRows),
      });
    }
  }

  /** Processes up to `limit` records in one transaction; returns true while records remain. */
  step(data: DataStore, limit: number): boolean {
    if (this.state !== 'InProgress') return false;
    const started = performance.now();
    const total = this.query !== undefined ? this.query.result.size : this.#records.length;
    const stop = this.injected === undefined ? total : Math.min(total, this.injected.afterRows);
    if (this.query !== undefined) {
      this.numberRecordsProcessed = Math.min(stop, this.numberRecordsProcessed + limit);
    } else {
      const from = this.results.length;
      const end = Math.min(stop, from + limit);
      const job = this.job;
      const operation = job.operation as IngestOperation;
      if (end > from) {
        data.transaction(
          (dml) => {
            for (let i = from; i < end; i++) {
              const record = this.#records[i] as Record<string, unknown>;
              try {
                const applied = dml.savepoint(() =>
                  applyRecord(dml, operation, job.object, job.externalIdFieldName, record),
                );
                this.results.push({ id: applied.id, success: true, created: applied.created, errors: [] });
              } catch (error) {
                this.results.push({
                  id: failedRecordId(operation, record),
                  success: false,
                  created: false,
                  errors: recordErrors(error),
                });
                this.numberRecordsFailed += 1;
              }
            }
          },
          { userId: job.createdById },
        );
      }
      this.numberRecordsProcessed = end;
    }
    this.processingMs += Math.round(performance.now() - started);
    if (this.injected !== undefined && this.numberRecordsProcessed >= stop) {
      this.fail(this.injected.errorMessage);
      return false;
    }
    if (this.numberRecordsProcessed >= total) {
      this.state = 'Completed';
      return false;
    }
    return true;
  }

  fail(stateMessage: string): void {
    this.state = 'Failed';
    this.stateMessage = stateMessage;
  }

  /**
   * One result per record in request order. Records a failed batch never reached report the batch's
   * failure, so a client can still pair every request row with a result row.
   */
  recordResults(): ClassicRecordResult[] {
    const out = [...this.results];
    const unreached = this.#records.length > 0 ? this.#records.length : this.#inputSize();
    for (let i = out.length; i < unreached; i++) {
      out.push({
        id: '',
        success: false,
        created: false,
        errors: [
          {
            statusCode: 'UNKNOWN_EXCEPTION',
            message: this.stateMessage ?? 'Record not processed',
            fields: [],
          },
        ],
      });
    }
    return out;
  }

  #inputSize(): number {
    const input = this.input;
    if (input.kind === 'csv') return input.rows.length;
    if (input.kind === 'records') return input.records.length;
    return 0;
  }
}

/** Parses a classic CSV batch body into its header and rows (or the batch's failure message). */
export function csvBatchInput(text: string): BatchInput {
  const parsed = parseCsv(text);
  if (parsed.problem !== undefined)
    return { kind: 'invalid', stateMessage: `InvalidBatch : ${parsed.problem}` };
  if (parsed.header.length === 0)
    return { kind: 'invalid', stateMessage: 'InvalidBatch : Records not processed' };
  const width = parsed.header.length;
  const bad = parsed.rows.findIndex((row) => row.length !== width);
  if (bad >= 0) {
    return {
      kind: 'invalid',
      stateMessage: `InvalidBatch : Wrong number of columns in row ${bad + 1}: the header has ${width}, the row has ${(parsed.rows[bad] as string[]).length}`,
    };
  }
  return { kind: 'csv', header: parsed.header, rows: parsed.rows };
}
