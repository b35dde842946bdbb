import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type BulkClient, type BulkErrors, type JobInfo, readCsv, startBulkClient } from './bulk-helpers.js';

let api: BulkClient;

beforeAll(async () => {
  api = await startBulkClient();
});
afterAll(() => api.emulator.stop());
beforeEach(() => api.emulator.org.reset());

function results(id: string, query = ''): ReturnType<BulkClient['send']> {
  return api.send('GET', `/query/${id}/results${query}`, { headers: { accept: 'text/csv' } });
}

describe('creating a query job', () => {
  it('answers 200 with the job already UploadComplete, apiVersion written 62.0', async () => {
    const created = await api.send<JobInfo>('POST', '/query', {
      json: { operation: 'query', query: 'SELECT Id, Name FROM Account', contentType: 'CSV' },
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      operation: 'query',
      object: 'Account',
      state: 'UploadComplete',
      concurrencyMode: 'Parallel',
      contentType: 'CSV',
      apiVersion: 62,
      lineEnding: 'LF',
      columnDelimiter: 'COMMA',
    });
    expect(created.text).toContain('"apiVersion":62.0,');
    const done = await api.waitFor('query', created.body.id, ['JobComplete']);
    expect(done).toMatchObject({ jobType: 'V2Query', numberRecordsProcessed: 0, retries: 0 });
  });

  const refused: [string, Record<string, unknown>, number, string, RegExp][] = [
    ['a malformed query', { operation: 'query', query: 'SELECT FROM Account' }, 400, 'MALFORMED_QUERY', /./],
    [
      'an unknown field',
      { operation: 'query', query: 'SELECT Nope__c FROM Account' },
      400,
      'INVALID_FIELD',
      /Nope__c/,
    ],
    [
      'an unknown object',
      { operation: 'query', query: 'SELECT Id FROM Nope__c' },
      400,
      'INVALID_TYPE',
      /Nope__c/,
    ],
    [
      'a compound field',
      { operation: 'query', query: 'SELECT Id, BillingAddress FROM Account' },
      400,
      'API_ERROR',
      /^Selecting compound data not supported in Bulk Query$/,
    ],
    [
      'a child subquery',
      { operation: 'query', query: 'SELECT Id, (SELECT Id FROM Contacts) FROM Account' },
      400,
      'API_ERROR',
      /^Aggregate Relationships not supported in Bulk V2 Query with CSV content type$/,
    ],
    [
      'a blob field',
      { operation: 'query', query: 'SELECT Id, Body FROM Attachment' },
      400,
      'API_ERROR',
      /^Blob field not supported in Bulk V2 Query with CSV content type$/,
    ],
    ['no query', { operation: 'query' }, 400, 'INVALIDJOB', /query is required/],
    [
      'an unknown operation',
      { operation: 'search', query: 'SELECT Id FROM Account' },
      400,
      'INVALIDJOB',
      /search/,
    ],
  ];
  for (const [what, body, status, code, message] of refused) {
    it(`refuses ${what} with ${status} ${code}, errors without fields`, async () => {
      const answer = await api.send<BulkErrors>('POST', '/query', { json: body });
      expect(answer.status).toBe(status);
      expect(answer.body).toHaveLength(1);
      expect(Object.keys(answer.body[0] ?? {})).toEqual(['errorCode', 'message']);
      expect(answer.body[0]?.errorCode).toBe(code);
      expect(answer.body[0]?.message).toMatch(message);
    });
  }
});

describe('query job states', () => {
  it('answers 412 JOB_NOT_COMPLETE with the current status until the job is complete', async () => {
    const { org } = api.emulator;
    org.generate('Account', 300);
    org.bulk.pause();
    const created = await api.send<JobInfo>('POST', '/query', {
      json: { operation: 'query', query: 'SELECT Id FROM Account' },
    });
    const waiting = await results(created.body.id);
    expect(waiting.status).toBe(412);
    expect(waiting.body).toEqual([
      {
        errorCode: 'JOB_NOT_COMPLETE',
        message:
          'can only download query results of successfully completed bulk job with status: JOB_COMPLETE. Current status: UPLOAD_COMPLETE',
      },
    ]);
    org.bulk.configure({ rowsPerChunk: 10, chunkIntervalMs: 20 });
    org.bulk.resume();
    await api.waitFor('query', created.body.id, ['InProgress']);
    org.bulk.pause();
    const running = await results(created.body.id);
    expect((running.body as BulkErrors)[0]?.message).toMatch(/Current status: IN_PROGRESS$/);
    org.bulk.configure({ rowsPerChunk: 1000, chunkIntervalMs: 0 });
    org.bulk.resume();
    const done = await api.waitFor('query', created.body.id, ['JobComplete']);
    expect(done.numberRecordsProcessed).toBe(300);
    expect((await results(created.body.id)).status).toBe(200);
  });

  it('aborts a running query (results then 412 ABORTED) and refuses to abort a finished one', async () => {
    api.emulator.org.bulk.pause();
    const created = await api.send<JobInfo>('POST', '/query', {
      json: { operation: 'query', query: 'SELECT Id FROM Account' },
    });
    const aborted = await api.setState('query', created.body.id, 'Aborted');
    expect(aborted.status).toBe(200);
    expect(aborted.body.state).toBe('Aborted');
    expect(((await results(created.body.id)).body as BulkErrors)[0]?.message).toMatch(
      /Current status: ABORTED$/,
    );
    api.emulator.org.bulk.resume();
    const done = await api.query('SELECT Id FROM Account');
    const again = await api.setState('query', done.id, 'Aborted');
    expect(again.status).toBe(400);
    expect(again.body).toEqual([
      { errorCode: 'INVALIDJOBSTATE', message: 'Aborting already Completed Job not allowed' },
    ]);
  });

  it('fails a query job on request: state Failed with its errorMessage, results 412 FAILED', async () => {
    api.emulator.org.generate('Account', 50);
    api.emulator.org.bulk.failNextJob({
      afterRows: 10,
      errorMessage: 'QUERY_TIMEOUT : Your query request was running for too long.',
    });
    const job = await api.query('SELECT Id FROM Account');
    expect(job.state).toBe('Failed');
    expect(job.errorMessage).toBe('QUERY_TIMEOUT : Your query request was running for too long.');
    expect(job.numberRecordsProcessed).toBe(10);
    expect(((await results(job.id)).body as BulkErrors)[0]?.message).toMatch(/Current status: FAILED$/);
  });

  it('fails a query job that has fewer rows than the injected failure once all its rows are counted', async () => {
    api.emulator.org.generate('Account', 5);
    api.emulator.org.bulk.failNextJob({ afterRows: 10 });
    const job = await api.query('SELECT Id FROM Account');
    expect(job).toMatchObject({ state: 'Failed', numberRecordsProcessed: 5 });
    expect(job.errorMessage).toMatch(/^InternalServerError : /);
  });

  it('leaves errorMessage out of the info of a job that did not fail', async () => {
    const job = await api.query('SELECT Id FROM Account');
    expect(job.state).toBe('JobComplete');
    expect(job).not.toHaveProperty('errorMessage');
  });

  it('deletes a finished query job (204), then answers 404', async () => {
    const job = await api.query('SELECT Id FROM Account');
    expect((await api.send('DELETE', `/query/${job.id}`)).status).toBe(204);
    expect((await api.info('query', job.id)).status).toBe(404);
    expect((await results(job.id)).status).toBe(404);
  });

  it('lists query jobs as V2Query, and not under /ingest', async () => {
    const job = await api.query('SELECT Id FROM Account');
    const list = await api.send<{ done: boolean; records: JobInfo[] }>('GET', '/query');
    expect(list.body.done).toBe(true);
    expect(list.body.records).toContainEqual(expect.objectContaining({ id: job.id, jobType: 'V2Query' }));
    const ingest = await api.send<{ records: JobInfo[] }>('GET', '/ingest');
    expect(ingest.body.records.map((r) => r.id)).not.toContain(job.id);
  });
});

describe('query results', () => {
  it('writes the header in SELECT order, relationship columns, nulls as "" and datetimes in …Z form', async () => {
    const { org } = api.emulator;
    const [account] = org.insert('Account', [
      { Name: 'Acme "Quoted"', NumberOfEmployees: 12, CreatedDate: '2021-08-31T01:31:13.000+0000' },
    ]);
    org.insert('Contact', [
      { LastName: 'Linked', AccountId: account?.Id, DoNotCall: true },
      { LastName: 'Alone', Email: null },
    ]);
    const job = await api.query(
      'SELECT LastName, Account.Name, Account.NumberOfEmployees, Account.CreatedDate, DoNotCall, Email FROM Contact ORDER BY LastName DESC',
    );
    const answer = await results(job.id);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(answer.headers.get('sforce-numberofrecords')).toBe('2');
    expect(answer.headers.get('sforce-locator')).toBe('null');
    expect(answer.text).toBe(
      '"LastName","Account.Name","Account.NumberOfEmployees","Account.CreatedDate","DoNotCall","Email"\n' +
        '"Linked","Acme ""Quoted""","12","2021-08-31T01:31:13.000Z","true",""\n' +
        '"Alone","","","","false",""\n',
    );
  });

  it('follows Sforce-Locator through maxRecords chunks until the literal "null", every row once and in order', async () => {
    const { org } = api.emulator;
    org.generate('Account', 2500, { Name: (i: number) => `Paged ${String(i).padStart(4, '0')}` });
    const job = await api.query('SELECT Name FROM Account ORDER BY Name');
    expect(job.numberRecordsProcessed).toBe(2500);
    const names: string[] = [];
    const counts: string[] = [];
    const locators: string[] = [];
    let locator: string | null = null;
    do {
      const answer = await results(
        job.id,
        `?maxRecords=1000${locator === null ? '' : `&locator=${locator}`}`,
      );
      expect(answer.status).toBe(200);
      const rows = readCsv(answer.text);
      expect(rows[0]).toEqual(['Name']);
      names.push(...rows.slice(1).map((row) => row[0] as string));
      counts.push(answer.headers.get('sforce-numberofrecords') as string);
      locator = answer.headers.get('sforce-locator');
      locators.push(locator as string);
      if (locator === 'null') locator = null;
    } while (locator !== null);
    expect(counts).toEqual(['1000', '1000', '500']);
    expect(locators.at(-1)).toBe('null');
    for (const opaque of locators.slice(0, -1)) expect(opaque).toMatch(/^[A-Za-z0-9+/]+$/);
    expect(locators[0]).not.toBe('1000');
    expect(names).toEqual(Array.from({ length: 2500 }, (_, i) => `Paged ${String(i).padStart(4, '0')}`));
  });

  it('serves the same chunk again for a locator it handed out', async () => {
    api.emulator.org.generate('Account', 30);
    const job = await api.query('SELECT Id FROM Account');
    const first = await results(job.id, '?maxRecords=10');
    const locator = first.headers.get('sforce-locator') as string;
    const a = await results(job.id, `?maxRecords=10&locator=${locator}`);
    const b = await results(job.id, `?maxRecords=10&locator=${locator}`);
    expect(a.text).toBe(b.text);
    expect(a.text).not.toBe(first.text);
  });

  it('uses the configured chunk size when no maxRecords is given', async () => {
    api.emulator.org.generate('Account', 25);
    api.emulator.org.bulk.configure({ defaultMaxRecords: 10 });
    const job = await api.query('SELECT Id FROM Account');
    const answer = await results(job.id);
    expect(answer.headers.get('sforce-numberofrecords')).toBe('10');
    expect(answer.headers.get('sforce-locator')).not.toBe('null');
  });

  it('refuses a bad maxRecords and a bad locator with 400', async () => {
    const job = await api.query('SELECT Id FROM Account');
    expect((await results(job.id, '?maxRecords=0')).status).toBe(400);
    expect((await results(job.id, '?maxRecords=ten')).status).toBe(400);
    expect((await results(job.id, '?locator=not-a-locator!')).status).toBe(400);
  });

  it('includes deleted rows for queryAll only', async () => {
    const { org } = api.emulator;
    org.insert('Account', [{ Name: 'Kept' }, { Name: 'Gone' }]);
    const gone = org.records('Account').find((r) => r.Name === 'Gone');
    const deleted = await api.ingest({ object: 'Account', operation: 'delete' }, `Id\n${gone?.Id}\n`);
    expect(deleted.numberRecordsFailed).toBe(0);
    const live = await api.query('SELECT Name, IsDeleted FROM Account ORDER BY Name');
    expect(readCsv((await results(live.id)).text).slice(1)).toEqual([['Kept', 'false']]);
    const all = await api.query('SELECT Name, IsDeleted FROM Account ORDER BY Name', {
      operation: 'queryAll',
    });
    expect(all.operation).toBe('queryAll');
    expect(readCsv((await results(all.id)).text).slice(1)).toEqual([
      ['Gone', 'true'],
      ['Kept', 'false'],
    ]);
  });

  it('writes with the job columnDelimiter and lineEnding', async () => {
    api.emulator.org.insert('Account', [{ Name: 'A;B', Phone: '1' }]);
    const job = await api.query('SELECT Name, Phone FROM Account', {
      columnDelimiter: 'SEMICOLON',
      lineEnding: 'CRLF',
    });
    expect((await results(job.id)).text).toBe('"Name";"Phone"\r\n"A;B";"1"\r\n');
  });

  it('streams a big chunk (chunked transfer, no Content-Length) and gzips it when asked', async () => {
    api.emulator.org.generate('Account', 20_000);
    const job = await api.query('SELECT Id, Name, CreatedDate FROM Account');
    const url = new URL(`${api.base}/query/${job.id}/results?maxRecords=20000`);
    const raw = await new Promise<{ headers: Record<string, unknown>; pieces: number; bytes: number }>(
      (resolve, reject) => {
        const req = httpRequest(url, { headers: { authorization: `Bearer ${api.token}` } }, (res) => {
          let pieces = 0;
          let bytes = 0;
          res.on('data', (chunk: Buffer) => {
            pieces += 1;
            bytes += chunk.length;
          });
          res.on('end', () => resolve({ headers: res.headers, pieces, bytes }));
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end();
      },
    );
    expect(raw.headers['transfer-encoding']).toBe('chunked');
    expect(raw.headers['content-length']).toBeUndefined();
    expect(raw.headers['sforce-numberofrecords']).toBe('20000');
    expect(raw.pieces).toBeGreaterThan(1);
    const zipped = await api.send('GET', `/query/${job.id}/results?maxRecords=20000`, {
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(readCsv(zipped.text)).toHaveLength(20_001);
    expect(zipped.text.length).toBe(raw.bytes);
  });
});
