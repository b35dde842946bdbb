import type { FieldType } from '../schema/types.js';
import type { QueryResultSet } from '../soql/index.js';
import { COLUMN_DELIMITERS, type ColumnDelimiter, type CsvDialect, csvRow, type LineEnding } from './csv.js';
import type { InjectedFailure, JobState } from './ingest-job.js';
import { csvRows } from './query-columns.js';

export type QueryOperation = 'query' | 'queryAll';

export interface QueryJobInit {
  readonly id: string;
  readonly object: string;
  readonly operation: QueryOperation;
  readonly query: string;
  readonly lineEnding: LineEnding;
  readonly columnDelimiter: ColumnDelimiter;
  readonly apiVersion: string;
  readonly createdById: string;
  readonly createdAt: number;
  /** The query's rows, evaluated once when the job was created. */
  readonly result: QueryResultSet;
  readonly types: readonly (FieldType | undefined)[];
}

/** Rows rendered per piece of a results response: the body streams, never one big string. */
const PIECE_ROWS = 1000;

/**
 * A Bulk API 2.0 query job. Its rows are evaluated once at creation (a snapshot, as Salesforce's is);
 * processing only moves the state and the counter, and results are rendered slice by slice.
 */
export class QueryJob implements QueryJobInit {
  readonly id: string;
  readonly object: string;
  readonly operation: QueryOperation;
  readonly query: string;
  readonly lineEnding: LineEnding;
  readonly columnDelimiter: ColumnDelimiter;
  readonly apiVersion: string;
  readonly createdById: string;
  readonly createdAt: number;
  readonly result: QueryResultSet;
  readonly types: readonly (FieldType | undefined)[];
  state: JobState = 'UploadComplete';
  modifiedAt: number;
  numberRecordsProcessed = 0;
  processingMs = 0;
  errorMessage: string | undefined;
  injected: InjectedFailure | undefined;

  constructor(init: QueryJobInit) {
    this.id = init.id;
    this.object = init.object;
    this.operation = init.operation;
    this.query = init.query;
    this.lineEnding = init.lineEnding;
    this.columnDelimiter = init.columnDelimiter;
    this.apiVersion = init.apiVersion;
    this.createdById = init.createdById;
    this.createdAt = init.createdAt;
    this.modifiedAt = init.createdAt;
    this.result = init.result;
    this.types = init.types;
  }

  get dialect(): CsvDialect {
    return { delimiter: COLUMN_DELIMITERS[this.columnDelimiter], lineEnding: this.lineEnding };
  }

  get size(): number {
    return this.result.size;
  }

  start(): void {
    this.state = 'InProgress';
  }

  /** Counts up to `limit` more rows as processed; returns true while rows remain. */
  step(limit: number): boolean {
    if (this.state !== 'InProgress') return false;
    const stop = this.injected === undefined ? this.size : Math.min(this.size, this.injected.afterRows);
    this.numberRecordsProcessed = Math.min(stop, this.numberRecordsProcessed + limit);
    if (this.injected !== undefined && this.numberRecordsProcessed >= stop) {
      this.state = 'Failed';
      this.errorMessage = this.injected.errorMessage;
      return false;
    }
    if (this.numberRecordsProcessed >= this.size) {
      this.state = 'JobComplete';
      return false;
    }
    return true;
  }

  /** Rows `[start, end)` as CSV: the quoted header in SELECT order, then the rows, piece by piece. */
  *csv(start: number, end: number): Generator<string> {
    const dialect = this.dialect;
    yield csvRow(this.result.columns, dialect);
    const types = this.types;
    for (let from = start; from < end; from += PIECE_ROWS) {
      yield csvRows(this.result.rows(from, Math.min(end, from + PIECE_ROWS)), types, dialect);
    }
  }
}

/** `Sforce-Locator` values: the next row's offset, base64 without padding (`MTAwMDA` for 10000). */
export function encodeLocator(offset: number): string {
  return Buffer.from(String(offset), 'utf8').toString('base64').replace(/=+$/, '');
}

export function decodeLocator(locator: string): number | undefined {
  if (!/^[A-Za-z0-9+/]+$/.test(locator)) return undefined;
  const text = Buffer.from(locator, 'base64').toString('utf8');
  if (!/^\d+$/.test(text)) return undefined;
  const offset = Number(text);
  return Number.isSafeInteger(offset) ? offset : undefined;
}
