import type { DataStore } from '../data/store.js';
import { type IdFactory, KEY_PREFIXES, to18 } from '../ids.js';
import { ClassicBatch, ClassicJob, type ClassicJobInit } from './classic-job.js';
import { IngestJob, type IngestJobInit } from './ingest-job.js';
import type { JobState, StartContext, WorkUnit } from './job.js';
import { type BulkOptions, type BulkSettings, DEFAULT_BULK_SETTINGS, parseBulkOptions } from './options.js';
import { QueryJob, type QueryJobInit } from './query-job.js';
import { BulkScheduler } from './scheduler.js';
import type { InjectedFailure } from './work.js';

/** Key prefix of classic query result files. */
const RESULT_PREFIX = '752';

export interface FailNextJobOptions {
  /** Rows processed (and given their results) before the job fails. Default 0: it fails as it starts. */
  readonly afterRows?: number;
  /** The job's `errorMessage` (the batch's `stateMessage` for a classic batch). */
  readonly errorMessage?: string;
}

/** One job as `org.bulk.jobs()` lists it, for assertions. */
export interface BulkJobSummary {
  readonly id: string;
  readonly jobType: 'V2Ingest' | 'V2Query' | 'Classic';
  readonly object: string;
  readonly operation: string;
  readonly state: string;
  readonly numberRecordsProcessed: number;
  readonly numberRecordsFailed: number;
  readonly errorMessage: string | undefined;
}

export type AnyJob = IngestJob | QueryJob | ClassicJob;

export interface BulkServiceDeps {
  readonly data: DataStore;
  readonly ids: IdFactory;
  readonly now: () => number;
}

const DEFAULT_FAILURE_MESSAGE =
  'InternalServerError : An unexpected error occurred while processing the job. Please retry.';

/**
 * The org's bulk jobs: Bulk API 2.0 ingest and query jobs and classic jobs with their batches,
 * processed asynchronously on timers whose speed a test controls. The routes use it directly; tests
 * reach it through the `BulkService` facade (`org.bulk`).
 */
export class BulkEngine {
  readonly #deps: BulkServiceDeps;
  readonly #scheduler = new BulkScheduler();
  readonly #jobs = new Map<string, AnyJob>();
  readonly #failures: InjectedFailure[] = [];
  readonly #pumping = new WeakSet<ClassicJob>();
  /** The settings given at start, which `reset()` puts back. */
  readonly #initialSettings: BulkSettings;
  #settings: BulkSettings;

  constructor(deps: BulkServiceDeps, options: BulkOptions = {}) {
    this.#deps = deps;
    this.#initialSettings = { ...DEFAULT_BULK_SETTINGS, ...stripUndefined(parseBulkOptions(options)) };
    this.#settings = this.#initialSettings;
  }

  /** The current settings (defaults merged with what was configured). */
  get settings(): BulkSettings {
    return this.#settings;
  }

  /** Changes processing speed and limits; jobs already running pick up the new speed at their next step. */
  configure(options: BulkOptions): BulkSettings {
    this.#settings = { ...this.#settings, ...stripUndefined(parseBulkOptions(options)) };
    return this.#settings;
  }

  /** Holds every job where it stands (states stop moving) until `resume()`. */
  pause(): void {
    this.#scheduler.pause();
  }

  resume(): void {
    this.#scheduler.resume();
  }

  get paused(): boolean {
    return this.#scheduler.paused;
  }

  /**
   * Makes the next job that starts processing (an ingest or query job, or a classic batch) fail after
   * `afterRows` rows: those keep their results, the rest stay unprocessed, and the job ends `Failed`
   * with `errorMessage`. Calls queue up: each failure is drawn by one job.
   */
  failNextJob(options: FailNextJobOptions = {}): void {
    const afterRows = options.afterRows ?? 0;
    if (!Number.isSafeInteger(afterRows) || afterRows < 0) {
      throw new TypeError(`failNextJob: afterRows must be an integer >= 0, got ${afterRows}`);
    }
    this.#failures.push({ afterRows, errorMessage: options.errorMessage ?? DEFAULT_FAILURE_MESSAGE });
  }

  /** Every job, oldest first. */
  jobs(): BulkJobSummary[] {
    return [...this.#jobs.values()].map(summary);
  }

  /**
   * Back to how the org started (part of `org.reset()`): every job and queued failure forgotten, all
   * processing stopped, not paused, and the settings given at start put back.
   */
  reset(): void {
    this.#scheduler.clear();
    this.#scheduler.resume();
    this.#jobs.clear();
    this.#failures.length = 0;
    this.#settings = this.#initialSettings;
  }

  // ---- used by the routes ----------------------------------------------------------------------

  get data(): DataStore {
    return this.#deps.data;
  }

  now(): number {
    return this.#deps.now();
  }

  newJobId(): string {
    return this.#deps.ids.next(KEY_PREFIXES.BulkJob);
  }

  newBatchId(): string {
    return this.#deps.ids.next(KEY_PREFIXES.BulkBatch);
  }

  job(id: string): AnyJob | undefined {
    // An 18-character id is case-insensitive and a 15-character one names the same job.
    return this.#jobs.get(to18(id) ?? id);
  }

  addIngestJob(init: IngestJobInit): IngestJob {
    const job = new IngestJob(init);
    this.#jobs.set(job.id, job);
    return job;
  }

  addQueryJob(init: QueryJobInit): QueryJob {
    const job = new QueryJob(init);
    this.#jobs.set(job.id, job);
    this.#afterQueue(() => this.#runJob(job));
    return job;
  }

  addClassicJob(init: ClassicJobInit): ClassicJob {
    const job = new ClassicJob(init);
    this.#jobs.set(job.id, job);
    return job;
  }

  deleteJob(id: string): void {
    this.#jobs.delete(id);
  }

  /** Sets a job's state and stamps its `systemModstamp`. */
  setState(job: IngestJob | QueryJob, state: JobState): void {
    job.state = state;
    job.modifiedAt = this.now();
  }

  /** A closed ingest job: it waits in UploadComplete, then processes in chunks. */
  closeIngestJob(job: IngestJob): void {
    this.setState(job, 'UploadComplete');
    this.#afterQueue(() => this.#runJob(job));
  }

  /** A new classic batch: queued, processed after the job's batches before it. */
  queueBatch(batch: ClassicBatch): void {
    batch.job.batches.push(batch);
    this.#pump(batch.job);
  }

  // ---- processing ------------------------------------------------------------------------------

  #afterQueue(work: () => void): void {
    this.#scheduler.after(this.#settings.queueDelayMs, work);
  }

  #next(work: () => void): void {
    this.#scheduler.after(this.#settings.chunkIntervalMs, work);
  }

  #live(job: AnyJob): boolean {
    return this.#jobs.get(job.id) === job;
  }

  /** A Bulk 2.0 job that waited in UploadComplete (unless it was aborted or deleted meanwhile). */
  #runJob(job: IngestJob | QueryJob): void {
    if (this.#live(job) && job.state === 'UploadComplete') this.#run(job, job);
  }

  /**
   * Starts a unit of work (drawing the next injected failure) and steps it until it is done, one step
   * per turn of the event loop so requests keep being answered; `job` is the job it belongs to (work
   * stops when the job is deleted or the org reset), `done` runs when it ends.
   */
  #run(job: AnyJob, work: WorkUnit, done?: () => void): void {
    const touch = () => {
      work.modifiedAt = this.now();
      job.modifiedAt = work.modifiedAt;
    };
    work.start(this.#startContext());
    touch();
    const step = () => {
      if (!this.#live(job)) return;
      const more = work.step(this.data, this.#settings.rowsPerChunk);
      touch();
      if (more) this.#next(step);
      else done?.();
    };
    // start() may have failed the work already (a bad header, an injected failure).
    if (work.running) this.#next(step);
    else done?.();
  }

  #startContext(): StartContext {
    return {
      data: this.data,
      now: this.now(),
      injected: this.#failures.shift(),
      resultRows: this.#settings.classicResultRows,
      maxRecords: this.#settings.classicBatchMaxRecords,
      nextResultId: () => this.#deps.ids.next(RESULT_PREFIX),
    };
  }

  /** Starts the job's next queued batch unless one is running or about to: batches run one at a time. */
  #pump(job: ClassicJob): void {
    if (this.#pumping.has(job)) return;
    if (job.batches.some((b) => b.state === 'InProgress')) return;
    const batch = job.batches.find((b) => b.state === 'Queued');
    if (batch === undefined) return;
    this.#pumping.add(job);
    this.#afterQueue(() => {
      this.#pumping.delete(job);
      this.#runBatch(batch);
    });
  }

  #runBatch(batch: ClassicBatch): void {
    const job = batch.job;
    if (!this.#live(job)) return;
    if (batch.state !== 'Queued') this.#pump(job);
    else
      this.#run(job, batch, () => {
        this.#queueChunks(batch);
        this.#pump(job);
      });
  }

  /** The batches that take the place of a PK-chunked query batch, one per chunk, queued in order. */
  #queueChunks(batch: ClassicBatch): void {
    for (const soql of batch.chunkQueries) {
      batch.job.batches.push(
        new ClassicBatch({
          id: this.newBatchId(),
          job: batch.job,
          createdAt: this.now(),
          request: Buffer.from(soql, 'utf8'),
          requestContentType: batch.requestContentType,
          input: { kind: 'query', soql, chunk: true },
        }),
      );
    }
  }
}

function summary(job: AnyJob): BulkJobSummary {
  return {
    id: job.id,
    jobType: job instanceof ClassicJob ? 'Classic' : job instanceof IngestJob ? 'V2Ingest' : 'V2Query',
    object: job.object,
    operation: job.operation,
    state: job.state,
    numberRecordsProcessed: job.numberRecordsProcessed,
    numberRecordsFailed: job instanceof QueryJob ? 0 : job.numberRecordsFailed,
    errorMessage: job instanceof ClassicJob ? undefined : job.errorMessage,
  };
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

const engines = new WeakMap<BulkService, BulkEngine>();

/** The engine behind `org.bulk`, for the bulk routes. */
export function bulkEngineOf(service: BulkService): BulkEngine {
  return engines.get(service) as BulkEngine;
}

/**
 * `org.bulk`: how a test controls the org's bulk jobs. Jobs run asynchronously on timers (fast by
 * default); `configure()` changes their speed and limits, `pause()` holds every job where it stands,
 * `failNextJob()` makes the next job fail midway, `jobs()` lists them for assertions.
 */
export class BulkService {
  readonly #engine: BulkEngine;

  constructor(deps: BulkServiceDeps, options: BulkOptions = {}) {
    this.#engine = new BulkEngine(deps, options);
    engines.set(this, this.#engine);
  }

  /** The current settings (defaults merged with what was configured). */
  get settings(): BulkSettings {
    return this.#engine.settings;
  }

  /** Changes processing speed and limits; running jobs pick up the new speed at their next step. */
  configure(options: BulkOptions): BulkSettings {
    return this.#engine.configure(options);
  }

  /** Holds every job where it stands (states stop moving) until `resume()`. */
  pause(): void {
    this.#engine.pause();
  }

  resume(): void {
    this.#engine.resume();
  }

  get paused(): boolean {
    return this.#engine.paused;
  }

  /**
   * Makes the next job that starts processing (a Bulk 2.0 ingest or query job, or a classic batch)
   * fail after `afterRows` rows: those keep their results, the rest stay unprocessed, and the job ends
   * `Failed` with `errorMessage`. Calls queue up: each failure is drawn by one job.
   */
  failNextJob(options: FailNextJobOptions = {}): void {
    this.#engine.failNextJob(options);
  }

  /** Every job, oldest first. */
  jobs(): BulkJobSummary[] {
    return this.#engine.jobs();
  }

  /**
   * Back to how the org started (part of `org.reset()`): every job and queued failure forgotten, all
   * processing stopped, not paused, and the settings given at start put back.
   */
  reset(): void {
    this.#engine.reset();
  }
}
