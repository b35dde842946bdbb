import { text } from 'node:stream/consumers';
import { setTimeout as sleep } from 'node:timers/promises';
import { AbortError } from '@forcekit/core';
import { describe, expect, it } from 'vitest';
import { isTracked, type QueryRunSummary, query, SObject } from '../src/index.js';
import { rejectionOf, sentTo, useOrg } from './support.js';

const org = useOrg();

function seedAccounts(n: number): void {
  org.emulator.org.generate('Account', n, { Name: (i: number) => `A${String(i).padStart(4, '0')}` });
}

const ACCOUNTS = 'SELECT Id, Name FROM Account ORDER BY Name';
const pageRequests = () => sentTo(org.sent, 'GET', 'query');

/** Waits until the client has no request in flight (a prefetch has landed). */
async function settled(): Promise<void> {
  for (let i = 0; i < 200 && org.recorder.inFlight > 0; i++) await sleep(5);
  await sleep(20);
}

describe('for await', () => {
  it('yields every record in order, prefetching exactly one page ahead', async () => {
    seedAccounts(4500);
    const names: string[] = [];
    const requestsSeen: number[] = [];
    for await (const record of query(org.client, ACCOUNTS)) {
      const index = names.push((record as { Name: string }).Name) - 1;
      if (index === 0 || index === 2000 || index === 4000) {
        await settled();
        requestsSeen.push(pageRequests().length);
      }
    }
    expect(names).toEqual(Array.from({ length: 4500 }, (_, i) => `A${String(i).padStart(4, '0')}`));
    // On page 1 the request for page 2 is out, not the one for page 3; on page 2, page 3's; then no more.
    expect(requestsSeen).toEqual([2, 3, 3]);
  });

  it('stops requesting when the loop breaks, and leaves nothing in flight', async () => {
    seedAccounts(6500);
    let seen = 0;
    for await (const _record of query(org.client, ACCOUNTS)) {
      if (++seen === 10) break;
    }
    await settled();
    expect(pageRequests()).toHaveLength(2);
    expect(org.recorder.inFlight).toBe(0);
    await sleep(50);
    expect(pageRequests()).toHaveLength(2);
  });

  it('yields plain records by default and honours maxFetch', async () => {
    seedAccounts(2500);
    const records = [];
    for await (const record of query(org.client, ACCOUNTS).records({ maxFetch: 2100 })) records.push(record);
    expect(records).toHaveLength(2100);
    expect(records.some(isTracked)).toBe(false);
    expect(Object.getPrototypeOf(records[0])).toBe(Object.prototype);
  });

  it('yields tracked records with tracked: true, and update(record) then sends only the assigned field', async () => {
    seedAccounts(3);
    const accounts = new SObject(org.client, 'Account');
    // CreatedDate is read-only: an update that sent it would be refused with INVALID_FIELD_FOR_INSERT_UPDATE.
    const soql = 'SELECT Id, Name, CreatedDate FROM Account ORDER BY Name';
    type Row = { Id: string; Name: string; CreatedDate: string };
    for await (const record of query<Row>(org.client, soql, { tracked: true })) {
      expect(isTracked(record)).toBe(true);
      record.Name = `${record.Name} (seen)`;
      await accounts.update(record);
    }
    expect(org.emulator.org.records('Account').map((record) => record.Name)).toEqual([
      'A0000 (seen)',
      'A0001 (seen)',
      'A0002 (seen)',
    ]);
    // The same record without tracking sends every field it has, CreatedDate included.
    const iterator = query<Row>(org.client, soql).records();
    const plain = (await iterator.next()).value as Row;
    await iterator.return?.();
    plain.Name = 'changed';
    await expect(accounts.update(plain)).rejects.toThrow(/CreatedDate/);
  });

  it('keeps execute(), first() and run() records tracked, and lets a call or the query turn it either way', async () => {
    seedAccounts(3);
    const soql = query(org.client, ACCOUNTS);
    expect((await soql.execute()).records.every(isTracked)).toBe(true);
    expect(isTracked(await soql.first())).toBe(true);
    expect((await soql.execute({ tracked: false })).records.some(isTracked)).toBe(false);
    const fromRun: unknown[] = [];
    await new Promise((resolve) =>
      soql
        .on('record', (record) => fromRun.push(record))
        .on('end', resolve)
        .run(),
    );
    expect(fromRun.every(isTracked)).toBe(true);
    const pages = [];
    for await (const page of soql.pages()) pages.push(page);
    expect(pages.flatMap((page) => page.records).some(isTracked)).toBe(false);
    const trackedByDefault = query(org.client, ACCOUNTS, { tracked: true });
    for await (const page of trackedByDefault.pages()) expect(page.records.every(isTracked)).toBe(true);
    for await (const record of trackedByDefault.stream()) expect(isTracked(record)).toBe(true);
  });

  it('stops on an abort signal: the loop rejects with AbortError and nothing is left in flight', async () => {
    seedAccounts(4500);
    org.emulator.org.faults.latency(300, { path: '/services/data/*/query/*' });
    const controller = new AbortController();
    let seen = 0;
    const loop = (async () => {
      for await (const _record of query(org.client, ACCOUNTS).records({ signal: controller.signal })) {
        if (++seen === 2000) controller.abort();
      }
    })();
    const error = await rejectionOf(loop);
    expect(error).toBeInstanceOf(AbortError);
    expect(seen).toBe(2000);
    await settled();
    expect(org.recorder.inFlight).toBe(0);
  });

  it('rejects the loop with the failure of a page', async () => {
    seedAccounts(4500);
    org.emulator.org.faults.error({
      path: '/services/data/*/query/*',
      status: 400,
      errorCode: 'INVALID_QUERY_LOCATOR',
      message: 'invalid query locator',
    });
    let seen = 0;
    const loop = (async () => {
      for await (const _record of query(org.client, ACCOUNTS)) seen++;
    })();
    const error = await rejectionOf(loop);
    expect((error as { code?: string }).code).toBe('INVALID_QUERY_LOCATOR');
    expect(seen).toBe(2000);
  });
});

describe('stream()', () => {
  it('is an object-mode Readable with backpressure: an unread stream holds at most one page ahead', async () => {
    seedAccounts(6500);
    const stream = query(org.client, ACCOUNTS).stream();
    await settled();
    await sleep(50);
    expect(pageRequests().length).toBeLessThanOrEqual(2);
    const records: unknown[] = [];
    for await (const record of stream) records.push(record);
    expect(records).toHaveLength(6500);
    expect(pageRequests()).toHaveLength(4);
  });

  it('destroying the stream stops the query', async () => {
    seedAccounts(6500);
    const stream = query(org.client, ACCOUNTS).stream();
    await new Promise<void>((resolve) => stream.once('data', () => resolve()));
    stream.destroy();
    await settled();
    await sleep(50);
    expect(pageRequests().length).toBeLessThanOrEqual(2);
    expect(org.recorder.inFlight).toBe(0);
  });
});

describe('toCSV()', () => {
  it('writes RFC 4180 CSV with relationship fields flattened and a header first', async () => {
    const [acme] = org.emulator.org.insert('Account', [{ Name: 'Acme, "Inc"' }]);
    org.emulator.org.insert('Contact', [
      { LastName: 'Alpha', FirstName: 'Line\nbreak', AccountId: acme?.Id },
      { LastName: 'Beta', FirstName: null },
    ]);
    const csv = await text(
      query(org.client, 'SELECT FirstName, lastname, Account.Name FROM Contact ORDER BY LastName').toCSV(),
    );
    expect(csv).toBe(
      'FirstName,LastName,Account.Name\r\n' + '"Line\nbreak",Alpha,"Acme, ""Inc"""\r\n' + ',Beta,\r\n',
    );
  });

  it('pages through every record, and writes a header for an empty result', async () => {
    seedAccounts(2300);
    const csv = await text(query(org.client, ACCOUNTS).toCSV());
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('Id,Name');
    expect(lines).toHaveLength(2302);
    expect(lines[2300]?.endsWith(',A2299')).toBe(true);
    const empty = await text(query(org.client, "SELECT Id, Name FROM Account WHERE Name = 'none'").toCSV());
    expect(empty).toBe('Id,Name\r\n');
  });

  it('names aggregate columns as Salesforce does', async () => {
    org.emulator.org.insert('Opportunity', [
      { Name: 'o1', StageName: 'Prospecting', CloseDate: '2024-01-01', Amount: 100 },
      { Name: 'o2', StageName: 'Prospecting', CloseDate: '2024-01-01', Amount: 50 },
    ]);
    const csv = await text(
      query(
        org.client,
        'SELECT StageName, SUM(Amount), MAX(Amount) top, COUNT(Id) FROM Opportunity GROUP BY StageName',
      ).toCSV(),
    );
    expect(csv).toBe('StageName,expr0,top,expr1\r\nProspecting,150,100,2\r\n');
  });
});

describe('the event style', () => {
  it("emits 'record' per record and 'end' with the totals: run({ autoFetch, maxFetch })", async () => {
    seedAccounts(4500);
    const names: string[] = [];
    const summary = await new Promise<QueryRunSummary>((resolve, reject) => {
      query(org.client, ACCOUNTS)
        .on('record', (record, index) => {
          expect(index).toBe(names.length);
          names.push((record as { Name: string }).Name);
        })
        .on('end', resolve)
        .on('error', reject)
        .run({ autoFetch: true, maxFetch: 3000 });
    });
    expect(summary).toEqual({ totalSize: 4500, totalFetched: 3000 });
    expect(names.at(-1)).toBe('A2999');
    await settled();
    expect(pageRequests()).toHaveLength(2);
  });

  it('without autoFetch emits the first page only', async () => {
    seedAccounts(2500);
    const run = query(org.client, ACCOUNTS).run();
    let count = 0;
    run.on('record', () => count++);
    const summary = await new Promise<QueryRunSummary>((resolve) => run.on('end', resolve));
    expect(summary).toEqual({ totalSize: 2500, totalFetched: 2000 });
    expect(count).toBe(2000);
    expect(run.totalSize).toBe(2500);
    await settled();
    expect(pageRequests()).toHaveLength(1);
  });

  it('cancel() stops the run and ends it; a run starts only once', async () => {
    seedAccounts(4500);
    const run = query(org.client, ACCOUNTS).events();
    let count = 0;
    const ended = new Promise<QueryRunSummary>((resolve) => run.on('end', resolve));
    run.on('record', () => {
      if (++count === 10) run.cancel();
    });
    run.run({ autoFetch: true });
    expect(() => run.run()).toThrow(/already started/);
    await expect(ended).resolves.toEqual({ totalSize: 4500, totalFetched: 10 });
    await settled();
    expect(org.recorder.inFlight).toBe(0);
  });

  it("emits 'error' for a failed query", async () => {
    const error = await new Promise<Error>((resolve) => {
      query(org.client, 'SELECT Bogus FROM Account').on('error', resolve).run();
    });
    expect((error as { code?: string }).code).toBe('INVALID_FIELD');
  });
});
