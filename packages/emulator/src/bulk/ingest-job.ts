import type { DataStore } from '../data/store.js';
import {
  COLUMN_DELIMITERS,
  type ColumnDelimiter,
  type CsvDialect,
  CsvParser,
  csvRow,
  LINE_ENDINGS,
  type LineEnding,
  type RecordEnd,
} from './csv.js';
import {
  applyRecord,
  bulkErrorText,
  type ColumnsPlan,
  csvRecord,
  failedRecordId,
  type IngestOperation,
  planColumns,
  recordErrors,
} from './records.js';

export type JobState = 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';

export const TERMINAL_STATES: ReadonlySet<JobState> = new Set(['JobComplete', 'Failed', 'Aborted']);

/** What a failure injected with `org.bulk.failNextJob()` does to the job that draws it. */
export interface InjectedFailure {
  readonly afterRows: number;
  readonly errorMessage: string;
}

export interface IngestJobInit {
  readonly id: string;
  readonly object: string;
  readonly operation: IngestOperation;
  readonly externalIdFieldName: string | undefined;
  readonly assignmentRuleId: string | undefined;
  readonly lineEnding: LineEnding;
  readonly columnDelimiter: ColumnDelimiter;
  readonly apiVersion: string;
  readonly createdById: string;
  readonly createdAt: number;
}

const UNPROCESSED = 0;
const SUCCEEDED = 1;
const FAILED = 2;

/** One uploaded header: its text as uploaded (result files echo it verbatim) and its fields. */
interface Header {
  readonly raw: string;
  readonly fields: readonly string[];
}

/**
 * A Bulk API 2.0 ingest job: its settings and state, the rows uploaded while it was Open, and one
 * outcome per row once processed. Every uploaded row ends in exactly one of the three result files.
 */
export class IngestJob implements IngestJobInit {
  readonly id: string;
  readonly object: string;
  readonly operation: IngestOperation;
  readonly externalIdFieldName: string | undefined;
  readonly assignmentRuleId: string | undefined;
  readonly lineEnding: LineEnding;
  readonly columnDelimiter: ColumnDelimiter;
  readonly apiVersion: string;
  readonly createdById: string;
  readonly createdAt: number;
  state: JobState = 'Open';
  modifiedAt: number;
  header: Header | undefined;
  readonly rows: string[][] = [];
  /** Bytes uploaded so far (raw); Salesforce's limit counts them base64-encoded. */
  uploadedBytes = 0;
  /** The first CSV problem found in an upload: the job fails with it when processing starts. */
  problem: string | undefined;
  errorMessage: string | undefined;
  numberRecordsProcessed = 0;
  numberRecordsFailed = 0;
  processingMs = 0;
  injected: InjectedFailure | undefined;
  #outcomes = new Uint8Array(0);
  #created = new Uint8Array(0);
  #ids: string[] = [];
  readonly #errors = new Map<number, string>();
  #next = 0;
  #plan: ColumnsPlan | undefined;

  constructor(init: IngestJobInit) {
    this.id = init.id;
    this.object = init.object;
    this.operation = init.operation;
    this.externalIdFieldName = init.externalIdFieldName;
    this.assignmentRuleId = init.assignmentRuleId;
    this.lineEnding = init.lineEnding;
    this.columnDelimiter = init.columnDelimiter;
    this.apiVersion = init.apiVersion;
    this.createdById = init.createdById;
    this.createdAt = init.createdAt;
    this.modifiedAt = init.createdAt;
  }

  get dialect(): CsvDialect {
    return { delimiter: COLUMN_DELIMITERS[this.columnDelimiter], lineEnding: this.lineEnding };
  }

  get terminal(): boolean {
    return TERMINAL_STATES.has(this.state);
  }

  /** Whether any data was uploaded (the counters appear in the job info from then on). */
  get hasData(): boolean {
    return this.header !== undefined;
  }

  // ---- upload ---------------------------------------------------------------------------------

  /** Starts one upload (`PUT .../batches`); nothing is kept unless `commit()` is called. */
  beginUpload(): Upload {
    return new Upload(this);
  }

  // ---- processing -----------------------------------------------------------------------------

  /** Moves to InProgress and checks what can fail the whole job before any row is touched. */
  start(data: DataStore): void {
    this.state = 'InProgress';
    const count = this.rows.length;
    this.#outcomes = new Uint8Array(count);
    this.#created = new Uint8Array(count);
    this.#ids = new Array<string>(count).fill('');
    if (this.problem !== undefined) {
      this.fail(this.problem);
      return;
    }
    if (this.header === undefined) return;
    const def = data.object(this.object);
    if (def === undefined) {
      this.fail(`InvalidJob : Unable to find object: ${this.object}`);
      return;
    }
    const plan = planColumns(def, this.header.fields, data);
    if (typeof plan === 'string') this.fail(plan);
    else this.#plan = plan;
  }

  /** Processes up to `limit` rows in one transaction; returns true when rows remain. */
  step(data: DataStore, limit: number): boolean {
    if (this.state !== 'InProgress') return false;
    const plan = this.#plan;
    const end = Math.min(this.rows.length, this.#next + limit, this.#failurePoint());
    const started = performance.now();
    if (plan !== undefined && end > this.#next) {
      data.transaction(
        (dml) => {
          for (let i = this.#next; i < end; i++) {
            const record = csvRecord(plan, this.rows[i] as string[]);
            try {
              const applied = dml.savepoint(() =>
                applyRecord(dml, this.operation, this.object, this.externalIdFieldName, record),
              );
              this.#outcomes[i] = SUCCEEDED;
              this.#created[i] = applied.created ? 1 : 0;
              this.#ids[i] = applied.id;
            } catch (error) {
              this.#outcomes[i] = FAILED;
              this.#ids[i] = failedRecordId(this.operation, record);
              this.#errors.set(i, bulkErrorText(recordErrors(error)));
              this.numberRecordsFailed += 1;
            }
          }
        },
        { userId: this.createdById },
      );
      this.numberRecordsProcessed += end - this.#next;
      this.#next = end;
    }
    this.processingMs += Math.round(performance.now() - started);
    if (this.injected !== undefined && this.#next >= this.#failurePoint()) {
      this.fail(this.injected.errorMessage);
      return false;
    }
    if (this.#next >= this.rows.length) {
      this.state = 'JobComplete';
      return false;
    }
    return true;
  }

  #failurePoint(): number {
    return this.injected === undefined ? Number.POSITIVE_INFINITY : this.injected.afterRows;
  }

  fail(errorMessage: string): void {
    this.state = 'Failed';
    this.errorMessage = errorMessage;
  }

  // ---- results --------------------------------------------------------------------------------

  /**
   * One result file in pieces of about `piece` rows: `successfulResults` (`"sf__Id","sf__Created",`
   * + the header as uploaded), `failedResults` (`"sf__Id","sf__Error",` + header) or
   * `unprocessedrecords` (the header alone); values always quoted.
   */
  *results(kind: ResultKind, piece = 1000): Generator<string> {
    const dialect = this.dialect;
    const eol = LINE_ENDINGS[dialect.lineEnding];
    const d = dialect.delimiter;
    const raw = this.header?.raw ?? '';
    const prefix =
      kind === 'successful'
        ? `"sf__Id"${d}"sf__Created"`
        : kind === 'failed'
          ? `"sf__Id"${d}"sf__Error"`
          : undefined;
    yield prefix === undefined ? raw + eol : raw === '' ? prefix + eol : prefix + d + raw + eol;
    const wanted = kind === 'successful' ? SUCCEEDED : kind === 'failed' ? FAILED : UNPROCESSED;
    const outcomes = this.#outcomes;
    let out = '';
    let count = 0;
    for (let i = 0; i < this.rows.length; i++) {
      // Rows past the outcome array were never looked at (a job aborted before it started).
      const outcome = i < outcomes.length ? (outcomes[i] as number) : UNPROCESSED;
      if (outcome !== wanted) continue;
      const fields = this.rows[i] as string[];
      if (kind === 'successful') {
        out += csvRow(
          [this.#ids[i] as string, this.#created[i] === 1 ? 'true' : 'false', ...fields],
          dialect,
        );
      } else if (kind === 'failed') {
        out += csvRow([this.#ids[i] as string, this.#errors.get(i) ?? '', ...fields], dialect);
      } else out += csvRow(fields, dialect);
      if (++count >= piece) {
        yield out;
        out = '';
        count = 0;
      }
    }
    if (out !== '') yield out;
  }
}

export type ResultKind = 'successful' | 'failed' | 'unprocessed';

/** One `PUT .../batches` in progress: parses as the bytes arrive and keeps rows only on commit. */
export class Upload {
  readonly #job: IngestJob;
  readonly #parser: CsvParser;
  readonly #rows: string[][] = [];
  #header: { raw: string; fields: string[] } | undefined;
  #problem: string | undefined;
  #bytes = 0;

  constructor(job: IngestJob) {
    this.#job = job;
    const expected = job.lineEnding;
    this.#parser = new CsvParser(job.dialect.delimiter, {
      record: (fields: string[], end: RecordEnd, raw: string | undefined) => {
        if (end !== 'EOF' && end !== expected) {
          this.#problem ??= `ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is ${expected}`;
        }
        if (raw !== undefined) {
          this.#header = { raw, fields };
          return;
        }
        const width = this.#header?.fields.length ?? 0;
        if (fields.length !== width) {
          this.#problem ??= `InvalidBatch : Wrong number of columns in row ${this.#rows.length + 1}: the header has ${width}, the row has ${fields.length}`;
        }
        this.#rows.push(fields);
      },
    });
  }

  /** Raw bytes seen so far in this upload. */
  get bytes(): number {
    return this.#bytes;
  }

  push(text: string, byteLength: number): void {
    this.#bytes += byteLength;
    this.#parser.push(text);
  }

  /** Ends parsing; returns why the upload cannot join the job, or undefined when it can. */
  finish(): string | undefined {
    this.#parser.end();
    const header = this.#header;
    const first = this.#job.header;
    if (header !== undefined && first !== undefined && !sameFields(header.fields, first.fields)) {
      return `the header of this upload (${header.fields.join(',')}) differs from the job's first upload (${first.fields.join(',')})`;
    }
    return undefined;
  }

  commit(): void {
    const job = this.#job;
    job.uploadedBytes += this.#bytes;
    if (this.#header === undefined) return;
    job.header ??= this.#header;
    job.problem ??=
      this.#parser.problem === undefined ? this.#problem : `InvalidBatch : ${this.#parser.problem}`;
    for (const row of this.#rows) job.rows.push(row);
  }
}

function sameFields(a: readonly string[], b: readonly string[]): boolean {
  return (
    a.length === b.length && a.every((field, i) => field.trim().toLowerCase() === b[i]?.trim().toLowerCase())
  );
}
