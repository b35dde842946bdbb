import { HttpError, type RequestContext } from '../http/context.js';
import type { Router } from '../http/router.js';
import type { Org } from '../org.js';
import { isServedVersion } from '../platform/versions.js';
import {
  batchJson,
  batchListXml,
  batchXml,
  jobJsonText,
  jobXml,
  resultListXml,
  resultsJson,
  resultsXml,
} from './classic-info.js';
import {
  type BatchInput,
  CLASSIC_OPERATIONS,
  ClassicBatch,
  type ClassicContentType,
  ClassicJob,
  type ClassicOperation,
  csvBatchInput,
} from './classic-job.js';
import { parseXml, xmlError, xmlQueryResult, xmlRecord, xmlRecords, xmlText } from './classic-xml.js';
import { csvRow } from './csv.js';
import { parsePkChunkingHeader } from './pk-chunking.js';
import { csvRows } from './query-columns.js';
import { bulkErrorText } from './records.js';
import { sendPieces } from './respond.js';
import { type BulkEngine, bulkEngineOf } from './service.js';
import { jobJson } from './v2-info.js';

const BASE = '/services/async/:apiVersion/job';
const BULK = { auth: 'bulk-session' } as const;

/**
 * The classic Bulk API (1.0) under `/services/async/NN.N/`: jobs in XML or JSON, batches of CSV, XML
 * or JSON records (or a SOQL query), batch states, results, query result files, close and abort, and
 * errors as `<error><exceptionCode>…` documents (JSON `{exceptionCode, exceptionMessage}`).
 */
export function registerBulkClassicRoutes(router: Router, org: Org): void {
  const bulk = bulkEngineOf(org.bulk);
  const latest = org.apiVersion;
  const route = (handler: (ctx: RequestContext, format: Format) => Promise<void> | void) => {
    return async (ctx: RequestContext) => {
      const format = requestFormat(ctx);
      try {
        if (!isServedVersion(ctx.params.apiVersion as string, latest)) {
          throw classicError(format, 'InvalidVersion', `Invalid API version: ${ctx.params.apiVersion}`);
        }
        await handler(ctx, format);
      } catch (error) {
        if (error instanceof ClassicError) throw error.toHttp();
        throw error;
      }
    };
  };
  router.post(
    BASE,
    route((ctx, format) => createJob(ctx, bulk, format)),
    BULK,
  );
  router.get(
    `${BASE}/:jobId`,
    route((ctx, format) => sendJob(ctx, jobOf(ctx, bulk, format), 200)),
    BULK,
  );
  router.post(
    `${BASE}/:jobId`,
    route((ctx, format) => changeJobState(ctx, bulk, format)),
    BULK,
  );
  router.post(
    `${BASE}/:jobId/batch`,
    route((ctx, format) => createBatch(ctx, bulk, format)),
    BULK,
  );
  router.get(
    `${BASE}/:jobId/batch`,
    route((ctx, format) => listBatches(ctx, bulk, format)),
    BULK,
  );
  router.get(
    `${BASE}/:jobId/batch/:batchId`,
    route((ctx, format) => sendBatch(ctx, batchOf(ctx, bulk, format), 200)),
    BULK,
  );
  router.get(
    `${BASE}/:jobId/batch/:batchId/request`,
    route((ctx, format) => batchRequest(ctx, bulk, format)),
    BULK,
  );
  router.get(
    `${BASE}/:jobId/batch/:batchId/result`,
    route((ctx, format) => batchResult(ctx, bulk, format)),
    BULK,
  );
  router.get(
    `${BASE}/:jobId/batch/:batchId/result/:resultId`,
    route((ctx, format) => queryResult(ctx, bulk, format)),
    BULK,
  );
}

type Format = 'xml' | 'json';

/** JSON when the request says so (body or Accept), XML otherwise; a job's own content type wins later. */
function requestFormat(ctx: RequestContext): Format {
  const type = `${ctx.header('content-type') ?? ''} ${ctx.header('accept') ?? ''}`;
  return /json/i.test(type) && !/xml/i.test(ctx.header('content-type') ?? '') ? 'json' : 'xml';
}

function formatOf(job: ClassicJob): Format {
  return job.contentType === 'JSON' ? 'json' : 'xml';
}

/** An error of the classic API, thrown inside handlers and answered as XML or JSON. */
class ClassicError extends Error {
  readonly format: Format;
  readonly code: string;
  readonly status: number;

  constructor(format: Format, code: string, message: string, status = 400) {
    super(message);
    this.format = format;
    this.code = code;
    this.status = status;
  }

  toHttp(): HttpError {
    return this.format === 'json'
      ? new HttpError(this.status, { exceptionCode: this.code, exceptionMessage: this.message })
      : new HttpError(this.status, xmlError(this.code, this.message), {
          'Content-Type': 'application/xml;charset=UTF-8',
        });
  }
}

function classicError(format: Format, code: string, message: string, status = 400): ClassicError {
  return new ClassicError(format, code, message, status);
}

function userOf(ctx: RequestContext): string {
  if (ctx.auth === undefined) throw new Error('classic bulk routes need an authenticated session');
  return ctx.auth.userId;
}

function jobOf(ctx: RequestContext, bulk: BulkEngine, format: Format): ClassicJob {
  const id = ctx.params.jobId as string;
  const job = bulk.job(id);
  if (!(job instanceof ClassicJob)) throw classicError(format, 'InvalidJob', `Invalid job id: ${id}`);
  return job;
}

function batchOf(ctx: RequestContext, bulk: BulkEngine, format: Format): ClassicBatch {
  const job = jobOf(ctx, bulk, format);
  const id = ctx.params.batchId as string;
  const batch = job.batches.find((b) => b.id.slice(0, 15) === id.slice(0, 15));
  if (batch === undefined) throw classicError(formatOf(job), 'InvalidBatch', `Invalid batch id: ${id}`);
  return batch;
}

async function sendXmlOrJson(
  ctx: RequestContext,
  status: number,
  format: Format,
  xml: string,
  json: string,
): Promise<void> {
  if (format === 'json') await ctx.send(status, json, 'application/json;charset=UTF-8');
  else await ctx.send(status, xml, 'application/xml;charset=UTF-8');
}

function sendJob(ctx: RequestContext, job: ClassicJob, status: number): Promise<void> {
  const pretty = ctx.header('x-prettyprint') === '1';
  return sendXmlOrJson(ctx, status, formatOf(job), jobXml(job), jobJsonText(job, pretty));
}

function sendBatch(ctx: RequestContext, batch: ClassicBatch, status: number): Promise<void> {
  const pretty = ctx.header('x-prettyprint') === '1';
  return sendXmlOrJson(ctx, status, formatOf(batch.job), batchXml(batch), jobJson(batchJson(batch), pretty));
}

// ---- jobs ------------------------------------------------------------------------------------------

interface JobRequest {
  readonly operation?: string | undefined;
  readonly object?: string | undefined;
  readonly contentType?: string | undefined;
  readonly externalIdFieldName?: string | undefined;
  readonly concurrencyMode?: string | undefined;
  readonly assignmentRuleId?: string | undefined;
  readonly state?: string | undefined;
}

/** The `jobInfo` of a request, from XML or JSON. */
async function jobRequest(ctx: RequestContext, format: Format): Promise<JobRequest> {
  const text = (await ctx.text()).trim();
  if (format === 'json') {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw classicError(format, 'InvalidJob', 'Unable to parse the JSON jobInfo in the request body');
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw classicError(format, 'InvalidJob', 'The request body must be a JSON jobInfo object');
    }
    const get = (key: string): string | undefined => {
      const value = (body as Record<string, unknown>)[key];
      return typeof value === 'string' ? value : undefined;
    };
    return pick(get);
  }
  const document = parseXml(text);
  const info = document?.jobInfo;
  if (typeof info !== 'object' || info === null) {
    throw classicError(format, 'InvalidXML', 'The request body must be a jobInfo XML document');
  }
  return pick((key) => xmlText((info as Record<string, unknown>)[key]));
}

function pick(get: (key: string) => string | undefined): JobRequest {
  return {
    operation: get('operation'),
    object: get('object'),
    contentType: get('contentType'),
    externalIdFieldName: get('externalIdFieldName'),
    concurrencyMode: get('concurrencyMode'),
    assignmentRuleId: get('assignmentRuleId'),
    state: get('state'),
  };
}

const CONTENT_TYPES: readonly ClassicContentType[] = ['CSV', 'XML', 'JSON'];

async function createJob(ctx: RequestContext, bulk: BulkEngine, format: Format): Promise<void> {
  const request = await jobRequest(ctx, format);
  const operation = CLASSIC_OPERATIONS.find((op) => op.toLowerCase() === request.operation?.toLowerCase());
  if (operation === undefined) {
    throw classicError(format, 'InvalidJob', `Invalid operation: ${request.operation ?? 'none'}`);
  }
  const objectName = request.object ?? '';
  const def = bulk.data.object(objectName);
  if (def === undefined || def.eventObject) {
    throw classicError(format, 'InvalidJob', `Unable to find object: ${objectName}`);
  }
  const contentType = CONTENT_TYPES.find((t) => t === (request.contentType ?? 'XML').toUpperCase());
  if (contentType === undefined) {
    throw classicError(format, 'InvalidJob', `Unsupported content type: ${request.contentType}`);
  }
  const mode = request.concurrencyMode ?? 'Parallel';
  if (mode !== 'Parallel' && mode !== 'Serial') {
    throw classicError(format, 'InvalidJob', `Invalid concurrency mode: ${mode}`);
  }
  let externalIdFieldName: string | undefined;
  if (operation === 'upsert') {
    const given = request.externalIdFieldName?.trim() ?? '';
    if (given === '') {
      throw classicError(
        format,
        'InvalidJob',
        `External ID was blank for ${def.name}. An External ID must be specified for upsert.`,
      );
    }
    const field = def.fields.find((f) => f.name.toLowerCase() === given.toLowerCase());
    if (field === undefined || !(field.externalId || field.idLookup)) {
      throw classicError(
        format,
        'InvalidJob',
        `The field ${given} is not an External ID or Id field for ${def.name}`,
      );
    }
    externalIdFieldName = field.name;
  }
  const pkChunking = parsePkChunkingHeader(ctx.header('sforce-enable-pkchunking'));
  if (pkChunking !== undefined && 'error' in pkChunking) {
    throw classicError(format, 'InvalidJob', `Invalid Sforce-Enable-PKChunking header: ${pkChunking.error}`);
  }
  const job = bulk.addClassicJob({
    id: bulk.newJobId(),
    pkChunking,
    operation: operation as ClassicOperation,
    object: def.name,
    externalIdFieldName,
    assignmentRuleId: request.assignmentRuleId,
    concurrencyMode: mode,
    contentType,
    apiVersion: ctx.params.apiVersion as string,
    createdById: userOf(ctx),
    createdAt: bulk.now(),
  });
  await sendJob(ctx, job, 201);
}

async function changeJobState(ctx: RequestContext, bulk: BulkEngine, format: Format): Promise<void> {
  const job = jobOf(ctx, bulk, format);
  const request = await jobRequest(ctx, format);
  const state = request.state;
  if (state === 'Closed') {
    if (job.state !== 'Open')
      throw classicError(format, 'InvalidJobState', `Closing already ${job.state} Job not allowed`);
    job.state = 'Closed';
  } else if (state === 'Aborted') {
    if (job.state === 'Aborted' || job.state === 'Failed') {
      throw classicError(format, 'InvalidJobState', `Aborting already ${job.state} Job not allowed`);
    }
    job.state = 'Aborted';
    for (const batch of job.batches) {
      if (batch.state === 'Queued') {
        batch.state = 'NotProcessed';
        batch.modifiedAt = bulk.now();
      }
    }
  } else {
    throw classicError(format, 'InvalidJobState', `Invalid state: ${state ?? 'none'}. Set Closed or Aborted`);
  }
  job.modifiedAt = bulk.now();
  await sendJob(ctx, job, 200);
}

// ---- batches ---------------------------------------------------------------------------------------

const BATCH_CONTENT_TYPES: Readonly<Record<ClassicContentType, RegExp>> = {
  CSV: /^text\/csv\b/i,
  XML: /^(application|text)\/xml\b/i,
  JSON: /^application\/json\b/i,
};

async function createBatch(ctx: RequestContext, bulk: BulkEngine, requested: Format): Promise<void> {
  const job = jobOf(ctx, bulk, requested);
  const format = formatOf(job);
  const body = await ctx.body();
  if (job.state !== 'Open') {
    throw classicError(
      format,
      'InvalidJobState',
      `Unable to add a batch to a job that is ${job.state}: the job must be Open`,
    );
  }
  const requestContentType = ctx.header('content-type') ?? '';
  if (!job.isQuery && !BATCH_CONTENT_TYPES[job.contentType].test(requestContentType)) {
    throw classicError(
      format,
      'InvalidBatch',
      `The batch's content type ${requestContentType || 'none'} does not match the job's content type ${job.contentType}`,
    );
  }
  const text = body.toString('utf8');
  const batch = new ClassicBatch({
    id: bulk.newBatchId(),
    job,
    createdAt: bulk.now(),
    request: body,
    requestContentType: requestContentType || 'text/plain',
    input: job.isQuery ? { kind: 'query', soql: text.trim() } : batchInput(job.contentType, text),
  });
  bulk.queueBatch(batch);
  await sendBatch(ctx, batch, 201);
}

function batchInput(contentType: ClassicContentType, text: string): BatchInput {
  if (contentType === 'CSV') return csvBatchInput(text);
  if (contentType === 'XML') {
    const document = parseXml(text);
    const records = document === undefined ? undefined : xmlRecords(document);
    return records === undefined
      ? {
          kind: 'invalid',
          stateMessage: 'InvalidBatch : Unable to parse the batch as an sObjects XML document',
        }
      : { kind: 'records', records };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return {
      kind: 'invalid',
      stateMessage: 'InvalidBatch : Unable to parse the batch as a JSON array of records',
    };
  }
  if (
    !Array.isArray(parsed) ||
    !parsed.every((r) => typeof r === 'object' && r !== null && !Array.isArray(r))
  ) {
    return {
      kind: 'invalid',
      stateMessage: 'InvalidBatch : The batch must be a JSON array of record objects',
    };
  }
  return { kind: 'records', records: parsed as Record<string, unknown>[] };
}

async function listBatches(ctx: RequestContext, bulk: BulkEngine, requested: Format): Promise<void> {
  const job = jobOf(ctx, bulk, requested);
  const pretty = ctx.header('x-prettyprint') === '1';
  await sendXmlOrJson(
    ctx,
    200,
    formatOf(job),
    batchListXml(job.batches),
    jobJson({ batchInfo: job.batches.map(batchJson) }, pretty),
  );
}

async function batchRequest(ctx: RequestContext, bulk: BulkEngine, requested: Format): Promise<void> {
  const batch = batchOf(ctx, bulk, requested);
  await ctx.send(200, batch.request, batch.requestContentType);
}

function finished(batch: ClassicBatch, format: Format): void {
  if (batch.state === 'Completed') return;
  if (batch.state === 'Failed' && !batch.job.isQuery) return;
  const message =
    batch.state === 'Failed'
      ? (batch.stateMessage ?? 'Batch failed')
      : `Batch not completed: it is ${batch.state}`;
  throw classicError(format, 'InvalidBatch', message);
}

async function batchResult(ctx: RequestContext, bulk: BulkEngine, requested: Format): Promise<void> {
  const batch = batchOf(ctx, bulk, requested);
  const job = batch.job;
  const format = formatOf(job);
  finished(batch, format);
  const pretty = ctx.header('x-prettyprint') === '1';
  if (job.isQuery) {
    const ids = batch.resultFiles.map((file) => file.id);
    await sendXmlOrJson(ctx, 200, format, resultListXml(ids), jobJson(ids, pretty));
    return;
  }
  const results = batch.recordResults();
  if (job.contentType === 'CSV') {
    await sendPieces(ctx, 200, csvResults(results), 'text/csv;charset=UTF-8');
    return;
  }
  await sendXmlOrJson(ctx, 200, format, resultsXml(results), jobJson(resultsJson(results), pretty));
}

function* csvResults(results: ReturnType<ClassicBatch['recordResults']>): Generator<string> {
  const dialect = { delimiter: ',', lineEnding: 'LF' } as const;
  yield csvRow(['Id', 'Success', 'Created', 'Error'], dialect);
  let out = '';
  for (let i = 0; i < results.length; i++) {
    const result = results[i] as (typeof results)[number];
    const text = result.errors.length === 0 ? '' : bulkErrorText(result.errors);
    out += csvRow([result.id, String(result.success), String(result.created), text], dialect);
    if (i % 1000 === 999) {
      yield out;
      out = '';
    }
  }
  yield out;
}

async function queryResult(ctx: RequestContext, bulk: BulkEngine, requested: Format): Promise<void> {
  const batch = batchOf(ctx, bulk, requested);
  const job = batch.job;
  const format = formatOf(job);
  finished(batch, format);
  const id = ctx.params.resultId as string;
  const file = batch.resultFiles.find((f) => f.id.slice(0, 15) === id.slice(0, 15));
  const query = batch.query;
  if (file === undefined || query === undefined) {
    throw classicError(format, 'InvalidBatch', `Invalid result id: ${id}`);
  }
  if (job.contentType === 'CSV') {
    if (file.end === file.start) {
      await ctx.send(200, 'Records not found for this query', 'text/csv;charset=UTF-8');
      return;
    }
    await sendPieces(ctx, 200, csvQueryFile(batch, file.start, file.end), 'text/csv;charset=UTF-8');
    return;
  }
  const context = { childLocator: () => '' };
  if (format === 'json') {
    await sendPieces(
      ctx,
      200,
      jsonQueryFile(batch, file.start, file.end, context),
      'application/json;charset=UTF-8',
    );
    return;
  }
  const records = query.result.page(file.start, file.end, context).map((record) => xmlRecord(record));
  await ctx.send(200, xmlQueryResult(records), 'application/xml;charset=UTF-8');
}

function* csvQueryFile(batch: ClassicBatch, start: number, end: number): Generator<string> {
  const dialect = { delimiter: ',', lineEnding: 'LF' } as const;
  const query = batch.query;
  if (query === undefined) return;
  yield csvRow(query.result.columns, dialect);
  for (let from = start; from < end; from += 1000) {
    yield csvRows(query.result.rows(from, Math.min(end, from + 1000)), query.types, dialect);
  }
}

function* jsonQueryFile(
  batch: ClassicBatch,
  start: number,
  end: number,
  context: { childLocator(): string },
): Generator<string> {
  yield '[';
  for (let from = start; from < end; from += 1000) {
    const page = batch.query?.result.page(from, Math.min(end, from + 1000), context) ?? [];
    const text = page.map((record) => JSON.stringify(record)).join(',');
    yield from === start ? text : `,${text}`;
  }
  yield ']';
}
