import type { DataStore } from '../data/store.js';
import { COLUMN_DELIMITERS, type ColumnDelimiter, type CsvDialect, type LineEnding } from './csv.js';
import { type InjectedFailure, RowProgress, settle, type WorkEnd } from './work.js';

/** What every job is created with, whichever API created it. */
export type JobIdentity<Operation extends string> = Pick<
  BulkJob<Operation>,
  'id' | 'object' | 'operation' | 'apiVersion' | 'createdById' | 'createdAt'
>;

/** A job of either API: who created it and when, on which object, and when it last changed. */
export abstract class BulkJob<Operation extends string> {
  readonly id: string;
  readonly object: string;
  readonly operation: Operation;
  readonly apiVersion: string;
  readonly createdById: string;
  readonly createdAt: number;
  /** When the job last changed (its `systemModstamp`). */
  modifiedAt: number;

  constructor(init: JobIdentity<Operation>) {
    this.id = init.id;
    this.object = init.object;
    this.operation = init.operation;
    this.apiVersion = init.apiVersion;
    this.createdById = init.createdById;
    this.createdAt = init.createdAt;
    this.modifiedAt = init.createdAt;
  }
}

/** What processing needs besides the data: the failure it drew, and the classic batch limits. */
export interface StartContext {
  readonly data: DataStore;
  /** The org's time (ms), for date literals in a query. */
  readonly now: number;
  readonly injected: InjectedFailure | undefined;
  /** Rows per classic query result file. */
  readonly resultRows: number;
  /** Records one classic batch may hold. */
  readonly maxRecords: number;
  /** A new classic query result id (`752…`). */
  nextResultId(): string;
}

/**
 * A unit of asynchronous work the scheduler runs: a Bulk 2.0 job or a classic batch. `start` moves it
 * to its running state (or fails it before any row is touched); `step` processes the next rows and
 * returns true while rows remain.
 */
export interface WorkUnit {
  start(context: StartContext): void;
  step(data: DataStore, limit: number): boolean;
  /** Whether `start` left it running. */
  readonly running: boolean;
  modifiedAt: number;
}

export type JobState = 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';

export const TERMINAL_STATES: ReadonlySet<JobState> = new Set(['JobComplete', 'Failed', 'Aborted']);

export interface V2JobInit<Operation extends string> extends JobIdentity<Operation> {
  readonly lineEnding: LineEnding;
  readonly columnDelimiter: ColumnDelimiter;
}

/**
 * A Bulk API 2.0 job (ingest or query): its state, CSV dialect and progress. Processing moves it
 * UploadComplete -> InProgress -> JobComplete, or Failed with an `errorMessage`; Aborted stops it.
 */
export abstract class V2Job<Operation extends string>
  extends BulkJob<Operation>
  implements WorkUnit, WorkEnd
{
  readonly lineEnding: LineEnding;
  readonly columnDelimiter: ColumnDelimiter;
  readonly concurrencyMode = 'Parallel';
  readonly contentType = 'CSV';
  abstract state: JobState;
  errorMessage: string | undefined;
  readonly progress = new RowProgress();

  constructor(init: V2JobInit<Operation>) {
    super(init);
    this.lineEnding = init.lineEnding;
    this.columnDelimiter = init.columnDelimiter;
  }

  get dialect(): CsvDialect {
    return { delimiter: COLUMN_DELIMITERS[this.columnDelimiter], lineEnding: this.lineEnding };
  }

  get terminal(): boolean {
    return TERMINAL_STATES.has(this.state);
  }

  get running(): boolean {
    return this.state === 'InProgress';
  }

  get numberRecordsProcessed(): number {
    return this.progress.processed;
  }

  get processingMs(): number {
    return this.progress.processingMs;
  }

  abstract start(context: StartContext): void;

  /** Processes rows `[from, end)`. */
  protected abstract process(data: DataStore, from: number, end: number): void;

  step(data: DataStore, limit: number): boolean {
    if (this.state !== 'InProgress') return false;
    return settle(
      this.progress.step(limit, (from, end) => this.process(data, from, end)),
      this,
    );
  }

  complete(): void {
    this.state = 'JobComplete';
  }

  fail(errorMessage: string): void {
    this.state = 'Failed';
    this.errorMessage = errorMessage;
  }
}
