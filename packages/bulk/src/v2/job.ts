import { apiPath, type Requester } from '@forcekit/core';
import { COLUMN_DELIMITERS, type ColumnDelimiter } from '../csv/dialect.js';
import { JSON_HEADERS } from '../internal/http.js';
import type { PollOptions } from '../poll.js';
import { type JobInfo, toJobInfo } from './job-info.js';
import { waitForJobs } from './wait.js';

/** What ingest and query jobs share: their info, polling, abort and delete. */
export class V2Job {
  readonly id: string;
  readonly kind: 'ingest' | 'query';
  protected readonly requester: Requester;
  #info: JobInfo;

  constructor(requester: Requester, kind: 'ingest' | 'query', info: JobInfo) {
    this.requester = requester;
    this.kind = kind;
    this.id = info.id;
    this.#info = info;
  }

  /** The job info last seen (from the creation, a state change or a poll). */
  get info(): JobInfo {
    return this.#info;
  }

  protected set info(info: JobInfo) {
    this.#info = info;
  }

  /** The job's request path, for errors and logs. */
  get path(): string {
    return `/services/data/v${this.requester.version}/${this.relative()}`;
  }

  /** The job's delimiter character (from its info; `,` when the server did not say). */
  get delimiter(): string {
    return COLUMN_DELIMITERS[(this.#info.columnDelimiter ?? 'COMMA') as ColumnDelimiter] ?? ',';
  }

  protected relative(suffix = ''): string {
    return apiPath`jobs/${this.kind}/${this.id}` + suffix;
  }

  /** Fetches the job's current info. */
  async refresh(signal?: AbortSignal): Promise<JobInfo> {
    const body = await this.requester.request({ path: this.relative(), signal });
    this.#info = toJobInfo(this.kind, body, { method: 'GET', path: this.path });
    return this.#info;
  }

  /** Polls until the job is JobComplete, Failed or Aborted; returns its final info. */
  async wait(
    options: PollOptions & { onPoll?: ((info: JobInfo) => void) | undefined } = {},
  ): Promise<JobInfo> {
    const [info] = await waitForJobs([this], options, (infos) => options.onPoll?.(infos[0] as JobInfo));
    return info as JobInfo;
  }

  /** Aborts the job (`PATCH {"state":"Aborted"}`). Aborting a finished job is an `INVALIDJOBSTATE` error. */
  abort(options: { signal?: AbortSignal | undefined } = {}): Promise<JobInfo> {
    return this.setState('Aborted', options.signal);
  }

  /** Deletes the job and its data (only once it is closed or finished). */
  async delete(options: { signal?: AbortSignal | undefined } = {}): Promise<void> {
    await this.requester.request({ method: 'DELETE', path: this.relative(), signal: options.signal });
  }

  protected async setState(
    state: 'UploadComplete' | 'Aborted',
    signal: AbortSignal | undefined,
  ): Promise<JobInfo> {
    const body = await this.requester.request({
      method: 'PATCH',
      path: this.relative(),
      body: { state },
      headers: JSON_HEADERS,
      signal,
    });
    // The short info a state change returns lacks the dialect: keep what the job was created with.
    this.#info = { ...this.#info, ...toJobInfo(this.kind, body, { method: 'PATCH', path: this.path }) };
    return this.#info;
  }
}
