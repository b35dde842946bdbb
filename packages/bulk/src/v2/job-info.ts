import { type RequestTarget, ResponseError } from '@forcekit/core';
import type { ColumnDelimiter, LineEnding } from '../csv/dialect.js';

export type IngestOperation = 'insert' | 'update' | 'upsert' | 'delete' | 'hardDelete';
export type QueryOperation = 'query' | 'queryAll';

/** Bulk API 2.0 job states: `Open -> UploadComplete -> InProgress -> JobComplete | Failed`, or `Aborted`. */
export type JobState = 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';

/** States a job never leaves. */
export const TERMINAL_STATES: ReadonlySet<string> = new Set(['JobComplete', 'Failed', 'Aborted']);

export function isTerminal(state: string): boolean {
  return TERMINAL_STATES.has(state);
}

/**
 * A Bulk API 2.0 job as Salesforce describes it (`GET /jobs/ingest/<id>`, `/jobs/query/<id>`), plus
 * `kind`, which says which of the two it is. Counters appear once data was uploaded; `contentUrl`
 * only while the job is Open; `errorMessage` when it Failed.
 */
export interface JobInfo {
  readonly kind: 'ingest' | 'query';
  readonly id: string;
  readonly object: string;
  readonly operation: IngestOperation | QueryOperation | (string & {});
  readonly state: JobState | (string & {});
  readonly createdById?: string;
  readonly createdDate?: string;
  readonly systemModstamp?: string;
  readonly concurrencyMode?: string;
  readonly contentType?: string;
  readonly apiVersion?: number;
  readonly jobType?: string;
  readonly contentUrl?: string;
  readonly lineEnding?: LineEnding;
  readonly columnDelimiter?: ColumnDelimiter;
  readonly externalIdFieldName?: string;
  readonly assignmentRuleId?: string;
  readonly numberRecordsProcessed?: number;
  readonly numberRecordsFailed?: number;
  readonly retries?: number;
  readonly totalProcessingTime?: number;
  readonly apiActiveProcessingTime?: number;
  readonly apexProcessingTime?: number;
  readonly errorMessage?: string;
}

const TEXT_KEYS = [
  'createdById',
  'createdDate',
  'systemModstamp',
  'concurrencyMode',
  'contentType',
  'jobType',
  'contentUrl',
  'lineEnding',
  'columnDelimiter',
  'externalIdFieldName',
  'assignmentRuleId',
  'errorMessage',
] as const;

const NUMBER_KEYS = [
  'apiVersion',
  'numberRecordsProcessed',
  'numberRecordsFailed',
  'retries',
  'totalProcessingTime',
  'apiActiveProcessingTime',
  'apexProcessingTime',
] as const;

/** Reads a job info body, keeping the fields of the documented types (and failing on a body without id or state). */
export function toJobInfo(
  kind: 'ingest' | 'query',
  body: unknown,
  target: RequestTarget,
  status = 200,
): JobInfo {
  if (typeof body !== 'object' || body === null) {
    throw new ResponseError(target, status, 'expected a job info object');
  }
  const wire = body as Record<string, unknown>;
  if (typeof wire.id !== 'string' || typeof wire.state !== 'string') {
    throw new ResponseError(target, status, 'the job info has no id or state');
  }
  const info: Record<string, unknown> = {
    kind,
    id: wire.id,
    object: typeof wire.object === 'string' ? wire.object : '',
    operation: typeof wire.operation === 'string' ? wire.operation : '',
    state: wire.state,
  };
  for (const key of TEXT_KEYS) if (typeof wire[key] === 'string') info[key] = wire[key];
  for (const key of NUMBER_KEYS) {
    const value = wire[key];
    if (typeof value === 'number') info[key] = value;
    else if (typeof value === 'string' && value !== '' && Number.isFinite(Number(value)))
      info[key] = Number(value);
  }
  return info as unknown as JobInfo;
}
