import { StringDecoder } from 'node:string_decoder';
import type { HttpError, RequestContext } from '../http/context.js';
import type { Router } from '../http/router.js';
import type { Org } from '../org.js';
import { ClassicJob } from './classic-job.js';
import { COLUMN_DELIMITERS, type ColumnDelimiter, type LineEnding, stripBom } from './csv.js';
import { bulkError, invalidJob, invalidJobState, jobNotFound } from './errors.js';
import { IngestJob, type ResultKind } from './ingest-job.js';
import type { JobState } from './job.js';
import { prepareBulkQuery, type QueryRefusal } from './query-columns.js';
import { decodeLocator, encodeLocator, QueryJob, type QueryOperation } from './query-job.js';
import { INGEST_OPERATIONS, type IngestOperation } from './records.js';
import { sendJobJson, sendPieces } from './respond.js';
import { type AnyJob, type BulkEngine, bulkEngineOf } from './service.js';
import {
  classicListEntry,
  ingestCreated,
  ingestInfo,
  ingestShort,
  listEntry,
  queryCreated,
  queryInfo,
} from './v2-info.js';

const BASE = '/services/data/:version/jobs';
const LIST_PAGE_SIZE = 1000;
const CSV_TYPE = 'text/csv';

/**
 * Bulk API 2.0 under `/services/data/vNN.N/jobs`: ingest jobs (create, upload, close, abort, delete,
 * info, list, the three result files) and query jobs (create, info, abort, delete, list, results by
 * `maxRecords` and `locator`).
 */
export function registerBulkV2Routes(router: Router, org: Org): void {
  const bulk = bulkEngineOf(org.bulk);
  router.post(`${BASE}/ingest`, (ctx) => createIngestJob(ctx, bulk));
  router.get(`${BASE}/ingest`, (ctx) => listJobs(ctx, bulk, 'ingest'));
  router.get(`${BASE}/ingest/:jobId`, (ctx) => sendJobJson(ctx, 200, ingestInfo(ingestJobOf(ctx, bulk))));
  router.patch(`${BASE}/ingest/:jobId`, (ctx) => changeIngestState(ctx, bulk));
  router.delete(`${BASE}/ingest/:jobId`, (ctx) => deleteJob(ctx, bulk, ingestJobOf(ctx, bulk)));
  router.put(`${BASE}/ingest/:jobId/batches`, (ctx) => upload(ctx, bulk));
  router.get(`${BASE}/ingest/:jobId/successfulResults`, (ctx) => ingestResults(ctx, bulk, 'successful'));
  router.get(`${BASE}/ingest/:jobId/failedResults`, (ctx) => ingestResults(ctx, bulk, 'failed'));
  router.get(`${BASE}/ingest/:jobId/unprocessedrecords`, (ctx) => ingestResults(ctx, bulk, 'unprocessed'));

  router.post(`${BASE}/query`, (ctx) => createQueryJob(ctx, bulk));
  router.get(`${BASE}/query`, (ctx) => listJobs(ctx, bulk, 'query'));
  router.get(`${BASE}/query/:jobId`, (ctx) => sendJobJson(ctx, 200, queryInfo(queryJobOf(ctx, bulk))));
  router.patch(`${BASE}/query/:jobId`, (ctx) => abortQueryJob(ctx, bulk));
  router.delete(`${BASE}/query/:jobId`, (ctx) => deleteJob(ctx, bulk, queryJobOf(ctx, bulk)));
  router.get(`${BASE}/query/:jobId/results`, (ctx) => queryResults(ctx, bulk));
}

// ---- request helpers ------------------------------------------------------------------------------

/** The JSON object body of a job request; anything else is `JSON_PARSER_ERROR`. */
async function jsonObject(ctx: RequestContext): Promise<Record<string, unknown>> {
  const text = await ctx.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw bulkError(400, 'JSON_PARSER_ERROR', `Unexpected character in the JSON body: ${detail}`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw bulkError(400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object');
  }
  return body as Record<string, unknown>;
}

function optionalText(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidJob(`${key} must be a string, got ${JSON.stringify(value)}`);
  return value;
}

function enumValue<T extends string>(
  body: Record<string, unknown>,
  key: string,
  allowed: readonly T[],
  fallback: T | undefined,
): T {
  const value = optionalText(body, key);
  if (value === undefined) {
    if (fallback !== undefined) return fallback;
    throw invalidJob(`${key} is required: one of ${allowed.join(', ')}`);
  }
  const match = allowed.find((a) => a.toLowerCase() === value.toLowerCase());
  if (match === undefined)
    throw invalidJob(`Invalid ${key}: ${value}. Valid values are ${allowed.join(', ')}`);
  return match;
}

const LINE_ENDING_VALUES: readonly LineEnding[] = ['LF', 'CRLF'];
const DELIMITER_VALUES = Object.keys(COLUMN_DELIMITERS) as ColumnDelimiter[];

function dialectOf(body: Record<string, unknown>): {
  lineEnding: LineEnding;
  columnDelimiter: ColumnDelimiter;
} {
  const contentType = optionalText(body, 'contentType');
  if (contentType !== undefined && contentType.toUpperCase() !== 'CSV') {
    throw invalidJob(`Invalid contentType: ${contentType}. Bulk API 2.0 supports only CSV`);
  }
  return {
    lineEnding: enumValue(body, 'lineEnding', LINE_ENDING_VALUES, 'LF'),
    columnDelimiter: enumValue(body, 'columnDelimiter', DELIMITER_VALUES, 'COMMA'),
  };
}

function jobOf(ctx: RequestContext, bulk: BulkEngine): AnyJob {
  const job = bulk.job(ctx.params.jobId as string);
  if (job === undefined) throw jobNotFound();
  return job;
}

function ingestJobOf(ctx: RequestContext, bulk: BulkEngine): IngestJob {
  const job = jobOf(ctx, bulk);
  if (!(job instanceof IngestJob)) throw jobNotFound();
  return job;
}

function queryJobOf(ctx: RequestContext, bulk: BulkEngine): QueryJob {
  const job = jobOf(ctx, bulk);
  if (!(job instanceof QueryJob)) throw jobNotFound();
  return job;
}

function userOf(ctx: RequestContext): string {
  if (ctx.auth === undefined) throw new Error('bulk routes need an authenticated session');
  return ctx.auth.userId;
}

/** How the state-change errors name a state: `Aborting already Completed Job not allowed`. */
function stateWord(state: JobState): string {
  return state === 'JobComplete' ? 'Completed' : state;
}

// ---- ingest ----------------------------------------------------------------------------------------

async function createIngestJob(ctx: RequestContext, bulk: BulkEngine): Promise<void> {
  const body = await jsonObject(ctx);
  const objectName = optionalText(body, 'object');
  if (objectName === undefined || objectName.trim() === '') throw invalidJob('object is required');
  const operation = enumValue<IngestOperation>(body, 'operation', INGEST_OPERATIONS, undefined);
  const def = bulk.data.object(objectName);
  if (def === undefined || def.eventObject) throw invalidJob(`Unable to find object: ${objectName}`);
  const dialect = dialectOf(body);
  let externalIdFieldName: string | undefined;
  if (operation === 'upsert') {
    const given = optionalText(body, 'externalIdFieldName');
    if (given === undefined || given.trim() === '') {
      throw invalidJob(`External ID was blank for ${def.name}. An External ID must be specified for upsert.`);
    }
    const field = def.fields.find((f) => f.name.toLowerCase() === given.trim().toLowerCase());
    if (field === undefined) throw invalidJob(`Field name not found : ${given}`);
    if (!(field.externalId || field.idLookup)) {
      throw invalidJob(`The field ${field.name} is not an External ID or Id field for ${def.name}`);
    }
    externalIdFieldName = field.name;
  }
  const now = bulk.now();
  const job = bulk.addIngestJob({
    id: bulk.newJobId(),
    object: def.name,
    operation,
    externalIdFieldName,
    assignmentRuleId: optionalText(body, 'assignmentRuleId'),
    ...dialect,
    apiVersion: ctx.params.version as string,
    createdById: userOf(ctx),
    createdAt: now,
  });
  await sendJobJson(ctx, 200, ingestCreated(job));
}

async function upload(ctx: RequestContext, bulk: BulkEngine): Promise<void> {
  const job = ingestJobOf(ctx, bulk);
  const contentType = ctx.header('content-type') ?? CSV_TYPE;
  if (!/^text\/csv\b/i.test(contentType)) {
    drain(ctx);
    throw bulkError(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      `Content type ${contentType} is not supported: upload text/csv`,
    );
  }
  if (job.state !== 'Open') {
    drain(ctx);
    throw invalidJobState(
      `Uploading data to an ${stateWord(job.state)} Job not allowed: the job must be Open`,
    );
  }
  const limit = bulk.settings.uploadLimitBytes;
  const upload = job.beginUpload();
  const decoder = new StringDecoder('utf8');
  let first = true;
  let overLimit = false;
  try {
    for await (const chunk of ctx.bodyStream()) {
      const buffer = chunk as Buffer;
      if (overLimit) continue;
      if (base64Size(job.uploadedBytes + upload.bytes + buffer.length) > limit) {
        // Keep reading (and dropping) the rest so the client gets the answer, not a reset connection.
        overLimit = true;
        continue;
      }
      let text = decoder.write(buffer);
      if (first && text !== '') {
        text = stripBom(text);
        first = false;
      }
      upload.push(text, buffer.length);
    }
  } catch (error) {
    // A body sent with Content-Encoding: gzip that does not inflate.
    if (isZlibError(error))
      throw bulkError(400, 'INVALIDBATCH', `The gzip-encoded body cannot be read: ${error.message}`);
    throw error;
  }
  if (overLimit) {
    throw bulkError(
      413,
      'INVALIDBATCH',
      `The job's data exceeds the maximum of ${limit} bytes (base64-encoded) per job: upload the rest in another job`,
    );
  }
  upload.push(decoder.end(), 0);
  const refused = upload.finish();
  if (refused !== undefined) throw bulkError(400, 'INVALIDBATCH', refused);
  if (job.state !== 'Open') {
    throw invalidJobState(
      `Uploading data to an ${stateWord(job.state)} Job not allowed: the job must be Open`,
    );
  }
  upload.commit();
  ctx.noContent(201);
}

function isZlibError(error: unknown): error is Error {
  const code: unknown = error instanceof Error ? (error as Error & { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('Z_');
}

/** Salesforce counts upload size base64-encoded. */
function base64Size(bytes: number): number {
  return Math.ceil(bytes / 3) * 4;
}

/** Reads and drops a request body we answer without using. */
function drain(ctx: RequestContext): void {
  ctx.req.resume();
}

async function changeIngestState(ctx: RequestContext, bulk: BulkEngine): Promise<void> {
  const job = ingestJobOf(ctx, bulk);
  const body = await jsonObject(ctx);
  const state = optionalText(body, 'state');
  if (state === 'UploadComplete') {
    if (job.state !== 'Open')
      throw invalidJobState(`Closing already ${stateWord(job.state)} Job not allowed`);
    bulk.closeIngestJob(job);
  } else if (state === 'Aborted') {
    if (job.terminal) throw invalidJobState(`Aborting already ${stateWord(job.state)} Job not allowed`);
    bulk.setState(job, 'Aborted');
  } else {
    throw invalidJobState(`Invalid state: ${state ?? 'none'}. Set the state to UploadComplete or Aborted`);
  }
  await sendJobJson(ctx, 200, ingestShort(job));
}

async function deleteJob(ctx: RequestContext, bulk: BulkEngine, job: IngestJob | QueryJob): Promise<void> {
  if (job.state === 'Open' || job.state === 'InProgress') {
    throw invalidJobState(
      `Deleting a job in state ${job.state} not allowed: the job must be UploadComplete, JobComplete, Aborted or Failed`,
    );
  }
  bulk.deleteJob(job.id);
  ctx.noContent(204);
}

async function ingestResults(ctx: RequestContext, bulk: BulkEngine, kind: ResultKind): Promise<void> {
  const job = ingestJobOf(ctx, bulk);
  if (!job.terminal) {
    throw invalidJobState(
      `Results are available once the job is JobComplete, Failed or Aborted; it is ${job.state}`,
    );
  }
  await sendPieces(ctx, 200, job.results(kind), CSV_TYPE);
}

// ---- query -----------------------------------------------------------------------------------------

const QUERY_OPERATIONS: readonly QueryOperation[] = ['query', 'queryAll'];

async function createQueryJob(ctx: RequestContext, bulk: BulkEngine): Promise<void> {
  const body = await jsonObject(ctx);
  const operation = enumValue(body, 'operation', QUERY_OPERATIONS, undefined);
  const soql = optionalText(body, 'query');
  if (soql === undefined || soql.trim() === '') throw invalidJob('query is required');
  const dialect = dialectOf(body);
  const version = ctx.params.version as string;
  const userId = userOf(ctx);
  const prepared = prepareBulkQuery(soql, bulk.data, {
    includeDeleted: operation === 'queryAll',
    apiVersion: version,
    now: new Date(bulk.now()),
    userId,
  });
  if ('kind' in prepared) throw v2Refusal(prepared);
  // Bulk 2.0 writes CSV only, and refuses blob fields in it (a base64 column).
  if (prepared.types.includes('base64')) {
    throw bulkError(400, 'API_ERROR', 'Blob field not supported in Bulk V2 Query with CSV content type');
  }
  const job = bulk.addQueryJob({
    id: bulk.newJobId(),
    object: prepared.object,
    operation,
    query: soql,
    ...dialect,
    apiVersion: version,
    createdById: userId,
    createdAt: bulk.now(),
    result: prepared.result,
    types: prepared.types,
  });
  await sendJobJson(ctx, 200, queryCreated(job));
}

/**
 * A query Bulk 2.0 refuses, answered when the job is created as Salesforce answers it: the SOQL
 * engine's error, or `API_ERROR` with the words recorded from real orgs.
 */
function v2Refusal(refusal: QueryRefusal): HttpError {
  switch (refusal.kind) {
    case 'soql':
      return bulkError(400, refusal.error.errorCode, refusal.error.message);
    case 'subquery':
      return bulkError(
        400,
        'API_ERROR',
        'Aggregate Relationships not supported in Bulk V2 Query with CSV content type',
      );
    case 'aggregate':
      return bulkError(400, 'API_ERROR', 'Aggregate queries not supported in Bulk Query');
    case 'compound':
      return bulkError(400, 'API_ERROR', 'Selecting compound data not supported in Bulk Query');
  }
}

async function abortQueryJob(ctx: RequestContext, bulk: BulkEngine): Promise<void> {
  const job = queryJobOf(ctx, bulk);
  const body = await jsonObject(ctx);
  const state = optionalText(body, 'state');
  if (state !== 'Aborted') {
    throw invalidJobState(`Invalid state: ${state ?? 'none'}. A query job can only be set to Aborted`);
  }
  if (job.state === 'JobComplete' || job.state === 'Failed' || job.state === 'Aborted') {
    throw invalidJobState(`Aborting already ${stateWord(job.state)} Job not allowed`);
  }
  bulk.setState(job, 'Aborted');
  await sendJobJson(ctx, 200, queryCreated(job));
}

const STATUS_NAMES: Readonly<Record<JobState, string>> = {
  Open: 'OPEN',
  UploadComplete: 'UPLOAD_COMPLETE',
  InProgress: 'IN_PROGRESS',
  JobComplete: 'JOB_COMPLETE',
  Failed: 'FAILED',
  Aborted: 'ABORTED',
};

async function queryResults(ctx: RequestContext, bulk: BulkEngine): Promise<void> {
  const job = queryJobOf(ctx, bulk);
  if (job.state !== 'JobComplete') {
    throw bulkError(
      412,
      'JOB_NOT_COMPLETE',
      `can only download query results of successfully completed bulk job with status: JOB_COMPLETE. Current status: ${STATUS_NAMES[job.state]}`,
    );
  }
  const maxParam = ctx.query.get('maxRecords');
  let maxRecords = bulk.settings.defaultMaxRecords;
  if (maxParam !== null) {
    if (!/^\d+$/.test(maxParam) || Number(maxParam) < 1) {
      throw bulkError(400, 'API_ERROR', `maxRecords must be a positive integer, got '${maxParam}'`);
    }
    maxRecords = Number(maxParam);
  }
  const locatorParam = ctx.query.get('locator');
  let start = 0;
  if (locatorParam !== null && locatorParam !== '') {
    const offset = decodeLocator(locatorParam);
    if (offset === undefined || offset > job.size) {
      throw bulkError(400, 'INVALID_LOCATOR', `Invalid locator: ${locatorParam}`);
    }
    start = offset;
  }
  const end = Math.min(job.size, start + maxRecords);
  await sendPieces(ctx, 200, job.csv(start, end), CSV_TYPE, {
    'Sforce-NumberOfRecords': String(end - start),
    'Sforce-Locator': end < job.size ? encodeLocator(end) : 'null',
  });
}

// ---- lists -----------------------------------------------------------------------------------------

async function listJobs(ctx: RequestContext, bulk: BulkEngine, area: 'ingest' | 'query'): Promise<void> {
  const jobTypeFilter = ctx.query.get('jobType');
  const modeFilter = ctx.query.get('concurrencyMode');
  const pkChunking = ctx.query.get('isPkChunkingEnabled');
  const entries: Record<string, unknown>[] = [];
  if (pkChunking !== 'true') {
    for (const summary of bulk.jobs()) {
      const job = bulk.job(summary.id);
      if (job === undefined) continue;
      const entry = listed(job, area);
      if (entry === undefined) continue;
      if (jobTypeFilter !== null && entry.jobType !== jobTypeFilter) continue;
      if (modeFilter !== null && entry.concurrencyMode !== modeFilter) continue;
      entries.push(entry);
    }
  }
  const locator = ctx.query.get('queryLocator');
  const start = locator === null ? 0 : (decodeLocator(locator) ?? -1);
  if (start < 0 || start > entries.length)
    throw bulkError(400, 'INVALID_LOCATOR', `Invalid queryLocator: ${locator}`);
  const end = Math.min(entries.length, start + LIST_PAGE_SIZE);
  const done = end >= entries.length;
  const next = new URLSearchParams(ctx.query);
  next.set('queryLocator', encodeLocator(end));
  await sendJobJson(ctx, 200, {
    done,
    records: entries.slice(start, end),
    nextRecordsUrl: done ? null : `${ctx.path}?${next.toString()}`,
  });
}

function listed(job: AnyJob, area: 'ingest' | 'query'): Record<string, unknown> | undefined {
  if (job instanceof IngestJob) return area === 'ingest' ? listEntry(job, 'V2Ingest') : undefined;
  if (job instanceof QueryJob) return area === 'query' ? listEntry(job, 'V2Query') : undefined;
  if (job instanceof ClassicJob)
    return job.isQuery === (area === 'query') ? classicListEntry(job) : undefined;
  return undefined;
}
