import { AbortError, ConfigurationError, lazy, parseOptions, type Requester } from '@forcekit/core';
import { z } from 'zod';
import { dialectOf } from '../csv/dialect.js';
import { CsvEncoder } from '../csv/encoder.js';
import { BulkLoadError } from '../errors.js';
import { checkName, schemaParts } from '../internal/validate.js';
import type { PollOptions } from '../poll.js';
import type { BulkRecord } from '../records/cells.js';
import { type LoadInput, prepareInput, type RowBatch } from '../records/source.js';
import { IngestJob, type ResultFile, type ResultReader, resultReader } from './ingest-job.js';
import { type IngestOperation, isTerminal, type JobInfo } from './job-info.js';
import { RowLedger } from './ledger.js';
import { parseRecordError, type RecordError } from './record-error.js';
import { DEFAULT_MAX_BYTES_PER_JOB, JobSplitter } from './split.js';
import { waitForJobs } from './wait.js';

/** Options of `bulk.load()`. */
export interface LoadOptions extends PollOptions {
  /** The external id field an upsert matches on (`Ext__c`, or `Id`). Required for upsert. */
  readonly externalIdField?: string | undefined;
  /** The upload's line ending. Default `LF`. */
  readonly lineEnding?: 'LF' | 'CRLF' | undefined;
  /** The upload's delimiter, and the delimiter of CSV input. Default `COMMA`. */
  readonly columnDelimiter?: 'BACKQUOTE' | 'CARET' | 'COMMA' | 'PIPE' | 'SEMICOLON' | 'TAB' | undefined;
  /** The assignment rule to run for Cases and Leads. */
  readonly assignmentRuleId?: string | undefined;
  /**
   * The columns to upload, for record input. Default: every key of the records (for a stream, of the
   * first 1,000; a later record with a new key starts a new job); for delete and hardDelete, `Id` alone.
   */
  readonly columns?: readonly string[] | undefined;
  /** CSV bytes per job; bigger inputs are split over several jobs. Default 100 MiB (Salesforce allows 150 MB base64). */
  readonly maxBytesPerJob?: number | undefined;
  /** Rows per job, in addition to the byte limit. Default: no limit. */
  readonly maxRowsPerJob?: number | undefined;
  /** Called as rows are uploaded and as the jobs are processed: drive a progress bar with it. */
  readonly onProgress?: ((progress: LoadProgress) => void) | undefined;
}

/** Where a load stands. */
export interface LoadProgress {
  /** The jobs created so far. */
  readonly jobIds: readonly string[];
  readonly rowsUploaded: number;
  readonly bytesUploaded: number;
  /** True once every row is uploaded and every job closed. */
  readonly uploadComplete: boolean;
  /** Rows Salesforce has processed (successes and failures), over every job. */
  readonly rowsProcessed: number;
  readonly rowsFailed: number;
}

interface RowOutcomeBase<T> {
  /** The row's position in the input (0-based; for CSV, the first row after the header is 0). */
  readonly index: number;
  readonly jobId: string;
  /** The input object, when the input was an array. */
  readonly record: T | undefined;
}

export interface LoadSuccess<T> extends RowOutcomeBase<T> {
  readonly status: 'success';
  /** The record's Id. */
  readonly id: string;
  /** True when the row created the record (insert, or an upsert that inserted). */
  readonly created: boolean;
  /** The row's fields as uploaded, as Salesforce echoed them. */
  readonly fields: Readonly<Record<string, string>>;
}

export interface LoadFailure<T> extends RowOutcomeBase<T> {
  readonly status: 'failure';
  /** The record's Id when it had one (update, upsert by Id, delete); undefined for a failed insert. */
  readonly id: string | undefined;
  readonly error: RecordError;
  readonly fields: Readonly<Record<string, string>>;
}

export interface LoadUnprocessed<T> extends RowOutcomeBase<T> {
  readonly status: 'unprocessed';
  /** Why: the job's `errorMessage` when it failed, or that it was aborted. */
  readonly reason: string | undefined;
  /** The row's fields as uploaded; undefined when no result file mentioned the row at all. */
  readonly fields: Readonly<Record<string, string>> | undefined;
}

/** What happened to one input row: exactly one of the three. */
export type LoadRowResult<T> = LoadSuccess<T> | LoadFailure<T> | LoadUnprocessed<T>;

export interface LoadSummary {
  /** Input rows: always `succeeded + failed + unprocessed`. */
  readonly total: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly unprocessed: number;
  /** Successes that created a record (the rest updated or deleted one). */
  readonly created: number;
  readonly jobs: number;
  /**
   * Result rows whose echoed fields matched no uploaded row (Salesforce normally echoes them verbatim),
   * paired with the job's unmatched rows in order. 0 means every row was matched by its own fields.
   */
  readonly matchedByPosition: number;
}

/** The outcome of a load: one result per input row, in input order, and the jobs' final infos. */
export interface LoadResult<T> {
  /** One entry per input row: `rows[i].index === i`. */
  readonly rows: readonly LoadRowResult<T>[];
  readonly successes: readonly LoadSuccess<T>[];
  readonly failures: readonly LoadFailure<T>[];
  readonly unprocessed: readonly LoadUnprocessed<T>[];
  readonly summary: LoadSummary;
  readonly jobs: readonly JobInfo[];
}

export const INGEST_OPERATIONS = ['insert', 'update', 'upsert', 'delete', 'hardDelete'] as const;

const SUBJECT = 'bulk load options';
const loadOptionsSchema = lazy(() => {
  const parts = schemaParts();
  return z.strictObject({
    ...parts.ingestJob,
    columns: z
      .array(z.string().min(1, 'must not be empty'))
      .min(1, 'must name at least one column')
      .optional(),
    maxBytesPerJob: parts.positiveInt.optional(),
    maxRowsPerJob: parts.positiveInt.optional(),
    onProgress: z
      .custom<(progress: LoadProgress) => void>((value) => typeof value === 'function', {
        error: 'must be a function',
      })
      .optional(),
    ...parts.poll,
  });
});

/** Bytes of one upload piece: big enough for throughput, small enough to stream. */
const PIECE_CHARS = 256 * 1024;

/** Batches of rows with a read position, shared by the jobs of one load. */
class RowCursor {
  readonly #iterator: AsyncIterator<RowBatch>;
  batch: RowBatch | undefined;
  position = 0;
  #done = false;

  constructor(batches: AsyncIterable<RowBatch>) {
    this.#iterator = batches[Symbol.asyncIterator]();
  }

  /** True when a row is ready at `batch.rows[position]`. */
  async ready(): Promise<boolean> {
    while (!this.#done && (this.batch === undefined || this.position >= this.batch.rows.length)) {
      const next = await this.#iterator.next();
      if (next.done) {
        this.#done = true;
        this.batch = undefined;
      } else {
        this.batch = next.value;
        this.position = 0;
      }
    }
    return !this.#done;
  }

  async close(): Promise<void> {
    if (!this.#done) await this.#iterator.return?.();
  }
}

/** One job of a load: its rows' fingerprints and where they start in the input. */
interface JobRun {
  readonly job: IngestJob;
  readonly header: readonly string[];
  readonly ledger: RowLedger;
  readonly firstIndex: number;
  info: JobInfo;
}

/** Runs a whole load: split, upload, close, wait, collect, correlate. */
export async function load<T extends BulkRecord>(
  requester: Requester,
  object: string,
  operation: IngestOperation,
  input: LoadInput<T>,
  rawOptions: LoadOptions = {},
): Promise<LoadResult<T>> {
  checkName(object, 'object', 'bulk load');
  if (!(INGEST_OPERATIONS as readonly string[]).includes(operation)) {
    throw optionError('operation', `must be one of ${INGEST_OPERATIONS.join(', ')}`);
  }
  const options = parseOptions(loadOptionsSchema(), rawOptions, SUBJECT) as LoadOptions;
  if (operation === 'upsert' && options.externalIdField === undefined) {
    throw optionError('externalIdField', 'is required for upsert');
  }
  const dialect = dialectOf(options.columnDelimiter, options.lineEnding);
  const prepared = prepareInput(input, {
    columns: options.columns,
    delimiter: dialect.delimiter,
    idOnly: operation === 'delete' || operation === 'hardDelete',
  });
  const encoder = new CsvEncoder(dialect);
  const splitter = new JobSplitter(
    options.maxBytesPerJob ?? DEFAULT_MAX_BYTES_PER_JOB,
    options.maxRowsPerJob,
  );
  const cursor = new RowCursor(prepared.batches);
  const { signal } = options;
  const runs: JobRun[] = [];
  const progress = {
    rowsUploaded: 0,
    bytesUploaded: 0,
    uploadComplete: false,
    rowsProcessed: 0,
    rowsFailed: 0,
  };
  const report = () => options.onProgress?.({ jobIds: runs.map((run) => run.job.id), ...progress });

  // A failure reading the input surfaces inside the upload request; keep it to report it as it was.
  let inputError: unknown;

  /** The upload body of one job: its header, then rows until the job is full or the header changes. */
  async function* body(run: JobRun): AsyncGenerator<Uint8Array> {
    try {
      yield* jobRows(run);
    } catch (error) {
      inputError = error;
      throw error;
    }
  }

  async function* jobRows(run: JobRun): AsyncGenerator<Uint8Array> {
    const headerText = encoder.row(run.header);
    splitter.startJob(Buffer.byteLength(headerText));
    let piece = headerText;
    let pieceRows = 0;
    const flush = (): Uint8Array => {
      const bytes = Buffer.from(piece, 'utf8');
      progress.bytesUploaded += bytes.length;
      progress.rowsUploaded += pieceRows;
      piece = '';
      pieceRows = 0;
      report();
      return bytes;
    };
    while (await cursor.ready()) {
      const batch = cursor.batch as RowBatch;
      if (batch.header !== run.header) break;
      const rows = batch.rows;
      while (cursor.position < rows.length) {
        const text = encoder.row(rows[cursor.position] as readonly string[]);
        const index = run.firstIndex + run.ledger.count;
        if (!splitter.take(Buffer.byteLength(text), index)) {
          yield flush();
          return;
        }
        run.ledger.add(text);
        cursor.position++;
        piece += text;
        pieceRows++;
        if (piece.length >= PIECE_CHARS) yield flush();
      }
    }
    if (piece.length > 0) yield flush();
  }

  try {
    let nextIndex = 0;
    while (await cursor.ready()) {
      const header = (cursor.batch as RowBatch).header;
      const job = await IngestJob.create(requester, object, operation, { ...options, signal });
      const run: JobRun = { job, header, ledger: new RowLedger(), firstIndex: nextIndex, info: job.info };
      runs.push(run);
      report();
      await job.upload(body(run), { signal });
      run.info = await job.close({ signal });
      nextIndex += run.ledger.count;
    }
    progress.uploadComplete = true;
    report();
    const finals = await waitForJobs(
      runs.map((run) => run.job),
      options,
      (infos) => {
        progress.rowsProcessed = infos.reduce((sum, info) => sum + (info.numberRecordsProcessed ?? 0), 0);
        progress.rowsFailed = infos.reduce((sum, info) => sum + (info.numberRecordsFailed ?? 0), 0);
        report();
      },
    );
    finals.forEach((info, i) => {
      (runs[i] as JobRun).info = info;
    });
    return await collect(runs, encoder, prepared.records, nextIndex, signal);
  } catch (caught) {
    const error = inputError ?? caught;
    await cursor.close().catch(() => undefined);
    const aborted = signal?.aborted === true || error instanceof AbortError;
    // On abort every unfinished job goes; otherwise only the one still Open (its upload is incomplete).
    const doomed = runs.filter((run) => (aborted ? !isTerminal(run.info.state) : run.info.state === 'Open'));
    await Promise.all(doomed.map((run) => run.job.abort().catch(() => undefined)));
    if (aborted || runs.length === 0) throw error;
    throw new BulkLoadError(
      error,
      runs.map((run) => run.job.id),
      progress.rowsUploaded,
    );
  }
}

function optionError(field: string, message: string): ConfigurationError {
  return new ConfigurationError([{ field, message }], SUBJECT);
}

/** Reads every job's three result files and gives each input row its one outcome. */
async function collect<T>(
  runs: readonly JobRun[],
  encoder: CsvEncoder,
  records: readonly T[] | undefined,
  total: number,
  signal: AbortSignal | undefined,
): Promise<LoadResult<T>> {
  const rows = new Array<LoadRowResult<T>>(total);
  let matchedByPosition = 0;
  for (const run of runs) {
    matchedByPosition += await collectJob(run, encoder, records, rows, signal);
  }
  const successes: LoadSuccess<T>[] = [];
  const failures: LoadFailure<T>[] = [];
  const unprocessed: LoadUnprocessed<T>[] = [];
  let created = 0;
  for (const row of rows) {
    if (row.status === 'success') {
      successes.push(row);
      if (row.created) created++;
    } else if (row.status === 'failure') failures.push(row);
    else unprocessed.push(row);
  }
  return {
    rows,
    successes,
    failures,
    unprocessed,
    summary: {
      total,
      succeeded: successes.length,
      failed: failures.length,
      unprocessed: unprocessed.length,
      created,
      jobs: runs.length,
      matchedByPosition,
    },
    jobs: runs.map((run) => run.info),
  };
}

const RESULT_FILES: readonly ResultFile[] = ['successfulResults', 'failedResults', 'unprocessedrecords'];

/** Positions, in a result file's header, of the job's upload columns (by name; -1 when missing). */
function columnMap(upload: readonly string[], reader: ResultReader): number[] {
  return upload.map((name) => {
    let at = reader.names.indexOf(name);
    if (at < 0) {
      const wanted = name.trim().toLowerCase();
      at = reader.names.findIndex((candidate) => candidate.trim().toLowerCase() === wanted);
    }
    return at < 0 ? -1 : (reader.positions[at] as number);
  });
}

function unprocessedReason(info: JobInfo): string | undefined {
  if (info.state === 'Failed') return info.errorMessage ?? 'the job failed';
  if (info.state === 'Aborted') return 'the job was aborted';
  return undefined;
}

/** Matches one job's result rows to its uploaded rows; returns how many were matched by position. */
async function collectJob<T>(
  run: JobRun,
  encoder: CsvEncoder,
  records: readonly T[] | undefined,
  out: LoadRowResult<T>[],
  signal: AbortSignal | undefined,
): Promise<number> {
  const jobId = run.job.id;
  const reason = unprocessedReason(run.info);
  const orphans: ((index: number) => LoadRowResult<T>)[] = [];
  for (const file of RESULT_FILES) {
    let header: readonly string[] | undefined;
    let reader: ResultReader | undefined;
    let positions: number[] = [];
    for await (const batch of run.job.resultBatches(file, signal)) {
      if (batch.header !== header) {
        header = batch.header;
        reader = resultReader(header);
        positions = columnMap(run.header, reader);
      }
      const read = reader as ResultReader;
      for (const row of batch.rows) {
        const cells = positions.map((at) => (at < 0 ? '' : (row[at] ?? '')));
        const local = run.ledger.claim(encoder.row(cells));
        const make = outcomeMaker<T>(file, row, read, jobId, records, reason);
        if (local < 0) orphans.push(make);
        else out[run.firstIndex + local] = make(run.firstIndex + local);
      }
    }
  }
  const leftover = run.ledger.unclaimed();
  let next = 0;
  let byPosition = 0;
  for (const make of orphans) {
    const local = leftover[next++];
    if (local === undefined) break;
    out[run.firstIndex + local] = make(run.firstIndex + local);
    byPosition++;
  }
  for (; next < leftover.length; next++) {
    const index = run.firstIndex + (leftover[next] as number);
    out[index] = {
      status: 'unprocessed',
      index,
      jobId,
      record: records?.[index],
      reason: reason ?? `the row is in no result file of job ${jobId}`,
      fields: undefined,
    };
  }
  return byPosition;
}

function outcomeMaker<T>(
  file: ResultFile,
  row: readonly string[],
  reader: ResultReader,
  jobId: string,
  records: readonly T[] | undefined,
  reason: string | undefined,
): (index: number) => LoadRowResult<T> {
  return (index) => {
    const fields = reader.fields(row);
    const record = records?.[index];
    if (file === 'successfulResults') {
      return {
        status: 'success',
        index,
        jobId,
        record,
        id: row[reader.id] ?? '',
        created: row[reader.second] === 'true',
        fields,
      };
    }
    if (file === 'failedResults') {
      const id = row[reader.id];
      return {
        status: 'failure',
        index,
        jobId,
        record,
        id: id === undefined || id === '' ? undefined : id,
        error: parseRecordError(row[reader.second] ?? ''),
        fields,
      };
    }
    return { status: 'unprocessed', index, jobId, record, reason, fields };
  };
}
