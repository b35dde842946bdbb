import { lazy, parseOptions, type Requester } from '@forcekit/core';
import type { SoqlSource } from '@forcekit/soql';
import { z } from 'zod';
import { ClassicApi } from './classic/api.js';
import type { ClassicOperation } from './classic/info.js';
import { ClassicJob, type ClassicJobOptions } from './classic/job.js';
import { checkJobId, checkName, invalid, schemaParts } from './internal/validate.js';
import { BulkJob } from './job-ref.js';
import type { PollOptions } from './poll.js';
import type { BulkRecord } from './records/cells.js';
import type { LoadInput } from './records/source.js';
import { IngestJob, type IngestJobOptions } from './v2/ingest-job.js';
import { type IngestOperation, type JobInfo, toJobInfo } from './v2/job-info.js';
import { INGEST_OPERATIONS, type LoadOptions, type LoadResult, load } from './v2/load.js';
import {
  BulkQuery,
  type BulkQueryOptions,
  type BulkQueryRecord,
  parseQueryOptions,
  soqlOf,
} from './v2/query.js';

/** Defaults for every waiting call of a `Bulk` (each call may override them). */
export type BulkOptions = Omit<PollOptions, 'signal'>;

/** Filters of `bulk.jobs()`. */
export interface ListJobsOptions {
  /** `ingest` (default) or `query` jobs. */
  readonly kind?: 'ingest' | 'query' | undefined;
  /** `Classic`, `V2Ingest`, `BigObjectIngest` (ingest) or `V2Query` (query). */
  readonly jobType?: string | undefined;
  readonly concurrencyMode?: 'Parallel' | 'Serial' | undefined;
  readonly isPkChunkingEnabled?: boolean | undefined;
  readonly signal?: AbortSignal | undefined;
}

/** The body of `GET /jobs/ingest` and `/jobs/query`. */
interface JobList {
  readonly records?: unknown[];
  readonly nextRecordsUrl?: string | null;
  readonly done?: boolean;
}

const bulkOptionsSchema = lazy(() => {
  const parts = schemaParts();
  return z.strictObject(parts.pollTiming);
});

const listSchema = lazy(() => {
  const parts = schemaParts();
  return z.strictObject({
    kind: z.enum(['ingest', 'query'], { error: 'must be ingest or query' }).optional(),
    jobType: z.string().min(1).optional(),
    concurrencyMode: parts.concurrencyMode.optional(),
    isPkChunkingEnabled: z.boolean().optional(),
    signal: parts.poll.signal,
  });
});

const ingestJobSchema = lazy(() => {
  const parts = schemaParts();
  return z.strictObject({ ...parts.ingestJob, signal: parts.poll.signal });
});

const classicJobSchema = lazy(() => {
  const parts = schemaParts();
  return z.strictObject({
    externalIdField: parts.fieldName.optional(),
    extIdField: parts.fieldName.optional(),
    concurrencyMode: parts.concurrencyMode.optional(),
    assignmentRuleId: parts.recordId.optional(),
    ...parts.pollTiming,
  });
});

const CLASSIC_OPERATIONS: readonly ClassicOperation[] = [...INGEST_OPERATIONS, 'query', 'queryAll'];

/**
 * The Bulk APIs on a `Requester` (a forcekit client or `client.as(session)`): Bulk API 2.0 loads and
 * queries, job management, and the classic job/batch API of the `node-salesforce` seed. The `forcekit`
 * facade exposes one as `conn.bulk`.
 *
 * ```ts
 * const bulk = new Bulk(client);
 * const { summary, failures } = await bulk.load('Account', 'insert', accounts);
 * for await (const row of bulk.query('SELECT Id, Name FROM Account')) console.log(row.Name);
 * ```
 */
export class Bulk {
  readonly requester: Requester;
  readonly #defaults: BulkOptions;
  readonly #classic: ClassicApi;

  constructor(requester: Requester, defaults: BulkOptions = {}) {
    this.requester = requester;
    this.#defaults = parseOptions(bulkOptionsSchema(), defaults, 'bulk options') as BulkOptions;
    this.#classic = new ClassicApi(requester);
  }

  /**
   * Loads records or CSV with Bulk API 2.0: splits the input over as many jobs as the upload limit
   * needs, streams each upload, waits for the jobs, and returns one outcome per input row (success,
   * failure or unprocessed), in input order, with a summary. See `LoadOptions`.
   */
  load<T extends BulkRecord = BulkRecord>(
    object: string,
    operation: IngestOperation,
    input: LoadInput<T>,
    options: LoadOptions = {},
  ): Promise<LoadResult<T>> {
    return load(this.requester, object, operation, input, { ...this.#defaults, ...options });
  }

  /** Creates a Bulk API 2.0 ingest job to drive yourself (upload, close, wait, results). */
  async createIngestJob(
    object: string,
    operation: IngestOperation,
    options: IngestJobOptions = {},
  ): Promise<IngestJob> {
    checkName(object, 'object', 'bulk ingest job');
    if (!(INGEST_OPERATIONS as readonly string[]).includes(operation)) {
      throw invalid('bulk ingest job', 'operation', `must be one of ${INGEST_OPERATIONS.join(', ')}`);
    }
    const parsed = parseOptions(ingestJobSchema(), options, 'bulk ingest job options') as IngestJobOptions;
    if (operation === 'upsert' && parsed.externalIdField === undefined) {
      throw invalid('bulk ingest job options', 'externalIdField', 'is required for upsert');
    }
    return IngestJob.create(this.requester, object, operation, parsed);
  }

  /**
   * A Bulk API 2.0 query: `for await` its records (streamed, constant memory), or `toCSV(file)`.
   * Accepts SOQL text or anything with `toSOQL()` (a `@forcekit/soql` builder). Values are strings
   * (CSV has no types), empty values are null; `types` converts chosen columns.
   */
  query<T = BulkQueryRecord>(soql: string | SoqlSource, options: BulkQueryOptions = {}): BulkQuery<T> {
    const text = soqlOf(soql);
    const parsed = parseQueryOptions({ ...this.#defaults, ...options });
    return new BulkQuery<T>(this.requester, { soql: text }, parsed);
  }

  /** Lists jobs (`GET /jobs/ingest` or `/jobs/query`), following `nextRecordsUrl`. */
  async *jobs(options: ListJobsOptions = {}): AsyncGenerator<JobInfo> {
    const parsed = parseOptions(listSchema(), options, 'bulk job list options') as ListJobsOptions;
    const kind = parsed.kind ?? 'ingest';
    let path: string | undefined = `jobs/${kind}`;
    let query: Record<string, string | boolean | undefined> | undefined = {
      jobType: parsed.jobType,
      concurrencyMode: parsed.concurrencyMode,
      isPkChunkingEnabled: parsed.isPkChunkingEnabled,
    };
    while (path !== undefined) {
      const body: JobList | undefined = await this.requester.request<JobList>({
        path,
        query,
        signal: parsed.signal,
      });
      for (const record of body?.records ?? []) yield toJobInfo(kind, record, { method: 'GET', path });
      const next: string | null | undefined = body?.nextRecordsUrl;
      path = typeof next === 'string' && next !== '' ? next : undefined;
      query = undefined;
    }
  }

  /** A handle on an existing job of either API: resume it, check it, abort it (see `BulkJob`). */
  job(id: string): BulkJob {
    return new BulkJob(this.requester, this.#classic, checkJobId(id, 'id', 'bulk job'), this.#defaults);
  }

  /**
   * A classic Bulk API job (`/services/async`), the seed's `createJob(object, operation, options)`.
   * Nothing is sent until its first batch executes (or `open()`).
   */
  createJob<O extends ClassicOperation>(
    object: string,
    operation: O,
    options: ClassicJobOptions = {},
  ): ClassicJob<O> {
    checkName(object, 'object', 'classic bulk job');
    if (!CLASSIC_OPERATIONS.includes(operation)) {
      throw invalid('classic bulk job', 'operation', `must be one of ${CLASSIC_OPERATIONS.join(', ')}`);
    }
    const parsed = parseOptions(classicJobSchema(), options, 'classic bulk job options') as ClassicJobOptions;
    return new ClassicJob<O>(this.#classic, { object, operation, options: { ...this.#defaults, ...parsed } });
  }
}
