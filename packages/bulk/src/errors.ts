import { SalesforceError } from '@forcekit/core';

/**
 * The bulk package's errors: subclasses of core's `SalesforceError`, so one `instanceof SalesforceError`
 * and one `code` switch still cover everything forcekit throws.
 */

/** CSV text that cannot be decoded: `code` `INVALID_CSV`, and the 1-based row where it went wrong. */
export class CsvError extends SalesforceError {
  readonly row: number | undefined;

  constructor(message: string, row: number | undefined) {
    super('INVALID_CSV', message);
    this.row = row;
  }
}

/**
 * A bulk job ended `Failed` or `Aborted` where its results were needed (a query's records, a classic
 * batch's results). `code` is `JOB_FAILED` or `JOB_ABORTED`; `errorMessage` is Salesforce's reason.
 * (A failed ingest job does not throw from `load()`: its rows come back failed or unprocessed.)
 */
export class BulkJobError extends SalesforceError {
  readonly jobId: string;
  /** The classic batch that ended so, when it was one. */
  readonly batchId: string | undefined;
  readonly state: string;
  readonly errorMessage: string | undefined;

  constructor(init: {
    jobId: string;
    state: string;
    errorMessage?: string | undefined;
    batchId?: string | undefined;
  }) {
    const what =
      init.batchId === undefined ? `Bulk job ${init.jobId}` : `Batch ${init.batchId} of job ${init.jobId}`;
    super(
      init.state === 'Aborted' ? 'JOB_ABORTED' : 'JOB_FAILED',
      `${what} ended ${init.state}${init.errorMessage ? `: ${init.errorMessage}` : ''}`,
    );
    this.jobId = init.jobId;
    this.batchId = init.batchId;
    this.state = init.state;
    this.errorMessage = init.errorMessage;
  }
}

/**
 * Polling gave up after `pollTimeout` ms: the job (or classic batch) is still running on the server
 * (it is not aborted), so `bulk.job(jobId)` can wait for it later. `code` is `POLL_TIMEOUT`.
 */
export class PollTimeoutError extends SalesforceError {
  readonly jobId: string;
  readonly batchId: string | undefined;
  readonly timeout: number;
  /** The job's (or batch's) last known state. */
  readonly state: string;

  constructor(init: { jobId: string; batchId?: string | undefined; timeout: number; state: string }) {
    const what =
      init.batchId === undefined ? `Bulk job ${init.jobId}` : `Batch ${init.batchId} of job ${init.jobId}`;
    const resume =
      init.batchId === undefined
        ? `bulk.job('${init.jobId}')`
        : `bulk.job('${init.jobId}').batch('${init.batchId}')`;
    super(
      'POLL_TIMEOUT',
      `${what} was still ${init.state} after ${init.timeout} ms of polling; it keeps running on the server: resume with ${resume}`,
    );
    this.jobId = init.jobId;
    this.batchId = init.batchId;
    this.timeout = init.timeout;
    this.state = init.state;
  }
}

/**
 * `load()` stopped after it had created jobs: an upload failed, polling timed out, the connection
 * dropped. Jobs already closed keep running on the server; `jobIds` lists every job the load created,
 * so `bulk.job(id).results()` can collect their outcomes later. `code` is the cause's code; the job
 * that was still Open is aborted.
 */
export class BulkLoadError extends SalesforceError {
  readonly jobIds: readonly string[];
  /** Rows sent before the failure. */
  readonly rowsUploaded: number;

  constructor(cause: unknown, jobIds: readonly string[], rowsUploaded: number) {
    const code = cause instanceof SalesforceError ? cause.code : 'LOAD_FAILED';
    const message = cause instanceof Error ? cause.message : String(cause);
    super(code, `${message} (bulk load stopped after ${rowsUploaded} rows; jobs: ${jobIds.join(', ')})`, {
      cause,
    });
    this.jobIds = jobIds;
    this.rowsUploaded = rowsUploaded;
  }
}
