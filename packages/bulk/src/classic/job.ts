import { apiPath } from '@forcekit/core';
import type { PollOptions } from '../poll.js';
import type { ClassicApi } from './api.js';
import { ClassicBatch } from './batch.js';
import {
  type BatchInfo,
  type ClassicJobInfo,
  type ClassicOperation,
  parseBatchInfoList,
  parseJobInfo,
} from './info.js';
import { xmlDocument } from './xml.js';

/** Options of `bulk.createJob()`. */
export interface ClassicJobOptions extends Omit<PollOptions, 'signal'> {
  /** The external id field of an upsert (the seed's `extIdField` is accepted too). */
  readonly externalIdField?: string | undefined;
  readonly extIdField?: string | undefined;
  /** `Parallel` (default) or `Serial`. */
  readonly concurrencyMode?: 'Parallel' | 'Serial' | undefined;
  readonly assignmentRuleId?: string | undefined;
}

const XML = 'application/xml; charset=UTF-8';

/**
 * A classic Bulk API job (`/services/async/NN.N/job`), as the `node-salesforce` seed drives it:
 *
 * ```ts
 * const job = bulk.createJob('Account', 'insert');
 * const batch = job.createBatch();
 * batch.on('queue', (info) => console.log('queued', info.id));
 * const results = await batch.execute(accounts); // [{ id, success, created, errors }]
 * await job.close();
 * ```
 *
 * A job made by `createJob` is opened on the server by its first batch (or `open()`); one from
 * `bulk.job(id)` already exists.
 */
export class ClassicJob<O extends ClassicOperation = ClassicOperation> {
  readonly object: string | undefined;
  readonly operation: O | undefined;
  readonly #api: ClassicApi;
  readonly #options: ClassicJobOptions;
  #id: string | undefined;
  #opening: Promise<ClassicJobInfo> | undefined;
  #info: ClassicJobInfo | undefined;

  /** Use `bulk.createJob()` or `bulk.job(id)`. */
  constructor(
    api: ClassicApi,
    init:
      | { object: string; operation: O; options: ClassicJobOptions }
      | { id: string; options?: ClassicJobOptions },
  ) {
    this.#api = api;
    if ('id' in init) {
      this.#id = init.id;
      this.object = undefined;
      this.operation = undefined;
      this.#options = init.options ?? {};
    } else {
      this.object = init.object;
      this.operation = init.operation;
      this.#options = init.options;
    }
  }

  /** The job id, once the job exists on the server. */
  get id(): string | undefined {
    return this.#id;
  }

  /** The job info last seen. */
  get lastInfo(): ClassicJobInfo | undefined {
    return this.#info;
  }

  /** The polling settings the job's batches use. */
  get pollOptions(): PollOptions {
    return this.#options;
  }

  get api(): ClassicApi {
    return this.#api;
  }

  /** Creates the job on the server (once; later calls share the first). */
  open(): Promise<ClassicJobInfo> {
    if (this.#id !== undefined) return this.info();
    this.#opening ??= this.#create();
    return this.#opening;
  }

  /** The job id, creating the job first when needed. */
  async ensureId(): Promise<string> {
    if (this.#id !== undefined) return this.#id;
    return (await this.open()).id;
  }

  async #create(): Promise<ClassicJobInfo> {
    const options = this.#options;
    const body = xmlDocument('jobInfo', [
      ['operation', this.operation],
      ['object', this.object],
      ['externalIdFieldName', options.externalIdField ?? options.extIdField],
      ['concurrencyMode', options.concurrencyMode],
      ['assignmentRuleId', options.assignmentRuleId],
      ['contentType', 'CSV'],
    ]);
    try {
      // A repeated create makes at most a spare empty job: it cannot duplicate data.
      const text = await this.#api.text({
        method: 'POST',
        path: 'job',
        body,
        contentType: XML,
        idempotent: true,
      });
      const info = parseJobInfo(text, { method: 'POST', path: `${this.#api.base}job` });
      this.#id = info.id;
      this.#info = info;
      return info;
    } catch (error) {
      this.#opening = undefined;
      throw error;
    }
  }

  #path(): string {
    return apiPath`job/${this.#id as string}`;
  }

  /** The job's current info (`GET job/<id>`). */
  async info(): Promise<ClassicJobInfo> {
    await this.ensureId();
    const path = this.#path();
    const text = await this.#api.text({ path });
    this.#info = parseJobInfo(text, { method: 'GET', path: this.#api.base + path });
    return this.#info;
  }

  /** The job's batches (`GET job/<id>/batch`). */
  async list(): Promise<BatchInfo[]> {
    await this.ensureId();
    const path = `${this.#path()}/batch`;
    const text = await this.#api.text({ path });
    return parseBatchInfoList(text, { method: 'GET', path: this.#api.base + path });
  }

  /** A new batch of this job: call `execute(input)` on it, or pipe records into it. */
  createBatch(): ClassicBatch<O> {
    return new ClassicBatch<O>(this, undefined);
  }

  /** An existing batch, to check on or poll later (`bulk.job(jobId).batch(batchId)`). */
  batch(batchId: string): ClassicBatch<O> {
    return new ClassicBatch<O>(this, batchId);
  }

  /** Closes the job: no more batches; Salesforce finishes the queued ones. */
  close(): Promise<ClassicJobInfo> {
    return this.#setState('Closed');
  }

  /** Aborts the job: unprocessed batches are not processed. */
  abort(): Promise<ClassicJobInfo> {
    return this.#setState('Aborted');
  }

  async #setState(state: 'Closed' | 'Aborted'): Promise<ClassicJobInfo> {
    await this.ensureId();
    const path = this.#path();
    const text = await this.#api.text({
      method: 'POST',
      path,
      body: xmlDocument('jobInfo', [['state', state]]),
      contentType: XML,
    });
    this.#info = parseJobInfo(text, { method: 'POST', path: this.#api.base + path });
    return this.#info;
  }
}
