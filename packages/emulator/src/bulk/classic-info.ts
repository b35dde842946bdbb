import type { ClassicBatch, ClassicJob, ClassicRecordResult } from './classic-job.js';
import { escapeXml, xmlDocument, xmlElement, xmlList } from './classic-xml.js';
import { apiVersionNumber, jobJson, stamp } from './v2-info.js';

/**
 * The classic Bulk API's documents: `jobInfo` and `batchInfo` in XML (element order and layout of
 * `fixtures/bulk1/job_created_response.xml`, dates `…Z`) and JSON (keys in alphabetical order, dates
 * `…+0000`, as Salesforce's JSON jobs answer), batch lists and ingest results.
 */

/** XML dates: `2021-04-16T14:47:55.000Z`. */
function xmlStamp(ms: number): string {
  return `${stamp(ms).slice(0, -5)}Z`;
}

function jobEntries(job: ClassicJob): [string, string | number | null][] {
  return [
    ['id', job.id],
    ['operation', job.operation],
    ['object', job.object],
    ['createdById', job.createdById],
    ['createdDate', xmlStamp(job.createdAt)],
    ['systemModstamp', xmlStamp(job.modifiedAt)],
    ['state', job.state],
    ['externalIdFieldName', job.externalIdFieldName ?? null],
    ['concurrencyMode', job.concurrencyMode],
    ['contentType', job.contentType],
    ['numberBatchesQueued', job.count('Queued')],
    ['numberBatchesInProgress', job.count('InProgress')],
    ['numberBatchesCompleted', job.count('Completed')],
    ['numberBatchesFailed', job.count('Failed')],
    ['numberBatchesTotal', job.batches.length],
    ['numberRecordsProcessed', job.numberRecordsProcessed],
    ['numberRetries', 0],
    ['apiVersion', job.apiVersion],
    ['assignmentRuleId', job.assignmentRuleId ?? null],
    ['numberRecordsFailed', job.numberRecordsFailed],
    ['totalProcessingTime', job.processingMs],
    ['apiActiveProcessingTime', job.processingMs],
    ['apexProcessingTime', 0],
  ];
}

export function jobXml(job: ClassicJob): string {
  return xmlDocument('jobInfo', jobEntries(job));
}

export function jobJsonText(job: ClassicJob, pretty: boolean): string {
  return jobJson(
    {
      apexProcessingTime: 0,
      apiActiveProcessingTime: job.processingMs,
      apiVersion: apiVersionNumber(job.apiVersion),
      assignmentRuleId: job.assignmentRuleId ?? null,
      concurrencyMode: job.concurrencyMode,
      contentType: job.contentType,
      createdById: job.createdById,
      createdDate: stamp(job.createdAt),
      externalIdFieldName: job.externalIdFieldName ?? null,
      fastPathEnabled: false,
      id: job.id,
      numberBatchesCompleted: job.count('Completed'),
      numberBatchesFailed: job.count('Failed'),
      numberBatchesInProgress: job.count('InProgress'),
      numberBatchesQueued: job.count('Queued'),
      numberBatchesTotal: job.batches.length,
      numberRecordsFailed: job.numberRecordsFailed,
      numberRecordsProcessed: job.numberRecordsProcessed,
      numberRetries: 0,
      object: job.object,
      operation: job.operation,
      state: job.state,
      systemModstamp: stamp(job.modifiedAt),
      totalProcessingTime: job.processingMs,
    },
    pretty,
  );
}

function batchEntries(batch: ClassicBatch): [string, string | number | null][] {
  return [
    ['id', batch.id],
    ['jobId', batch.job.id],
    ['state', batch.state],
    ['stateMessage', batch.stateMessage ?? null],
    ['createdDate', xmlStamp(batch.createdAt)],
    ['systemModstamp', xmlStamp(batch.modifiedAt)],
    ['numberRecordsProcessed', batch.numberRecordsProcessed],
    ['numberRecordsFailed', batch.numberRecordsFailed],
    ['totalProcessingTime', batch.processingMs],
    ['apiActiveProcessingTime', batch.processingMs],
    ['apexProcessingTime', 0],
  ];
}

export function batchXml(batch: ClassicBatch): string {
  return xmlDocument('batchInfo', batchEntries(batch));
}

export function batchJson(batch: ClassicBatch): Record<string, unknown> {
  return {
    apexProcessingTime: 0,
    apiActiveProcessingTime: batch.processingMs,
    createdDate: stamp(batch.createdAt),
    id: batch.id,
    jobId: batch.job.id,
    numberRecordsFailed: batch.numberRecordsFailed,
    numberRecordsProcessed: batch.numberRecordsProcessed,
    state: batch.state,
    stateMessage: batch.stateMessage ?? null,
    systemModstamp: stamp(batch.modifiedAt),
    totalProcessingTime: batch.processingMs,
  };
}

export function batchListXml(batches: readonly ClassicBatch[]): string {
  return xmlList(
    'batchInfoList',
    batches.map((batch) => xmlElement('batchInfo', batchEntries(batch))),
  );
}

export function resultListXml(ids: readonly string[]): string {
  return xmlList(
    'result-list',
    ids.map((id) => `<result>${escapeXml(id)}</result>`),
  );
}

export function resultsXml(results: readonly ClassicRecordResult[]): string {
  const items = results.map((result) => {
    let out = '\n <result>';
    for (const error of result.errors) {
      out += '\n  <errors>';
      for (const field of error.fields) out += `\n   <fields>${escapeXml(field)}</fields>`;
      out += `\n   <message>${escapeXml(error.message)}</message>`;
      out += `\n   <statusCode>${escapeXml(error.statusCode)}</statusCode>`;
      out += '\n  </errors>';
    }
    if (result.id !== '') out += `\n  <id>${escapeXml(result.id)}</id>`;
    out += `\n  <success>${result.success}</success>`;
    out += `\n  <created>${result.created}</created>`;
    return `${out}\n </result>`;
  });
  return xmlList('results', items);
}

export function resultsJson(results: readonly ClassicRecordResult[]): Record<string, unknown>[] {
  return results.map((result) => ({
    success: result.success,
    created: result.created,
    id: result.id === '' ? null : result.id,
    errors: result.errors.map((error) => ({
      fields: error.fields,
      message: error.message,
      statusCode: error.statusCode,
    })),
  }));
}
