import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { ConfigurationError } from '@forcekit/core';
import { decodeCsvStream } from '../csv/stream.js';
import { CsvError } from '../errors.js';
import { type BulkRecord, ColumnCollector, RecordCells } from './cells.js';

/** CSV given explicitly: text, a file, or a stream of text or bytes. */
export type CsvInput =
  | { readonly csv: string | Readable | AsyncIterable<string | Uint8Array> }
  | { readonly csvFile: string };

/**
 * What `load()` accepts: records (an array, any iterable or async iterable, an object-mode `Readable`),
 * or CSV with a header row (a string, `{ csvFile: path }`, `{ csv: textOrStream }`, a byte `Readable`
 * such as `fs.createReadStream('accounts.csv')`, or any stream whose items are strings or bytes).
 */
export type LoadInput<T extends BulkRecord = BulkRecord> =
  | readonly T[]
  | Iterable<T>
  | AsyncIterable<T>
  | AsyncIterable<string | Uint8Array>
  | Readable
  | string
  | CsvInput;

/** Rows under one header. A new header (a later record brought a new column) starts a new job. */
export interface RowBatch {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

export interface SourceOptions {
  /** The columns to write; other keys of the records are left out. */
  readonly columns?: readonly string[] | undefined;
  /** The CSV input's delimiter (the job's). */
  readonly delimiter: string;
  /** delete and hardDelete need only `Id`: records are written with that column alone by default. */
  readonly idOnly: boolean;
}

/** Records read ahead to settle the columns of a streamed input. */
export const COLUMN_SAMPLE = 1000;
const BATCH_ROWS = 1000;

const SUBJECT = 'bulk load input';

function isReadable(value: object): value is Readable {
  return typeof (value as Readable).pipe === 'function' && typeof (value as Readable).on === 'function';
}

function isAsyncIterable(value: object): value is AsyncIterable<unknown> {
  return typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function';
}

function isIterable(value: object): value is Iterable<unknown> {
  return typeof (value as Iterable<unknown>)[Symbol.iterator] === 'function';
}

function isRecord(value: unknown): value is BulkRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A prepared input: its rows in batches, and the records themselves when the caller holds them all. */
export interface PreparedInput<T> {
  readonly batches: AsyncIterable<RowBatch>;
  /** The array given, so results can point back at each input object. */
  readonly records: readonly T[] | undefined;
}

/** Classifies the input and turns it into row batches, streaming (only an array is read twice). */
export function prepareInput<T extends BulkRecord>(
  input: LoadInput<T>,
  options: SourceOptions,
): PreparedInput<T> {
  if (typeof input === 'string')
    return { batches: csvBatches([input], options.delimiter), records: undefined };
  if (typeof input !== 'object' || input === null) {
    throw new ConfigurationError(
      [
        {
          field: 'input',
          message: 'must be records (an array, iterable or stream) or CSV (a string, { csv }, { csvFile })',
        },
      ],
      SUBJECT,
    );
  }
  if (Array.isArray(input)) {
    const records = input as readonly T[];
    return { batches: arrayBatches(records, options), records };
  }
  if ('csvFile' in input && typeof (input as { csvFile: unknown }).csvFile === 'string') {
    const path = (input as { csvFile: string }).csvFile;
    return { batches: csvBatches(createReadStream(path), options.delimiter), records: undefined };
  }
  if ('csv' in input) {
    const csv = (input as { csv: unknown }).csv;
    if (typeof csv === 'string') return { batches: csvBatches([csv], options.delimiter), records: undefined };
    if (typeof csv === 'object' && csv !== null && isAsyncIterable(csv)) {
      return {
        batches: csvBatches(csv as AsyncIterable<string | Uint8Array>, options.delimiter),
        records: undefined,
      };
    }
    throw new ConfigurationError(
      [{ field: 'input.csv', message: 'must be a string or a stream of CSV text' }],
      SUBJECT,
    );
  }
  if (isReadable(input) && (input as Readable).readableObjectMode === false) {
    return { batches: csvBatches(input as Readable, options.delimiter), records: undefined };
  }
  if (isAsyncIterable(input)) {
    return { batches: itemBatches(input as AsyncIterable<unknown>, options), records: undefined };
  }
  if (isIterable(input)) {
    return { batches: itemBatches(toAsync(input as Iterable<unknown>), options), records: undefined };
  }
  throw new ConfigurationError(
    [
      {
        field: 'input',
        message: 'must be records (an array, iterable or stream) or CSV (a string, { csv }, { csvFile })',
      },
    ],
    SUBJECT,
  );
}

async function* toAsync<T>(items: Iterable<T>): AsyncGenerator<T> {
  yield* items;
}

/**
 * A stream of items: CSV when the first one is text or bytes (`Readable.from(['Name\n', 'Acme\n'])` is
 * an object-mode stream of strings), records otherwise.
 */
async function* itemBatches(
  source: AsyncIterable<unknown>,
  options: SourceOptions,
): AsyncGenerator<RowBatch> {
  const iterator = source[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done) return;
  async function* rest(): AsyncGenerator<unknown> {
    yield first.value;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }
  if (typeof first.value === 'string' || first.value instanceof Uint8Array) {
    yield* csvBatches(rest() as AsyncIterable<string | Uint8Array>, options.delimiter);
  } else {
    yield* streamBatches(rest(), options);
  }
}

function checkColumns(columns: readonly string[]): void {
  if (columns.length === 0) {
    throw new ConfigurationError([{ field: 'columns', message: 'must name at least one column' }], SUBJECT);
  }
  const seen = new Set<string>();
  for (const column of columns) {
    if (typeof column !== 'string' || column.trim() === '') {
      throw new ConfigurationError([{ field: 'columns', message: 'must be non-empty strings' }], SUBJECT);
    }
    if (seen.has(column)) {
      throw new ConfigurationError([{ field: 'columns', message: `names ${column} twice` }], SUBJECT);
    }
    seen.add(column);
  }
}

function fixedColumns(options: SourceOptions): string[] | undefined {
  if (options.columns !== undefined) {
    checkColumns(options.columns);
    return [...options.columns];
  }
  return options.idOnly ? ['Id'] : undefined;
}

function notARecord(index: number, value: unknown): ConfigurationError {
  const what = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
  return new ConfigurationError(
    [{ field: `records[${index}]`, message: `must be a record object, got ${what}` }],
    SUBJECT,
  );
}

function noColumns(): ConfigurationError {
  return new ConfigurationError(
    [{ field: 'records', message: 'have no fields to load (every value is undefined)' }],
    SUBJECT,
  );
}

/** An array: its columns are the union of every record's keys (or the explicit list). */
async function* arrayBatches<T extends BulkRecord>(
  records: readonly T[],
  options: SourceOptions,
): AsyncGenerator<RowBatch> {
  let columns = fixedColumns(options);
  if (columns === undefined) {
    const collector = new ColumnCollector();
    for (let i = 0; i < records.length; i++) {
      const record = records[i];
      if (!isRecord(record)) throw notARecord(i, record);
      collector.add(record);
    }
    columns = collector.columns;
    if (columns.length === 0 && records.length > 0) throw noColumns();
  }
  const cells = new RecordCells(columns);
  for (let start = 0; start < records.length; start += BATCH_ROWS) {
    const end = Math.min(records.length, start + BATCH_ROWS);
    const rows: string[][] = [];
    for (let i = start; i < end; i++) {
      const record = records[i];
      if (!isRecord(record)) throw notARecord(i, record);
      rows.push(cells.cells(record, i));
    }
    yield { header: columns, rows };
  }
}

/**
 * Records from a stream: the columns are the union over the first `COLUMN_SAMPLE` records (or the
 * explicit list); a later record with a new key widens the header, which makes the loader start a
 * new job, so no value is ever dropped.
 */
async function* streamBatches(
  source: AsyncIterable<unknown>,
  options: SourceOptions,
): AsyncGenerator<RowBatch> {
  const fixed = fixedColumns(options);
  const collector = new ColumnCollector();
  let header: readonly string[] | undefined = fixed;
  let cells = fixed === undefined ? undefined : new RecordCells(fixed);
  const sample: BulkRecord[] = [];
  let index = 0;
  let rows: string[][] = [];

  const settle = (): RowBatch[] => {
    // Called once the sample (the stream's first records, indices from 0) is complete or the stream ended.
    const columns = collector.columns;
    if (columns.length === 0) throw noColumns();
    header = columns;
    cells = new RecordCells(columns);
    const out: RowBatch[] = [];
    for (let i = 0; i < sample.length; i += BATCH_ROWS) {
      const slice = sample.slice(i, i + BATCH_ROWS);
      out.push({
        header: columns,
        rows: slice.map((record, k) => (cells as RecordCells).cells(record, i + k)),
      });
    }
    sample.length = 0;
    return out;
  };

  for await (const item of source) {
    if (!isRecord(item)) throw notARecord(index, item);
    if (header === undefined) {
      collector.add(item);
      sample.push(item);
      index++;
      if (sample.length >= COLUMN_SAMPLE) yield* settle();
      continue;
    }
    if (fixed === undefined && collector.add(item)) {
      // A new column: what was read so far goes out under the old header, the rest under the wider one.
      if (rows.length > 0) yield { header, rows };
      rows = [];
      header = collector.columns;
      cells = new RecordCells(header);
    }
    rows.push((cells as RecordCells).cells(item, index));
    index++;
    if (rows.length >= BATCH_ROWS) {
      yield { header, rows };
      rows = [];
    }
  }
  if (header === undefined) {
    if (sample.length > 0) yield* settle();
    return;
  }
  if (rows.length > 0) yield { header, rows };
}

/**
 * CSV with a header row: decoded as it streams and written again in the job's dialect (so the upload
 * always has the line ending and quoting Salesforce expects). Rows must have the header's width.
 */
async function* csvBatches(
  source: AsyncIterable<string | Uint8Array> | Iterable<string>,
  delimiter: string,
): AsyncGenerator<RowBatch> {
  let header: string[] | undefined;
  let line = 0;
  for await (const decoded of decodeCsvStream(source, { delimiter })) {
    let rows = decoded;
    if (header === undefined) {
      header = rows[0] as string[];
      line = 1;
      rows = rows.slice(1);
      if (header.some((name) => name.trim() === '')) {
        throw new CsvError('CSV row 1: the header has an empty column name', 1);
      }
    }
    for (const row of rows) {
      line++;
      if (row.length !== header.length) {
        throw new CsvError(`CSV row ${line}: ${row.length} fields under a header of ${header.length}`, line);
      }
    }
    if (rows.length > 0) yield { header, rows };
  }
}
