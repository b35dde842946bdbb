import { describe, expect, it } from 'vitest';
import { IdFactory, to18 } from '../ids.js';
import { canonicalId } from './canonical-id.js';
import { savePlanOf } from './save-plan.js';
import { DataStore } from './store.js';

const USER = '005EM0000000001AAA';

function store(): DataStore {
  return new DataStore({ ids: new IdFactory(), userId: USER, apiVersion: '62.0', now: () => 0 });
}

describe('save plan', () => {
  it('builds a new record with every field in describe order: system fields from the save, schema defaults, the rest null', () => {
    const data = store();
    data.defineObject({ name: 'Gadget__c', label: 'Gadget' });
    data.defineField('Gadget__c', {
      name: 'Active__c',
      label: 'Active',
      type: 'boolean',
      defaultValue: true,
    });
    data.defineField('Gadget__c', { name: 'Size__c', label: 'Size', type: 'double', defaultValue: 3 });
    data.defineField('Gadget__c', {
      name: 'Kind__c',
      label: 'Kind',
      type: 'picklist',
      picklistValues: ['Small', 'Large'],
    });
    const def = data.object('Gadget__c');
    if (def === undefined) throw new Error('no Gadget__c');
    const record = savePlanOf(def).defaults('a00EM0000000001AAA', '2024-01-31T12:00:00.000+0000', USER);

    expect(Object.keys(record)).toEqual(def.fields.map((f) => f.name));
    expect(record).toMatchObject({
      Id: 'a00EM0000000001AAA',
      IsDeleted: false,
      OwnerId: USER,
      CreatedById: USER,
      LastModifiedById: USER,
      CreatedDate: '2024-01-31T12:00:00.000+0000',
      SystemModstamp: '2024-01-31T12:00:00.000+0000',
      Active__c: true,
      Size__c: 3,
      Kind__c: null,
      Name: null,
    });
  });

  it('gives each call a record of its own', () => {
    const def = store().object('Account');
    if (def === undefined) throw new Error('no Account');
    const { defaults } = savePlanOf(def);
    const a = defaults('001EM0000000001AAA', 'now', USER);
    a.Name = 'changed';
    expect(defaults('001EM0000000002AAA', 'now', USER).Name).toBeNull();
  });

  it('lists the fields whose value changed, comparing compound values by content', () => {
    const def = store().object('Account');
    if (def === undefined) throw new Error('no Account');
    const { changedFields } = savePlanOf(def);
    const before = { Name: 'Acme', Phone: null, BillingAddress: { city: 'Paris' }, Industry: 'Energy' };
    const after = { Name: 'Acme', Phone: '555', BillingAddress: { city: 'Paris' }, Industry: null };
    expect(changedFields(before, after)).toEqual(['Phone', 'Industry']);
    const inDescribeOrder = def.fields
      .map((f) => f.name)
      .filter((name) => ['Phone', 'BillingAddress', 'Industry'].includes(name));
    expect(changedFields(before, { ...after, BillingAddress: { city: 'Lyon' } })).toEqual(inDescribeOrder);
  });
});

describe('canonicalId', () => {
  const id18 = new IdFactory().next('001');
  const id15 = id18.slice(0, 15);

  it('returns a canonical 18-character id as it is, and the canonical form of any other spelling', () => {
    expect(canonicalId(id18)).toBe(id18);
    expect(canonicalId(id15)).toBe(id18);
    expect(canonicalId(id18.toLowerCase())).toBe(to18(id18.toLowerCase()));
    expect(canonicalId(id18.toLowerCase())).toBe(id18);
  });

  it('refuses what is not an id, or an 18-character id whose suffix is not its checksum', () => {
    expect(canonicalId('not an id')).toBeUndefined();
    expect(canonicalId(`${id15}ZZZ`)).toBeUndefined();
    expect(canonicalId(`${id15.slice(0, 14)}!AAA`)).toBeUndefined();
  });
});
