import { BadRequestError, ConfigurationError } from '@forcekit/core';
import { describe, expect, it } from 'vitest';
import { isTracked, query, queryAll, queryMore, recordIdOf, sobjectTypeOf } from '../src/index.js';
import { rejectionOf, sentTo, useOrg } from './support.js';

const org = useOrg();

/** 4,500 accounts named `A0000`... in order. */
function seedAccounts(n = 4500): void {
  org.emulator.org.generate('Account', n, { Name: (i: number) => `A${String(i).padStart(4, '0')}` });
}

const ACCOUNTS = 'SELECT Id, Name FROM Account ORDER BY Name';
const queryRequests = () => sentTo(org.sent, 'GET', 'query');

describe('execute()', () => {
  it('returns the first page by default: records, totalSize, done and nextRecordsUrl', async () => {
    seedAccounts();
    const result = await query(org.client, ACCOUNTS).execute();
    expect(result.records).toHaveLength(2000);
    expect(result.totalSize).toBe(4500);
    expect(result.done).toBe(false);
    expect(result.nextRecordsUrl).toMatch(/^\/services\/data\/v62\.0\/query\/01g[A-Za-z0-9]+-2000$/);
    expect(queryRequests()).toHaveLength(1);
    const first = result.records[0] as { Name: string };
    expect(first.Name).toBe('A0000');
    expect(isTracked(first)).toBe(true);
    expect(sobjectTypeOf(first)).toBe('Account');
  });

  it('with autoFetch follows nextRecordsUrl to the end, one request per page', async () => {
    seedAccounts();
    const result = await query(org.client, ACCOUNTS).execute({ autoFetch: true });
    expect(result.records).toHaveLength(4500);
    expect(result.done).toBe(true);
    expect(result.nextRecordsUrl).toBeUndefined();
    expect(result.records.map((r) => (r as { Name: string }).Name)).toEqual(
      Array.from({ length: 4500 }, (_, i) => `A${String(i).padStart(4, '0')}`),
    );
    expect(queryRequests()).toHaveLength(3);
  });

  it('stops at maxFetch without requesting pages it will not use', async () => {
    seedAccounts();
    const result = await query(org.client, ACCOUNTS).execute({ autoFetch: true, maxFetch: 2500 });
    expect(result.records).toHaveLength(2500);
    expect(result.done).toBe(false);
    expect(result.nextRecordsUrl).toMatch(/-4000$/);
    expect(queryRequests()).toHaveLength(2);
    const exact = await query(org.client, ACCOUNTS).execute({ autoFetch: true, maxFetch: 4000 });
    expect(exact.records).toHaveLength(4000);
    expect(exact.done).toBe(false);
    const uncapped = await query(org.client, ACCOUNTS).execute({
      autoFetch: true,
      maxFetch: Number.POSITIVE_INFINITY,
    });
    expect(uncapped.records).toHaveLength(4500);
    expect(uncapped.done).toBe(true);
  });

  it('sends Sforce-Query-Options: batchSize on every page', async () => {
    seedAccounts(1100);
    const result = await query(org.client, ACCOUNTS, { batchSize: 500 }).execute({ autoFetch: true });
    expect(result.records).toHaveLength(1100);
    const pages = queryRequests();
    expect(pages).toHaveLength(3);
    expect(pages.map((page) => page.headers['sforce-query-options'])).toEqual(Array(3).fill('batchSize=500'));
  });

  it('returns plain objects with tracked: false', async () => {
    seedAccounts(3);
    const result = await query(org.client, ACCOUNTS, { tracked: false }).execute();
    expect(result.records.some(isTracked)).toBe(false);
    expect(result.records[0]).toHaveProperty('attributes');
  });

  it('refuses bad options, naming them', async () => {
    expect(() => query(org.client, ACCOUNTS, { batchSize: 100 })).toThrow(
      /batchSize: must be from 200 to 2000/,
    );
    const error = await rejectionOf(query(org.client, ACCOUNTS).execute({ maxFetch: 0 }));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.message).toContain('maxFetch');
    expect(() => query(org.client, '  ')).toThrow(/soql: must be a non-empty SOQL string/);
    expect(org.sent).toHaveLength(0);
  });

  it('throws Salesforce errors as typed errors', async () => {
    const error = await rejectionOf(query(org.client, 'SELECT Nope__c FROM Account').execute());
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).errorCode).toBe('INVALID_FIELD');
  });
});

describe('first() and count()', () => {
  it('first() reads one small page and returns the first record', async () => {
    seedAccounts(450);
    const first = await query(org.client, ACCOUNTS).first();
    expect((first as { Name: string }).Name).toBe('A0000');
    expect(queryRequests()).toHaveLength(1);
    expect(queryRequests()[0]?.headers['sforce-query-options']).toBe('batchSize=200');
    await expect(
      query(org.client, "SELECT Id FROM Account WHERE Name = 'none'").first(),
    ).resolves.toBeUndefined();
  });

  it('count() is the query totalSize', async () => {
    seedAccounts(450);
    await expect(query(org.client, 'SELECT Id FROM Account').count()).resolves.toBe(450);
    await expect(query(org.client, 'SELECT COUNT() FROM Account').count()).resolves.toBe(450);
  });
});

describe('queryAll, queryMore and explain', () => {
  it('queryAll returns deleted records too', async () => {
    seedAccounts(3);
    const [victim] = org.emulator.org.records('Account');
    await org.client.request({ method: 'DELETE', path: `sobjects/Account/${victim?.Id}` });
    const live = await query(org.client, 'SELECT Id FROM Account').execute();
    const all = await queryAll(org.client, 'SELECT Id, IsDeleted FROM Account').execute();
    expect(live.totalSize).toBe(2);
    expect(all.totalSize).toBe(3);
    expect(all.records.filter((r) => (r as { IsDeleted: boolean }).IsDeleted).map(recordIdOf)).toEqual([
      victim?.Id,
    ]);
    expect(sentTo(org.sent, 'GET', 'queryAll')).toHaveLength(1);
  });

  it('queryMore fetches the page at a nextRecordsUrl or a bare locator', async () => {
    seedAccounts();
    const first = await query(org.client, ACCOUNTS).execute();
    const second = await queryMore(org.client, first.nextRecordsUrl as string);
    expect((second.records[0] as { Name: string }).Name).toBe('A2000');
    expect(second.nextRecordsUrl).toMatch(/-4000$/);
    const locator = (second.nextRecordsUrl as string).split('/').pop() as string;
    const rest = await queryMore(org.client, locator, { autoFetch: true });
    expect(rest.records).toHaveLength(500);
    expect(rest.done).toBe(true);
    expect(() => queryMore(org.client, '../../sobjects')).toThrow(/locator/);
  });

  it('explain() returns the query plans', async () => {
    seedAccounts(10);
    const plan = await query(org.client, "SELECT Id FROM Account WHERE Name = 'A0001'").explain();
    expect(plan.plans[0]).toMatchObject({ sobjectType: 'Account', leadingOperationType: expect.any(String) });
    expect(sentTo(org.sent, 'GET', 'query?explain=')).toHaveLength(1);
  });
});

describe('child subqueries', () => {
  it('fetches the rest of a child result whose done is false, so each record has all its children', async () => {
    const [acme, small] = org.emulator.org.insert('Account', [{ Name: 'Acme' }, { Name: 'Small' }]);
    org.emulator.org.insert(
      'Contact',
      Array.from({ length: 450 }, (_, i) => ({
        LastName: `C${String(i).padStart(3, '0')}`,
        AccountId: acme?.Id,
      })),
    );
    org.emulator.org.insert('Contact', [{ LastName: 'Only', AccountId: small?.Id }]);
    const result = await query(
      org.client,
      'SELECT Id, Name, (SELECT Id, LastName FROM Contacts ORDER BY LastName) FROM Account ORDER BY Name',
    ).execute();
    const [first, second] = result.records as {
      Name: string;
      Contacts: {
        done: boolean;
        totalSize: number;
        records: { LastName: string }[];
        nextRecordsUrl?: string;
      };
    }[];
    expect(first?.Contacts.done).toBe(true);
    expect(first?.Contacts.nextRecordsUrl).toBeUndefined();
    expect(first?.Contacts.totalSize).toBe(450);
    expect(first?.Contacts.records.map((c) => c.LastName)).toEqual(
      Array.from({ length: 450 }, (_, i) => `C${String(i).padStart(3, '0')}`),
    );
    expect(isTracked(first?.Contacts.records[449])).toBe(true);
    expect(second?.Contacts.records.map((c) => c.LastName)).toEqual(['Only']);
    // The first page, then the two further child pages (200 + 50).
    expect(queryRequests()).toHaveLength(3);
  });
});
