import { formatDateTime } from '../data/values.js';
import type { ClassicJob } from './classic-job.js';
import type { IngestJob } from './ingest-job.js';
import type { QueryJob } from './query-job.js';

/**
 * The job info documents of Bulk API 2.0 in Salesforce's key order (see `fixtures/bulk2`): the create
 * answer, the short answer to a state change, the full `GET` answer and the list entries.
 */

/** Job stamps have whole seconds: `2021-08-31T01:31:13.000+0000`. */
export function stamp(ms: number): string {
  return formatDateTime(Math.floor(ms / 1000) * 1000);
}

/** `apiVersion` is a JSON number written with its decimal (`52.0`); parsed back it is `52`. */
const API_VERSION = Symbol('apiVersion');

interface VersionNumber {
  readonly [API_VERSION]: string;
}

/** A value `jobJson` writes as a bare number with its decimal: `apiVersionNumber('62.0')` -> `62.0`. */
export function apiVersionNumber(text: string): unknown {
  return { [API_VERSION]: text };
}

/** What the head of every job document reads, whichever API the job belongs to. */
interface JobHead {
  readonly id: string;
  readonly operation: string;
  readonly object: string;
  readonly createdById: string;
  readonly createdAt: number;
  readonly modifiedAt: number;
  readonly state: string;
  readonly externalIdFieldName?: string | undefined;
  readonly assignmentRuleId?: string | undefined;
  readonly concurrencyMode: string;
  readonly contentType: string;
  readonly apiVersion: string;
}

/** The keys every job document starts with, in Salesforce's order. */
function head(job: JobHead): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: job.id,
    operation: job.operation,
    object: job.object,
    createdById: job.createdById,
    createdDate: stamp(job.createdAt),
    systemModstamp: stamp(job.modifiedAt),
    state: job.state,
  };
  if (job.externalIdFieldName !== undefined) out.externalIdFieldName = job.externalIdFieldName;
  if (job.assignmentRuleId !== undefined) out.assignmentRuleId = job.assignmentRuleId;
  out.concurrencyMode = job.concurrencyMode;
  out.contentType = job.contentType;
  out.apiVersion = apiVersionNumber(job.apiVersion);
  return out;
}

export function contentUrl(job: IngestJob): string {
  return `services/data/v${job.apiVersion}/jobs/ingest/${job.id}/batches`;
}

/** `POST /jobs/ingest`: the job, Open, with its `contentUrl` (no leading slash). */
export function ingestCreated(job: IngestJob): Record<string, unknown> {
  return {
    ...head(job),
    contentUrl: contentUrl(job),
    lineEnding: job.lineEnding,
    columnDelimiter: job.columnDelimiter,
  };
}

/** `PATCH /jobs/ingest/<id>` (close or abort): the short shape. */
export function ingestShort(job: IngestJob): Record<string, unknown> {
  return head(job);
}

/** `GET /jobs/ingest/<id>`: counters appear once data was uploaded, `contentUrl` only while Open. */
export function ingestInfo(job: IngestJob): Record<string, unknown> {
  const out: Record<string, unknown> = { ...head(job), jobType: 'V2Ingest' };
  if (job.state === 'Open') out.contentUrl = contentUrl(job);
  out.lineEnding = job.lineEnding;
  out.columnDelimiter = job.columnDelimiter;
  if (job.hasData) {
    out.numberRecordsProcessed = job.numberRecordsProcessed;
    out.numberRecordsFailed = job.numberRecordsFailed;
  }
  out.retries = 0;
  out.totalProcessingTime = job.processingMs;
  out.apiActiveProcessingTime = job.processingMs;
  out.apexProcessingTime = 0;
  if (job.state === 'Failed' && job.errorMessage !== undefined) out.errorMessage = job.errorMessage;
  return out;
}

/** `POST /jobs/query` and the answer to an abort. */
export function queryCreated(job: QueryJob): Record<string, unknown> {
  return { ...head(job), lineEnding: job.lineEnding, columnDelimiter: job.columnDelimiter };
}

/** `GET /jobs/query/<id>`: `errorMessage` when Failed, as for ingest jobs. */
export function queryInfo(job: QueryJob): Record<string, unknown> {
  const out: Record<string, unknown> = {
    ...head(job),
    jobType: 'V2Query',
    lineEnding: job.lineEnding,
    columnDelimiter: job.columnDelimiter,
    numberRecordsProcessed: job.numberRecordsProcessed,
    retries: 0,
    totalProcessingTime: job.processingMs,
  };
  if (job.state === 'Failed' && job.errorMessage !== undefined) out.errorMessage = job.errorMessage;
  return out;
}

/** An entry of `GET /jobs/ingest` or `GET /jobs/query`. */
export function listEntry(
  job: IngestJob | QueryJob,
  jobType: 'V2Ingest' | 'V2Query',
): Record<string, unknown> {
  return { ...head(job), jobType, lineEnding: job.lineEnding, columnDelimiter: job.columnDelimiter };
}

/** A classic job as `GET /jobs/ingest` lists it (`jobType: "Classic"`). */
export function classicListEntry(job: ClassicJob): Record<string, unknown> {
  return { ...head(job), jobType: 'Classic', lineEnding: 'LF', columnDelimiter: 'COMMA' };
}

/** JSON text with every `apiVersion` written `62.0`, as Salesforce writes it. */
export function jobJson(body: unknown, pretty: boolean): string {
  const marker = '\u0000v:';
  const text = JSON.stringify(
    body,
    (_key, value: unknown) =>
      typeof value === 'object' && value !== null && API_VERSION in value
        ? `${marker}${(value as VersionNumber)[API_VERSION]}`
        : value,
    pretty ? 2 : undefined,
  );
  return text.replace(/"\\u0000v:([0-9.]+)"/g, '$1');
}
