import type { DataStore } from '../data/store.js';
import { CsvParser, csvRow, LINE_ENDINGS, type RecordEnd } from './csv.js';
import { type JobState, type StartContext, V2Job, type V2JobInit } from './job.js';
import { bulkErrorText, type ColumnsPlan, csvRecord, type IngestOperation, planColumns } from './records.js';
import { applyRows, RowResults } from './work.js';

export interface IngestJobInit extends V2JobInit<IngestOperation> {
  readonly externalIdFieldName: string | undefined;
  readonly assignmentRuleId: string | undefined;
}

/** One uploaded header: its text as uploaded (result files echo it verbatim) and its fields. */
interface Header {
  readonly raw: string;
  readonly fields: readonly string[];
}

/**
 * A Bulk API 2.0 ingest job: its settings and state, the rows uploaded while it was Open, and one
 * outcome per row once processed. Every uploaded row ends in exactly one of the three result files.
 */
export class IngestJob extends V2Job<IngestOperation> {
  readonly externalIdFieldName: string | undefined;
  readonly assignmentRuleId: string | undefined;
  state: JobState = 'Open';
  header: Header | undefined;
  readonly rows: string[][] = [];
  /** Bytes uploaded so far (raw); Salesforce's limit counts them base64-encoded. */
  uploadedBytes = 0;
  /** The first CSV problem found in an upload: the job fails with it when processing starts. */
  problem: string | undefined;
  #results = new RowResults(0);
  #plan: ColumnsPlan | undefined;

  constructor(init: IngestJobInit) {
    super(init);
    this.externalIdFieldName = init.externalIdFieldName;
    this.assignmentRuleId = init.assignmentRuleId;
  }

  /** Whether any data was uploaded (the counters appear in the job info from then on). */
  get hasData(): boolean {
    return this.header !== undefined;
  }

  get numberRecordsFailed(): number {
    return this.#results.failed;
  }

  // ---- upload ---------------------------------------------------------------------------------

  /** Starts one upload (`PUT .../batches`); nothing is kept unless `commit()` is called. */
  beginUpload(): Upload {
    return new Upload(this);
  }

  // ---- processing -----------------------------------------------------------------------------

  /** Moves to InProgress and checks what can fail the whole job before any row is touched. */
  start({ data, injected }: StartContext): void {
    this.state = 'InProgress';
    this.progress.total = this.rows.length;
    this.progress.injected = injected;
    this.#results = new RowResults(this.rows.length);
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

  protected process(data: DataStore, from: number, end: number): void {
    const plan = this.#plan;
    if (plan === undefined) return;
    applyRows(data, this, this.#results, from, end, (row) => csvRecord(plan, this.rows[row] as string[]));
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
    const wanted = kind === 'successful' ? 'succeeded' : kind === 'failed' ? 'failed' : 'unprocessed';
    const results = this.#results;
    let out = '';
    let count = 0;
    for (let i = 0; i < this.rows.length; i++) {
      if (results.outcome(i) !== wanted) continue;
      const fields = this.rows[i] as string[];
      if (kind === 'successful') {
        out += csvRow([results.id(i), results.created(i) ? 'true' : 'false', ...fields], dialect);
      } else if (kind === 'failed') {
        out += csvRow([results.id(i), bulkErrorText(results.errors(i)), ...fields], dialect);
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
