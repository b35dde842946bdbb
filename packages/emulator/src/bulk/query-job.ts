import type { FieldType } from '../schema/types.js';
import type { QueryResultSet } from '../soql/index.js';
import { csvRow } from './csv.js';
import { type JobState, type StartContext, V2Job, type V2JobInit } from './job.js';
import { csvRows } from './query-columns.js';

export type QueryOperation = 'query' | 'queryAll';

export interface QueryJobInit extends V2JobInit<QueryOperation> {
  readonly query: string;
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
export class QueryJob extends V2Job<QueryOperation> {
  readonly query: string;
  readonly result: QueryResultSet;
  readonly types: readonly (FieldType | undefined)[];
  state: JobState = 'UploadComplete';

  constructor(init: QueryJobInit) {
    super(init);
    this.query = init.query;
    this.result = init.result;
    this.types = init.types;
  }

  get size(): number {
    return this.result.size;
  }

  start({ injected }: StartContext): void {
    this.state = 'InProgress';
    this.progress.total = this.size;
    this.progress.injected = injected;
  }

  /** The rows were evaluated at creation: processing only counts them. */
  protected process(): void {}

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
