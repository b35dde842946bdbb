import {
  AbortError,
  BULK_UNPROCESSED,
  ConfigurationError,
  changedFields,
  createSObject,
  DEFAULT_BULK_THRESHOLD,
  hasChanged,
  type SaveResult,
  type UpsertResult,
} from 'forcekit';
import { describe, expect, test } from 'vitest';
import { EXTERNAL_KEY_FIELD } from '../../../test-support/schema.js';
import { pathsUsed, useOrg } from './org.js';

const org = useOrg({}, (emulator) => {
  emulator.org.defineField('Account', EXTERNAL_KEY_FIELD);
});

/** A result with its id reduced to whether it looks like an Account id: comparable across two saves. */
function shape(result: SaveResult | UpsertResult): unknown {
  return { ...result, id: result.id === undefined ? undefined : /^001[A-Za-z0-9]{15}$/.test(result.id) };
}

/** `n` accounts; those at `failing` have no Name, which Salesforce refuses. */
function accounts(n: number, failing: readonly number[], prefix: string): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) =>
    failing.includes(i) ? { Phone: `555-${i}` } : { Name: `${prefix} ${i}`, Phone: `555-${i}` },
  );
}

describe('createMany', () => {
  test('answers in the same shape through Collections and through Bulk API 2.0, failures row by row', async () => {
    const conn = org.connect({ bulkThreshold: 50 });
    const failing = [7, 33];
    const small = await conn.sobject('Account').createMany(accounts(40, failing, 'Small'));
    expect(pathsUsed(org.emulator)).toEqual({ bulkJobs: 0, collections: 1 });
    const large = await conn.sobject('Account').createMany(accounts(60, failing, 'Large'));
    expect(pathsUsed(org.emulator)).toEqual({ bulkJobs: 1, collections: 1 });

    expect(small).toHaveLength(40);
    expect(large).toHaveLength(60);
    // Row by row, the first 40 results of both saves are the same, errors included.
    expect(large.slice(0, 40).map(shape)).toEqual(small.map(shape));
    expect(large[7]).toEqual({
      id: undefined,
      success: false,
      errors: [
        {
          statusCode: 'REQUIRED_FIELD_MISSING',
          message: 'Required fields are missing: [Name]',
          fields: ['Name'],
        },
      ],
    });
    expect(large.filter((r) => !r.success)).toHaveLength(2);
    // Each id is the record made from that input row.
    const byId = new Map(org.emulator.org.records('Account').map((a) => [a.Id, a.Name]));
    large.forEach((result, i) => {
      if (result.success) expect(byId.get(result.id)).toBe(`Large ${i}`);
    });
  });

  test('the default threshold is 2,000: 2,000 records go through Collections, 2,001 through a bulk job', async () => {
    const conn = org.connect();
    expect(DEFAULT_BULK_THRESHOLD).toBe(2_000);
    const atThreshold = await conn.sobject('Account').createMany(accounts(2_000, [], 'A'));
    expect(pathsUsed(org.emulator)).toEqual({ bulkJobs: 0, collections: 10 });
    const above = await conn.sobject('Account').createMany(accounts(2_001, [2_000], 'B'));
    expect(pathsUsed(org.emulator)).toEqual({ bulkJobs: 1, collections: 10 });
    expect(atThreshold.every((r) => r.success)).toBe(true);
    expect(above.map((r) => r.success).lastIndexOf(false)).toBe(2_000);
    expect(org.emulator.org.records('Account')).toHaveLength(4_000);
  });

  test('rows a failed bulk job never reached come back as failures with BULK_UNPROCESSED, in place', async () => {
    const conn = org.connect({ bulkThreshold: 10 });
    org.emulator.org.bulk.failNextJob({ afterRows: 30, errorMessage: 'InternalServerError : try again' });
    const results = await conn.sobject('Account').createMany(accounts(50, [3], 'Half'));
    expect(results).toHaveLength(50);
    expect(results.slice(0, 30).filter((r) => r.success)).toHaveLength(29);
    expect(results[3]?.errors[0]?.statusCode).toBe('REQUIRED_FIELD_MISSING');
    for (const result of results.slice(30)) {
      expect(result.success).toBe(false);
      expect(result.id).toBeUndefined();
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0]?.statusCode).toBe(BULK_UNPROCESSED);
      expect(result.errors[0]?.message).toMatch(
        /^Not processed by Bulk API job 750\w+: InternalServerError : try again/,
      );
    }
    expect(org.emulator.org.records('Account')).toHaveLength(29);
  });

  test('allOrNone keeps a large save on Collections (Bulk API has no all-or-none)', async () => {
    const conn = org.connect({ bulkThreshold: 5 });
    const results = await conn.sobject('Account').createMany(accounts(20, [], 'Atomic'), { allOrNone: true });
    expect(results.every((r) => r.success)).toBe(true);
    expect(pathsUsed(org.emulator)).toEqual({ bulkJobs: 0, collections: 1 });
  });

  test('a per-call bulkThreshold overrides the connection’s; 0 always bulk, Infinity never', async () => {
    const conn = org.connect();
    await conn.sobject('Account').createMany([{ Name: 'One' }], { bulkThreshold: 0 });
    expect(pathsUsed(org.emulator)).toEqual({ bulkJobs: 1, collections: 0 });
    const big = org.connect({ bulkThreshold: 1 });
    await big
      .sobject('Account')
      .createMany(accounts(3, [], 'Never'), { bulkThreshold: Number.POSITIVE_INFINITY });
    expect(pathsUsed(org.emulator)).toEqual({ bulkJobs: 1, collections: 1 });
    expect(await conn.sobject('Account').createMany([], { bulkThreshold: 0 })).toEqual([]);
  });

  test('bad options and records are refused before anything is sent, naming the field', async () => {
    const accountsRepo = org.connect({ bulkThreshold: 1 }).sobject('Account');
    await expect(accountsRepo.createMany([{ Name: 'x' }], { bulkThreshold: -1 })).rejects.toThrow(
      /createMany options: bulkThreshold: must be a whole number/,
    );
    await expect(
      accountsRepo.createMany([{ Name: 'x' }], { bulkTreshold: 5 } as unknown as { bulkThreshold: number }),
    ).rejects.toThrow(/bulkTreshold/);
    await expect(
      accountsRepo.createMany([{ Name: 'x' }, { Name: 'y' }], { bulk: { pollInterval: -5 } }),
    ).rejects.toThrow(/pollInterval/);
    await expect(accountsRepo.updateMany([{ Name: 'no id' }, { Name: 'no id' }])).rejects.toThrow(
      /records\[0\]\.Id: must be a 15- or 18-character record Id/,
    );
    await expect(accountsRepo.upsertMany([{ Name: 'a' }, { Name: 'b' }])).rejects.toBeInstanceOf(
      ConfigurationError,
    );
    await expect(
      accountsRepo.upsertMany([{ Name: 'a', Ext__c: 'A' }, { Name: 'b' }], { externalIdField: 'Ext__c' }),
    ).rejects.toThrow(/records\[1\]\.Ext__c: must hold the external id/);
    await expect(accountsRepo.deleteMany(['001', 'x'])).rejects.toThrow(/ids\[0\]/);
    expect(org.emulator.org.requests.entries()).toEqual([]);
  });
});

describe('updateMany, upsertMany, deleteMany', () => {
  test('updateMany through bulk sends a tracked record’s changes only and answers like Collections', async () => {
    const conn = org.connect({ bulkThreshold: 3 });
    org.emulator.org.generate('Account', 5, { Industry: () => 'Retail' });
    const repo = conn.sobject('Account');
    const { records } = await repo.select(['Id', 'Name', 'Industry']).sort('Name').execute();
    const first = records[0] as (typeof records)[number];
    // Someone renames the first account after we read it: our stale Name must not overwrite theirs.
    await repo.update({ Id: first.Id, Name: 'Renamed meanwhile' });
    for (const record of records) record.Industry = 'Energy';
    const missing = { Id: '001000000000000AAA', Industry: 'Energy' };
    const viaBulk = await repo.updateMany([...records, missing]);
    expect(pathsUsed(org.emulator).bulkJobs).toBe(1);
    const viaCollections = await repo.updateMany([{ ...missing }], { bulkThreshold: 100 });

    expect(viaBulk.slice(0, 5).map((r) => [r.id, r.success])).toEqual(records.map((r) => [r.Id, true]));
    expect(viaBulk[5]).toEqual(viaCollections[0]);
    expect(viaBulk[5]).toMatchObject({ id: missing.Id, success: false });
    const stored = org.emulator.org.records('Account');
    expect(stored.find((a) => a.Id === first.Id)?.Name).toBe('Renamed meanwhile');
    expect(stored.every((a) => a.Industry === 'Energy')).toBe(true);
  });

  test('after updateMany through bulk a tracked record has no changes left; one that failed keeps them', async () => {
    const conn = org.connect({ bulkThreshold: 3 });
    org.emulator.org.generate('Account', 4, { Industry: () => 'Retail' });
    const repo = conn.sobject('Account');
    const { records } = await repo.select(['Id', 'Name', 'Industry']).sort('Name').execute();
    for (const record of records) record.Industry = 'Energy';
    // The last record is deleted meanwhile: its update fails.
    const gone = records[3] as (typeof records)[number];
    await repo.destroy(gone);

    const results = await repo.updateMany(records);
    expect(pathsUsed(org.emulator)).toEqual({ bulkJobs: 1, collections: 0 });
    expect(results.map((r) => r.success)).toEqual([true, true, true, false]);
    expect(records.slice(0, 3).map((r) => changedFields(r))).toEqual([{}, {}, {}]);
    expect(changedFields(gone)).toEqual({ Industry: 'Energy' });

    // So the next save of the three sends nothing: Collections answers without a request.
    const again = await repo.updateMany(records.slice(0, 3), { bulkThreshold: 100 });
    expect(again.every((r) => r.success)).toBe(true);
    expect(pathsUsed(org.emulator).collections).toBe(0);
  });

  test('createMany and upsertMany through bulk give tracked records their Ids and leave no changes', async () => {
    const conn = org.connect({ bulkThreshold: 1 });
    const repo = conn.sobject('Account');
    const created = ['C-1', 'C-2'].map((name) => createSObject('Account', { Name: name }));
    const upserted = ['U-1', 'U-2'].map((key) => {
      const account = createSObject('Account', { Name: `Upserted ${key}` });
      account.setExternalId('Ext__c', key);
      return account;
    });
    const createResults = await repo.createMany(created);
    const upsertResults = await repo.upsertMany(upserted);
    expect(pathsUsed(org.emulator).bulkJobs).toBe(2);
    for (const [records, results] of [
      [created, createResults],
      [upserted, upsertResults],
    ] as const) {
      expect(results.every((r) => r.success)).toBe(true);
      expect(records.map((r) => (r as { Id?: string }).Id)).toEqual(results.map((r) => r.id));
      expect(records.some((r) => hasChanged(r))).toBe(false);
    }
  });

  test('upsertMany through bulk says which rows created a record, as Collections does', async () => {
    const conn = org.connect({ bulkThreshold: 3 });
    const repo = conn.sobject('Account');
    await repo.createMany([{ Name: 'Existing', Ext__c: 'E-1' }]);
    const input = [
      { Name: 'Existing, renamed', Ext__c: 'E-1' },
      { Name: 'New 1', Ext__c: 'N-1' },
      { Ext__c: 'N-2' }, // a new record without its required Name
      { Name: 'New 3', Ext__c: 'N-3' },
    ];
    const viaBulk = await repo.upsertMany(input, { externalIdField: 'Ext__c' });
    expect(pathsUsed(org.emulator).bulkJobs).toBe(1);
    expect(viaBulk.map((r) => [r.success, r.created])).toEqual([
      [true, false],
      [true, true],
      [false, false],
      [true, true],
    ]);
    expect(viaBulk[2]?.errors[0]?.statusCode).toBe('REQUIRED_FIELD_MISSING');

    org.emulator.org.reset();
    await repo.createMany([{ Name: 'Existing', Ext__c: 'E-1' }]);
    const viaCollections = await repo.upsertMany(input, { externalIdField: 'Ext__c', bulkThreshold: 100 });
    expect(pathsUsed(org.emulator).bulkJobs).toBe(0);
    expect(viaBulk.map(shape)).toEqual(viaCollections.map(shape));
  });

  test('upsertMany through bulk matches on the field tracked records name with setExternalId', async () => {
    const conn = org.connect({ bulkThreshold: 2 });
    const records = ['T-1', 'T-2', 'T-3'].map((key) => {
      const account = createSObject('Account', { Name: `Tracked ${key}` });
      account.setExternalId('Ext__c', key);
      return account;
    });
    const results = await conn.sobject('Account').upsertMany(records);
    expect(results.map((r) => [r.success, r.created])).toEqual([
      [true, true],
      [true, true],
      [true, true],
    ]);
    const [job] = org.emulator.org.bulk.jobs();
    expect(job).toMatchObject({ operation: 'upsert', object: 'Account' });
    expect(org.emulator.org.records('Account').map((a) => a.Ext__c)).toEqual(['T-1', 'T-2', 'T-3']);
  });

  test('the signal stops a save on the bulk path and aborts its job on the server', async () => {
    const conn = org.connect({ bulkThreshold: 2 });
    org.emulator.org.bulk.pause();
    const controller = new AbortController();
    const saving = conn
      .sobject('Account')
      .createMany(accounts(5, [], 'Aborted'), { signal: controller.signal });
    while (org.emulator.org.bulk.jobs()[0]?.state !== 'UploadComplete') {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    controller.abort();
    await expect(saving).rejects.toBeInstanceOf(AbortError);
    expect(org.emulator.org.bulk.jobs()[0]?.state).toBe('Aborted');
    expect(org.emulator.org.records('Account')).toEqual([]);
  });

  test('deleteMany through bulk takes ids and records; a missing record fails with its id', async () => {
    const conn = org.connect({ bulkThreshold: 2 });
    const rows = org.emulator.org.insert('Account', [{ Name: 'D1' }, { Name: 'D2' }, { Name: 'D3' }]);
    const [d1, d2, d3] = rows.map((row) => row.Id as string);
    const gone = '001000000000000AAA';
    const results = await conn.sobject('Account').deleteMany([d1 as string, { Id: d2 }, d3 as string, gone]);
    expect(pathsUsed(org.emulator).bulkJobs).toBe(1);
    expect(results.map((r) => [r.id, r.success])).toEqual([
      [d1, true],
      [d2, true],
      [d3, true],
      [gone, false],
    ]);
    const again = await conn.sobject('Account').deleteMany([gone], { bulkThreshold: 100 });
    expect(results[3]).toEqual(again[0]);
    expect(org.emulator.org.records('Account')).toEqual([]);
  });

  test('a view’s createMany goes through a bulk job signed with the view’s session', async () => {
    const conn = org.multiUser();
    const user = org.emulator.org.createUser({ username: 'many.user@emulator.forcekit.dev' });
    const session = await conn.login(user.username, user.password + user.securityToken);
    const results = await conn
      .as(session)
      .sobject('Account')
      .createMany(accounts(4, [], 'Mine'), {
        bulkThreshold: 2,
      });
    expect(results.every((r) => r.success)).toBe(true);
    expect(pathsUsed(org.emulator).bulkJobs).toBe(1);
    expect(new Set(org.emulator.org.records('Account').map((a) => a.OwnerId))).toEqual(
      new Set([user.userId]),
    );
  });
});
