import { type Readable, Writable } from 'node:stream';
import { apiPath, ConfigurationError } from '@forcekit/core';
import { decodeCsv } from '../csv/decoder.js';
import { CsvEncoder } from '../csv/encoder.js';
import { decodeCsvStream } from '../csv/stream.js';
import { BulkJobError, PollTimeoutError } from '../errors.js';
import { delayWithin, pause, pollPolicy } from '../poll.js';
import { type BulkRecord, ColumnCollector, RecordCells } from '../records/cells.js';
import type { BulkQueryRecord } from '../v2/query.js';
import { type BatchInfo, type ClassicOperation, parseBatchInfo, parseResultList } from './info.js';
import type { ClassicJob } from './job.js';

/** The outcome of one record of a classic batch, as the seed reports it (plus `created`). */
export interface BatchResult {
  /** The record's Id (null when an insert failed). */
  readonly id: string | null;
  readonly success: boolean;
  readonly created: boolean;
  /** The error texts (empty on success). */
  readonly errors: readonly string[];
}

/** One result set of a classic query batch: read it with `batch.result(id)`. */
export interface QueryResultRef {
  readonly id: string;
  readonly batchId: string;
  readonly jobId: string;
}

/** What a batch's `response` gives: per-record results, or for a query job the result sets. */
export type BatchResults<O extends ClassicOperation> = O extends 'query' | 'queryAll'
  ? QueryResultRef[]
  : BatchResult[];

/** What `execute()` takes: records, CSV text or a CSV stream, or (query jobs) a SOQL string. */
export type BatchInput =
  | readonly BulkRecord[]
  | string
  | Readable
  | AsyncIterable<BulkRecord | string | Uint8Array>;

const CSV = 'text/csv; charset=UTF-8';

function isRecord(value: unknown): value is BulkRecord {
  return (
    typeof value === 'object' && value !== null && !(value instanceof Uint8Array) && !Array.isArray(value)
  );
}

/** Records to CSV (the union of their keys, null as `#N/A`). */
function recordsToCsv(records: readonly BulkRecord[]): string {
  const collector = new ColumnCollector();
  records.forEach((record, i) => {
    if (!isRecord(record)) {
      throw new ConfigurationError(
        [{ field: `records[${i}]`, message: 'must be a record object' }],
        'batch input',
      );
    }
    collector.add(record);
  });
  const columns = collector.columns;
  if (columns.length === 0) {
    throw new ConfigurationError([{ field: 'records', message: 'have no fields to load' }], 'batch input');
  }
  const cells = new RecordCells(columns);
  const encoder = new CsvEncoder();
  let csv = encoder.row(columns);
  records.forEach((record, i) => {
    csv += encoder.row(cells.cells(record, i));
  });
  return csv;
}

/** The CSV (or SOQL) text of an input: records are encoded, streams read to the end (a batch is small). */
async function inputText(input: BatchInput): Promise<string> {
  if (typeof input === 'string') return input;
  if (Array.isArray(input)) return recordsToCsv(input as readonly BulkRecord[]);
  const records: BulkRecord[] = [];
  const text = new TextDecoder();
  let csv = '';
  for await (const item of input as AsyncIterable<unknown>) {
    if (typeof item === 'string') csv += item;
    else if (item instanceof Uint8Array) csv += text.decode(item, { stream: true });
    else if (isRecord(item)) records.push(item);
    else
      throw new ConfigurationError(
        [{ field: 'input', message: 'must yield records or CSV text' }],
        'batch input',
      );
  }
  csv += text.decode();
  if (records.length > 0 && csv !== '') {
    throw new ConfigurationError([{ field: 'input', message: 'mixes records and CSV text' }], 'batch input');
  }
  return records.length > 0 ? recordsToCsv(records) : csv;
}

/** A classic CSV result file (`"Id","Success","Created","Error"`) as results. */
function parseResults(text: string): BatchResult[] {
  const rows = decodeCsv(text);
  const header = rows[0] ?? [];
  const at = (name: string) => header.findIndex((column) => column.toLowerCase() === name);
  const id = at('id');
  const success = at('success');
  const created = at('created');
  const error = at('error');
  return rows.slice(1).map((row) => {
    const message = error < 0 ? '' : (row[error] ?? '');
    const recordId = id < 0 ? '' : (row[id] ?? '');
    return {
      id: recordId === '' ? null : recordId,
      success: row[success] === 'true',
      created: row[created] === 'true',
      errors: message === '' ? [] : [message],
    };
  });
}

/**
 * A batch of a classic job. Promise-first, with the seed's events as well:
 * - `queue` (BatchInfo): the batch was accepted;
 * - `response` (results): the batch finished and its results were read;
 * - `error` (error): it failed (emitted only when someone listens; the promise rejects either way).
 *
 * It is also a `Writable` (object mode): pipe records, or CSV text or bytes, into it, and it executes
 * when the input ends (`records.pipe(job.createBatch()).on('response', ...)`).
 */
export class ClassicBatch<O extends ClassicOperation = ClassicOperation> extends Writable {
  readonly job: ClassicJob<O>;
  #id: string | undefined;
  #info: BatchInfo | undefined;
  readonly #written: (BulkRecord | string | Uint8Array)[] = [];

  /** Use `job.createBatch()` or `job.batch(id)`. */
  constructor(job: ClassicJob<O>, id: string | undefined) {
    super({ objectMode: true });
    this.job = job;
    this.#id = id;
  }

  /** The batch id, once it was queued (or given). */
  get id(): string | undefined {
    return this.#id;
  }

  /** The batch info last seen. */
  get lastInfo(): BatchInfo | undefined {
    return this.#info;
  }

  override _write(chunk: unknown, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (typeof chunk === 'string' || chunk instanceof Uint8Array || isRecord(chunk)) {
      this.#written.push(chunk);
      callback();
    } else {
      callback(
        new ConfigurationError([{ field: 'input', message: 'must be records or CSV text' }], 'batch input'),
      );
    }
  }

  override _final(callback: (error?: Error | null) => void): void {
    const written = this.#written.splice(0);
    this.#run(toAsync(written)).then(
      () => callback(),
      (error: Error) => callback(error),
    );
  }

  /**
   * Sends the input as this batch, waits for it to finish and returns its results (and emits `queue`,
   * then `response`).
   */
  execute(input: BatchInput): Promise<BatchResults<O>> {
    if (this.#id !== undefined) {
      return Promise.reject(
        new ConfigurationError([{ field: 'batch', message: 'was already sent' }], 'batch'),
      );
    }
    return this.#reporting(this.#run(input));
  }

  /** Polls until the batch is done (Completed, Failed, NotProcessed), then returns and emits its results. */
  poll(interval?: number, timeout?: number): Promise<BatchResults<O>> {
    return this.#reporting(this.#poll(interval, timeout));
  }

  /** The batch's current info. */
  async check(): Promise<BatchInfo> {
    const path = await this.#path();
    const api = this.job.api;
    this.#info = parseBatchInfo(await api.text({ path }), { method: 'GET', path: api.base + path });
    return this.#info;
  }

  /** The results of a finished batch (`.../result`). */
  async retrieve(): Promise<BatchResults<O>> {
    const path = `${await this.#path()}/result`;
    const api = this.job.api;
    const text = await api.text({ path });
    if (text.trimStart().startsWith('<')) {
      const jobId = await this.job.ensureId();
      const batchId = this.#id as string;
      const ids = parseResultList(text, { method: 'GET', path: api.base + path });
      return ids.map((id) => ({ id, batchId, jobId })) as BatchResults<O>;
    }
    return parseResults(text) as BatchResults<O>;
  }

  /** The records of one result set of a query batch, streamed. Values stay text; empty is null. */
  async *result(resultId: string): AsyncGenerator<BulkQueryRecord> {
    const path = `${await this.#path()}/result/${apiPath`${resultId}`}`;
    const response = await this.job.api.raw({ path });
    let header: string[] | undefined;
    try {
      for await (const rows of decodeCsvStream(response.body)) {
        for (const row of rows) {
          if (header === undefined) {
            header = row;
            continue;
          }
          const record: BulkQueryRecord = {};
          header.forEach((name, i) => {
            const value = row[i] ?? '';
            record[name] = value === '' ? null : value;
          });
          yield record;
        }
      }
    } finally {
      response.body.destroy();
    }
  }

  async #path(): Promise<string> {
    if (this.#id === undefined) {
      throw new ConfigurationError(
        [{ field: 'batch', message: 'has not been sent yet: execute() it first' }],
        'batch',
      );
    }
    const jobId = await this.job.ensureId();
    return apiPath`job/${jobId}/batch/${this.#id}`;
  }

  async #run(input: BatchInput): Promise<BatchResults<O>> {
    const body = await inputText(input);
    const jobId = await this.job.ensureId();
    const api = this.job.api;
    const path = apiPath`job/${jobId}/batch`;
    const text = await api.text({ method: 'POST', path, body, contentType: CSV });
    const info = parseBatchInfo(text, { method: 'POST', path: api.base + path });
    this.#id = info.id;
    this.#info = info;
    this.emit('queue', info);
    return this.#poll(undefined, undefined);
  }

  async #poll(interval: number | undefined, timeout: number | undefined): Promise<BatchResults<O>> {
    const defaults = this.job.pollOptions;
    const policy = pollPolicy({
      pollInterval: interval ?? defaults.pollInterval,
      maxPollInterval: interval === undefined ? defaults.maxPollInterval : interval,
      pollTimeout: timeout ?? defaults.pollTimeout,
    });
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      const info = await this.check();
      if (info.state === 'Completed') break;
      if (info.state === 'Failed' || info.state === 'NotProcessed') {
        throw new BulkJobError({
          jobId: info.jobId,
          batchId: info.id,
          state: info.state,
          errorMessage: info.stateMessage,
        });
      }
      const delay = delayWithin(policy, attempt, started, Date.now());
      if (delay === undefined) {
        throw new PollTimeoutError({
          jobId: info.jobId,
          batchId: info.id,
          timeout: policy.timeout,
          state: info.state,
        });
      }
      await pause(delay, undefined, { method: 'GET', path: this.job.api.base + (await this.#path()) });
    }
    const results = await this.retrieve();
    this.emit('response', results);
    return results;
  }

  /** Emits `error` for a failure when someone listens, and keeps an unobserved promise from crashing. */
  #reporting(promise: Promise<BatchResults<O>>): Promise<BatchResults<O>> {
    promise.catch((error: unknown) => {
      if (this.listenerCount('error') > 0) this.emit('error', error);
    });
    return promise;
  }
}

async function* toAsync<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}
