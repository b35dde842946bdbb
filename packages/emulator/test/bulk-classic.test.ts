import { setTimeout as sleep } from 'node:timers/promises';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EXTERNAL_KEY_FIELD } from '../../../test-support/schema.js';
import { type Emulator, startEmulator } from '../src/index.js';
import { readCsv } from './bulk-helpers.js';

let emulator: Emulator;
let base: string;
const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false });

beforeAll(async () => {
  emulator = await startEmulator();
  base = `${emulator.url}/services/async/62.0`;
  emulator.org.defineField('Account', EXTERNAL_KEY_FIELD);
});
afterAll(() => emulator.stop());
beforeEach(() => emulator.org.reset());

interface Answer {
  status: number;
  type: string;
  text: string;
}

async function call(method: string, path: string, body?: string, contentType?: string): Promise<Answer> {
  const headers: Record<string, string> = { 'X-SFDC-Session': emulator.credentials.accessToken };
  if (contentType !== undefined) headers['content-type'] = contentType;
  const response = await fetch(`${base}${path}`, { method, headers, body: body ?? null });
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    text: await response.text(),
  };
}

function jobXml(fields: Record<string, string>): string {
  const inner = Object.entries(fields)
    .map(([k, v]) => `<${k}>${v}</${k}>`)
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><jobInfo xmlns="http://www.force.com/2009/06/asyncapi/dataload">${inner}</jobInfo>`;
}

type Info = Record<string, string> & { id: string; state: string };

async function createJob(fields: Record<string, string>): Promise<Info> {
  const answer = await call('POST', '/job', jobXml(fields), 'application/xml; charset=UTF-8');
  if (answer.status !== 201) throw new Error(`create job: ${answer.status} ${answer.text}`);
  return xml.parse(answer.text).jobInfo as Info;
}

async function addBatch(jobId: string, body: string, contentType: string): Promise<Info> {
  const answer = await call('POST', `/job/${jobId}/batch`, body, contentType);
  if (answer.status !== 201) throw new Error(`add batch: ${answer.status} ${answer.text}`);
  return /json/.test(answer.type)
    ? (JSON.parse(answer.text) as Info)
    : (xml.parse(answer.text).batchInfo as Info);
}

async function batchInfo(jobId: string, batchId: string): Promise<Info> {
  const answer = await call('GET', `/job/${jobId}/batch/${batchId}`);
  return /json/.test(answer.type)
    ? (JSON.parse(answer.text) as Info)
    : (xml.parse(answer.text).batchInfo as Info);
}

async function waitForBatch(
  jobId: string,
  batchId: string,
  states = ['Completed', 'Failed', 'NotProcessed'],
): Promise<Info> {
  for (let i = 0; i < 2000; i++) {
    const info = await batchInfo(jobId, batchId);
    if (states.includes(String(info.state))) return info;
    await sleep(5);
  }
  throw new Error(`batch ${batchId} never finished`);
}

function errorOf(text: string): { exceptionCode: string; exceptionMessage: string } {
  const { exceptionCode, exceptionMessage } = xml.parse(text).error;
  return { exceptionCode, exceptionMessage };
}

describe('classic jobs', () => {
  it('creates an XML job: 201, jobInfo Open in the dataload namespace, laid out as Salesforce writes it', async () => {
    const answer = await call(
      'POST',
      '/job',
      jobXml({ operation: 'insert', object: 'Contact', contentType: 'CSV' }),
      'application/xml; charset=UTF-8',
    );
    expect(answer.status).toBe(201);
    expect(answer.type).toMatch(/^application\/xml/);
    expect(answer.text).toMatch(
      /^<\?xml version="1\.0" encoding="UTF-8"\?><jobInfo\n {3}xmlns="http:\/\/www\.force\.com\/2009\/06\/asyncapi\/dataload">\n <id>750/,
    );
    const info = xml.parse(answer.text).jobInfo as Info;
    expect(info).toMatchObject({
      operation: 'insert',
      object: 'Contact',
      createdById: emulator.credentials.userId,
      state: 'Open',
      concurrencyMode: 'Parallel',
      contentType: 'CSV',
      numberBatchesTotal: '0',
      apiVersion: '62.0',
    });
    expect(info.createdDate).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/);
  });

  it('creates a JSON job and answers JSON: keys in alphabetical order, apiVersion written 62.0', async () => {
    const answer = await call(
      'POST',
      '/job',
      JSON.stringify({ operation: 'insert', object: 'Account', contentType: 'JSON' }),
      'application/json',
    );
    expect(answer.status).toBe(201);
    expect(answer.type).toMatch(/^application\/json/);
    expect(answer.text).toContain('"apiVersion":62.0,');
    const info = JSON.parse(answer.text) as Record<string, unknown>;
    expect(Object.keys(info)).toEqual([...Object.keys(info)].sort());
    expect(info).toMatchObject({
      contentType: 'JSON',
      state: 'Open',
      object: 'Account',
      externalIdFieldName: null,
    });
    expect(info.createdDate).toMatch(/\+0000$/);
  });

  it('answers a bad session with 400 InvalidSessionId, XML or JSON like the request', async () => {
    const xmlAnswer = await fetch(`${base}/job`, {
      method: 'POST',
      headers: { 'X-SFDC-Session': 'nope', 'content-type': 'application/xml' },
      body: jobXml({ operation: 'insert', object: 'Account' }),
    });
    expect(xmlAnswer.status).toBe(400);
    expect(errorOf(await xmlAnswer.text()).exceptionCode).toBe('InvalidSessionId');
    const jsonAnswer = await fetch(`${base}/job`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(jsonAnswer.status).toBe(400);
    expect(await jsonAnswer.json()).toMatchObject({ exceptionCode: 'InvalidSessionId' });
  });

  it('refuses bad jobs with the classic error document', async () => {
    const unknown = await call(
      'POST',
      '/job',
      jobXml({ operation: 'insert', object: 'Nope__c' }),
      'application/xml',
    );
    expect(unknown.status).toBe(400);
    expect(errorOf(unknown.text)).toEqual({
      exceptionCode: 'InvalidJob',
      exceptionMessage: 'Unable to find object: Nope__c',
    });
    const upsert = await call(
      'POST',
      '/job',
      jobXml({ operation: 'upsert', object: 'Account' }),
      'application/xml',
    );
    expect(errorOf(upsert.text)).toEqual({
      exceptionCode: 'InvalidJob',
      exceptionMessage: 'External ID was blank for Account. An External ID must be specified for upsert.',
    });
    const operation = await call(
      'POST',
      '/job',
      jobXml({ operation: 'merge', object: 'Account' }),
      'application/xml',
    );
    expect(errorOf(operation.text).exceptionCode).toBe('InvalidJob');
    const notXml = await call('POST', '/job', '<jobInfo', 'application/xml');
    expect(errorOf(notXml.text).exceptionCode).toBe('InvalidXML');
    const json = await call(
      'POST',
      '/job',
      JSON.stringify({ operation: 'insert', object: 'Nope__c' }),
      'application/json',
    );
    expect(JSON.parse(json.text)).toEqual({
      exceptionCode: 'InvalidJob',
      exceptionMessage: 'Unable to find object: Nope__c',
    });
    const missing = await call('GET', '/job/750EM00000009ZZAAA');
    expect(missing.status).toBe(400);
    expect(errorOf(missing.text).exceptionCode).toBe('InvalidJob');
  });

  it('closes a job (state Closed), then refuses new batches with InvalidJobState', async () => {
    const job = await createJob({ operation: 'insert', object: 'Account', contentType: 'CSV' });
    const closed = await call('POST', `/job/${job.id}`, jobXml({ state: 'Closed' }), 'application/xml');
    expect(closed.status).toBe(200);
    expect(xml.parse(closed.text).jobInfo.state).toBe('Closed');
    const late = await call('POST', `/job/${job.id}/batch`, 'Name\nLate\n', 'text/csv');
    expect(late.status).toBe(400);
    expect(errorOf(late.text).exceptionCode).toBe('InvalidJobState');
  });

  it('aborts a job: its queued batches become NotProcessed and nothing is written', async () => {
    emulator.org.bulk.pause();
    const job = await createJob({ operation: 'insert', object: 'Account', contentType: 'CSV' });
    const batch = await addBatch(job.id, 'Name\nNever\n', 'text/csv');
    expect(batch.state).toBe('Queued');
    const aborted = await call('POST', `/job/${job.id}`, jobXml({ state: 'Aborted' }), 'application/xml');
    expect(xml.parse(aborted.text).jobInfo.state).toBe('Aborted');
    emulator.org.bulk.resume();
    await sleep(30);
    expect((await batchInfo(job.id, batch.id)).state).toBe('NotProcessed');
    expect(emulator.org.records('Account')).toHaveLength(0);
  });

  it('lists classic jobs in the Bulk 2.0 job list as jobType Classic', async () => {
    const job = await createJob({ operation: 'insert', object: 'Account', contentType: 'CSV' });
    const answer = await fetch(`${emulator.url}/services/data/v62.0/jobs/ingest?jobType=Classic`, {
      headers: { authorization: `Bearer ${emulator.credentials.accessToken}` },
    });
    const list = (await answer.json()) as { records: Record<string, unknown>[] };
    expect(list.records).toEqual([
      expect.objectContaining({ id: job.id, jobType: 'Classic', contentType: 'CSV' }),
    ]);
  });
});

describe('classic ingest batches', () => {
  it('runs a CSV batch Queued -> Completed, one result row per request row in order', async () => {
    const job = await createJob({ operation: 'insert', object: 'Account', contentType: 'CSV' });
    const queued = await addBatch(job.id, 'Name,Phone\nFirst,1\n,2\nThird,#N/A\n', 'text/csv');
    expect(queued).toMatchObject({ jobId: job.id, state: 'Queued', numberRecordsProcessed: '0' });
    expect(queued.id).toMatch(/^751/);
    const done = await waitForBatch(job.id, queued.id);
    expect(done).toMatchObject({ state: 'Completed', numberRecordsProcessed: '3', numberRecordsFailed: '1' });
    const result = await call('GET', `/job/${job.id}/batch/${queued.id}/result`);
    expect(result.type).toMatch(/^text\/csv/);
    const rows = readCsv(result.text);
    expect(rows[0]).toEqual(['Id', 'Success', 'Created', 'Error']);
    expect(rows.slice(1).map((r) => r.slice(1))).toEqual([
      ['true', 'true', ''],
      ['false', 'false', 'REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --'],
      ['true', 'true', ''],
    ]);
    expect(rows[2]?.[0]).toBe('');
    expect(emulator.org.records('Account').map((a) => [a.Id, a.Name, a.Phone])).toEqual([
      [rows[1]?.[0], 'First', '1'],
      [rows[3]?.[0], 'Third', null],
    ]);
    const request = await call('GET', `/job/${job.id}/batch/${queued.id}/request`);
    expect(request.text).toBe('Name,Phone\nFirst,1\n,2\nThird,#N/A\n');
    const info = xml.parse((await call('GET', `/job/${job.id}`)).text).jobInfo as Info;
    expect(info).toMatchObject({
      numberBatchesCompleted: '1',
      numberBatchesTotal: '1',
      numberRecordsProcessed: '3',
      numberRecordsFailed: '1',
    });
    const list = xml.parse((await call('GET', `/job/${job.id}/batch`)).text).batchInfoList;
    expect(list.batchInfo).toMatchObject({ id: queued.id, state: 'Completed' });
  });

  it('runs XML batches with nested relationships and xsi:nil, and answers XML results', async () => {
    emulator.org.insert('Account', [{ Name: 'Parent', Ext__c: 'P-9' }]);
    const job = await createJob({ operation: 'insert', object: 'Contact', contentType: 'XML' });
    const body =
      '<?xml version="1.0" encoding="UTF-8"?><sObjects xmlns="http://www.force.com/2009/06/asyncapi/dataload" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
      '<sObject><LastName>Kid</LastName><Email xsi:nil="true"/><Account><sObject><Ext__c>P-9</Ext__c></sObject></Account></sObject>' +
      '<sObject><FirstName>NoLast</FirstName></sObject></sObjects>';
    const batch = await addBatch(job.id, body, 'application/xml');
    await waitForBatch(job.id, batch.id);
    const result = await call('GET', `/job/${job.id}/batch/${batch.id}/result`);
    expect(result.type).toMatch(/^application\/xml/);
    const parsed = xml.parse(result.text).results.result as Record<string, unknown>[];
    expect(parsed[0]).toMatchObject({ success: 'true', created: 'true', id: expect.stringMatching(/^003/) });
    expect(parsed[1]).toMatchObject({
      success: 'false',
      created: 'false',
      errors: { fields: 'LastName', statusCode: 'REQUIRED_FIELD_MISSING' },
    });
    const [parent] = emulator.org.records('Account');
    expect(emulator.org.records('Contact').map((c) => [c.LastName, c.AccountId])).toEqual([
      ['Kid', parent?.Id],
    ]);
  });

  it('runs JSON batches and answers JSON results', async () => {
    const created = await call(
      'POST',
      '/job',
      JSON.stringify({ operation: 'insert', object: 'Account', contentType: 'JSON' }),
      'application/json',
    );
    const job = JSON.parse(created.text) as Info;
    const batch = await addBatch(
      job.id,
      JSON.stringify([{ Name: 'Json Co', NumberOfEmployees: 5 }, { Phone: '1' }]),
      'application/json',
    );
    expect(batch.state).toBe('Queued');
    await waitForBatch(job.id, batch.id);
    const result = await call('GET', `/job/${job.id}/batch/${batch.id}/result`);
    expect(JSON.parse(result.text)).toEqual([
      { success: true, created: true, id: expect.stringMatching(/^001/), errors: [] },
      {
        success: false,
        created: false,
        id: null,
        errors: [
          {
            fields: ['Name'],
            message: 'Required fields are missing: [Name]',
            statusCode: 'REQUIRED_FIELD_MISSING',
          },
        ],
      },
    ]);
  });

  it('upserts, updates and deletes through classic jobs', async () => {
    const [kept] = emulator.org.insert('Account', [{ Name: 'Kept', Ext__c: 'E1' }]);
    const upsert = await createJob({
      operation: 'upsert',
      object: 'Account',
      contentType: 'CSV',
      externalIdFieldName: 'Ext__c',
    });
    expect(upsert.externalIdFieldName).toBe('Ext__c');
    const u = await addBatch(upsert.id, 'Ext__c,Name\nE1,Kept Renamed\nE2,Brand New\n', 'text/csv');
    await waitForBatch(upsert.id, u.id);
    const upserted = readCsv((await call('GET', `/job/${upsert.id}/batch/${u.id}/result`)).text).slice(1);
    expect(upserted.map((r) => [r[0] === kept?.Id, r[1], r[2]])).toEqual([
      [true, 'true', 'false'],
      [false, 'true', 'true'],
    ]);
    const del = await createJob({ operation: 'delete', object: 'Account', contentType: 'CSV' });
    const d = await addBatch(del.id, `Id\n${kept?.Id}\n`, 'text/csv');
    expect((await waitForBatch(del.id, d.id)).numberRecordsFailed).toBe('0');
    expect(emulator.org.records('Account').map((a) => a.Name)).toEqual(['Brand New']);
    // hardDelete skips the recycle bin: the row is gone even for queryAll; delete left its row there.
    const brandNew = emulator.org.records('Account')[0]?.Id;
    const hard = await createJob({ operation: 'hardDelete', object: 'Account', contentType: 'CSV' });
    const h = await addBatch(hard.id, `Id\n${brandNew}\n`, 'text/csv');
    expect((await waitForBatch(hard.id, h.id)).numberRecordsFailed).toBe('0');
    expect(emulator.org.records('Account', { includeDeleted: true }).map((a) => a.Name)).toEqual([
      'Kept Renamed',
    ]);
  });

  it('refuses a batch whose content type does not match the job', async () => {
    const job = await createJob({ operation: 'insert', object: 'Account', contentType: 'CSV' });
    const answer = await call('POST', `/job/${job.id}/batch`, '<sObjects/>', 'application/xml');
    expect(answer.status).toBe(400);
    expect(errorOf(answer.text).exceptionCode).toBe('InvalidBatch');
  });

  it('fails a batch whose header names no field, with its stateMessage', async () => {
    const job = await createJob({ operation: 'insert', object: 'Account', contentType: 'CSV' });
    const batch = await addBatch(job.id, 'Name,Bogus\nA,1\n', 'text/csv');
    const done = await waitForBatch(job.id, batch.id);
    expect(done).toMatchObject({
      state: 'Failed',
      stateMessage: 'InvalidBatch : Field name not found : Bogus',
      numberRecordsProcessed: '0',
    });
    expect(emulator.org.records('Account')).toHaveLength(0);
  });

  it('fails a batch midway on request: processed rows keep their results, the rest report the failure', async () => {
    emulator.org.bulk.configure({ rowsPerChunk: 2 });
    emulator.org.bulk.failNextJob({ afterRows: 3, errorMessage: 'InternalServerError : injected' });
    const job = await createJob({ operation: 'insert', object: 'Account', contentType: 'CSV' });
    const batch = await addBatch(job.id, 'Name\nA\nB\nC\nD\nE\n', 'text/csv');
    const done = await waitForBatch(job.id, batch.id);
    expect(done).toMatchObject({
      state: 'Failed',
      stateMessage: 'InternalServerError : injected',
      numberRecordsProcessed: '3',
    });
    const rows = readCsv((await call('GET', `/job/${job.id}/batch/${batch.id}/result`)).text).slice(1);
    expect(rows.map((r) => r[1])).toEqual(['true', 'true', 'true', 'false', 'false']);
    expect(rows[4]?.[3]).toMatch(/injected/);
    expect(emulator.org.records('Account')).toHaveLength(3);
  });
});

describe('classic query batches', () => {
  it('runs a CSV query batch: result ids (752...) in a result-list, then each result file as CSV', async () => {
    emulator.org.bulk.configure({ classicResultRows: 2 });
    emulator.org.insert('Account', [
      { Name: 'A', CreatedDate: '2020-01-02T03:04:05.000+0000' },
      { Name: 'B' },
      { Name: 'C' },
    ]);
    const job = await createJob({ operation: 'query', object: 'Account', contentType: 'CSV' });
    const batch = await addBatch(
      job.id,
      'SELECT Name, CreatedDate, Owner.Name FROM Account ORDER BY Name',
      'text/csv',
    );
    const done = await waitForBatch(job.id, batch.id);
    expect(done).toMatchObject({ state: 'Completed', numberRecordsProcessed: '3' });
    const list = await call('GET', `/job/${job.id}/batch/${batch.id}/result`);
    expect(list.type).toMatch(/^application\/xml/);
    const ids = xml.parse(list.text)['result-list'].result as string[];
    expect(ids).toHaveLength(2);
    for (const id of ids) expect(id).toMatch(/^752/);
    const first = await call('GET', `/job/${job.id}/batch/${batch.id}/result/${ids[0]}`);
    expect(first.type).toMatch(/^text\/csv/);
    expect(first.text).toBe(
      '"Name","CreatedDate","Owner.Name"\n"A","2020-01-02T03:04:05.000Z","Admin User"\n' +
        `"B","${readCsv(first.text)[2]?.[1]}","Admin User"\n`,
    );
    const second = readCsv((await call('GET', `/job/${job.id}/batch/${batch.id}/result/${ids[1]}`)).text);
    expect(second.map((r) => r[0])).toEqual(['Name', 'C']);
  });

  it('answers "Records not found for this query" for a CSV query without rows', async () => {
    const job = await createJob({ operation: 'query', object: 'Account', contentType: 'CSV' });
    const batch = await addBatch(job.id, "SELECT Id FROM Account WHERE Name = 'none'", 'text/csv');
    await waitForBatch(job.id, batch.id);
    const [id] = [
      xml.parse((await call('GET', `/job/${job.id}/batch/${batch.id}/result`)).text)['result-list'].result,
    ];
    expect((await call('GET', `/job/${job.id}/batch/${batch.id}/result/${id}`)).text).toBe(
      'Records not found for this query',
    );
  });

  it('answers JSON query results as records with attributes, and XML ones as a queryResult', async () => {
    emulator.org.insert('Account', [{ Name: 'Q' }]);
    const created = await call(
      'POST',
      '/job',
      JSON.stringify({ operation: 'query', object: 'Account', contentType: 'JSON' }),
      'application/json',
    );
    const jsonJob = JSON.parse(created.text) as Info;
    const batch = await addBatch(jsonJob.id, 'SELECT Id, Name FROM Account', 'application/json');
    await waitForBatch(jsonJob.id, batch.id);
    const ids = JSON.parse(
      (await call('GET', `/job/${jsonJob.id}/batch/${batch.id}/result`)).text,
    ) as string[];
    const records = JSON.parse(
      (await call('GET', `/job/${jsonJob.id}/batch/${batch.id}/result/${ids[0]}`)).text,
    );
    expect(records).toEqual([
      {
        attributes: {
          type: 'Account',
          url: expect.stringMatching(/^\/services\/data\/v62\.0\/sobjects\/Account\/001/),
        },
        Id: expect.any(String),
        Name: 'Q',
      },
    ]);
    const xmlJob = await createJob({ operation: 'query', object: 'Account', contentType: 'XML' });
    const xmlBatch = await addBatch(xmlJob.id, 'SELECT Id, Name, Phone FROM Account', 'application/xml');
    await waitForBatch(xmlJob.id, xmlBatch.id);
    const xmlIds = xml.parse((await call('GET', `/job/${xmlJob.id}/batch/${xmlBatch.id}/result`)).text)[
      'result-list'
    ].result;
    const document = await call('GET', `/job/${xmlJob.id}/batch/${xmlBatch.id}/result/${xmlIds}`);
    expect(document.text).toContain('<records xsi:type="sObject"><type>Account</type>');
    expect(document.text).toContain('<Name>Q</Name><Phone xsi:nil="true"/>');
  });

  it('fails a query batch with a bad query or a compound field, as Salesforce words it', async () => {
    const job = await createJob({ operation: 'query', object: 'Account', contentType: 'CSV' });
    const bad = await addBatch(job.id, 'SELECT Nope__c FROM Account', 'text/csv');
    const compound = await addBatch(job.id, 'SELECT BillingAddress FROM Account', 'text/csv');
    expect((await waitForBatch(job.id, bad.id)).stateMessage).toMatch(
      /^InvalidBatch : Failed to process query: INVALID_FIELD: /,
    );
    expect((await waitForBatch(job.id, compound.id)).stateMessage).toBe(
      'InvalidBatch : Failed to process query: FUNCTIONALITY_NOT_ENABLED: Selecting compound data not supported in Bulk Query',
    );
    const result = await call('GET', `/job/${job.id}/batch/${bad.id}/result`);
    expect(result.status).toBe(400);
    expect(errorOf(result.text).exceptionCode).toBe('InvalidBatch');
  });

  it('fails a query batch with a child subquery or on another object, with the stateMessage real orgs give', async () => {
    const job = await createJob({ operation: 'query', object: 'Account', contentType: 'CSV' });
    const children = await addBatch(
      job.id,
      'SELECT Name, (SELECT LastName FROM Contacts) FROM Account',
      'text/csv',
    );
    const other = await addBatch(job.id, 'SELECT Id FROM Contact', 'text/csv');
    expect((await waitForBatch(job.id, children.id)).stateMessage).toBe(
      'FeatureNotEnabled : Aggregate Relationships not supported in Bulk Query with CSV content type',
    );
    expect((await waitForBatch(job.id, other.id)).stateMessage).toBe(
      'InvalidBatch : Failed to process query: INVALID_TYPE_FOR_OPERATION: The root entity of the requested query (Contact) does not match the entity of the requested Bulk API Job (Account).',
    );
  });
});

describe('PK chunking', () => {
  async function createChunkedJob(header: string): Promise<Answer> {
    const response = await fetch(`${base}/job`, {
      method: 'POST',
      headers: {
        'X-SFDC-Session': emulator.credentials.accessToken,
        'content-type': 'application/xml; charset=UTF-8',
        'Sforce-Enable-PKChunking': header,
      },
      body: jobXml({ operation: 'query', object: 'Account', contentType: 'CSV' }),
    });
    return {
      status: response.status,
      type: response.headers.get('content-type') ?? '',
      text: await response.text(),
    };
  }

  async function batchList(jobId: string): Promise<Info[]> {
    const list = xml.parse((await call('GET', `/job/${jobId}/batch`)).text).batchInfoList.batchInfo;
    return (Array.isArray(list) ? list : [list]) as Info[];
  }

  it('splits a query batch into one batch per id range; the original batch ends NotProcessed', async () => {
    const accounts = emulator.org.insert(
      'Account',
      Array.from({ length: 8 }, (_, i) => ({ Name: `A${i}`, Industry: i % 2 === 0 ? 'Energy' : 'Banking' })),
    );
    // A deleted record still counts toward its chunk's range, so that chunk returns fewer rows.
    emulator.org.data.transaction((dml) => dml.delete(accounts[1]?.Id as string));
    const created = await createChunkedJob('chunkSize=3');
    expect(created.status).toBe(201);
    const job = xml.parse(created.text).jobInfo as Info;
    const original = await addBatch(
      job.id,
      "SELECT Name FROM Account WHERE Industry = 'Energy' OR Industry = 'Banking'",
      'text/csv',
    );
    expect(await waitForBatch(job.id, original.id)).toMatchObject({ state: 'NotProcessed' });

    const chunks = (await batchList(job.id)).filter((b) => b.id !== original.id);
    expect(chunks).toHaveLength(3);
    const ids = accounts.map((a) => (a.Id as string).slice(0, 15));
    const requests = await Promise.all(
      chunks.map(async (b) => (await call('GET', `/job/${job.id}/batch/${b.id}/request`)).text),
    );
    expect(requests).toEqual([
      `SELECT Name FROM Account WHERE (Industry = 'Energy' OR Industry = 'Banking') AND Id >= '${ids[0]}' AND Id < '${ids[3]}'`,
      `SELECT Name FROM Account WHERE (Industry = 'Energy' OR Industry = 'Banking') AND Id >= '${ids[3]}' AND Id < '${ids[6]}'`,
      `SELECT Name FROM Account WHERE (Industry = 'Energy' OR Industry = 'Banking') AND Id >= '${ids[6]}'`,
    ]);
    const names: string[][] = [];
    for (const chunk of chunks) {
      expect(await waitForBatch(job.id, chunk.id)).toMatchObject({ state: 'Completed' });
      const [resultId] = [
        xml.parse((await call('GET', `/job/${job.id}/batch/${chunk.id}/result`)).text)['result-list'].result,
      ];
      const rows = readCsv((await call('GET', `/job/${job.id}/batch/${chunk.id}/result/${resultId}`)).text);
      names.push(rows.slice(1).map((r) => r[0] as string));
    }
    expect(names).toEqual([
      ['A0', 'A2'],
      ['A3', 'A4', 'A5'],
      ['A6', 'A7'],
    ]);
  });

  it('starts at startRow, and takes "true" for the default chunk size', async () => {
    const accounts = emulator.org.insert(
      'Account',
      Array.from({ length: 5 }, (_, i) => ({ Name: `S${i}` })),
    );
    const from = accounts[2]?.Id as string;
    const fifth = accounts[4]?.Id as string;
    const job = xml.parse((await createChunkedJob(`chunkSize=2; startRow=${from}`)).text).jobInfo as Info;
    const original = await addBatch(job.id, 'SELECT Name FROM Account', 'text/csv');
    await waitForBatch(job.id, original.id);
    const chunks = (await batchList(job.id)).filter((b) => b.id !== original.id);
    expect(chunks).toHaveLength(2);
    const first = await call('GET', `/job/${job.id}/batch/${chunks[0]?.id}/request`);
    expect(first.text).toBe(
      `SELECT Name FROM Account WHERE Id >= '${from.slice(0, 15)}' AND Id < '${fifth.slice(0, 15)}'`,
    );

    const whole = xml.parse((await createChunkedJob('TRUE')).text).jobInfo as Info;
    const all = await addBatch(whole.id, 'SELECT Name FROM Account', 'text/csv');
    await waitForBatch(whole.id, all.id);
    expect((await batchList(whole.id)).filter((b) => b.id !== all.id)).toHaveLength(1);
  });

  it('refuses a bad header, and fails a batch whose query has clauses other than WHERE', async () => {
    const bad = await createChunkedJob('chunkSize=300000');
    expect(bad.status).toBe(400);
    expect(errorOf(bad.text)).toEqual({
      exceptionCode: 'InvalidJob',
      exceptionMessage:
        "Invalid Sforce-Enable-PKChunking header: chunkSize must be a whole number from 1 to 250000, got '300000'",
    });
    const job = xml.parse((await createChunkedJob('true')).text).jobInfo as Info;
    const ordered = await addBatch(job.id, 'SELECT Name FROM Account ORDER BY Name', 'text/csv');
    const failed = await waitForBatch(job.id, ordered.id);
    expect(failed.state).toBe('Failed');
    expect(failed.stateMessage).toMatch(/ORDER BY/);
    expect(await batchList(job.id)).toHaveLength(1);
  });
});
