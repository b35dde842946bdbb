import { describe, expect, it } from 'vitest';
import { DmlException } from '../src/data/errors.js';
import type { ChangeEvent } from '../src/data/events.js';
import { DataStore } from '../src/data/store.js';
import {
  formatDateTime,
  formatMinute,
  normalizeDate,
  normalizeDateTime,
  normalizeTime,
} from '../src/data/values.js';
import { IdFactory } from '../src/ids.js';
import { Org } from '../src/org.js';

function store(now = () => Date.UTC(2024, 0, 31, 12, 0, 0)): DataStore {
  return new DataStore({ ids: new IdFactory(), userId: '005EM0000000001AAA', apiVersion: '62.0', now });
}

function errorsOf(work: () => unknown): { statusCode: string; message: string; fields: readonly string[] }[] {
  try {
    work();
  } catch (error) {
    if (error instanceof DmlException) return [...error.errors];
    throw error;
  }
  throw new Error('expected a DmlException');
}

describe('wire values', () => {
  it('writes datetimes with milliseconds and +0000, and normalizes the ISO forms Salesforce accepts', () => {
    expect(formatDateTime(Date.UTC(2011, 6, 7, 0, 37))).toBe('2011-07-07T00:37:00.000+0000');
    expect(normalizeDateTime('2024-01-31T10:00:00Z')).toBe('2024-01-31T10:00:00.000+0000');
    expect(normalizeDateTime('2024-01-31T10:00:00.5+02:00')).toBe('2024-01-31T08:00:00.500+0000');
    expect(normalizeDateTime('2024-01-31T10:00:00-0130')).toBe('2024-01-31T11:30:00.000+0000');
    expect(normalizeDateTime('2024-01-31')).toBe('2024-01-31T00:00:00.000+0000');
    expect(normalizeDateTime('2024-13-01T00:00:00Z')).toBeUndefined();
    expect(normalizeDate('2024-02-29')).toBe('2024-02-29');
    expect(normalizeDate('2023-02-29')).toBeUndefined();
    expect(normalizeDate('2024-01-31T23:00:00Z')).toBe('2024-01-31');
    expect(normalizeTime('13:05')).toBe('13:05:00.000Z');
    expect(normalizeTime('25:00')).toBeUndefined();
    for (const ms of [
      0,
      Date.UTC(2024, 1, 29, 23, 59),
      Date.UTC(1999, 11, 31, 0, 1),
      Date.UTC(2031, 5, 1, 12, 30),
    ]) {
      expect(formatMinute(ms)).toBe(formatDateTime(ms));
    }
  });
});

describe('transactions', () => {
  it('undoes every write of a failed transaction, including cascades and blobs', () => {
    const data = store();
    const accountId = data.transaction((dml) => dml.create('Account', { Name: 'Keep' }));
    data.transaction((dml) => dml.create('Contact', { LastName: 'Child', AccountId: accountId }));
    const before = JSON.stringify([data.records('Account'), data.records('Contact')]);
    expect(() =>
      data.transaction((dml) => {
        dml.update(accountId, { Name: 'Changed' });
        dml.create('Attachment', {
          ParentId: accountId,
          Name: 'a',
          Body: Buffer.from('x').toString('base64'),
        });
        dml.delete(accountId);
        throw new Error('abort');
      }),
    ).toThrow('abort');
    expect(JSON.stringify([data.records('Account'), data.records('Contact')])).toBe(before);
    expect(data.records('Attachment')).toHaveLength(0);
    expect(data.table('Account').deletedAt.size).toBe(0);
  });

  it('a savepoint undoes only its own part', () => {
    const data = store();
    data.transaction((dml) => {
      dml.create('Account', { Name: 'kept' });
      expect(() =>
        dml.savepoint(() => {
          dml.create('Account', { Name: 'undone' });
          dml.create('Account', {});
        }),
      ).toThrow(DmlException);
    });
    expect(data.records('Account').map((a) => a.Name)).toEqual(['kept']);
  });

  it('rejects asynchronous work and nested transactions', () => {
    const data = store();
    expect(() => data.transaction(async () => 1)).toThrow(/synchronous/);
    expect(() => data.transaction(() => data.transaction(() => 1))).toThrow(/already open/);
  });
});

describe('hard delete', () => {
  function withChild(data: DataStore): { accountId: string; oppId: string } {
    const accountId = data.transaction((dml) => dml.create('Account', { Name: 'P' }));
    const oppId = data.transaction((dml) =>
      dml.create('Opportunity', {
        Name: 'O',
        StageName: 'Prospecting',
        CloseDate: '2024-03-01',
        AccountId: accountId,
      }),
    );
    return { accountId, oppId };
  }

  it('purges a record and the children a delete cascades to: gone from queryAll, no undelete, still in /deleted', () => {
    const data = store();
    const { accountId, oppId } = withChild(data);
    const [kept] = data.records('Account');
    const keptId = data.transaction((dml) => dml.create('Account', { Name: 'Kept' }));
    const events: ChangeEvent[] = [];
    data.onChange((e) => events.push(e));
    data.transaction((dml) => dml.hardDelete(accountId));

    expect(kept?.Id).toBe(accountId);
    expect(data.records('Account').map((a) => a.Id)).toEqual([keptId]);
    expect(data.records('Opportunity')).toHaveLength(0);
    expect(data.byId(accountId)).toBeUndefined();
    expect(data.byId(oppId)).toBeUndefined();
    expect(data.table('Account').deletedAt.has(accountId)).toBe(true);
    expect(events.map((e) => `${e.type}:${e.object}:${e.record.IsDeleted}`)).toEqual([
      'deleted:Account:true',
      'deleted:Opportunity:true',
    ]);
    expect(errorsOf(() => data.transaction((dml) => dml.undelete(accountId)))[0]?.statusCode).toBe(
      'NOT_FOUND',
    );
    expect(errorsOf(() => data.transaction((dml) => dml.hardDelete(accountId)))[0]?.statusCode).toBe(
      'NOT_FOUND',
    );
    // Lookups still find the rows that moved up.
    expect(data.byId(keptId)?.Name).toBe('Kept');
    data.transaction((dml) => dml.update(keptId, { Name: 'Still here' }));
    expect(data.byId(keptId)?.Name).toBe('Still here');
  });

  it('refuses a record already in the recycle bin, as delete does', () => {
    const data = store();
    const { accountId } = withChild(data);
    data.transaction((dml) => dml.delete(accountId));
    expect(errorsOf(() => data.transaction((dml) => dml.hardDelete(accountId)))[0]?.statusCode).toBe(
      'ENTITY_IS_DELETED',
    );
  });

  it('is undone with the rest of a failed transaction, and frees an external id only once committed', () => {
    const data = store();
    data.defineField('Account', {
      name: 'Key__c',
      label: 'Key',
      type: 'string',
      externalId: true,
      unique: true,
    });
    const { accountId, oppId } = withChild(data);
    const keyed = data.transaction((dml) => dml.create('Account', { Name: 'K', Key__c: 'K1' }));
    const before = JSON.stringify([data.records('Account'), data.records('Opportunity')]);
    expect(() =>
      data.transaction((dml) => {
        dml.hardDelete(accountId);
        dml.hardDelete(keyed);
        expect(dml.upsert('Account', 'Key__c', 'K1', { Name: 'New K' }).created).toBe(true);
        throw new Error('abort');
      }),
    ).toThrow('abort');
    expect(JSON.stringify([data.records('Account'), data.records('Opportunity')])).toBe(before);
    expect(data.byId(oppId)?.AccountId).toBe(accountId);
    expect(data.table('Account').deletedAt.size).toBe(0);
    expect(
      data.transaction((dml) => dml.upsert('Account', 'Key__c', 'K1', { Name: 'K again' })).created,
    ).toBe(false);
  });
});

describe('change events', () => {
  it('emits created, updated (with changed fields), deleted and undeleted after commit, in order', () => {
    const data = store();
    const events: ChangeEvent[] = [];
    data.onChange((e) => events.push(e));
    const id = data.transaction((dml) => dml.create('Account', { Name: 'A' }));
    data.transaction((dml) => dml.update(id, { Phone: '123', Name: 'A' }));
    data.transaction((dml) => dml.delete(id));
    data.transaction((dml) => dml.undelete(id));
    expect(events.map((e) => e.type)).toEqual(['created', 'updated', 'deleted', 'undeleted']);
    expect(events[0]).toMatchObject({
      object: 'Account',
      id,
      record: { Name: 'A' },
      previous: undefined,
      sequenceNumber: 1,
    });
    expect(events[1]?.changedFields).toContain('Phone');
    expect(events[1]?.changedFields).not.toContain('Name');
    expect(events[1]?.previous?.Phone).toBeNull();
    expect(events[2]?.record.IsDeleted).toBe(true);
    expect(events[3]?.record.IsDeleted).toBe(false);
    expect(events[0]?.transactionKey).not.toBe(events[1]?.transactionKey);
  });

  it('says nothing about rolled-back work; one transaction shares a key', () => {
    const data = store();
    const events: ChangeEvent[] = [];
    const stop = data.onChange((e) => events.push(e));
    expect(() =>
      data.transaction((dml) => {
        dml.create('Account', { Name: 'ghost' });
        throw new Error('no');
      }),
    ).toThrow('no');
    expect(events).toHaveLength(0);
    data.transaction((dml) => {
      dml.create('Account', { Name: 'one' });
      dml.create('Account', { Name: 'two' });
    });
    expect(events.map((e) => e.sequenceNumber)).toEqual([1, 2]);
    expect(events[0]?.transactionKey).toBe(events[1]?.transactionKey);
    stop();
    data.transaction((dml) => dml.create('Account', { Name: 'unheard' }));
    expect(events).toHaveLength(2);
  });

  it('cascade deletes announce the children and undelete restores them', () => {
    const data = store();
    const events: ChangeEvent[] = [];
    const accountId = data.transaction((dml) => dml.create('Account', { Name: 'P' }));
    const oppId = data.transaction((dml) =>
      dml.create('Opportunity', {
        Name: 'O',
        StageName: 'Prospecting',
        CloseDate: '2024-03-01',
        AccountId: accountId,
      }),
    );
    data.onChange((e) => events.push(e));
    data.transaction((dml) => dml.delete(accountId));
    expect(events.map((e) => `${e.type}:${e.object}`)).toEqual(['deleted:Account', 'deleted:Opportunity']);
    data.transaction((dml) => dml.undelete(accountId));
    expect(data.byId(oppId)?.IsDeleted).toBe(false);
  });
});

describe('validation and behaviours', () => {
  it('lower-cased names resolve to canonical fields; values are converted to wire form', () => {
    const data = store();
    const id = data.transaction((dml) =>
      dml.create('opportunity', {
        name: 'Deal',
        stagename: 'Closed Won',
        closedate: '2024-05-17T08:00:00Z',
        amount: '1000.456',
      }),
    );
    expect(data.byId(id)).toMatchObject({
      Name: 'Deal',
      StageName: 'Closed Won',
      CloseDate: '2024-05-17',
      Amount: 1000.46,
      Probability: 100,
      IsClosed: true,
      IsWon: true,
      ExpectedRevenue: 1000.46,
      ForecastCategoryName: 'Closed',
      FiscalYear: 2024,
      FiscalQuarter: 2,
    });
  });

  it('builds person names, auto-numbers cases and defaults picklists', () => {
    const data = store();
    const contactId = data.transaction((dml) =>
      dml.create('Contact', { FirstName: 'Ada', LastName: 'Lovelace' }),
    );
    expect(data.byId(contactId)?.Name).toBe('Ada Lovelace');
    const [a, b] = data.transaction((dml) => [
      dml.create('Case', {}),
      dml.create('Case', { Status: 'Closed' }),
    ]);
    expect(data.byId(a as string)).toMatchObject({
      CaseNumber: '00001001',
      Status: 'New',
      Priority: 'Medium',
      IsClosed: false,
    });
    expect(data.byId(b as string)).toMatchObject({
      CaseNumber: '00001002',
      IsClosed: true,
      ClosedDate: expect.any(String),
    });
    const leadId = data.transaction((dml) => dml.create('Lead', { LastName: 'L', Company: 'C' }));
    expect(data.byId(leadId)?.Status).toBe('Open - Not Contacted');
  });

  it('computes Event end times and Task closed flags, and requires a start', () => {
    const data = store();
    const eventId = data.transaction((dml) =>
      dml.create('Event', {
        StartDateTime: '2024-01-31T10:00:00Z',
        DurationInMinutes: 90,
        Subject: 'Meeting',
      }),
    );
    expect(data.byId(eventId)).toMatchObject({
      EndDateTime: '2024-01-31T11:30:00.000+0000',
      ActivityDate: '2024-01-31',
      ActivityDateTime: '2024-01-31T10:00:00.000+0000',
    });
    expect(
      errorsOf(() => data.transaction((dml) => dml.create('Event', { DurationInMinutes: 5 })))[0]?.statusCode,
    ).toBe('REQUIRED_FIELD_MISSING');
    const taskId = data.transaction((dml) =>
      dml.create('Task', { Subject: 'Call', Status: 'Completed', Priority: 'High' }),
    );
    expect(data.byId(taskId)).toMatchObject({ IsClosed: true, IsHighPriority: true, TaskSubtype: 'Task' });
  });

  it('reports several value errors at once', () => {
    const data = store();
    const errors = errorsOf(() =>
      data.transaction((dml) =>
        dml.create('Account', { Name: 'x', NumberOfEmployees: 'x', Website: 'w'.repeat(300) }),
      ),
    );
    expect(errors.map((e) => e.statusCode)).toEqual(['INVALID_TYPE_ON_FIELD_IN_RECORD', 'STRING_TOO_LONG']);
  });

  it('a custom field added later is present (default or null) on existing records', () => {
    const data = store();
    const id = data.transaction((dml) => dml.create('Account', { Name: 'old' }));
    data.defineField('Account', { name: 'Flag__c', type: 'boolean', defaultValue: true });
    data.defineField('Account', { name: 'Note__c', type: 'string' });
    expect(data.byId(id)).toMatchObject({ Flag__c: true, Note__c: null });
  });

  it('a master-detail child is required and deleted with its master', () => {
    const data = store();
    data.defineObject({ name: 'Master__c' });
    data.defineObject({
      name: 'Detail__c',
      fields: [{ name: 'Master__c', type: 'reference', referenceTo: 'Master__c', masterDetail: true }],
    });
    expect(data.object('Detail__c')?.fields.some((f) => f.name === 'OwnerId')).toBe(false);
    expect(errorsOf(() => data.transaction((dml) => dml.create('Detail__c', {})))[0]).toMatchObject({
      statusCode: 'REQUIRED_FIELD_MISSING',
      fields: ['Master__c'],
    });
    const master = data.transaction((dml) => dml.create('Master__c', { Name: 'm' }));
    const detail = data.transaction((dml) => dml.create('Detail__c', { Master__c: master }));
    data.transaction((dml) => dml.delete(master));
    expect(data.byId(detail)?.IsDeleted).toBe(true);
  });
});

describe('seed data', () => {
  it('insert validates like the API, is all-or-none, and may set audit fields', () => {
    const org = new Org();
    const [a] = org.insert('Account', [{ Name: 'Seed', CreatedDate: '2020-01-01T00:00:00Z' }]);
    expect(a).toMatchObject({
      Name: 'Seed',
      CreatedDate: '2020-01-01T00:00:00.000+0000',
      Id: expect.stringMatching(/^001/),
    });
    expect(() => org.insert('Account', [{ Name: 'ok' }, { Nam: 'typo' }])).toThrow(
      "insert(Account): record 1: INVALID_FIELD: No such column 'Nam' on sobject of type Account",
    );
    expect(org.records('Account')).toHaveLength(1);
  });

  it('generate makes realistic, valid, reproducible records and honours overrides', () => {
    const one = new Org({ dataSeed: 7 });
    const two = new Org({ dataSeed: 7 });
    const overrides = { Industry: 'Energy', NumberOfEmployees: (i: number) => i + 1 };
    const accounts = one.generate('Account', 50, overrides);
    expect(two.generate('Account', 50, overrides).map((a) => a.Name)).toEqual(accounts.map((a) => a.Name));
    expect(accounts[3]).toMatchObject({
      Industry: 'Energy',
      NumberOfEmployees: 4,
      Name: expect.stringMatching(/^\w+ \w+/),
      BillingCity: expect.any(String),
      BillingAddress: expect.objectContaining({ city: expect.any(String) }),
      Phone: expect.stringMatching(/^\(\d{3}\) 555-\d{4}$/),
      OwnerId: one.admin.id,
    });
    const created = accounts.map((a) => a.CreatedDate as string);
    expect([...created].sort()).toEqual(created);
    const contacts = one.generate('Contact', 20);
    expect(contacts.every((c) => accounts.some((a) => a.Id === c.AccountId))).toBe(true);
    expect(contacts[0]?.Email).toMatch(/@example\.com$/);
    expect(() => one.generate('Account', 1, { Industry: 'Nope', Bogus: 1 })).toThrow(/no field Bogus/);
    expect(() => one.generate('Account', 1, { NumberOfEmployees: 'many' })).toThrow(DmlException);
    expect(() => one.generate('User', 1)).toThrow(/org\.createUser/);
    expect(() => one.generate('Profile', 1)).toThrow(/cannot be created/);
  });

  it('generate fills custom objects, including required references to existing parents', () => {
    const org = new Org();
    org.defineObject({
      name: 'Line__c',
      fields: [
        { name: 'Account__c', type: 'reference', referenceTo: 'Account', masterDetail: true },
        { name: 'Qty__c', type: 'double', precision: 5, scale: 0, required: true },
      ],
    });
    expect(() => org.generate('Line__c', 1)).toThrow(/Account__c/);
    org.generate('Account', 3);
    const lines = org.generate('Line__c', 10);
    expect(lines.every((l) => typeof l.Account__c === 'string' && typeof l.Qty__c === 'number')).toBe(true);
    expect(lines[0]?.Name).toEqual(expect.any(String));
  });

  it('the User records follow the org users; reset keeps users and schema but drops records', () => {
    const org = new Org();
    const user = org.createUser({ username: 'second@example.com', lastName: 'Second' });
    expect(org.records('User').map((u) => u.Username)).toContain('second@example.com');
    expect(org.data.byId(user.userId)).toMatchObject({ LastName: 'Second', IsActive: true });
    org.defineObject({ name: 'Kept__c' });
    org.insert('Kept__c', [{ Name: 'x' }]);
    org.reset();
    expect(org.records('Kept__c')).toHaveLength(0);
    expect(org.records('User').length).toBeGreaterThanOrEqual(2);
  });
});
