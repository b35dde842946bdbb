import { NetworkError, ServerError } from '@forcekit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { PartialSaveError, type SaveResult, SObject } from '../src/index.js';
import { rejectionOf, sentTo, useOrg } from './support.js';

const org = useOrg();
beforeAll(() => {
  org.emulator.org.defineField('Contact', { name: 'Ext__c', type: 'string', externalId: true, unique: true });
});

const contacts = () => new SObject(org.client, 'Contact');
const failingRows = new Set([5, 250, 449]);

/** 450 contacts; rows 5, 250 and 449 have no LastName (REQUIRED_FIELD_MISSING). */
function contactRows(): Record<string, unknown>[] {
  return Array.from({ length: 450 }, (_, i) =>
    failingRows.has(i) ? { FirstName: `Row ${i}` } : { FirstName: `Row ${i}`, LastName: `Last ${i}` },
  );
}

function expectRowByRow(results: readonly SaveResult[]): void {
  expect(results).toHaveLength(450);
  results.forEach((result, i) => {
    if (failingRows.has(i)) {
      expect(result.success, `row ${i}`).toBe(false);
      expect(result.errors[0]).toMatchObject({ statusCode: 'REQUIRED_FIELD_MISSING', fields: ['LastName'] });
    } else {
      expect(result.success, `row ${i}`).toBe(true);
      expect(result.id).toMatch(/^003/);
    }
  });
}

describe('arrays go through sObject Collections', () => {
  it('creates 450 records in requests of 200, in input order, reporting each failure on its row', async () => {
    const results = await contacts().create(contactRows());
    expectRowByRow(results);
    const posts = sentTo(org.sent, 'POST', 'composite/sobjects');
    expect(posts).toHaveLength(3);
    const stored = org.emulator.org.records('Contact');
    expect(stored).toHaveLength(447);
    // Results line up with the input: each id names the record created from that row.
    const byId = new Map(stored.map((record) => [record.Id, record.FirstName]));
    results.forEach((result, i) => {
      if (result.success) expect(byId.get(result.id as string)).toBe(`Row ${i}`);
    });
  });

  it('sends requests concurrently, never more than `concurrency` at once', async () => {
    org.emulator.org.faults.latency(40, { path: '/services/data/*/composite/sobjects' });
    const rows = Array.from({ length: 1000 }, (_, i) => ({ LastName: `L${i}` }));
    await contacts().create(rows, { concurrency: 2 });
    expect(sentTo(org.sent, 'POST', 'composite/sobjects')).toHaveLength(5);
    expect(org.recorder.peak).toBe(2);
    org.recorder.resetPeak();
    await contacts().create(rows.slice(0, 800));
    expect(org.recorder.peak).toBe(4);
  });

  it('updates and deletes many records, one result per record', async () => {
    const created = await contacts().create(Array.from({ length: 210 }, (_, i) => ({ LastName: `L${i}` })));
    const ids = created.map((result) => result.id as string);
    const updates = ids.map((Id, i) => ({ Id, LastName: i === 7 ? '' : `Updated ${i}` }));
    const updated = await contacts().update(updates);
    expect(updated).toHaveLength(210);
    expect(updated[7]).toMatchObject({ id: ids[7], success: false });
    expect(updated.filter((result) => result.success)).toHaveLength(209);
    expect(sentTo(org.sent, 'PATCH', 'composite/sobjects')).toHaveLength(2);

    const deleted = await contacts().destroy([...ids.slice(0, 3), { Id: ids[3] }]);
    expect(deleted.map((result) => [result.id, result.success])).toEqual(
      ids.slice(0, 4).map((id) => [id, true]),
    );
    const again = await contacts().destroy(ids.slice(0, 2));
    expect(
      again.every((result) => !result.success && result.errors[0]?.statusCode === 'ENTITY_IS_DELETED'),
    ).toBe(true);
  });

  it('upserts many records by external id, reporting created per record', async () => {
    await contacts().create({ LastName: 'Existing', Ext__c: 'E-1' });
    const results = await contacts().upsert(
      [{ Ext__c: 'E-1', LastName: 'Updated' }, { Ext__c: 'E-2', LastName: 'New' }, { Ext__c: 'E-3' }],
      'Ext__c',
    );
    expect(results.map((result) => [result.success, result.created])).toEqual([
      [true, false],
      [true, true],
      [false, false],
    ]);
    expect(sentTo(org.sent, 'PATCH', 'composite/sobjects/Contact/Ext__c')).toHaveLength(1);
  });

  it('retrieves many ids with nulls for the missing ones, by GET and, for long lists, by POST', async () => {
    const created = await contacts().create(Array.from({ length: 300 }, (_, i) => ({ LastName: `L${i}` })));
    const ids = created.map((result) => result.id as string);
    await contacts().destroy(ids[1] as string);
    const few = await contacts().retrieve(ids.slice(0, 3), { fields: ['Id', 'LastName'] });
    expect(few.map((record) => record?.LastName ?? null)).toEqual(['L0', null, 'L2']);
    expect(sentTo(org.sent, 'GET', 'composite/sobjects/Contact')).toHaveLength(1);
    const all = await contacts().retrieve(ids, { fields: ['Id', 'LastName'] });
    expect(all).toHaveLength(300);
    expect(all[299]?.LastName).toBe('L299');
    expect(sentTo(org.sent, 'POST', 'composite/sobjects/Contact')).toHaveLength(1);
  });

  it('retrieves every field of many records when no fields are given (field list from describe)', async () => {
    const created = await contacts().create([{ LastName: 'A', Email: 'a@example.com' }, { LastName: 'B' }]);
    const records = await contacts().retrieve(created.map((result) => result.id as string));
    expect(records.map((record) => record?.Email)).toEqual(['a@example.com', null]);
    expect(sentTo(org.sent, 'GET', 'sobjects/Contact/describe')).toHaveLength(1);
  });
});

describe('allOrNone', () => {
  it('rolls back one request when a record fails', async () => {
    const results = await contacts().create([{ LastName: 'ok' }, { FirstName: 'no last name' }], {
      allOrNone: true,
    });
    expect(results[0]).toMatchObject({
      success: false,
      errors: [{ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK' }],
    });
    expect(results[1]).toMatchObject({ success: false, errors: [{ statusCode: 'REQUIRED_FIELD_MISSING' }] });
    expect(org.emulator.org.records('Contact')).toHaveLength(0);
  });

  it('across requests: sends one at a time, halts after a failing one, and keeps earlier ones committed', async () => {
    const rows = Array.from({ length: 500 }, (_, i) =>
      i === 300 ? { FirstName: 'bad' } : { LastName: `L${i}` },
    );
    const results = await contacts().create(rows, { allOrNone: true, concurrency: 5 });
    expect(org.recorder.peak).toBe(1);
    expect(sentTo(org.sent, 'POST', 'composite/sobjects')).toHaveLength(2);
    expect(results.slice(0, 200).every((result) => result.success)).toBe(true);
    expect(results.slice(200, 400).every((result) => !result.success)).toBe(true);
    expect(results[300]?.errors[0]?.statusCode).toBe('REQUIRED_FIELD_MISSING');
    expect(results.slice(400).every((result) => result.errors[0]?.statusCode === 'PROCESSING_HALTED')).toBe(
      true,
    );
    expect(org.emulator.org.records('Contact')).toHaveLength(200);
  });
});

describe('transport failures throw', () => {
  it('throws the failure itself when no request completed', async () => {
    org.emulator.org.faults.error({
      method: 'POST',
      path: '/services/data/*/composite/sobjects',
      status: 500,
    });
    const error = await rejectionOf(contacts().create([{ LastName: 'A' }]));
    expect(error).toBeInstanceOf(ServerError);
  });

  it('throws PartialSaveError carrying the results of the requests that completed', async () => {
    let posts = 0;
    org.recorder.onRequest = (request) => {
      if (request.method === 'POST' && request.path.endsWith('/composite/sobjects') && ++posts === 2) {
        org.emulator.org.faults.dropConnection({ path: '/services/data/*/composite/sobjects', times: 1 });
      }
    };
    const rows = Array.from({ length: 450 }, (_, i) => ({ LastName: `L${i}` }));
    const error = await rejectionOf(contacts().create(rows, { concurrency: 1 }));
    expect(error).toBeInstanceOf(PartialSaveError);
    const partial = error as PartialSaveError;
    expect(partial.cause).toBeInstanceOf(NetworkError);
    expect(partial.code).toBe('NETWORK_ERROR');
    expect(partial.results).toHaveLength(450);
    expect(partial.results.slice(0, 200).every((result) => result?.success === true)).toBe(true);
    expect(partial.results.slice(200).every((result) => result === undefined)).toBe(true);
    expect(partial.message).toContain('after 200 of 450 records were processed');
  });
});
