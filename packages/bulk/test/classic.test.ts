import { createReadStream, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { ApiError, type RefreshEvent } from '@forcekit/core';
import { describe, expect, it } from 'vitest';
import { EXTERNAL_KEY_FIELD } from '../../../test-support/schema.js';
import { type BatchInfo, type BatchResult, Bulk, BulkJobError, type QueryResultRef } from '../src/index.js';
import { collect, FAST, rejectionOf, sentTo, useOrg } from './support.js';

// The flows of the node-salesforce seed README ("Bulk API"), promise-first and with the seed's events.

const org = useOrg((emulator) => {
  emulator.org.defineField('Account', EXTERNAL_KEY_FIELD);
});

const accounts = [{ Name: 'Account #1' }, { Name: 'Account #2', Phone: null }, { Phone: 'no name' }];

function once<T>(emitter: NodeJS.EventEmitter, event: string): Promise<T> {
  return new Promise((resolve) => emitter.once(event, resolve));
}

describe('classic bulk: the seed flows', () => {
  it('createJob -> createBatch -> execute(records): queue, then response with one result per record', async () => {
    const job = org.bulk.createJob('Account', 'insert');
    const batch = job.createBatch();
    const queued = once<BatchInfo>(batch, 'queue');
    const responded = once<BatchResult[]>(batch, 'response');
    const results = await batch.execute(accounts);

    const info = await queued;
    expect(info).toMatchObject({ id: batch.id, jobId: job.id, state: 'Queued' });
    expect(await responded).toBe(results);
    expect(results.map((row) => [row.success, row.created, row.errors.length])).toEqual([
      [true, true, 0],
      [true, true, 0],
      [false, false, 1],
    ]);
    expect(results[0]?.id).toMatch(/^001/);
    expect(results[2]?.id).toBeNull();
    expect(results[2]?.errors[0]).toMatch(/REQUIRED_FIELD_MISSING/);

    const closed = await job.close();
    expect(closed).toMatchObject({
      kind: 'classic',
      id: job.id,
      state: 'Closed',
      numberRecordsProcessed: 3,
      numberRecordsFailed: 1,
    });

    const create = sentTo(org.sent, 'POST', 'job');
    expect(create[0]?.path).toBe('/services/async/62.0/job');
    expect(create[0]?.headers['x-sfdc-session']).toBe(org.emulator.credentials.accessToken);
    expect(create[0]?.headers['content-type']).toBe('application/xml; charset=UTF-8');
    const batchPost = sentTo(org.sent, 'POST', `job/${job.id}/batch`);
    expect(batchPost[0]?.headers['content-type']).toBe('text/csv; charset=UTF-8');
  });

  it('checks a batch later with job(id).batch(id).poll(interval, timeout) and the response event', async () => {
    org.emulator.org.bulk.pause();
    const job = org.bulk.createJob('Account', 'insert');
    const batch = job.createBatch();
    const first = batch.execute([{ Name: 'Later' }]);
    const queued = await once<BatchInfo>(batch, 'queue');

    // Another process, knowing only the ids.
    const later = new Bulk(org.client).job(queued.jobId).batch(queued.id);
    expect((await later.check()).state).toBe('Queued');
    const response = once<BatchResult[]>(later, 'response');
    const polling = later.poll(10, 20_000);
    org.emulator.org.bulk.resume();
    const results = await polling;
    expect(await response).toEqual(results);
    expect(results).toEqual([
      { id: expect.stringMatching(/^001/), success: true, created: true, errors: [] },
    ]);
    expect(await first).toEqual(results);
  });

  it('executes a CSV file stream and CSV text', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'forcekit-classic-'));
    const file = join(dir, 'Account.csv');
    writeFileSync(file, 'Name,Phone\n"Csv, One",1\nCsv Two,2\n');
    const job = org.bulk.createJob('Account', 'insert', FAST);
    const fromFile = await job.createBatch().execute(createReadStream(file));
    const fromText = await job.createBatch().execute('Name\nText One\n');
    expect([...fromFile, ...fromText].map((row) => row.success)).toEqual([true, true, true]);
    expect((await job.list()).map((batch) => batch.state)).toEqual(['Completed', 'Completed']);
    const names = await collect(org.bulk.query<{ Name: string }>('SELECT Name FROM Account ORDER BY Name'));
    expect(names.map((row) => row.Name)).toEqual(['Csv Two', 'Csv, One', 'Text One']);
  });

  it('takes records piped into the batch (a batch is a Writable) and responds when the input ends', async () => {
    const job = org.bulk.createJob('Account', 'insert', FAST);
    const batch = job.createBatch();
    const response = once<BatchResult[]>(batch, 'response');
    const finished = once<void>(batch, 'finish');
    Readable.from(accounts.slice(0, 2)).pipe(batch);
    const results = await response;
    expect(results.map((row) => row.success)).toEqual([true, true]);
    await finished;
    expect(batch.writableFinished).toBe(true);
  });

  it('updates queried records by piping a transformed record stream into an update batch', async () => {
    await org.bulk.load('Account', 'insert', [{ Name: 'a' }, { Name: 'b' }]);
    const rows = await collect(org.bulk.query<{ Id: string; Name: string }>('SELECT Id, Name FROM Account'));
    const job = org.bulk.createJob('Account', 'update', FAST);
    const batch = job.createBatch();
    const response = once<BatchResult[]>(batch, 'response');
    Readable.from(rows.map((row) => ({ Id: row.Id, Name: row.Name.toUpperCase() }))).pipe(batch);
    expect((await response).every((row) => row.success && !row.created)).toBe(true);
    const after = await collect(org.bulk.query<{ Name: string }>('SELECT Name FROM Account ORDER BY Name'));
    expect(after.map((row) => row.Name)).toEqual(['A', 'B']);
  });

  it('upserts with the seed option extIdField', async () => {
    await org.bulk.load('Account', 'insert', [{ Name: 'Old', Ext__c: 'E1' }]);
    const job = org.bulk.createJob('Account', 'upsert', { extIdField: 'Ext__c', ...FAST });
    const results = await job.createBatch().execute([
      { Ext__c: 'E1', Name: 'Old (upserted)' },
      { Ext__c: 'E2', Name: 'New' },
    ]);
    expect(results.map((row) => row.created)).toEqual([false, true]);
    expect((await job.info()).externalIdFieldName).toBe('Ext__c');
  });

  it('rejects and emits error when the batch fails, naming its state message', async () => {
    org.emulator.org.bulk.failNextJob({ afterRows: 0, errorMessage: 'InternalServerError : batch broke' });
    const batch = org.bulk.createJob('Account', 'insert', FAST).createBatch();
    const emitted = once<Error>(batch, 'error');
    const error = await rejectionOf(batch.execute([{ Name: 'x' }]));
    expect(error).toBeInstanceOf(BulkJobError);
    expect(error).toMatchObject({
      code: 'JOB_FAILED',
      state: 'Failed',
      batchId: batch.id,
      jobId: batch.job.id,
    });
    expect(error.message).toMatch(/^Batch 751\w+ of job 750\w+ ended Failed/);
    expect(await emitted).toBe(error);
  });

  it('rejects without crashing when nobody listens for error', async () => {
    const batch = org.bulk.createJob('Account', 'insert', FAST).createBatch();
    const error = await rejectionOf(batch.execute([{ NoSuchField__c: 'x' }]));
    expect(error).toBeInstanceOf(BulkJobError);
    expect((error as BulkJobError).errorMessage).toMatch(/NoSuchField__c/);
  });

  it('aborts a job', async () => {
    const job = org.bulk.createJob('Account', 'insert', FAST);
    await job.open();
    expect((await job.abort()).state).toBe('Aborted');
    const error = await rejectionOf(job.createBatch().execute([{ Name: 'x' }]));
    expect(error).toBeInstanceOf(ApiError);
  });

  it('runs a query batch and reads its result sets', async () => {
    await org.bulk.load('Account', 'insert', [{ Name: 'Q1', Phone: '1' }, { Name: 'Q2' }]);
    const job = org.bulk.createJob('Account', 'query', FAST);
    const batch = job.createBatch();
    const refs: QueryResultRef[] = await batch.execute('SELECT Name, Phone FROM Account ORDER BY Name');
    expect(refs).toHaveLength(1);
    expect(refs[0]).toMatchObject({ batchId: batch.id, jobId: job.id });
    const records = await collect(batch.result(refs[0]?.id as string));
    expect(records).toEqual([
      { Name: 'Q1', Phone: '1' },
      { Name: 'Q2', Phone: null },
    ]);
  });

  it('refreshes an expired session once (InvalidSessionId) and repeats the request', async () => {
    const { loginUrl, clientId, jwtPrivateKey, username } = org.emulator.credentials;
    const client = org.newClient({
      loginUrl,
      clientId,
      privateKey: jwtPrivateKey,
      accessToken: undefined,
      instanceUrl: undefined,
    });
    await client.loginWithJwt({ username });
    const refreshes: RefreshEvent[] = [];
    client.on('refresh', (event) => refreshes.push(event));
    org.emulator.org.expireSessions();
    const results = await new Bulk(client, FAST)
      .createJob('Account', 'insert')
      .createBatch()
      .execute([{ Name: 'Fresh' }]);
    expect(results[0]?.success).toBe(true);
    expect(refreshes).toHaveLength(1);
  });
});
