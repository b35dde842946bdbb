import { createWriteStream } from 'node:fs';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  AbortError,
  ConfigurationError,
  lazy,
  parseOptions,
  type RawResponse,
  type Requester,
} from '@forcekit/core';
import type { SoqlSource } from '@forcekit/soql';
import { z } from 'zod';
import { COLUMN_DELIMITERS, type ColumnDelimiter, type LineEnding } from '../csv/dialect.js';
import { decodeCsvStream } from '../csv/stream.js';
import { BulkJobError } from '../errors.js';
import { CSV_ACCEPT, headerValue, JSON_HEADERS } from '../internal/http.js';
import { schemaParts } from '../internal/validate.js';
import type { PollOptions } from '../poll.js';
import { V2Job } from './job.js';
import { isTerminal, type JobInfo, toJobInfo } from './job-info.js';

/** How a column's text is turned into a value. CSV has no types: without one, a value stays a string. */
export type ColumnType = 'string' | 'number' | 'boolean' | 'datetime';

/** Options of `bulk.query()`. */
export interface BulkQueryOptions extends PollOptions {
  /** `queryAll`: include deleted and archived records. Default false. */
  readonly all?: boolean | undefined;
  /** Rows per results page (`maxRecords`). Default: Salesforce's choice. */
  readonly maxRecords?: number | undefined;
  /**
   * Result pages downloading at once (1 to 8). Default 1: one page streams at a time, in constant memory.
   * With more, each next page is requested as soon as the previous page's headers name it, and pages
   * ahead of the reader are buffered: memory is bounded by `parallel` pages.
   */
  readonly parallel?: number | undefined;
  /** Default `COMMA`. */
  readonly columnDelimiter?: ColumnDelimiter | undefined;
  /** Default `LF`. */
  readonly lineEnding?: LineEnding | undefined;
  /**
   * Types for columns, by name as the results header has them (`{ AnnualRevenue: 'number',
   * IsDeleted: 'boolean', CreatedDate: 'datetime' }`). Other columns stay strings. An empty value
   * (how bulk results write null) is `null` whatever the type.
   */
  readonly types?: Readonly<Record<string, ColumnType>> | undefined;
}

/** A record of a bulk query: column name to text, or null for an empty value. */
export type BulkQueryRecord = Record<string, string | null>;

/** What `toCSV()` wrote. */
export interface CsvExport {
  readonly rows: number;
  readonly bytes: number;
}

const SUBJECT = 'bulk query options';

const queryOptionsSchema = lazy(() => {
  const parts = schemaParts();
  return z.strictObject({
    all: z.boolean({ error: 'must be true or false' }).optional(),
    maxRecords: parts.positiveInt.optional(),
    parallel: parts.positiveInt.max(8, 'must be from 1 to 8').optional(),
    columnDelimiter: parts.columnDelimiter.optional(),
    lineEnding: parts.lineEnding.optional(),
    types: z.record(z.string(), z.enum(['string', 'number', 'boolean', 'datetime'])).optional(),
    ...parts.poll,
  });
});

/** Validates the options of a query. */
export function parseQueryOptions(options: unknown): BulkQueryOptions {
  return parseOptions(queryOptionsSchema(), options, SUBJECT) as BulkQueryOptions;
}

/** The SOQL of a string or a builder, checked. */
export function soqlOf(source: string | SoqlSource): string {
  const soql =
    typeof source === 'string' ? source : typeof source?.toSOQL === 'function' ? source.toSOQL() : undefined;
  if (typeof soql !== 'string' || soql.trim() === '') {
    throw new ConfigurationError(
      [{ field: 'soql', message: 'must be a SOQL string or have toSOQL()' }],
      'bulk query',
    );
  }
  return soql;
}

/** A Bulk API 2.0 query job: create, poll, abort, delete. */
export class QueryJob extends V2Job {
  constructor(requester: Requester, info: JobInfo) {
    super(requester, 'query', info);
  }

  static async create(requester: Requester, soql: string, options: BulkQueryOptions): Promise<QueryJob> {
    const path = 'jobs/query';
    const body = await requester.request({
      method: 'POST',
      path,
      body: {
        operation: options.all === true ? 'queryAll' : 'query',
        query: soql,
        contentType: 'CSV',
        columnDelimiter: options.columnDelimiter ?? 'COMMA',
        lineEnding: options.lineEnding ?? 'LF',
      },
      headers: JSON_HEADERS,
      signal: options.signal,
      // A repeated create makes at most a spare query job: it cannot duplicate data.
      idempotent: true,
    });
    return new QueryJob(requester, toJobInfo('query', body, { method: 'POST', path }));
  }

  /** One page of results (`GET .../results?maxRecords=&locator=`), as a stream with its headers. */
  resultsPage(
    locator: string | undefined,
    maxRecords: number | undefined,
    signal?: AbortSignal,
  ): Promise<RawResponse> {
    return this.requester.raw({
      path: this.relative('/results'),
      query: { maxRecords, locator },
      headers: CSV_ACCEPT,
      signal,
    });
  }
}

/** A page being downloaded: its body and the locator of the page after it (undefined: the last page). */
interface Page {
  readonly response: RawResponse;
  readonly rows: number;
  readonly next: string | undefined;
}

function nextLocator(response: RawResponse): string | undefined {
  const value = headerValue(response, 'sforce-locator');
  return value === undefined || value === '' || value === 'null' ? undefined : value;
}

function pageOf(response: RawResponse): Page {
  const rows = Number(headerValue(response, 'sforce-numberofrecords') ?? Number.NaN);
  return { response, rows: Number.isFinite(rows) ? rows : 0, next: nextLocator(response) };
}

async function collectBody(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A value converter for each column of a header. */
function convertersFor(
  header: readonly string[],
  types: Readonly<Record<string, ColumnType>> | undefined,
): ((text: string) => unknown)[] {
  return header.map((name) => {
    switch (types?.[name]) {
      case 'number':
        return (text: string) => (text === '' ? null : Number(text));
      case 'boolean':
        return (text: string) => (text === '' ? null : text === 'true');
      case 'datetime':
        return (text: string) => (text === '' ? null : new Date(text));
      default:
        return (text: string) => (text === '' ? null : text);
    }
  });
}

/**
 * A bulk query: an async iterable of records, streamed page by page (`Sforce-Locator`, until the
 * literal `null`), parsed as it arrives so memory stays flat however many rows there are. Nothing is
 * sent until it is iterated (or `toCSV()`/`wait()` is called); the job is created once and its results
 * can be read again.
 */
export class BulkQuery<T = BulkQueryRecord> implements AsyncIterable<T> {
  readonly #requester: Requester;
  readonly #soql: string | undefined;
  readonly #options: BulkQueryOptions;
  /** True when this query created the job (so an abort of the signal aborts it on the server). */
  readonly #owned: boolean;
  #job: QueryJob | undefined;
  #ready: Promise<JobInfo> | undefined;

  /** Use `bulk.query()` or `bulk.job(id).query()`. */
  constructor(requester: Requester, source: { soql: string } | { job: QueryJob }, options: BulkQueryOptions) {
    this.#requester = requester;
    this.#options = options;
    if ('soql' in source) {
      this.#soql = source.soql;
      this.#owned = true;
    } else {
      this.#soql = undefined;
      this.#job = source.job;
      this.#owned = false;
    }
  }

  /** The job id, once the job exists. */
  get jobId(): string | undefined {
    return this.#job?.id;
  }

  /** Creates the job (the first time) and waits until it completes; returns its final info. */
  wait(): Promise<JobInfo> {
    if (this.#ready === undefined) {
      this.#ready = this.#start();
      // A failure is reported to whoever awaits; a retry after one starts over.
      this.#ready.catch(() => {
        this.#ready = undefined;
      });
    }
    return this.#ready;
  }

  async #start(): Promise<JobInfo> {
    const options = this.#options;
    if (this.#job === undefined) {
      this.#job = await QueryJob.create(this.#requester, this.#soql as string, options);
    }
    const job = this.#job;
    const info = await this.#guard(() => job.wait(options));
    if (info.state !== 'JobComplete') {
      throw new BulkJobError({ jobId: job.id, state: info.state, errorMessage: info.errorMessage });
    }
    return info;
  }

  /** Runs `work`; when the signal aborts it, a job this query created is aborted on the server too. */
  async #guard<R>(work: () => Promise<R>): Promise<R> {
    try {
      return await work();
    } catch (error) {
      const job = this.#job;
      if (
        this.#owned &&
        job !== undefined &&
        (error instanceof AbortError || this.#options.signal?.aborted)
      ) {
        if (!isTerminal(job.info.state)) await job.abort().catch(() => undefined);
      }
      throw error;
    }
  }

  /** Aborts the job on the server. */
  async abort(): Promise<void> {
    const job = this.#job;
    if (job === undefined) return;
    await job.abort();
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return this.records();
  }

  /** The records, in order, one at a time. */
  async *records(): AsyncGenerator<T> {
    for await (const batch of this.batches()) yield* batch;
  }

  /** The records in arrays as they are decoded (fewer awaits for fast consumers). */
  async *batches(): AsyncGenerator<T[]> {
    await this.wait();
    const job = this.#job as QueryJob;
    const delimiter = COLUMN_DELIMITERS[this.#options.columnDelimiter ?? 'COMMA'];
    const types = this.#options.types;
    for await (const body of this.#bodies(job)) {
      let header: string[] | undefined;
      let converters: ((text: string) => unknown)[] = [];
      for await (const rows of decodeCsvStream(body, { delimiter })) {
        let start = 0;
        if (header === undefined) {
          header = rows[0] ?? [];
          converters = convertersFor(header, types);
          start = 1;
        }
        const out: T[] = [];
        for (let r = start; r < rows.length; r++) {
          const row = rows[r] as string[];
          const record: Record<string, unknown> = {};
          for (let i = 0; i < header.length; i++) {
            record[header[i] as string] = (converters[i] as (text: string) => unknown)(row[i] ?? '');
          }
          out.push(record as T);
        }
        if (out.length > 0) yield out;
      }
    }
  }

  /**
   * Writes the results as CSV, as Salesforce sent them, without parsing: one header, then every page's
   * rows. `target` is a file path (created or truncated) or a writable stream (ended afterwards unless
   * `end: false`).
   */
  async toCSV(target: string | Writable, options: { end?: boolean } = {}): Promise<CsvExport> {
    await this.wait();
    const job = this.#job as QueryJob;
    let rows = 0;
    let bytes = 0;
    const bodies = this.#bodies(job, (page) => {
      rows += page.rows;
    });
    async function* chunks(): AsyncGenerator<Uint8Array> {
      let first = true;
      for await (const body of bodies) {
        const skipper = first ? undefined : new HeaderSkipper();
        first = false;
        for await (const chunk of body) {
          const data = skipper === undefined ? (chunk as Uint8Array) : skipper.push(chunk as Uint8Array);
          if (data.length === 0) continue;
          bytes += data.length;
          yield data;
        }
      }
    }
    const destination = typeof target === 'string' ? createWriteStream(target) : target;
    const end = typeof target === 'string' || options.end !== false;
    await this.#guard(() => pipeline(Readable.from(chunks(), { objectMode: false }), destination, { end }));
    return { rows, bytes };
  }

  /**
   * The pages' bodies in order. With `parallel` above 1, the next page is requested as soon as the
   * current one's headers give its locator, and bodies ahead of the reader are buffered.
   */
  async *#bodies(
    job: QueryJob,
    onPage?: (page: Page) => void,
  ): AsyncGenerator<AsyncIterable<Uint8Array> | Iterable<Uint8Array>> {
    const { maxRecords, signal } = this.#options;
    const parallel = this.#options.parallel ?? 1;
    const fetch = async (locator: string | undefined) =>
      pageOf(await this.#guard(() => job.resultsPage(locator, maxRecords, signal)));
    if (parallel <= 1) {
      let locator: string | undefined;
      do {
        const page = await fetch(locator);
        onPage?.(page);
        try {
          yield page.response.body;
        } finally {
          page.response.body.destroy();
        }
        locator = page.next;
      } while (locator !== undefined);
      return;
    }
    const window: { page: Page; body: Promise<Buffer> }[] = [];
    let locator: string | undefined;
    let more = true;
    try {
      while (more || window.length > 0) {
        while (more && window.length < parallel) {
          const page = await fetch(locator);
          onPage?.(page);
          const body = collectBody(page.response.body);
          body.catch(() => undefined); // awaited below; this only keeps an early failure from going unhandled
          window.push({ page, body });
          locator = page.next;
          more = locator !== undefined;
        }
        const head = window.shift() as { page: Page; body: Promise<Buffer> };
        yield [await this.#guard(() => head.body)];
      }
    } finally {
      for (const entry of window) entry.page.response.body.destroy();
    }
  }
}

/** Drops the first CSV record (a page's header) from a byte stream, minding quotes. */
class HeaderSkipper {
  #done = false;
  #quoted = false;

  push(chunk: Uint8Array): Uint8Array {
    if (this.#done) return chunk;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i];
      if (byte === 34) this.#quoted = !this.#quoted;
      else if (byte === 10 && !this.#quoted) {
        this.#done = true;
        return chunk.subarray(i + 1);
      }
    }
    return chunk.subarray(chunk.length);
  }
}
