import { describe, expect, it } from 'vitest';
import { recordedFixtures } from '../../../test-support/fixtures.js';
import { parseJobInfo } from '../src/classic/info.js';
import { decodeCsv, parseRecordError } from '../src/index.js';
import { resultReader } from '../src/v2/ingest-job.js';
import { toJobInfo } from '../src/v2/job-info.js';

// Responses recorded from real Salesforce orgs (../shared/fixtures, see its SOURCES.md): the SDK must
// read them as they are. The folder is not part of the repository; without it this file is skipped.
const fixtures = recordedFixtures(import.meta.url);
const read = fixtures.text;
const target = { method: 'GET', path: '/services/data/v52.0/jobs/ingest/7503h00000CV7GpAAL' };

describe.skipIf(!fixtures.present)('recorded Bulk API 2.0 responses (../shared/fixtures/bulk2)', () => {
  it('reads successfulResults: quoted sf__ columns, the original header as uploaded', () => {
    const rows = decodeCsv(read('bulk2/successfulResults.csv'));
    const reader = resultReader(rows[0] as string[]);
    expect(reader.names).toEqual(['Name']);
    expect(rows.slice(1).map((row) => [row[reader.id], row[reader.second], reader.fields(row)])).toEqual([
      ['0012f000007uKgsAAE', 'true', { Name: 'Foo Bar' }],
      ['0012f000007uKgtAAE', 'true', { Name: 'Bizz Buzz' }],
    ]);
  });

  it('reads header-only failedResults and unprocessedrecords as no rows', () => {
    const failed = decodeCsv(read('bulk2/ingest_failedResults_no_failures.csv'));
    expect(failed).toEqual([['sf__Id', 'sf__Error', 'Id', 'Phone']]);
    expect(resultReader(failed[0] as string[]).names).toEqual(['Id', 'Phone']);
    expect(decodeCsv(read('bulk2/ingest_unprocessedrecords_empty.csv'))).toEqual([['Id', 'Phone']]);
  });

  it('reads job infos: creation, open, close, query complete', () => {
    const created = toJobInfo('ingest', JSON.parse(read('bulk2/ingest_create_job_response.json')), target);
    expect(created).toMatchObject({
      kind: 'ingest',
      id: '7503h00000CV7GpAAL',
      state: 'Open',
      apiVersion: 52,
      contentUrl: 'services/data/v52.0/jobs/ingest/7503h00000CV7GpAAL/batches',
      lineEnding: 'LF',
      columnDelimiter: 'COMMA',
    });
    expect(toJobInfo('ingest', JSON.parse(read('bulk2/ingest_job_info_open.json')), target)).toMatchObject({
      jobType: 'V2Ingest',
      retries: 0,
    });
    expect(
      toJobInfo('ingest', JSON.parse(read('bulk2/ingest_close_uploadcomplete_response.json')), target).state,
    ).toBe('UploadComplete');
    expect(
      toJobInfo('query', JSON.parse(read('bulk2/query_job_info_jobcomplete.json')), target),
    ).toMatchObject({
      kind: 'query',
      state: 'JobComplete',
      numberRecordsProcessed: 5,
      totalProcessingTime: 249,
    });
  });

  it('reads an sf__Error in the documented CODE:message:fields -- form', () => {
    expect(
      parseRecordError('REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --'),
    ).toMatchObject({
      code: 'REQUIRED_FIELD_MISSING',
      fields: ['Name'],
    });
  });
});

describe.skipIf(!fixtures.present)('recorded classic Bulk API responses (../shared/fixtures/bulk1)', () => {
  it('reads the jobInfo of a created job, counters as numbers', () => {
    const info = parseJobInfo(read('bulk1/job_created_response.xml'), {
      method: 'POST',
      path: '/services/async/51.0/job',
    });
    expect(info).toMatchObject({
      kind: 'classic',
      id: '7503h000009yLOeAAM',
      operation: 'insert',
      object: 'Contact',
      state: 'Open',
      concurrencyMode: 'Parallel',
      contentType: 'CSV',
      apiVersion: 51,
      numberBatchesTotal: 0,
      numberRecordsFailed: 0,
    });
  });
});
