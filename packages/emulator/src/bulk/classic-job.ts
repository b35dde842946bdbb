import type { DmlError } from '../data/errors.js';
import type { DataStore } from '../data/store.js';
import type { FieldType } from '../schema/types.js';
import type { QueryResultSet } from '../soql/index.js';
import { parseCsv } from './csv.js';
import { BulkJob, type JobIdentity, type StartContext, type WorkUnit } from './job.js';
import { chunkQuery, chunkRanges, type PkChunking, unchunkable } from './pk-chunking.js';
import { prepareBulkQuery, type QueryRefusal } from './query-columns.js';
import { csvRecord, INGEST_OPERATIONS, type IngestOperation, planColumns } from './records.js';
import { applyRows, RowProgress, RowResults, settle, type WorkEnd } from './work.js';

export type ClassicOperation = IngestOperation | 'query' | 'queryAll';
export type ClassicContentType = 'CSV' | 'XML' | 'JSON';
export type ClassicJobState = 'Open' | 'Closed' | 'Aborted' | 'Failed';
export type BatchState = 'Queued' | 'InProgress' | 'Completed' | 'Failed' | 'NotProcessed';

export const CLASSIC_OPERATIONS: readonly ClassicOperation[] = [...INGEST_OPERATIONS, 'query', 'queryAll'];

export interface ClassicJobInit extends JobIdentity<ClassicOperation> {
  readonly externalIdFieldName: string | undefined;
  readonly assignmentRuleId: string | undefined;
  readonly concurrencyMode: 'Parallel' | 'Serial';
  readonly contentType: ClassicContentType;
  /** Set when the job was created with `Sforce-Enable-PKChunking` (query jobs split their batches). */
  readonly pkChunking: PkChunking | undefined;
}

/** A classic (Bulk API 1.0) job: settings, state and its batches in the order they were added. */
export class ClassicJob extends BulkJob<ClassicOperation> {
  readonly externalIdFieldName: string | undefined;
  readonly assignmentRuleId: string | undefined;
  readonly concurrencyMode: 'Parallel' | 'Serial';
  readonly contentType: ClassicContentType;
  readonly pkChunking: PkChunking | undefined;
  state: ClassicJobState = 'Open';
  readonly batches: ClassicBatch[] = [];

  constructor(init: ClassicJobInit) {
    super(init);
    this.externalIdFieldName = init.externalIdFieldName;
    this.assignmentRuleId = init.assignmentRuleId;
    this.concurrencyMode = init.concurrencyMode;
    this.contentType = init.contentType;
    this.pkChunking = init.pkChunking;
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
  | {
      readonly kind: 'query';
      readonly soql: string;
      /** For the batches of a PK-chunked query: their query is one chunk's, not split again. */
      readonly chunk?: true;
    }
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
export class ClassicBatch implements WorkUnit, WorkEnd {
  readonly id: string;
  readonly job: ClassicJob;
  readonly createdAt: number;
  readonly request: Buffer;
  readonly requestContentType: string;
  readonly input: BatchInput;
  state: BatchState = 'Queued';
  stateMessage: string | undefined;
  modifiedAt: number;
  readonly progress = new RowProgress();
  #results = new RowResults(0);
  #records: readonly Record<string, unknown>[] = [];
  query: { readonly result: QueryResultSet; readonly types: readonly (FieldType | undefined)[] } | undefined;
  resultFiles: ClassicResultFile[] = [];
  /**
   * For a query batch of a PK-chunking job: the query of each chunk, for the batches that take its
   * place (this batch then stays NotProcessed, as Salesforce leaves the original batch).
   */
  chunkQueries: readonly string[] = [];

  constructor(init: ClassicBatchInit) {
    this.id = init.id;
    this.job = init.job;
    this.createdAt = init.createdAt;
    this.modifiedAt = init.createdAt;
    this.request = init.request;
    this.requestContentType = init.requestContentType;
    this.input = init.input;
  }

  get running(): boolean {
    return this.state === 'InProgress';
  }

  get numberRecordsProcessed(): number {
    return this.progress.processed;
  }

  get numberRecordsFailed(): number {
    return this.#results.failed;
  }

  get processingMs(): number {
    return this.progress.processingMs;
  }

  /** Moves to InProgress and prepares the records (or the query), failing the batch if it cannot run. */
  start(context: StartContext): void {
    this.state = 'InProgress';
    this.progress.injected = context.injected;
    const { data } = context;
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
      this.#startQuery(data, input.soql, input.chunk === true, context);
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
    if (this.#records.length > context.maxRecords) {
      this.#records = [];
      this.fail(`InvalidBatch : Records in a batch exceeded the limit of ${context.maxRecords}`);
      return;
    }
    this.progress.total = this.#records.length;
    this.#results = new RowResults(this.#records.length);
  }

  #startQuery(data: DataStore, soql: string, isChunk: boolean, context: StartContext): void {
    const job = this.job;
    const prepared = prepareBulkQuery(soql, data, {
      includeDeleted: job.operation === 'queryAll',
      apiVersion: job.apiVersion,
      now: new Date(context.now),
      userId: job.createdById,
    });
    if ('kind' in prepared) {
      this.fail(classicRefusal(prepared, job.contentType));
      return;
    }
    if (prepared.object !== job.object) {
      this.fail(
        `InvalidBatch : Failed to process query: INVALID_TYPE_FOR_OPERATION: The root entity of the requested query (${prepared.object}) does not match the entity of the requested Bulk API Job (${job.object}).`,
      );
      return;
    }
    if (job.pkChunking !== undefined && !isChunk) {
      this.#split(data, soql, job.pkChunking);
      return;
    }
    const { result, types } = prepared;
    this.query = { result, types };
    this.progress.total = result.size;
    // A query with no rows still has one (empty) result file.
    for (let start = 0; start === 0 || start < result.size; start += context.resultRows) {
      this.resultFiles.push({
        id: context.nextResultId(),
        start,
        end: Math.min(result.size, start + context.resultRows),
      });
    }
  }

  /** Splits a valid query into one query per chunk of ids; the chunk batches run it, not this one. */
  #split(data: DataStore, soql: string, chunking: PkChunking): void {
    const why = unchunkable(soql);
    if (why !== undefined) {
      this.fail(
        `InvalidBatch : PK chunking works only with queries without subqueries or clauses other than WHERE: ${why}`,
      );
      return;
    }
    const def = data.object(this.job.object);
    const rows = data.records(this.job.object);
    this.chunkQueries = chunkRanges(rows, chunking, def?.keyPrefix ?? '000').map((range) =>
      chunkQuery(soql, range),
    );
    this.state = 'NotProcessed';
  }

  /** Processes up to `limit` records in one transaction; returns true while records remain. */
  step(data: DataStore, limit: number): boolean {
    if (this.state !== 'InProgress') return false;
    const job = this.job;
    const records = this.#records;
    const target = {
      operation: job.operation as IngestOperation,
      object: job.object,
      externalIdFieldName: job.externalIdFieldName,
      createdById: job.createdById,
    };
    const outcome = this.progress.step(limit, (from, end) => {
      // A query batch's rows were evaluated when it started: processing only counts them.
      if (this.query === undefined) {
        applyRows(data, target, this.#results, from, end, (row) => records[row] as Record<string, unknown>);
      }
    });
    return settle(outcome, this);
  }

  complete(): void {
    this.state = 'Completed';
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
    const count = this.#records.length > 0 ? this.#records.length : this.#inputSize();
    const results = this.#results;
    const out: ClassicRecordResult[] = [];
    for (let row = 0; row < count; row++) {
      const outcome = results.outcome(row);
      if (outcome === 'unprocessed') {
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
      } else {
        const success = outcome === 'succeeded';
        out.push({
          id: results.id(row),
          success,
          created: success && results.created(row),
          errors: results.errors(row),
        });
      }
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

/**
 * A refused query as the batch's `stateMessage`, worded as Salesforce words it for classic batches
 * (`InvalidBatch : Failed to process query: INVALID_FIELD: ...`).
 */
function classicRefusal(refusal: QueryRefusal, contentType: ClassicContentType): string {
  const failed = 'InvalidBatch : Failed to process query:';
  switch (refusal.kind) {
    case 'soql':
      return `${failed} ${refusal.error.errorCode}: ${refusal.error.message}`;
    case 'subquery':
      return contentType === 'CSV'
        ? 'FeatureNotEnabled : Aggregate Relationships not supported in Bulk Query with CSV content type'
        : `${failed} FUNCTIONALITY_NOT_ENABLED: Aggregate Relationships not supported in Bulk Query`;
    case 'aggregate':
      return `${failed} FUNCTIONALITY_NOT_ENABLED: Aggregate queries not supported in Bulk Query`;
    case 'compound':
      return `${failed} FUNCTIONALITY_NOT_ENABLED: Selecting compound data not supported in Bulk Query`;
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
