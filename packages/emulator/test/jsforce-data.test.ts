import type { Connection } from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';
import { jsforceConnection } from './support/jsforce.js';

// jsforce is an independent client: if its CRUD, collections, describe, query paging and search work
// against the emulator, the data routes speak Salesforce's wire format.
let emulator: Emulator;
let conn: Connection;

beforeAll(async () => {
  emulator = await startEmulator();
  conn = jsforceConnection(emulator);
});

afterAll(() => emulator.stop());

describe('jsforce 3.10.16 data calls against the emulator', () => {
  it('creates, retrieves, updates and deletes one record', async () => {
    const created = await conn.sobject('Account').create({ Name: 'jsforce Co', Industry: 'Energy' });
    expect(created.success).toBe(true);
    const id = created.id as string;
    const read = await conn.sobject('Account').retrieve(id);
    expect(read).toMatchObject({ Id: id, Name: 'jsforce Co', Industry: 'Energy' });
    const updated = await conn.sobject('Account').update({ Id: id, Name: 'jsforce Renamed' });
    expect(updated).toMatchObject({ id, success: true });
    expect((await conn.sobject('Account').retrieve(id)).Name).toBe('jsforce Renamed');
    const deleted = await conn.sobject('Account').destroy(id);
    expect(deleted).toMatchObject({ id, success: true });
    await expect(conn.sobject('Account').retrieve(id)).rejects.toMatchObject({
      errorCode: 'ENTITY_IS_DELETED',
    });
  });

  it('reports a validation error with its Salesforce error code', async () => {
    await expect(conn.sobject('Contact').create({ FirstName: 'NoLast' })).rejects.toMatchObject({
      errorCode: 'REQUIRED_FIELD_MISSING',
    });
  });

  it('creates, updates and deletes collections (sObject Collections)', async () => {
    const created = await conn
      .sobject('Account')
      .create([{ Name: 'Coll 1' }, { Name: 'Coll 2' }, { Name: 'Coll 3' }]);
    expect(created.map((r) => r.success)).toEqual([true, true, true]);
    const ids = created.map((r) => r.id as string);
    const updated = await conn.sobject('Account').update(ids.map((Id, i) => ({ Id, Phone: `555-000${i}` })));
    expect(updated.every((r) => r.success)).toBe(true);
    const retrieved = await conn.sobject('Account').retrieve(ids, { fields: ['Phone'] });
    expect(retrieved.map((r) => r?.Phone)).toEqual(['555-0000', '555-0001', '555-0002']);
    const partial = await conn
      .sobject('Account')
      .create([{ Name: 'Ok' }, { Phone: 'no name' }], { allOrNone: false });
    expect(partial.map((r) => r.success)).toEqual([true, false]);
    const destroyed = await conn.sobject('Account').destroy(ids);
    expect(destroyed.every((r) => r.success)).toBe(true);
  });

  it('upserts by external id', async () => {
    emulator.org.defineField('Account', { name: 'Ext__c', type: 'string', length: 20, externalId: true });
    const first = await conn.sobject('Account').upsert({ Name: 'Up', Ext__c: 'J-1' }, 'Ext__c');
    expect(first).toMatchObject({ success: true, created: true });
    const second = await conn.sobject('Account').upsert({ Name: 'Up 2', Ext__c: 'J-1' }, 'Ext__c');
    expect(second).toMatchObject({ success: true, created: false });
  });

  it('describes globally and one object', async () => {
    const global = await conn.describeGlobal();
    expect(global.sobjects.map((s) => s.name)).toContain('Opportunity');
    const describe = await conn.sobject('Opportunity').describe();
    expect(describe.name).toBe('Opportunity');
    expect(describe.fields.find((f) => f.name === 'StageName')?.type).toBe('picklist');
  });

  it('queries with autoFetch across several pages and with queryMore', async () => {
    emulator.org.generate('Lead', 4200, { LeadSource: 'Web' });
    const all = await conn
      .query("SELECT Id, Name FROM Lead WHERE LeadSource = 'Web'")
      .run({ autoFetch: true, maxFetch: 10_000 });
    expect(all.totalSize).toBe(4200);
    expect(all.records).toHaveLength(4200);
    expect(new Set(all.records.map((r) => r.Id)).size).toBe(4200);
    const executed = await conn
      .query("SELECT Id FROM Lead WHERE LeadSource = 'Web'")
      .execute({ autoFetch: true, maxFetch: 3000 });
    expect(executed.records).toHaveLength(3000);
    const first = await conn.query("SELECT Id FROM Lead WHERE LeadSource = 'Web'");
    expect(first.done).toBe(false);
    expect(first.records).toHaveLength(2000);
    const more = await conn.queryMore(first.nextRecordsUrl as string);
    expect(more.records).toHaveLength(2000);
    expect(more.records[0]?.Id).not.toBe(first.records[0]?.Id);
  });

  it('searches with SOSL', async () => {
    await conn.sobject('Contact').create({ LastName: 'Quetzalcoatl', FirstName: 'Found' });
    const result = await conn.search('FIND {Quetzalcoatl} IN NAME FIELDS RETURNING Contact(Id, FirstName)');
    expect(result.searchRecords).toHaveLength(1);
    expect(result.searchRecords[0]).toMatchObject({ FirstName: 'Found' });
  });
});
