import { BadRequestError, ConfigurationError, NotFoundError } from '@forcekit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { changedFields, createSObject, hasChanged, isTracked, SObject } from '../src/index.js';
import { rejectionOf, sentTo, useOrg } from './support.js';

const org = useOrg();
beforeAll(() => {
  org.emulator.org.defineField('Account', { name: 'Ext__c', type: 'string', externalId: true, unique: true });
});

interface Account {
  Id: string;
  Name: string;
  Industry: string | null;
  AnnualRevenue: number | null;
  Phone: string | null;
}

function accounts(): SObject<Account> {
  return new SObject<Account>(org.client, 'Account');
}

describe('single records', () => {
  it('creates a record with POST sobjects/Account and returns its id', async () => {
    const result = await accounts().create({ Name: 'Acme', Industry: 'Energy' });
    expect(result).toEqual({ id: expect.stringMatching(/^001[A-Za-z0-9]{15}$/), success: true, errors: [] });
    expect(sentTo(org.sent, 'POST', 'sobjects/Account')).toHaveLength(1);
    const stored = org.emulator.org.records('Account').find((record) => record.Id === result.id);
    expect(stored?.Name).toBe('Acme');
    expect(stored?.Industry).toBe('Energy');
  });

  it('retrieves a record as a tracked record that knows its type and id', async () => {
    const { id } = await accounts().create({ Name: 'Acme' });
    const record = await accounts().retrieve(id as string, { fields: ['Id', 'Name', 'Industry'] });
    expect(isTracked(record)).toBe(true);
    expect(record.Name).toBe('Acme');
    expect(Object.keys(record)).toEqual(['attributes', 'Id', 'Name', 'Industry']);
    expect(JSON.parse(JSON.stringify(record))).toEqual({ Id: id, Name: 'Acme', Industry: null });
  });

  it('updates only the fields assigned since the record was retrieved', async () => {
    const { id } = await accounts().create({ Name: 'Acme', Industry: 'Energy', Phone: '555' });
    const record = await accounts().retrieve(id as string);
    record.Name = 'Acme Corp';
    expect(changedFields(record)).toEqual({ Name: 'Acme Corp' });
    org.sent.length = 0;
    const result = await accounts().update(record);
    expect(result).toEqual({ id, success: true, errors: [] });
    const patch = sentTo(org.sent, 'PATCH', `sobjects/Account/${id}`);
    expect(patch).toHaveLength(1);
    expect(hasChanged(record)).toBe(false);
    const stored = org.emulator.org.records('Account').find((r) => r.Id === id);
    expect(stored).toMatchObject({ Name: 'Acme Corp', Industry: 'Energy', Phone: '555' });
  });

  it('sends no request to update a tracked record with no changes, and succeeds', async () => {
    const { id } = await accounts().create({ Name: 'Acme' });
    const record = await accounts().retrieve(id as string);
    org.sent.length = 0;
    await expect(accounts().update(record)).resolves.toEqual({ id, success: true, errors: [] });
    expect(org.sent).toHaveLength(0);
  });

  it('updates a plain object with every field it carries', async () => {
    const { id } = await accounts().create({ Name: 'Acme', Industry: 'Energy' });
    await accounts().update({ Id: id as string, Name: 'Plain', Industry: null });
    const stored = org.emulator.org.records('Account').find((r) => r.Id === id);
    expect(stored).toMatchObject({ Name: 'Plain', Industry: null });
  });

  it('gives a created tracked record its new Id and forgets its changes', async () => {
    const account = createSObject<Account>('Account', { Name: 'Tracked' });
    const result = await accounts().create(account);
    expect(account.Id).toBe(result.id);
    expect(hasChanged(account)).toBe(false);
    account.Phone = '123';
    await accounts().update(account);
    expect(org.emulator.org.records('Account').find((r) => r.Id === result.id)?.Phone).toBe('123');
  });

  it('upserts by external id: creates, then updates, reporting created', async () => {
    const repo = new SObject(org.client, 'Account');
    const first = await repo.upsert({ Ext__c: 'A-1', Name: 'First' }, 'Ext__c');
    expect(first).toMatchObject({ success: true, created: true });
    const second = await repo.upsert({ Ext__c: 'A-1', Name: 'Second' }, 'Ext__c');
    expect(second).toMatchObject({ id: first.id, success: true, created: false });
    expect(sentTo(org.sent, 'PATCH', 'sobjects/Account/Ext__c/A-1')).toHaveLength(2);
    expect(
      org.emulator.org
        .records('Account')
        .filter((r) => r.Ext__c === 'A-1')
        .map((r) => r.Name),
    ).toEqual(['Second']);
  });

  it('upserts a record whose external id was set with setExternalId', async () => {
    const account = createSObject('Account', { Name: 'Seeded' });
    account.setExternalId('Ext__c', 'X/1');
    const result = await new SObject(org.client, 'Account').upsert(account);
    expect(result.created).toBe(true);
    expect(account.Id).toBe(result.id);
    // The value is one escaped path segment.
    expect(sentTo(org.sent, 'PATCH', 'sobjects/Account/Ext__c/X%2F1')).toHaveLength(1);
  });

  it('deletes by id and by record', async () => {
    const a = await accounts().create({ Name: 'A' });
    const b = await accounts().create({ Name: 'B' });
    await expect(accounts().destroy(a.id as string)).resolves.toEqual({
      id: a.id,
      success: true,
      errors: [],
    });
    await expect(accounts().del({ Id: b.id })).resolves.toMatchObject({ id: b.id, success: true });
    expect(org.emulator.org.records('Account')).toHaveLength(0);
  });

  it('throws the REST error of a failed single-record save, naming the fields', async () => {
    const error = await rejectionOf(new SObject(org.client, 'Contact').create({ FirstName: 'No last name' }));
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).errors[0]).toMatchObject({
      errorCode: 'REQUIRED_FIELD_MISSING',
      fields: ['LastName'],
    });
  });

  it('throws NotFoundError when retrieving a record that does not exist', async () => {
    const { id } = await accounts().create({ Name: 'Gone' });
    await accounts().destroy(id as string);
    await expect(accounts().retrieve(id as string)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('bad input is refused before anything is sent', () => {
  it('names the missing Id of an update', async () => {
    const error = await rejectionOf(accounts().update({ Name: 'No id' }));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.message).toContain('record.Id: is required to update a record');
    const many = await rejectionOf(
      accounts().update([{ Id: '001000000000001AAA', Name: 'ok' }, { Name: 'bad' }]),
    );
    expect(many.message).toContain('records[1].Id');
    expect(org.sent).toHaveLength(0);
  });

  it('names an Id given to create, a malformed id, a wrong type and a bad option', async () => {
    expect((await rejectionOf(accounts().create({ Id: '001000000000001AAA', Name: 'x' }))).message).toContain(
      'record.Id: must be absent',
    );
    expect((await rejectionOf(accounts().retrieve('not-an-id'))).message).toContain(
      'id: must be a 15- or 18-character record Id',
    );
    expect((await rejectionOf(accounts().retrieve(['001000000000001AAA', 'x/../y']))).message).toContain(
      'ids[1]',
    );
    const contact = createSObject('Contact', { LastName: 'Ng' });
    expect((await rejectionOf(new SObject(org.client, 'Account').create(contact))).message).toContain(
      "record.attributes.type: is 'Contact', but this is the 'Account' repository",
    );
    expect((await rejectionOf(accounts().create([{ Name: 'x' }], { concurrency: 0 }))).message).toContain(
      'concurrency',
    );
    expect(
      (await rejectionOf(new SObject(org.client, 'Account').upsert({ Name: 'no key' }))).message,
    ).toContain('externalIdField');
    expect(() => new SObject(org.client, 'Account; DROP')).toThrow(ConfigurationError);
    expect(org.sent).toHaveLength(0);
  });
});
