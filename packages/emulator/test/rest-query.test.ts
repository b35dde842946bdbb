import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RestClient, startRestClient } from './rest-client.js';

let client: RestClient;

type Page = {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: Record<string, unknown>[];
};
type Errors = { message: string; errorCode: string }[];

const q = (soql: string) => `/query?q=${encodeURIComponent(soql)}`;

beforeAll(async () => {
  client = await startRestClient({ queryLocatorIdleMs: 60_000, maxQueryCursors: 3 });
  client.emulator.org.generate('Account', 4500, {
    Name: (i: number) => `Paged ${String(i).padStart(5, '0')}`,
  });
});
afterAll(() => client.emulator.stop());

describe('query and queryMore', () => {
  it('answers a small query in one page: totalSize, done, records (no nextRecordsUrl)', async () => {
    const res = await client.get<Page>(q("SELECT Id, Name FROM Account WHERE Name = 'Paged 00007'"));
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(['totalSize', 'done', 'records']);
    expect(res.body.totalSize).toBe(1);
    expect(res.body.records[0]).toMatchObject({
      attributes: {
        type: 'Account',
        url: expect.stringMatching(/^\/services\/data\/v62\.0\/sobjects\/Account\/001/),
      },
      Name: 'Paged 00007',
    });
  });

  it('pages 2000 at a time with a relative 01g locator url, totalSize on every page', async () => {
    const first = await client.get<Page>(q('SELECT Id, Name FROM Account ORDER BY Name'));
    expect(Object.keys(first.body)).toEqual(['totalSize', 'done', 'nextRecordsUrl', 'records']);
    expect(first.body).toMatchObject({ totalSize: 4500, done: false });
    expect(first.body.records).toHaveLength(2000);
    expect(first.body.nextRecordsUrl).toMatch(/^\/services\/data\/v62\.0\/query\/01g[A-Za-z0-9]{15}-2000$/);
    const second = await client.get<Page>(first.body.nextRecordsUrl as string);
    expect(second.body).toMatchObject({ totalSize: 4500, done: false });
    expect(second.body.records[0]?.Name).toBe('Paged 02000');
    expect(second.body.nextRecordsUrl).toMatch(/-4000$/);
    const last = await client.get<Page>(second.body.nextRecordsUrl as string);
    expect(last.body.done).toBe(true);
    expect(last.body.nextRecordsUrl).toBeUndefined();
    expect(last.body.records).toHaveLength(500);
    expect(last.body.records.at(-1)?.Name).toBe('Paged 04499');
    const again = await client.get<Page>(second.body.nextRecordsUrl as string);
    expect(again.body.records.map((r) => r.Id)).toEqual(last.body.records.map((r) => r.Id));
  });

  it('honours Sforce-Query-Options batchSize, clamped to 200..2000', async () => {
    const small = await client.get<Page>(q('SELECT Id FROM Account'), {
      'Sforce-Query-Options': 'batchSize=500',
    });
    expect(small.body.records).toHaveLength(500);
    expect(small.body.nextRecordsUrl).toMatch(/-500$/);
    const tiny = await client.get<Page>(q('SELECT Id FROM Account'), {
      'Sforce-Query-Options': 'batchSize=10',
    });
    expect(tiny.body.records).toHaveLength(200);
  });

  it('accepts the locator under /queryAll/ too', async () => {
    const first = await client.get<Page>(q('SELECT Id FROM Account'));
    const url = (first.body.nextRecordsUrl as string).replace('/query/', '/queryAll/');
    const next = await client.get<Page>(url);
    expect(next.status).toBe(200);
    expect(next.body.records).toHaveLength(2000);
  });

  it('INVALID_QUERY_LOCATOR for an unknown or malformed locator', async () => {
    const res = await client.get<Errors>('/query/01gEM0000000zzzAAA-2000');
    expect(res.status).toBe(400);
    expect(res.body).toEqual([{ message: 'invalid query locator', errorCode: 'INVALID_QUERY_LOCATOR' }]);
    expect((await client.get<Errors>('/query/nonsense')).body[0]?.errorCode).toBe('INVALID_QUERY_LOCATOR');
  });

  it('expires a locator after the idle time', async () => {
    const first = await client.get<Page>(q('SELECT Id FROM Account'));
    client.emulator.org.clock.advance(61_000);
    const res = await client.get<Errors>(first.body.nextRecordsUrl as string);
    expect(res.body[0]?.errorCode).toBe('INVALID_QUERY_LOCATOR');
  });

  it('releases the least recently used cursor past the open-cursor cap', async () => {
    const urls: string[] = [];
    for (let i = 0; i < 4; i++)
      urls.push((await client.get<Page>(q('SELECT Id FROM Account'))).body.nextRecordsUrl as string);
    expect((await client.get<Errors>(urls[0] as string)).body[0]?.errorCode).toBe('INVALID_QUERY_LOCATOR');
    expect((await client.get<Page>(urls[3] as string)).status).toBe(200);
  });

  it('SELECT COUNT() answers totalSize with no records', async () => {
    const res = await client.get<Page>(q('SELECT COUNT() FROM Account'));
    expect(res.body).toEqual({ totalSize: 4500, done: true, records: [] });
  });

  it('takes OFFSET straight after a WHERE condition, as Salesforce does', async () => {
    const res = await client.get<Page>(q("SELECT Name FROM Account WHERE Name LIKE 'Paged 0000%' OFFSET 7"));
    expect(res.status).toBe(200);
    expect(res.body.records.map((record) => record.Name)).toEqual([
      'Paged 00007',
      'Paged 00008',
      'Paged 00009',
    ]);
  });

  it('queryAll sees soft-deleted rows; query does not', async () => {
    const { body } = await client.post<{ id: string }>('/sobjects/Account', { Name: 'Gone soon' });
    await client.del(`/sobjects/Account/${body.id}`);
    const soql = "SELECT Id, IsDeleted FROM Account WHERE Name = 'Gone soon'";
    expect((await client.get<Page>(q(soql))).body.totalSize).toBe(0);
    const all = await client.get<Page>(`/queryAll?q=${encodeURIComponent(soql)}`);
    expect(all.body.totalSize).toBe(1);
    expect(all.body.records[0]?.IsDeleted).toBe(true);
  });

  it('pages child subqueries through their own locators', async () => {
    const { body: parent } = await client.post<{ id: string }>('/sobjects/Account', { Name: 'Many kids' });
    client.emulator.org.generate('Contact', 250, { AccountId: parent.id });
    const res = await client.get<Page>(
      q(`SELECT Id, (SELECT Id FROM Contacts) FROM Account WHERE Id = '${parent.id}'`),
    );
    const contacts = res.body.records[0]?.Contacts as Page;
    expect(contacts).toMatchObject({ totalSize: 250, done: false });
    expect(contacts.records).toHaveLength(200);
    const rest = await client.get<Page>(contacts.nextRecordsUrl as string);
    expect(rest.body).toMatchObject({ totalSize: 250, done: true });
    expect(rest.body.records).toHaveLength(50);
  });

  it('MALFORMED_QUERY and INVALID_FIELD come back as Salesforce words them', async () => {
    const malformed = await client.get<Errors>('/query?q=invalid');
    expect(malformed.status).toBe(400);
    expect(malformed.body[0]?.errorCode).toBe('MALFORMED_QUERY');
    const bad = await client.get<Errors>(q('SELECT Idx FROM Account'));
    expect(bad.body[0]?.errorCode).toBe('INVALID_FIELD');
    expect(bad.body[0]?.message).toContain("No such column 'Idx' on entity 'Account'");
    const missing = await client.get<Errors>('/query');
    expect(missing.body[0]?.errorCode).toBe('MALFORMED_QUERY');
  });

  it('explain= returns a query plan', async () => {
    const res = await client.get<{ plans: Record<string, unknown>[] }>(
      `/query?explain=${encodeURIComponent("SELECT Id FROM Account WHERE Name = 'x'")}`,
    );
    expect(res.status).toBe(200);
    expect(res.body.plans[0]).toMatchObject({ sobjectType: 'Account', leadingOperationType: 'TableScan' });
    expect(res.body.plans[0]?.sobjectCardinality).toBeGreaterThan(4000);
  });

  it('explains a query with OFFSET straight after its WHERE condition', async () => {
    const res = await client.get<{ plans: Record<string, unknown>[] }>(
      `/query?explain=${encodeURIComponent("SELECT Id FROM Account WHERE Name = 'x' OFFSET 1")}`,
    );
    expect(res.status).toBe(200);
    expect(res.body.plans[0]).toMatchObject({ sobjectType: 'Account' });
  });
});

describe('search', () => {
  it('SOSL search returns searchRecords', async () => {
    await client.post('/sobjects/Contact', { LastName: 'Zyxwvut', FirstName: 'Searchable' });
    const res = await client.get<{ searchRecords: Record<string, unknown>[] }>(
      `/search?q=${encodeURIComponent('FIND {Zyxwvut} IN ALL FIELDS RETURNING Contact(Id, LastName)')}`,
    );
    expect(res.status).toBe(200);
    expect(res.body.searchRecords).toHaveLength(1);
    expect(res.body.searchRecords[0]).toMatchObject({ attributes: { type: 'Contact' }, LastName: 'Zyxwvut' });
  });

  it('MALFORMED_SEARCH without braces or without q', async () => {
    const res = await client.get<Errors>('/search');
    expect(res.status).toBe(400);
    expect(res.body).toEqual([
      {
        message: 'No search term found. The search term must be enclosed in braces.',
        errorCode: 'MALFORMED_SEARCH',
      },
    ]);
  });

  it('parameterizedSearch by GET and POST', async () => {
    const get = await client.get<{ searchRecords: Record<string, unknown>[] }>(
      '/parameterizedSearch?q=Zyxwvut&sobject=Contact&Contact.fields=Id,LastName',
    );
    expect(get.status).toBe(200);
    expect(get.body.searchRecords[0]).toMatchObject({ LastName: 'Zyxwvut' });
    const post = await client.post<{ searchRecords: Record<string, unknown>[] }>('/parameterizedSearch', {
      q: 'Zyxwvut',
      sobjects: [{ name: 'Contact', fields: ['Id', 'FirstName'] }],
    });
    expect(post.body.searchRecords[0]).toMatchObject({ FirstName: 'Searchable' });
  });
});
