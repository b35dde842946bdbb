import { type RequestTarget, ResponseError } from '@forcekit/core';
import { leafValues, parseXml, type XmlElement } from './xml.js';

/** Operations of the classic Bulk API. */
export type ClassicOperation =
  | 'insert'
  | 'update'
  | 'upsert'
  | 'delete'
  | 'hardDelete'
  | 'query'
  | 'queryAll';

/** A classic job (`jobInfo`). Counters are numbers; `state` is Open, Closed, Aborted or Failed. */
export interface ClassicJobInfo {
  /** Always `'classic'` (Bulk API 2.0 infos say `'ingest'` or `'query'`). */
  readonly kind: 'classic';
  readonly id: string;
  readonly operation: ClassicOperation | (string & {});
  readonly object: string;
  readonly state: 'Open' | 'Closed' | 'Aborted' | 'Failed' | (string & {});
  readonly createdById?: string;
  readonly createdDate?: string;
  readonly systemModstamp?: string;
  readonly externalIdFieldName?: string;
  readonly concurrencyMode?: string;
  readonly contentType?: string;
  readonly assignmentRuleId?: string;
  readonly apiVersion?: number;
  readonly numberBatchesQueued?: number;
  readonly numberBatchesInProgress?: number;
  readonly numberBatchesCompleted?: number;
  readonly numberBatchesFailed?: number;
  readonly numberBatchesTotal?: number;
  readonly numberRecordsProcessed?: number;
  readonly numberRecordsFailed?: number;
  readonly numberRetries?: number;
  readonly totalProcessingTime?: number;
  readonly apiActiveProcessingTime?: number;
  readonly apexProcessingTime?: number;
}

/** A classic batch (`batchInfo`): `state` is Queued, InProgress, Completed, Failed or NotProcessed. */
export interface BatchInfo {
  readonly id: string;
  readonly jobId: string;
  readonly state: 'Queued' | 'InProgress' | 'Completed' | 'Failed' | 'NotProcessed' | (string & {});
  /** Why a batch failed (or was not processed). */
  readonly stateMessage?: string;
  readonly createdDate?: string;
  readonly systemModstamp?: string;
  readonly numberRecordsProcessed?: number;
  readonly numberRecordsFailed?: number;
  readonly totalProcessingTime?: number;
  readonly apiActiveProcessingTime?: number;
  readonly apexProcessingTime?: number;
}

const JOB_NUMBERS = new Set([
  'apiVersion',
  'numberBatchesQueued',
  'numberBatchesInProgress',
  'numberBatchesCompleted',
  'numberBatchesFailed',
  'numberBatchesTotal',
  'numberRecordsProcessed',
  'numberRecordsFailed',
  'numberRetries',
  'totalProcessingTime',
  'apiActiveProcessingTime',
  'apexProcessingTime',
]);

function typed(values: Record<string, string>): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(values)) {
    out[key] = JOB_NUMBERS.has(key) && value !== '' && Number.isFinite(Number(value)) ? Number(value) : value;
  }
  return out;
}

function rootOf(text: string, expected: string, target: RequestTarget, status: number): XmlElement {
  let root: XmlElement;
  try {
    root = parseXml(text);
  } catch (error) {
    throw new ResponseError(target, status, `the body is not XML (${(error as Error).message})`);
  }
  if (root.name !== expected)
    throw new ResponseError(target, status, `expected <${expected}>, got <${root.name}>`);
  return root;
}

function checked<T extends { id: string }>(
  values: Record<string, string | number>,
  target: RequestTarget,
  status: number,
  what: string,
): T {
  if (typeof values.id !== 'string' || values.id === '' || typeof values.state !== 'string') {
    throw new ResponseError(target, status, `the ${what} has no id or state`);
  }
  return values as unknown as T;
}

export function parseJobInfo(text: string, target: RequestTarget, status = 200): ClassicJobInfo {
  const values = { kind: 'classic', ...typed(leafValues(rootOf(text, 'jobInfo', target, status))) };
  return checked(values, target, status, 'jobInfo');
}

function toBatchInfo(element: XmlElement, target: RequestTarget, status: number): BatchInfo {
  return checked(typed(leafValues(element)), target, status, 'batchInfo');
}

export function parseBatchInfo(text: string, target: RequestTarget, status = 200): BatchInfo {
  return toBatchInfo(rootOf(text, 'batchInfo', target, status), target, status);
}

export function parseBatchInfoList(text: string, target: RequestTarget, status = 200): BatchInfo[] {
  return rootOf(text, 'batchInfoList', target, status)
    .children.filter((child) => child.name === 'batchInfo')
    .map((child) => toBatchInfo(child, target, status));
}

/** The result ids of a query batch (`<result-list><result>752…</result></result-list>`). */
export function parseResultList(text: string, target: RequestTarget, status = 200): string[] {
  return rootOf(text, 'result-list', target, status)
    .children.filter((child) => child.name === 'result')
    .map((child) => child.text.trim());
}
