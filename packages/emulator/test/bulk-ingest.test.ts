import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EXTERNAL_KEY_FIELD } from '../../../test-support/schema.js';
import { type BulkClient, type BulkErrors, type JobInfo, readCsv, startBulkClient } from './bulk-helpers.js';

let api: BulkClient;

beforeAll(async () => {
  api = await startBulkClient();
  api.emulator.org.defineField('Account', EXTERNAL_KEY_FIELD);
});
afterAll(() => api.emulator.stop());
beforeEach(() => api.emulator.org.reset());

const insertAccounts = { object: 'Account', operation: 'insert' };

describe('creating an ingest job', () => {
  it('answers 200 with the job Open, a contentUrl without a leading slash and apiVersion written 62.0', async () => {
    const created = await api.createIngest({ ...insertAccounts, contentType: 'CSV' });
    expect(created.status).toBe(200);
    expect(created.headers.get('content-type')).toMatch(/^application\/json/);
    expect(created.body).toMatchObject({
      operation: 'insert',
      object: 'Account',
      createdById: api.emulator.credentials.userId,
      state: 'Open',
      concurrencyMode: 'Parallel',
      contentType: 'CSV',
      apiVersion: 62,
      contentUrl: `services/data/v62.0/jobs/ingest/${created.body.id}/batches`,
      lineEnding: 'LF',
      columnDelimiter: 'COMMA',
    });
    expect(created.body.id).toMatch(/^750[A-Za-z0-9]{15}$/);
    expect(created.body.createdDate).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000\+0000$/);
    expect(created.text).toContain('"apiVersion":62.0,');
  });

  it('keeps the lineEnding and columnDelimiter it was given, and names the upsert key', async () => {
    const created = await api.createIngest({
      object: 'account',
      operation: 'upsert',
      externalIdFieldName: 'ext__c',
      lineEnding: 'CRLF',
      columnDelimiter: 'PIPE',
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      object: 'Account',
      externalIdFieldName: 'Ext__c',
      lineEnding: 'CRLF',
      columnDelimiter: 'PIPE',
    });
    expect(Object.keys(created.body).indexOf('externalIdFieldName')).toBe(
      Object.keys(created.body).indexOf('state') + 1,
    );
  });

  const invalid: [string, Record<string, unknown>, string, RegExp][] = [
    ['no object', { operation: 'insert' }, 'INVALIDJOB', /object is required/],
    [
      'an unknown object',
      { object: 'Nope__c', operation: 'insert' },
      'INVALIDJOB',
      /Unable to find object: Nope__c/,
    ],
    ['no operation', { object: 'Account' }, 'INVALIDJOB', /operation is required/],
    [
      'an unknown operation',
      { object: 'Account', operation: 'merge' },
      'INVALIDJOB',
      /Invalid operation: merge/,
    ],
    [
      'an upsert without externalIdFieldName',
      { object: 'Account', operation: 'upsert' },
      'INVALIDJOB',
      /^External ID was blank for Account\. An External ID must be specified for upsert\.$/,
    ],
    [
      'an upsert key that is not an external id',
      { object: 'Account', operation: 'upsert', externalIdFieldName: 'Name' },
      'INVALIDJOB',
      /Name is not an External ID/,
    ],
    [
      'an unknown lineEnding',
      { ...insertAccounts, lineEnding: 'CR' },
      'INVALIDJOB',
      /Invalid lineEnding: CR/,
    ],
    [
      'an unknown columnDelimiter',
      { ...insertAccounts, columnDelimiter: 'COLON' },
      'INVALIDJOB',
      /Invalid columnDelimiter: COLON/,
    ],
    ['a content type other than CSV', { ...insertAccounts, contentType: 'JSON' }, 'INVALIDJOB', /only CSV/],
  ];
  for (const [what, body, code, message] of invalid) {
    it(`refuses ${what} with 400 ${code}`, async () => {
      const answer = await api.createIngest(body);
      expect(answer.status).toBe(400);
      const errors = answer.body as unknown as BulkErrors;
      expect(errors).toHaveLength(1);
      expect(Object.keys(errors[0] ?? {})).toEqual(['errorCode', 'message']);
      expect(errors[0]?.errorCode).toBe(code);
      expect(errors[0]?.message).toMatch(message);
    });
  }

  it('answers a body that is not JSON with JSON_PARSER_ERROR', async () => {
    const answer = await api.send<BulkErrors>('POST', '/ingest', {
      body: '{"object":',
      headers: { 'content-type': 'application/json' },
    });
    expect(answer.status).toBe(400);
    expect(answer.body[0]?.errorCode).toBe('JSON_PARSER_ERROR');
  });

  it('needs a session: 401 INVALID_SESSION_ID without one', async () => {
    const answer = await fetch(`${api.base}/ingest`, { method: 'POST', body: '{}' });
    expect(answer.status).toBe(401);
    expect(await answer.json()).toEqual([
      { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
    ]);
  });
});

describe('uploading job data', () => {
  it('answers 201 with no body and takes several uploads while the job is Open', async () => {
    const { body: job } = await api.createIngest(insertAccounts);
    const before = await api.info('ingest', job.id);
    expect(before.body).not.toHaveProperty('numberRecordsProcessed');
    const first = await api.upload(job.id, 'Name,AccountNumber\nFirst,1\n');
    expect(first.status).toBe(201);
    expect(first.text).toBe('');
    expect((await api.upload(job.id, 'Name,AccountNumber\nSecond,2\nThird,3\n')).status).toBe(201);
    const open = await api.info('ingest', job.id);
    expect(open.body).toMatchObject({ state: 'Open', numberRecordsProcessed: 0, numberRecordsFailed: 0 });
    await api.setState('ingest', job.id, 'UploadComplete');
    const done = await api.waitFor('ingest', job.id, ['JobComplete']);
    expect(done.numberRecordsProcessed).toBe(3);
    expect(api.emulator.org.records('Account').map((a) => a.Name)).toEqual(['First', 'Second', 'Third']);
  });

  it('refuses an upload once the job is closed', async () => {
    api.emulator.org.bulk.pause();
    const { body: job } = await api.createIngest(insertAccounts);
    await api.upload(job.id, 'Name\nA\n');
    await api.setState('ingest', job.id, 'UploadComplete');
    const late = await api.upload(job.id, 'Name\nB\n');
    expect(late.status).toBe(400);
    expect((late.body as BulkErrors)[0]?.errorCode).toBe('INVALIDJOBSTATE');
  });

  it('refuses an upload that takes the job over its size limit (counted base64) and keeps nothing of it', async () => {
    api.emulator.org.bulk.configure({ uploadLimitBytes: 400 });
    const { body: job } = await api.createIngest(insertAccounts);
    const rows = Array.from({ length: 30 }, (_, i) => `Account number ${i}`).join('\n');
    const big = await api.upload(job.id, `Name\n${rows}\n`);
    expect(big.status).toBe(413);
    expect((big.body as BulkErrors)[0]).toMatchObject({
      errorCode: 'INVALIDBATCH',
      message: expect.stringMatching(/400 bytes/),
    });
    expect((await api.upload(job.id, 'Name\nSmall\n')).status).toBe(201);
    await api.setState('ingest', job.id, 'UploadComplete');
    const done = await api.waitFor('ingest', job.id, ['JobComplete']);
    expect(done.numberRecordsProcessed).toBe(1);
  });

  it('refuses a body that is not CSV with 415', async () => {
    const { body: job } = await api.createIngest(insertAccounts);
    const answer = await api.upload(job.id, '{"Name":"x"}', { 'content-type': 'application/json' });
    expect(answer.status).toBe(415);
  });

  it('refuses a second upload whose header differs from the first', async () => {
    const { body: job } = await api.createIngest(insertAccounts);
    await api.upload(job.id, 'Name,Phone\nA,1\n');
    const answer = await api.upload(job.id, 'Name,Website\nB,x.com\n');
    expect(answer.status).toBe(400);
    expect((answer.body as BulkErrors)[0]?.errorCode).toBe('INVALIDBATCH');
  });

  it('reads a gzip-encoded upload, and answers 400 for one that does not inflate', async () => {
    const { body: job } = await api.createIngest(insertAccounts);
    const corrupt = await api.upload(job.id, 'Name\nnot gzip\n', { 'content-encoding': 'gzip' });
    expect(corrupt.status).toBe(400);
    expect((corrupt.body as BulkErrors)[0]?.errorCode).toBe('INVALIDBATCH');
    const zipped = await api.send('PUT', `/ingest/${job.id}/batches`, {
      body: gzipSync('Name\nZipped\n'),
      headers: { 'content-type': 'text/csv', 'content-encoding': 'gzip' },
    });
    expect(zipped.status).toBe(201);
    await api.setState('ingest', job.id, 'UploadComplete');
    await api.waitFor('ingest', job.id, ['JobComplete']);
    expect(api.emulator.org.records('Account').map((a) => a.Name)).toEqual(['Zipped']);
  });
});

describe('job states', () => {
  it('org.reset() forgets jobs and queued failures, ends a pause and puts back the settings given at start', async () => {
    const own = await startBulkClient({ bulk: { rowsPerChunk: 7, uploadLimitBytes: 4_000 } });
    try {
      const { org } = own.emulator;
      const atStart = org.bulk.settings;
      org.bulk.configure({ rowsPerChunk: 50, uploadLimitBytes: 400, queueDelayMs: 60_000 });
      org.bulk.failNextJob();
      org.bulk.pause();
      await own.createIngest(insertAccounts);
      org.reset();
      expect(org.bulk.settings).toEqual(atStart);
      expect(org.bulk.settings).toMatchObject({ rowsPerChunk: 7, uploadLimitBytes: 4_000, queueDelayMs: 5 });
      expect(org.bulk.paused).toBe(false);
      expect(org.bulk.jobs()).toEqual([]);
      const done = await own.ingest(insertAccounts, 'Name\nAfter reset\n');
      expect(done).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 1, numberRecordsFailed: 0 });
    } finally {
      await own.emulator.stop();
    }
  });

  it('moves Open -> UploadComplete -> InProgress -> JobComplete on its own, with counters as it goes', async () => {
    const { org } = api.emulator;
    org.bulk.pause();
    org.bulk.configure({ rowsPerChunk: 50, chunkIntervalMs: 50 });
    const { body: job } = await api.createIngest(insertAccounts);
    await api.upload(job.id, `Name\n${Array.from({ length: 400 }, (_, i) => `Row ${i}`).join('\n')}\n`);
    const closed = await api.setState('ingest', job.id, 'UploadComplete');
    expect(closed.status).toBe(200);
    expect(closed.body.state).toBe('UploadComplete');
    expect((await api.info('ingest', job.id)).body).not.toHaveProperty('contentUrl');
    expect((await api.info('ingest', job.id)).body.state).toBe('UploadComplete');
    org.bulk.resume();
    const running = await api.waitFor('ingest', job.id, ['InProgress']);
    org.bulk.pause();
    const held = (await api.info('ingest', job.id)).body;
    expect(held.state).toBe('InProgress');
    expect(held.numberRecordsProcessed).toBeLessThan(400);
    expect(held.numberRecordsProcessed).toBeGreaterThanOrEqual(running.numberRecordsProcessed as number);
    org.bulk.resume();
    const done = await api.waitFor('ingest', job.id, ['JobComplete']);
    expect(done).toMatchObject({ numberRecordsProcessed: 400, numberRecordsFailed: 0 });
  });

  it('keeps answering while a big job runs: polls see the counter climb chunk by chunk', async () => {
    api.emulator.org.bulk.configure({ rowsPerChunk: 200 });
    const { body: job } = await api.createIngest(insertAccounts);
    await api.upload(job.id, `Name\n${Array.from({ length: 2000 }, (_, i) => `Row ${i}`).join('\n')}\n`);
    await api.setState('ingest', job.id, 'UploadComplete');
    const seen = new Set<number>();
    let info = (await api.info('ingest', job.id)).body;
    while (info.state !== 'JobComplete') {
      if (info.state === 'InProgress') seen.add(info.numberRecordsProcessed as number);
      await new Promise((resolve) => setTimeout(resolve, 2));
      info = (await api.info('ingest', job.id)).body;
    }
    expect(info.numberRecordsProcessed).toBe(2000);
    const partial = [...seen].filter((n) => n > 0 && n < 2000);
    expect(partial.length).toBeGreaterThan(0);
    for (const n of partial) expect(n % 200).toBe(0);
  });

  it('refuses to close a job twice and to abort a finished one (INVALIDJOBSTATE, as recorded)', async () => {
    api.emulator.org.bulk.pause();
    const { body: job } = await api.createIngest(insertAccounts);
    await api.upload(job.id, 'Name\nA\n');
    await api.setState('ingest', job.id, 'UploadComplete');
    const again = await api.setState('ingest', job.id, 'UploadComplete');
    expect(again.status).toBe(400);
    expect(again.body).toEqual([
      { errorCode: 'INVALIDJOBSTATE', message: 'Closing already UploadComplete Job not allowed' },
    ]);
    api.emulator.org.bulk.resume();
    await api.waitFor('ingest', job.id, ['JobComplete']);
    const abort = await api.setState('ingest', job.id, 'Aborted');
    expect(abort.status).toBe(400);
    expect(abort.body).toEqual([
      { errorCode: 'INVALIDJOBSTATE', message: 'Aborting already Completed Job not allowed' },
    ]);
  });

  it('refuses a state other than UploadComplete or Aborted', async () => {
    const { body: job } = await api.createIngest(insertAccounts);
    const answer = await api.setState('ingest', job.id, 'JobComplete');
    expect(answer.status).toBe(400);
    expect((answer.body as unknown as BulkErrors)[0]?.errorCode).toBe('INVALIDJOBSTATE');
  });

  it('aborts an Open job: nothing is written and every row is unprocessed', async () => {
    const { body: job } = await api.createIngest(insertAccounts);
    await api.upload(job.id, 'Name\nA\nB\n');
    const aborted = await api.setState('ingest', job.id, 'Aborted');
    expect(aborted.status).toBe(200);
    expect(aborted.body.state).toBe('Aborted');
    expect(await api.results(job.id, 'unprocessedrecords')).toBe('Name\n"A"\n"B"\n');
    expect(await api.results(job.id, 'successfulResults')).toBe('"sf__Id","sf__Created",Name\n');
    expect(api.emulator.org.records('Account')).toHaveLength(0);
  });

  it('aborts a job in progress: processed rows keep their results, the rest are unprocessed', async () => {
    const { org } = api.emulator;
    org.bulk.configure({ rowsPerChunk: 100, chunkIntervalMs: 30 });
    const { body: job } = await api.createIngest(insertAccounts);
    await api.upload(job.id, `Name\n${Array.from({ length: 1000 }, (_, i) => `Row ${i}`).join('\n')}\n`);
    await api.setState('ingest', job.id, 'UploadComplete');
    await api.waitFor('ingest', job.id, ['InProgress']);
    // Hold processing so the abort lands mid-job however slow the machine is.
    org.bulk.pause();
    expect((await api.setState('ingest', job.id, 'Aborted')).status).toBe(200);
    org.bulk.resume();
    await new Promise((resolve) => setTimeout(resolve, 80));
    const info = (await api.info('ingest', job.id)).body;
    expect(info.state).toBe('Aborted');
    const succeeded = readCsv(await api.results(job.id, 'successfulResults')).length - 1;
    const unprocessed = readCsv(await api.results(job.id, 'unprocessedrecords')).length - 1;
    expect(succeeded).toBe(info.numberRecordsProcessed);
    expect(succeeded + unprocessed).toBe(1000);
    expect(unprocessed).toBeGreaterThan(0);
    expect(org.records('Account')).toHaveLength(succeeded);
  });

  it('deletes a finished job (204) but not an Open one', async () => {
    const { body: open } = await api.createIngest(insertAccounts);
    const refused = await api.send('DELETE', `/ingest/${open.id}`);
    expect(refused.status).toBe(400);
    expect((refused.body as BulkErrors)[0]?.errorCode).toBe('INVALIDJOBSTATE');
    const done = await api.ingest(insertAccounts, 'Name\nA\n');
    const deleted = await api.send('DELETE', `/ingest/${done.id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    const gone = await api.info('ingest', done.id);
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual([{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
  });

  it('answers results only once the job has finished', async () => {
    const { body: job } = await api.createIngest(insertAccounts);
    const early = await api.send('GET', `/ingest/${job.id}/successfulResults`);
    expect(early.status).toBe(400);
    expect((early.body as BulkErrors)[0]?.errorCode).toBe('INVALIDJOBSTATE');
  });

  it('answers 404 NOT_FOUND for an unknown job and for a query job under /ingest', async () => {
    expect((await api.info('ingest', '750EM00000009ZZAAA')).status).toBe(404);
    const query = await api.query('SELECT Id FROM Account');
    expect((await api.info('ingest', query.id)).status).toBe(404);
  });

  it('lists jobs with their jobType, filtered by jobType', async () => {
    const job = await api.ingest(insertAccounts, 'Name\nListed\n');
    const list = await api.send<{ done: boolean; records: JobInfo[]; nextRecordsUrl: null }>(
      'GET',
      '/ingest',
    );
    expect(list.status).toBe(200);
    expect(Object.keys(list.body)).toEqual(['done', 'records', 'nextRecordsUrl']);
    expect(list.body.done).toBe(true);
    expect(list.body.nextRecordsUrl).toBeNull();
    expect(list.body.records).toContainEqual(
      expect.objectContaining({ id: job.id, jobType: 'V2Ingest', state: 'JobComplete', lineEnding: 'LF' }),
    );
    const classic = await api.send<{ records: JobInfo[] }>('GET', '/ingest?jobType=Classic');
    expect(classic.body.records).toEqual([]);
  });
});

describe('operations and result files', () => {
  it('inserts with relationship columns, #N/A nulls and typed values; results echo the header verbatim', async () => {
    api.emulator.org.insert('Account', [{ Name: 'Parent', Ext__c: 'P-1' }]);
    const csv =
      'LastName,Account.Ext__c,Birthdate,Email,DoNotCall\nOne,P-1,1990-05-17,one@example.com,true\nTwo,,#N/A,#N/A,false\n';
    const job = await api.ingest({ object: 'Contact', operation: 'insert' }, csv);
    expect(job).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 2, numberRecordsFailed: 0 });
    const success = readCsv(await api.results(job.id, 'successfulResults'));
    expect(success[0]).toEqual([
      'sf__Id',
      'sf__Created',
      'LastName',
      'Account.Ext__c',
      'Birthdate',
      'Email',
      'DoNotCall',
    ]);
    expect(success.slice(1).map((row) => row.slice(1))).toEqual([
      ['true', 'One', 'P-1', '1990-05-17', 'one@example.com', 'true'],
      ['true', 'Two', '', '#N/A', '#N/A', 'false'],
    ]);
    const [parent] = api.emulator.org.records('Account');
    const contacts = api.emulator.org.records('Contact');
    expect(contacts.map((c) => [c.Id, c.AccountId, c.Birthdate, c.DoNotCall])).toEqual([
      [success[1]?.[0], parent?.Id, '1990-05-17', true],
      [success[2]?.[0], null, null, false],
    ]);
  });

  it('words each failure as CODE:message:fields -- with an empty sf__Id for failed inserts', async () => {
    api.emulator.org.insert('Account', [{ Name: 'Taken', Ext__c: 'DUP' }]);
    const csv = 'Name,NumberOfEmployees,Ext__c\n,5,\nOk,many,\nDup,1,DUP\n';
    const job = await api.ingest(insertAccounts, csv);
    expect(job).toMatchObject({ numberRecordsProcessed: 3, numberRecordsFailed: 3 });
    const failed = await api.results(job.id, 'failedResults');
    const lines = failed.split('\n');
    expect(lines[0]).toBe('"sf__Id","sf__Error",Name,NumberOfEmployees,Ext__c');
    expect(lines[1]).toBe(
      '"","REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --","","5",""',
    );
    expect(lines[2]).toBe(
      '"","INVALID_TYPE_ON_FIELD_IN_RECORD:Employees: value not of required type: many:NumberOfEmployees --","Ok","many",""',
    );
    expect(lines[3]).toMatch(
      /^"","DUPLICATE_VALUE:duplicate value found: Ext__c duplicates value on record with id: 001[A-Za-z0-9]{15}:--","Dup","1","DUP"$/,
    );
  });

  it('updates by Id: empty values leave a field alone, #N/A clears it, a bad Id fails its row', async () => {
    const [a, b] = api.emulator.org.insert('Account', [
      { Name: 'A', Phone: '111', Website: 'a.example' },
      { Name: 'B', Phone: '222', Website: 'b.example' },
    ]);
    const csv = `Id,Phone,Website\n${a?.Id},999,\n${b?.Id},#N/A,#N/A\n001EM0000000zzzAAA,1,\n`;
    const job = await api.ingest({ object: 'Account', operation: 'update' }, csv);
    expect(job).toMatchObject({ numberRecordsProcessed: 3, numberRecordsFailed: 1 });
    const records = api.emulator.org.records('Account');
    expect(records.map((r) => [r.Phone, r.Website])).toEqual([
      ['999', 'a.example'],
      [null, null],
    ]);
    const success = readCsv(await api.results(job.id, 'successfulResults'));
    expect(success.slice(1).map((row) => row[1])).toEqual(['false', 'false']);
    const failed = readCsv(await api.results(job.id, 'failedResults'));
    expect(failed[1]?.[1]).toMatch(
      /^(MALFORMED_ID|INVALID_CROSS_REFERENCE_KEY|NOT_FOUND|ENTITY_IS_DELETED):/,
    );
  });

  it('upserts by external id: sf__Created is "true" for new records and "false" for matched ones', async () => {
    api.emulator.org.insert('Account', [{ Name: 'Old', Ext__c: 'K1' }]);
    const job = await api.ingest(
      { object: 'Account', operation: 'upsert', externalIdFieldName: 'Ext__c' },
      'Ext__c,Name\nK1,Renamed\nK2,New\n',
    );
    expect(job).toMatchObject({
      state: 'JobComplete',
      externalIdFieldName: 'Ext__c',
      numberRecordsProcessed: 2,
    });
    const success = readCsv(await api.results(job.id, 'successfulResults'));
    expect(success.slice(1).map((row) => [row[1], row[2], row[3]])).toEqual([
      ['false', 'K1', 'Renamed'],
      ['true', 'K2', 'New'],
    ]);
    expect(api.emulator.org.records('Account').map((r) => r.Name)).toEqual(['Renamed', 'New']);
  });

  it('deletes and hard-deletes by Id; a missing Id fails its row with the Id it named', async () => {
    const [a, b] = api.emulator.org.insert('Account', [{ Name: 'A' }, { Name: 'B' }]);
    const deleted = await api.ingest({ object: 'Account', operation: 'delete' }, `Id\n${a?.Id}\n${a?.Id}\n`);
    expect(deleted).toMatchObject({ numberRecordsProcessed: 2, numberRecordsFailed: 1 });
    const failed = readCsv(await api.results(deleted.id, 'failedResults'));
    expect(failed[1]?.[0]).toBe(a?.Id);
    expect(failed[1]?.[1]).toBe('ENTITY_IS_DELETED:entity is deleted:--');
    const hard = await api.ingest({ object: 'Account', operation: 'hardDelete' }, `Id\n${b?.Id}\n`);
    expect(hard).toMatchObject({
      operation: 'hardDelete',
      numberRecordsProcessed: 1,
      numberRecordsFailed: 0,
    });
    expect(api.emulator.org.records('Account')).toHaveLength(0);
    // Soft-deleted rows stay in the recycle bin (queryAll sees them); hard-deleted ones are purged.
    expect(api.emulator.org.records('Account', { includeDeleted: true }).map((r) => r.Id)).toEqual([a?.Id]);
    const all = await api.query('SELECT Id FROM Account', { operation: 'queryAll' });
    expect(readCsv((await api.send('GET', `/query/${all.id}/results`)).text).slice(1)).toEqual([[a?.Id]]);
  });

  it('fails the job when a column is not a field, before touching any row', async () => {
    const job = await api.ingest(insertAccounts, 'Name,Bogus__c\nA,1\nB,2\n');
    expect(job).toMatchObject({
      state: 'Failed',
      errorMessage: 'InvalidBatch : Field name not found : Bogus__c',
      numberRecordsProcessed: 0,
      numberRecordsFailed: 0,
    });
    expect(await api.results(job.id, 'unprocessedrecords')).toBe('Name,Bogus__c\n"A","1"\n"B","2"\n');
    expect(api.emulator.org.records('Account')).toHaveLength(0);
  });

  it('fails the job when the data does not use its lineEnding', async () => {
    const job = await api.ingest(insertAccounts, 'Name\r\nA\r\n');
    expect(job.state).toBe('Failed');
    expect(job.errorMessage).toBe(
      'ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is LF',
    );
  });

  it('honours PIPE and CRLF both ways: upload, then result files', async () => {
    const job = await api.ingest(
      { ...insertAccounts, columnDelimiter: 'PIPE', lineEnding: 'CRLF' },
      'Name|Description\r\nA|"multi\nline"\r\n|no name\r\n',
    );
    expect(job).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 2, numberRecordsFailed: 1 });
    const success = await api.results(job.id, 'successfulResults');
    expect(success).toMatch(
      /^"sf__Id"\|"sf__Created"\|Name\|Description\r\n"001[A-Za-z0-9]{15}"\|"true"\|"A"\|"multi\nline"\r\n$/,
    );
    expect(await api.results(job.id, 'failedResults')).toBe(
      '"sf__Id"|"sf__Error"|Name|Description\r\n""|"REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --"|""|"no name"\r\n',
    );
    expect(api.emulator.org.records('Account')[0]?.Description).toBe('multi\nline');
  });

  it('matches the unprocessedrecords segment case-insensitively', async () => {
    const job = await api.ingest(insertAccounts, 'Name\nA\n');
    const camel = await api.send('GET', `/ingest/${job.id}/unprocessedRecords`);
    expect(camel.status).toBe(200);
    expect(camel.text).toBe('Name\n');
  });
});

describe('accounting for every row', () => {
  /** Row i: every 7th has no Name (fails), every 11th a bad employee count (fails), the rest succeed. */
  function mixedCsv(n: number): string {
    const lines = ['Name,AccountNumber,NumberOfEmployees'];
    for (let i = 0; i < n; i++) {
      const name = i % 7 === 0 ? '' : `Company ${i}`;
      const employees = i % 11 === 0 ? 'lots' : String(i);
      lines.push(`${name},R${i},${employees}`);
    }
    return `${lines.join('\n')}\n`;
  }

  function expectedFailure(i: number): boolean {
    return i % 7 === 0 || i % 11 === 0;
  }

  /** Marker (AccountNumber) -> which file the row came back in; a row seen twice throws. */
  async function outcomes(jobId: string): Promise<Map<string, string>> {
    const seen = new Map<string, string>();
    const files = [
      ['successfulResults', 3],
      ['failedResults', 3],
      ['unprocessedrecords', 1],
    ] as const;
    for (const [file, markerColumn] of files) {
      const rows = readCsv(await api.results(jobId, file)).slice(1);
      for (const row of rows) {
        const marker = row[markerColumn] as string;
        if (seen.has(marker)) throw new Error(`${marker} came back twice`);
        seen.set(marker, file);
      }
    }
    return seen;
  }

  it('puts each of 10,000 mixed rows in exactly one file, the right one, row by row', async () => {
    const n = 10_000;
    const job = await api.ingest(insertAccounts, mixedCsv(n));
    const failures = Array.from({ length: n }, (_, i) => i).filter(expectedFailure).length;
    expect(job).toMatchObject({
      state: 'JobComplete',
      numberRecordsProcessed: n,
      numberRecordsFailed: failures,
    });
    const seen = await outcomes(job.id);
    expect(seen.size).toBe(n);
    for (let i = 0; i < n; i++) {
      expect(seen.get(`R${i}`), `row ${i}`).toBe(expectedFailure(i) ? 'failedResults' : 'successfulResults');
    }
    const stored = new Map(api.emulator.org.records('Account').map((r) => [r.Id, r.AccountNumber]));
    const success = readCsv(await api.results(job.id, 'successfulResults')).slice(1);
    expect(stored.size).toBe(n - failures);
    for (const row of success) expect(stored.get(row[0] as string)).toBe(row[3]);
  });

  it('fails a job midway on request: processed rows keep their results, the rest are unprocessed', async () => {
    const { org } = api.emulator;
    const n = 10_000;
    org.bulk.failNextJob({ afterRows: 2500, errorMessage: 'InternalServerError : injected by the test' });
    const job = await api.ingest(insertAccounts, mixedCsv(n));
    expect(job).toMatchObject({
      state: 'Failed',
      errorMessage: 'InternalServerError : injected by the test',
      numberRecordsProcessed: 2500,
    });
    const seen = await outcomes(job.id);
    expect(seen.size).toBe(n);
    for (let i = 0; i < n; i++) {
      const expected =
        i >= 2500 ? 'unprocessedrecords' : expectedFailure(i) ? 'failedResults' : 'successfulResults';
      expect(seen.get(`R${i}`), `row ${i}`).toBe(expected);
    }
    expect(org.records('Account')).toHaveLength(
      [...seen.values()].filter((f) => f === 'successfulResults').length,
    );
    expect(org.bulk.jobs()).toContainEqual(
      expect.objectContaining({
        id: job.id,
        jobType: 'V2Ingest',
        state: 'Failed',
        numberRecordsProcessed: 2500,
      }),
    );
  });
});
