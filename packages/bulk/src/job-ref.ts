import { ApiError, apiPath, ConfigurationError, type Requester } from '@forcekit/core';
import type { ClassicApi } from './classic/api.js';
import type { ClassicBatch } from './classic/batch.js';
import type { ClassicJobInfo, ClassicOperation } from './classic/info.js';
import { ClassicJob } from './classic/job.js';
import type { PollOptions } from './poll.js';
import { IngestJob, type IngestJobResults } from './v2/ingest-job.js';
import type { V2Job } from './v2/job.js';
import { type JobInfo, toJobInfo } from './v2/job-info.js';
import {
  BulkQuery,
  type BulkQueryOptions,
  type BulkQueryRecord,
  parseQueryOptions,
  QueryJob,
} from './v2/query.js';

/** Which API a job belongs to. */
export type JobKind = 'ingest' | 'query' | 'classic';

/** Either kind of job info, told apart by `kind`. */
export type AnyJobInfo = JobInfo | ClassicJobInfo;

/** A job the other API does not know answers 404 (or 400 `INVALIDJOB`): try the next one. */
function isUnknownJob(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 404 || error.status === 400);
}

/**
 * A handle on an existing job, from `bulk.job(id)`: for resuming after a restart or checking later.
 * Which API the job belongs to is found out on first use (Bulk 2.0 ingest, then query, then classic).
 *
 * - any job: `kind()`, `info()`, `abort()`;
 * - Bulk API 2.0: `wait()`, `delete()`, `results()` (ingest), `query()` (a query job's records);
 * - classic (the seed's flows): `batch(id)`, `createBatch()`, `close()`, `list()`.
 */
export class BulkJob {
  readonly id: string;
  readonly #requester: Requester;
  readonly #classic: ClassicJob;
  readonly #defaults: PollOptions;
  #found: Promise<{ kind: JobKind; job: V2Job | undefined; info: AnyJobInfo }> | undefined;

  /** Use `bulk.job(id)`. */
  constructor(requester: Requester, api: ClassicApi, id: string, defaults: PollOptions) {
    this.id = id;
    this.#requester = requester;
    this.#defaults = defaults;
    this.#classic = new ClassicJob(api, { id, options: defaults });
  }

  #find(): Promise<{ kind: JobKind; job: V2Job | undefined; info: AnyJobInfo }> {
    this.#found ??= this.#detect().catch((error: unknown) => {
      this.#found = undefined;
      throw error;
    });
    return this.#found;
  }

  async #detect(): Promise<{ kind: JobKind; job: V2Job | undefined; info: AnyJobInfo }> {
    for (const kind of ['ingest', 'query'] as const) {
      const path = apiPath`jobs/${kind}/${this.id}`;
      try {
        const body = await this.#requester.request({ path });
        const info = toJobInfo(kind, body, { method: 'GET', path });
        const job =
          kind === 'ingest' ? new IngestJob(this.#requester, info) : new QueryJob(this.#requester, info);
        return { kind, job, info };
      } catch (error) {
        if (!isUnknownJob(error)) throw error;
      }
    }
    const info = await this.#classic.info();
    return { kind: 'classic', job: undefined, info };
  }

  async #v2(what: string): Promise<V2Job> {
    const found = await this.#find();
    if (found.job === undefined) {
      throw new ConfigurationError(
        [{ field: 'job', message: `${this.id} is a classic job: ${what} is for Bulk API 2.0 jobs` }],
        'bulk job',
      );
    }
    return found.job;
  }

  /** Which API the job belongs to. */
  async kind(): Promise<JobKind> {
    return (await this.#find()).kind;
  }

  /** The job's current info. */
  async info(): Promise<AnyJobInfo> {
    const found = await this.#find();
    return found.job === undefined ? this.#classic.info() : found.job.refresh();
  }

  /** Waits until a Bulk API 2.0 job is JobComplete, Failed or Aborted (resume). */
  async wait(options: PollOptions = {}): Promise<JobInfo> {
    const job = await this.#v2('wait()');
    return job.wait({ ...this.#defaults, ...options });
  }

  /** Aborts the job (either API). */
  async abort(): Promise<AnyJobInfo> {
    const found = await this.#find();
    return found.job === undefined ? this.#classic.abort() : found.job.abort();
  }

  /** Deletes a Bulk API 2.0 job (closed or finished). */
  async delete(): Promise<void> {
    await (await this.#v2('delete()')).delete();
  }

  /** Waits for an ingest job, then reads its three result files (resume after a restart). */
  async results(options: PollOptions = {}): Promise<IngestJobResults> {
    const job = await this.#v2('results()');
    if (!(job instanceof IngestJob)) {
      throw new ConfigurationError(
        [{ field: 'job', message: `${this.id} is a query job: read it with query()` }],
        'bulk job',
      );
    }
    await job.wait({ ...this.#defaults, ...options });
    return job.results(options.signal);
  }

  /**
   * A query job's records (resume): waits for it, then streams its results like `bulk.query()`.
   * An abort of `signal` stops reading but does not abort a job this call did not create.
   */
  query<T = BulkQueryRecord>(
    options: BulkQueryOptions = {},
  ): AsyncIterable<T> & { toCSV: BulkQuery<T>['toCSV'] } {
    const parsed = parseQueryOptions({ ...this.#defaults, ...options });
    let attached: BulkQuery<T> | undefined;
    const attach = async (): Promise<BulkQuery<T>> => {
      const job = await this.#v2('query()');
      if (!(job instanceof QueryJob)) {
        throw new ConfigurationError(
          [{ field: 'job', message: `${this.id} is an ingest job: read it with results()` }],
          'bulk job',
        );
      }
      const info = job.info;
      const dialect: BulkQueryOptions = {
        ...parsed,
        ...(info.columnDelimiter === undefined ? {} : { columnDelimiter: info.columnDelimiter }),
        ...(info.lineEnding === undefined ? {} : { lineEnding: info.lineEnding }),
      };
      attached ??= new BulkQuery<T>(this.#requester, { job }, dialect);
      return attached;
    };
    return {
      async *[Symbol.asyncIterator]() {
        yield* (await attach()).records();
      },
      toCSV: async (target, csvOptions) => (await attach()).toCSV(target, csvOptions),
    };
  }

  // ---- classic ------------------------------------------------------------------------------------

  /** A batch of this classic job, to check or poll later: `bulk.job(jobId).batch(batchId).poll(1000, 20000)`. */
  batch(batchId: string): ClassicBatch<ClassicOperation> {
    return this.#classic.batch(batchId);
  }

  /** A new batch of this (open) classic job. */
  createBatch(): ClassicBatch<ClassicOperation> {
    return this.#classic.createBatch();
  }

  /** Closes this classic job. */
  close(): Promise<ClassicJobInfo> {
    return this.#classic.close();
  }

  /** This classic job's batches. */
  list(): ReturnType<ClassicJob['list']> {
    return this.#classic.list();
  }
}
