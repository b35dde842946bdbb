import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { type BulkClient, type JobInfo, startBulkClient } from './bulk-helpers.js';
import { describeConformance, fixtureJson, fixtureText } from './support/fixtures.js';
import { sameShape } from './support/shapes.js';

// The emulator's bulk answers against responses recorded from real orgs (../shared/fixtures/bulk1 and
// bulk2): the same status, the same keys in the same order, the same value types, and the same bytes
// where the recording is exact (error bodies, header-only result files).
describeConformance('bulk conformance with recorded Salesforce responses', () => {
  let api: BulkClient;

  beforeAll(async () => {
    api = await startBulkClient();
  });
  afterAll(() => api.emulator.stop());
  beforeEach(() => {
    api.emulator.org.reset();
  });

  it('creates an ingest job like bulk2/ingest_create_job_response.json (200)', async () => {
    const created = await api.createIngest({
      object: 'Account',
      operation: 'update',
      contentType: 'CSV',
      lineEnding: 'LF',
    });
    expect(created.status).toBe(200);
    expect(sameShape(created.body, fixtureJson('bulk2/ingest_create_job_response.json'))).toEqual([]);
  });

  it('describes an Open job before any upload like bulk2/ingest_job_info_open.json', async () => {
    const { body: job } = await api.createIngest({ object: 'Account', operation: 'update' });
    const info = await api.info('ingest', job.id);
    expect(info.status).toBe(200);
    expect(sameShape(info.body, fixtureJson('bulk2/ingest_job_info_open.json'))).toEqual([]);
  });

  it('answers a close like bulk2/ingest_close_uploadcomplete_response.json (the short shape)', async () => {
    const { body: job } = await api.createIngest({ object: 'Account', operation: 'update' });
    const closed = await api.setState('ingest', job.id, 'UploadComplete');
    expect(closed.status).toBe(200);
    expect(sameShape(closed.body, fixtureJson('bulk2/ingest_close_uploadcomplete_response.json'))).toEqual(
      [],
    );
  });

  it('creates a query job like bulk2/query_create_job_response.json and completes like query_job_info_jobcomplete.json', async () => {
    api.emulator.org.generate('Account', 5);
    const created = await api.send<JobInfo>('POST', '/query', {
      json: {
        operation: 'query',
        query: 'SELECT Id, Name FROM Account',
        contentType: 'CSV',
        columnDelimiter: 'COMMA',
        lineEnding: 'LF',
      },
    });
    expect(created.status).toBe(200);
    expect(sameShape(created.body, fixtureJson('bulk2/query_create_job_response.json'))).toEqual([]);
    const done = await api.waitFor('query', created.body.id, ['JobComplete']);
    expect(sameShape(done, fixtureJson('bulk2/query_job_info_jobcomplete.json'))).toEqual([]);
    expect(done.numberRecordsProcessed).toBe(5);
  });

  it('refuses to abort a completed job with the exact body of bulk2/error_invalidjobstate_abort_completed.json', async () => {
    const job = await api.ingest({ object: 'Account', operation: 'insert' }, 'Name\nA\n');
    const answer = await api.setState('ingest', job.id, 'Aborted');
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual(fixtureJson('bulk2/error_invalidjobstate_abort_completed.json'));
  });

  it('answers results of a running query with the exact 412 body of bulk2/error_job_not_complete_412.json', async () => {
    const { org } = api.emulator;
    org.generate('Account', 100);
    org.bulk.configure({ rowsPerChunk: 1, chunkIntervalMs: 50 });
    const created = await api.send<JobInfo>('POST', '/query', {
      json: { operation: 'query', query: 'SELECT Id FROM Account' },
    });
    await api.waitFor('query', created.body.id, ['InProgress']);
    const answer = await api.send('GET', `/query/${created.body.id}/results`);
    expect(answer.status).toBe(412);
    expect(answer.body).toEqual(fixtureJson('bulk2/error_job_not_complete_412.json'));
  });

  it('writes a header-only failedResults and unprocessedrecords byte for byte like the recorded files', async () => {
    const accounts = api.emulator.org.insert('Account', [{ Name: 'A' }, { Name: 'B' }]);
    const csv = `Id,Phone\n${accounts.map((a, i) => `${a.Id},555-000${i}`).join('\n')}\n`;
    const job = await api.ingest({ object: 'Account', operation: 'update' }, csv);
    expect(job.numberRecordsFailed).toBe(0);
    expect(await api.results(job.id, 'failedResults')).toBe(
      fixtureText('bulk2/ingest_failedResults_no_failures.csv'),
    );
    expect(await api.results(job.id, 'unprocessedrecords')).toBe(
      fixtureText('bulk2/ingest_unprocessedrecords_empty.csv'),
    );
  });

  it('writes successfulResults like bulk2/successfulResults.csv (quoted sf__ columns, header verbatim, values quoted)', async () => {
    const job = await api.ingest({ object: 'Account', operation: 'insert' }, 'Name\nFoo Bar\nBizz Buzz\n');
    const ids = /"(001[A-Za-z0-9]{15})"/g;
    const normalize = (text: string) => text.replace(ids, '"<id>"');
    const recorded = fixtureText('bulk2/successfulResults.csv').replace(/"(001[A-Za-z0-9]{15})"/g, '"<id>"');
    expect(normalize(await api.results(job.id, 'successfulResults'))).toBe(recorded);
  });

  it('creates a classic job laid out like bulk1/job_created_response.xml (same elements, same order)', async () => {
    const answer = await fetch(`${api.emulator.url}/services/async/62.0/job`, {
      method: 'POST',
      headers: { 'X-SFDC-Session': api.emulator.credentials.accessToken, 'content-type': 'application/xml' },
      body: '<?xml version="1.0" encoding="UTF-8"?><jobInfo xmlns="http://www.force.com/2009/06/asyncapi/dataload"><operation>insert</operation><object>Contact</object><contentType>CSV</contentType></jobInfo>',
    });
    expect(answer.status).toBe(201);
    // Element names, order and layout must match; values differ (ids, dates, version).
    const skeleton = (text: string) => text.trim().replace(/>[^<]*</g, '><');
    expect(skeleton(await answer.text())).toBe(skeleton(fixtureText('bulk1/job_created_response.xml')));
  });
});
