import { describe, expect, it } from 'vitest';
import { fieldsToSend, markSaved } from './collections.js';
import { trackPage } from './internal/tracking.js';
import {
  changedFields,
  createSObject,
  externalIdOf,
  hasChanged,
  isTracked,
  recordIdOf,
  sobjectTypeOf,
  toPlainObject,
  track,
} from './records.js';

/** Records as a query page brings them: JSON parsed, then tracked in place. */
function page(...records: Record<string, unknown>[]): Record<string, unknown>[] {
  const parsed = JSON.parse(JSON.stringify(records)) as Record<string, unknown>[];
  trackPage(parsed, true);
  return parsed;
}

const account = (id: string, fields: Record<string, unknown> = {}) => ({
  attributes: { type: 'Account', url: `/services/data/v62.0/sobjects/Account/${id}` },
  Id: id,
  ...fields,
});

describe('tracked records from a query', () => {
  it('read, enumerate, spread and serialise like the plain record', () => {
    const [record] = page(
      account('001000000000001AAA', { Name: 'Acme', Owner: { attributes: { type: 'User' }, Name: 'Jo' } }),
    );
    expect(isTracked(record)).toBe(true);
    expect(record?.Name).toBe('Acme');
    expect(Object.keys(record as object)).toEqual(['attributes', 'Id', 'Name', 'Owner']);
    expect({ ...record }).toEqual(
      account('001000000000001AAA', { Name: 'Acme', Owner: { attributes: { type: 'User' }, Name: 'Jo' } }),
    );
    expect(JSON.parse(JSON.stringify(record))).toEqual({
      Id: '001000000000001AAA',
      Name: 'Acme',
      Owner: { Name: 'Jo' },
    });
    expect(toPlainObject(record as object, { attributes: true })).toHaveProperty(
      'attributes.type',
      'Account',
    );
    expect(isTracked({ ...record })).toBe(false);
  });

  it('know their type and Id, from attributes.url when Id was not selected', () => {
    const [withId, withoutId] = page(account('001000000000001AAA'), {
      attributes: { type: 'Contact', url: '/services/data/v62.0/sobjects/Contact/003000000000002AAA' },
      LastName: 'Ng',
    });
    expect(sobjectTypeOf(withId as object)).toBe('Account');
    expect(recordIdOf(withId as object)).toBe('001000000000001AAA');
    expect(sobjectTypeOf(withoutId as object)).toBe('Contact');
    expect(recordIdOf(withoutId as object)).toBe('003000000000002AAA');
  });

  it('track assignments: only changed fields, and a field set back to its value is no change', () => {
    const [record] = page(account('001000000000001AAA', { Name: 'Acme', Phone: '1' })) as [
      Record<string, unknown>,
    ];
    expect(changedFields(record)).toEqual({});
    record.Name = 'Acme Corp';
    record.Website = 'acme.test';
    record.Phone = '2';
    record.Phone = '1';
    expect(changedFields(record)).toEqual({ Name: 'Acme Corp', Website: 'acme.test' });
    expect(hasChanged(record, 'Name')).toBe(true);
    expect(hasChanged(record, 'Phone')).toBe(false);
    expect(fieldsToSend(record, 'changes')).toEqual({ Name: 'Acme Corp', Website: 'acme.test' });
    delete record.Website;
    expect(changedFields(record)).toEqual({ Name: 'Acme Corp' });
    markSaved(record);
    expect(hasChanged(record)).toBe(false);
    expect(fieldsToSend(record, 'changes')).toBeUndefined();
    expect(fieldsToSend(record, 'all')).toEqual({ Name: 'Acme Corp', Phone: '1' });
  });

  it('assigning the same value, or assigning attributes, is no change', () => {
    const [record] = page(account('001000000000001AAA', { Name: 'Acme' })) as [Record<string, unknown>];
    record.Name = 'Acme';
    record.attributes = { type: 'Account' };
    expect(hasChanged(record)).toBe(false);
  });

  it('wraps child subquery records too', () => {
    const [record] = page(
      account('001000000000001AAA', {
        Contacts: {
          totalSize: 1,
          done: true,
          records: [{ attributes: { type: 'Contact' }, Id: '003000000000001AAA' }],
        },
      }),
    );
    const contacts = (record as { Contacts: { records: Record<string, unknown>[] } }).Contacts;
    const child = contacts.records[0] as Record<string, unknown>;
    expect(isTracked(child)).toBe(true);
    child.LastName = 'Changed';
    expect(changedFields(child)).toEqual({ LastName: 'Changed' });
  });
});

describe('plain objects', () => {
  it('have no history: every field is sent', () => {
    const plain = { Id: '001000000000001AAA', Name: 'Acme', attributes: { type: 'Account' } };
    expect(isTracked(plain)).toBe(false);
    expect(changedFields(plain)).toBeUndefined();
    expect(hasChanged(plain)).toBe(false);
    expect(sobjectTypeOf(plain)).toBe('Account');
    expect(fieldsToSend(plain, 'changes')).toEqual({ Name: 'Acme' });
    markSaved(plain, '001000000000009AAA');
    expect(plain.Id).toBe('001000000000001AAA');
  });

  it('become tracked with track()', () => {
    const tracked = track({ Id: '001000000000001AAA', Name: 'x' }, 'Account') as Record<string, unknown>;
    expect(sobjectTypeOf(tracked)).toBe('Account');
    tracked.Name = 'y';
    expect(changedFields(tracked)).toEqual({ Name: 'y' });
    expect(track(tracked)).toBe(tracked);
  });
});

describe('createSObject()', () => {
  it('makes a new tracked record whose given fields all count as changes', () => {
    const record = createSObject('Account', { Name: 'New', Industry: 'Energy' });
    expect(sobjectTypeOf(record)).toBe('Account');
    expect(recordIdOf(record)).toBeUndefined();
    expect(changedFields(record)).toEqual({ Name: 'New', Industry: 'Energy' });
    expect(Object.keys(record)).toEqual(['Name', 'Industry']);
    expect(JSON.stringify(record)).toBe('{"Name":"New","Industry":"Energy"}');
  });

  it('setExternalId sets the field and makes it the upsert key', () => {
    const record = createSObject('Account', { Name: 'New' });
    record.setExternalId('Ext__c', 'A-1');
    expect(record.Ext__c).toBe('A-1');
    expect(externalIdOf(record)).toEqual({ field: 'Ext__c', value: 'A-1' });
    expect(changedFields(record)).toEqual({ Name: 'New', Ext__c: 'A-1' });
    expect(() => record.setExternalId('bad field', 'x')).toThrow(/field must be a field name/);
    expect(() => record.setExternalId('Ext__c', {} as unknown as string)).toThrow(
      /must be a string or a number/,
    );
  });

  it('after a save, has its Id (not counted as a change) and no changes', () => {
    const record = createSObject('Account', { Name: 'New' });
    markSaved(record, '001000000000001AAA');
    expect(record.Id).toBe('001000000000001AAA');
    expect(hasChanged(record)).toBe(false);
  });

  it('refuses a bad type or fields, naming them', () => {
    expect(() => createSObject('Bad Type')).toThrow(/type: must be an sObject name/);
    expect(() => createSObject('Account', [] as unknown as Record<string, unknown>)).toThrow(
      /fields: must be an object/,
    );
  });
});
