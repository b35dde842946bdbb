import type { Readable } from 'node:stream';
import { ApiError, type Requester } from '@forcekit/core';
import type { ColumnDelimiter, LineEnding } from '../csv/dialect.js';
import { CSV_ACCEPT, csvResponse, JSON_HEADERS } from '../internal/http.js';
import { V2Job } from './job.js';
import { type IngestOperation, type JobInfo, toJobInfo } from './job-info.js';
import { parseRecordError, type RecordError } from './record-error.js';

/** Settings of a new ingest job (the JSON body of `POST /jobs/ingest`). */
export interface IngestJobOptions {
  /** The external id field an upsert matches on (`Ext__c`, or `Id`). Required for upsert. */
  readonly externalIdField?: string | undefined;
  /** Default `LF`. */
  readonly lineEnding?: LineEnding | undefined;
  /** Default `COMMA`. */
  readonly columnDelimiter?: ColumnDelimiter | undefined;
  /** The assignment rule to run for Cases and Leads. */
  readonly assignmentRuleId?: string | undefined;
  readonly signal?: AbortSignal | undefined;
}

/** One row of `successfulResults`. `fields` are the row's original fields, as uploaded. */
export interface SuccessfulResult {
  readonly id: string;
  readonly created: boolean;
  readonly fields: Readonly<Record<string, string>>;
}

/** One row of `failedResults`: `id` is the record's Id when it had one (updates, deletes), else undefined. */
export interface FailedResult {
  readonly id: string | undefined;
  readonly error: RecordError;
  readonly fields: Readonly<Record<string, string>>;
}

/** One row of `unprocessedrecords`: a row the job never got to (it failed or was aborted). */
export interface UnprocessedRecord {
  readonly fields: Readonly<Record<string, string>>;
}

/** The three result files of a finished ingest job, parsed. */
export interface IngestJobResults {
  readonly info: JobInfo;
  readonly successful: readonly SuccessfulResult[];
  readonly failed: readonly FailedResult[];
  readonly unprocessed: readonly UnprocessedRecord[];
}

/** The result files, by the path segment Salesforce names them with. */
export type ResultFile = 'successfulResults' | 'failedResults' | 'unprocessedrecords';

/** A header row and rows of one result file, in batches as they arrive. */
export interface ResultBatch {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** The JSON body of a job creation, from validated options. */
export function ingestJobBody(
  object: string,
  operation: IngestOperation,
  options: IngestJobOptions,
): Record<string, string> {
  const body: Record<string, string> = {
    object,
    operation,
    contentType: 'CSV',
    lineEnding: options.lineEnding ?? 'LF',
    columnDelimiter: options.columnDelimiter ?? 'COMMA',
  };
  if (options.externalIdField !== undefined) body.externalIdFieldName = options.externalIdField;
  if (options.assignmentRuleId !== undefined) body.assignmentRuleId = options.assignmentRuleId;
  return body;
}

/**
 * A Bulk API 2.0 ingest job: upload CSV, close, wait, read the three result files; or abort, delete.
 * `bulk.createIngestJob()` opens one; `bulk.load()` drives them for you (splitting, correlation,
 * progress); `bulk.job(id)` re-attaches to an existing one.
 */
export class IngestJob extends V2Job {
  constructor(requester: Requester, info: JobInfo) {
    super(requester, 'ingest', info);
  }

  /** Creates a job (`POST /jobs/ingest`); it starts Open. */
  static async create(
    requester: Requester,
    object: string,
    operation: IngestOperation,
    options: IngestJobOptions = {},
  ): Promise<IngestJob> {
    const path = 'jobs/ingest';
    const body = await requester.request({
      method: 'POST',
      path,
      body: ingestJobBody(object, operation, options),
      headers: JSON_HEADERS,
      signal: options.signal,
      // A repeated create makes at most a spare empty job: it cannot duplicate data.
      idempotent: true,
    });
    return new IngestJob(requester, toJobInfo('ingest', body, { method: 'POST', path }));
  }

  /**
   * Uploads CSV (`PUT .../batches`, `text/csv`): a header row of field names, then the rows, in the
   * job's dialect. A stream is sent as it is read (and so is never retried).
   */
  async upload(
    csv: string | Uint8Array | Readable | AsyncIterable<string | Uint8Array>,
    options: { signal?: AbortSignal | undefined } = {},
  ): Promise<void> {
    await this.requester.request({
      method: 'PUT',
      path: this.relative('/batches'),
      body: csv,
      headers: { 'content-type': 'text/csv' },
      signal: options.signal,
    });
  }

  /**
   * Marks the upload complete (`PATCH {"state":"UploadComplete"}`): Salesforce queues the job. When a
   * retried close meets `INVALIDJOBSTATE` because the first one did arrive, the job's info is returned.
   */
  async close(options: { signal?: AbortSignal | undefined } = {}): Promise<JobInfo> {
    try {
      return await this.setState('UploadComplete', options.signal);
    } catch (error) {
      if (!isInvalidJobState(error)) throw error;
      const info = await this.refresh(options.signal);
      if (info.state === 'Open') throw error;
      return info;
    }
  }

  /** One result file's rows as they stream in, header first (the raw CSV fields). */
  async *resultBatches(file: ResultFile, signal?: AbortSignal): AsyncGenerator<ResultBatch> {
    let header: string[] | undefined;
    const request = { path: this.relative(`/${file}`), headers: CSV_ACCEPT, signal };
    for await (const decoded of csvResponse(this.requester, request, this.delimiter)) {
      let rows = decoded;
      if (header === undefined) {
        header = rows[0] ?? [];
        rows = rows.slice(1);
      }
      if (rows.length > 0) yield { header, rows };
    }
  }

  /** `successfulResults/`: the rows saved, with the record Id and whether it was created. */
  async *successfulResults(signal?: AbortSignal): AsyncGenerator<SuccessfulResult> {
    for await (const { header, rows } of this.resultBatches('successfulResults', signal)) {
      const reader = resultReader(header);
      for (const row of rows) {
        yield {
          id: row[reader.id] ?? '',
          created: row[reader.second] === 'true',
          fields: reader.fields(row),
        };
      }
    }
  }

  /** `failedResults/`: the rows refused, with Salesforce's error. */
  async *failedResults(signal?: AbortSignal): AsyncGenerator<FailedResult> {
    for await (const { header, rows } of this.resultBatches('failedResults', signal)) {
      const reader = resultReader(header);
      for (const row of rows) {
        const id = row[reader.id];
        yield {
          id: id === undefined || id === '' ? undefined : id,
          error: parseRecordError(row[reader.second] ?? ''),
          fields: reader.fields(row),
        };
      }
    }
  }

  /** `unprocessedrecords/`: the rows the job never processed. */
  async *unprocessedRecords(signal?: AbortSignal): AsyncGenerator<UnprocessedRecord> {
    for await (const { header, rows } of this.resultBatches('unprocessedrecords', signal)) {
      const reader = resultReader(header);
      for (const row of rows) yield { fields: reader.fields(row) };
    }
  }

  /** Reads all three result files (wait for the job first). */
  async results(signal?: AbortSignal): Promise<IngestJobResults> {
    const successful: SuccessfulResult[] = [];
    const failed: FailedResult[] = [];
    const unprocessed: UnprocessedRecord[] = [];
    for await (const row of this.successfulResults(signal)) successful.push(row);
    for await (const row of this.failedResults(signal)) failed.push(row);
    for await (const row of this.unprocessedRecords(signal)) unprocessed.push(row);
    return { info: this.info, successful, failed, unprocessed };
  }
}

/** Where a result file keeps `sf__Id` and its second `sf__` column, and which columns are the row's own. */
export interface ResultReader {
  readonly id: number;
  readonly second: number;
  /** Positions of the original columns, and their names. */
  readonly positions: readonly number[];
  readonly names: readonly string[];
  fields(row: readonly string[]): Record<string, string>;
}

export function resultReader(header: readonly string[]): ResultReader {
  let id = -1;
  let second = -1;
  const positions: number[] = [];
  const names: string[] = [];
  header.forEach((name, i) => {
    if (name === 'sf__Id') id = i;
    else if (name === 'sf__Created' || name === 'sf__Error') second = i;
    else {
      positions.push(i);
      names.push(name);
    }
  });
  return {
    id,
    second,
    positions,
    names,
    fields(row) {
      const out: Record<string, string> = {};
      for (let k = 0; k < positions.length; k++) out[names[k] as string] = row[positions[k] as number] ?? '';
      return out;
    },
  };
}

/** True for the error Salesforce answers when a job cannot change state any more (already finished). */
export function isInvalidJobState(error: unknown): boolean {
  return error instanceof ApiError && error.code === 'INVALIDJOBSTATE';
}
