import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RestClient, startRestClient } from './rest-client.js';

let client: RestClient;

type Global = { encoding: string; maxBatchSize: number; sobjects: Record<string, unknown>[] };
type Describe = {
  name: string;
  keyPrefix: string;
  custom: boolean;
  fields: Record<string, unknown>[];
  childRelationships: Record<string, unknown>[];
  recordTypeInfos: Record<string, unknown>[];
  urls: Record<string, string>;
};

beforeAll(async () => {
  client = await startRestClient();
});
afterAll(() => client.emulator.stop());

const STANDARD = [
  'Account',
  'Attachment',
  'Case',
  'Contact',
  'ContentDocument',
  'ContentVersion',
  'Document',
  'Event',
  'Lead',
  'Opportunity',
  'PushTopic',
  'Task',
  'User',
];

describe('describe global', () => {
  it('lists every standard object, sorted by name, with the global entry keys and urls', async () => {
    const res = await client.get<Global>('/sobjects');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ encoding: 'UTF-8', maxBatchSize: 200 });
    const names = res.body.sobjects.map((s) => s.name as string);
    for (const name of STANDARD) expect(names).toContain(name);
    expect([...names].sort()).toEqual(names);
    const account = res.body.sobjects.find((s) => s.name === 'Account');
    expect(account).toMatchObject({
      keyPrefix: '001',
      label: 'Account',
      labelPlural: 'Accounts',
      queryable: true,
      createable: true,
      urls: {
        sobject: `${client.base}/sobjects/Account`,
        describe: `${client.base}/sobjects/Account/describe`,
        rowTemplate: `${client.base}/sobjects/Account/{ID}`,
      },
    });
    expect(account).not.toHaveProperty('uiDetailTemplate');
  });

  it('answers 304 with no body when nothing changed since If-Modified-Since, 200 after a change', async () => {
    const first = await client.get('/sobjects');
    const lastModified = first.headers.get('last-modified') as string;
    expect(lastModified).toMatch(/GMT$/);
    const again = await client.get('/sobjects', { 'If-Modified-Since': lastModified });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    client.emulator.org.clock.advance(2_000);
    client.emulator.org.defineObject({ name: 'Changed__c' });
    const after = await client.get<Global>('/sobjects', { 'If-Modified-Since': lastModified });
    expect(after.status).toBe(200);
    expect(after.body.sobjects.some((s) => s.name === 'Changed__c')).toBe(true);
  });
});

describe('sObject basic information', () => {
  it('returns objectDescribe and recentItems', async () => {
    const { body } = await client.post<{ id: string }>('/sobjects/Lead', {
      LastName: 'Recent',
      Company: 'Co',
    });
    const res = await client.get<{
      objectDescribe: Record<string, unknown>;
      recentItems: Record<string, unknown>[];
    }>('/sobjects/lead');
    expect(res.status).toBe(200);
    expect(res.body.objectDescribe).toMatchObject({ name: 'Lead', keyPrefix: '00Q' });
    expect(res.body.recentItems[0]).toEqual({
      attributes: { type: 'Lead', url: `${client.base}/sobjects/Lead/${body.id}` },
      Id: body.id,
      Name: 'Recent',
    });
  });
});

describe('sObject describe', () => {
  it('describes every standard object with alphabetical field keys and the right types', async () => {
    for (const name of STANDARD) {
      const res = await client.get<Describe>(`/sobjects/${name}/describe`);
      expect(res.status, name).toBe(200);
      expect(res.body.name).toBe(name);
      const id = res.body.fields.find((f) => f.name === 'Id');
      expect(id, name).toMatchObject({
        type: 'id',
        length: 18,
        nillable: false,
        createable: false,
        idLookup: true,
      });
      for (const field of res.body.fields) {
        const keys = Object.keys(field);
        expect(keys, `${name}.${String(field.name)}`).toEqual([...keys].sort());
      }
    }
  });

  it('shapes references, picklists, child relationships and record types like Salesforce', async () => {
    const contact = (await client.get<Describe>('/sobjects/Contact/describe')).body;
    expect(contact.fields.find((f) => f.name === 'AccountId')).toMatchObject({
      type: 'reference',
      referenceTo: ['Account'],
      relationshipName: 'Account',
      soapType: 'tns:ID',
    });
    const task = (await client.get<Describe>('/sobjects/Task/describe')).body;
    expect(task.fields.find((f) => f.name === 'WhoId')).toMatchObject({
      referenceTo: ['Contact', 'Lead'],
      relationshipName: 'Who',
      polymorphicForeignKey: true,
    });
    const lead = (await client.get<Describe>('/sobjects/Lead/describe')).body;
    const status = lead.fields.find((f) => f.name === 'Status') as {
      picklistValues: Record<string, unknown>[];
    };
    expect(status.picklistValues[0]).toEqual({
      active: true,
      defaultValue: true,
      label: 'Open - Not Contacted',
      validFor: null,
      value: 'Open - Not Contacted',
    });
    const account = (await client.get<Describe>('/sobjects/Account/describe')).body;
    expect(account.childRelationships).toContainEqual({
      cascadeDelete: true,
      childSObject: 'Contact',
      deprecatedAndHidden: false,
      field: 'AccountId',
      junctionIdListNames: [],
      junctionReferenceTo: [],
      relationshipName: 'Contacts',
      restrictedDelete: false,
    });
    expect(account.recordTypeInfos.at(-1)).toMatchObject({
      master: true,
      recordTypeId: '012000000000000AAA',
    });
    expect(account.urls.uiDetailTemplate).toBe(`${client.emulator.url}/{ID}`);
  });

  it('lists record types a test defines before the master one, and accepts them as RecordTypeId', async () => {
    const rtId = client.emulator.org.data.defineRecordType('Account', { name: 'Partner Account' });
    const res = await client.get<Describe>('/sobjects/Account/describe');
    expect(res.body.recordTypeInfos).toEqual([
      {
        active: true,
        available: true,
        defaultRecordTypeMapping: true,
        developerName: 'Partner_Account',
        master: false,
        name: 'Partner Account',
        recordTypeId: rtId,
        urls: { layout: `${client.base}/sobjects/Account/describe/layouts/${rtId}` },
      },
      expect.objectContaining({ master: true, defaultRecordTypeMapping: false }),
    ]);
    const created = await client.post<{ id: string }>('/sobjects/Account', {
      Name: 'Typed',
      RecordTypeId: rtId,
    });
    expect(created.status).toBe(201);
    expect(() => client.emulator.org.data.defineRecordType('PushTopic', { name: 'x' })).toThrow(
      /RecordTypeId/,
    );
  });

  it('is case-insensitive in the object name and 404s for unknown objects', async () => {
    expect((await client.get<Describe>('/sobjects/aCCount/describe')).body.name).toBe('Account');
    const res = await client.get<{ errorCode: string }[]>('/sobjects/Nope__c/describe');
    expect(res.status).toBe(404);
    expect(res.body[0]?.errorCode).toBe('NOT_FOUND');
  });

  it('answers 304 for If-Modified-Since, 200 once a field is added', async () => {
    const first = await client.get('/sobjects/Case/describe');
    const lastModified = first.headers.get('last-modified') as string;
    expect((await client.get('/sobjects/Case/describe', { 'If-Modified-Since': lastModified })).status).toBe(
      304,
    );
    client.emulator.org.clock.advance(2_000);
    client.emulator.org.defineField('Case', {
      name: 'Severity__c',
      type: 'picklist',
      picklistValues: ['S1', 'S2'],
    });
    const after = await client.get<Describe>('/sobjects/Case/describe', {
      'If-Modified-Since': lastModified,
    });
    expect(after.status).toBe(200);
    expect(after.body.fields.at(-1)).toMatchObject({ name: 'Severity__c', custom: true, type: 'picklist' });
  });
});

describe('custom objects and fields', () => {
  it('describes a custom object with an a0 key prefix, standard fields and a custom lookup', async () => {
    const org = client.emulator.org;
    const def = org.defineObject({
      name: 'Invoice__c',
      fields: [
        { name: 'Number__c', type: 'string', length: 20, externalId: true, unique: true },
        { name: 'Amount__c', type: 'currency' },
        { name: 'Account__c', type: 'reference', referenceTo: 'Account', childRelationshipName: 'Invoices' },
      ],
    });
    expect(def.keyPrefix).toMatch(/^a0[0-9A-Za-z]$/);
    const res = await client.get<Describe>('/sobjects/invoice__c/describe');
    expect(res.body).toMatchObject({ name: 'Invoice__c', custom: true, keyPrefix: def.keyPrefix });
    const names = res.body.fields.map((f) => f.name);
    expect(names.slice(0, 4)).toEqual(['Id', 'OwnerId', 'IsDeleted', 'Name']);
    expect(res.body.fields.find((f) => f.name === 'Number__c')).toMatchObject({
      externalId: true,
      unique: true,
      idLookup: true,
      length: 20,
    });
    expect(res.body.fields.find((f) => f.name === 'Account__c')).toMatchObject({
      relationshipName: 'Account__r',
      referenceTo: ['Account'],
    });
    const account = (await client.get<Describe>('/sobjects/Account/describe')).body;
    expect(account.childRelationships).toContainEqual(
      expect.objectContaining({ childSObject: 'Invoice__c', relationshipName: 'Invoices__r' }),
    );
    const created = await client.post<{ id: string }>('/sobjects/Invoice__c', {
      Number__c: 'INV-1',
      Amount__c: 12.345,
    });
    expect(created.status).toBe(201);
    const read = await client.get<Record<string, unknown>>(`/sobjects/Invoice__c/${created.body.id}`);
    expect(read.body).toMatchObject({ Name: created.body.id, Amount__c: 12.35 });
  });

  it('rejects bad definitions with an error naming the property', () => {
    const org = client.emulator.org;
    expect(() => org.defineObject({ name: 'NoSuffix' })).toThrow(
      /name: must be an API name ending in __c or __e/,
    );
    expect(() => org.defineField('Account', { name: 'Bad__c', type: 'reference' })).toThrow(/referenceTo/);
    expect(() =>
      org.defineField('Account', { name: 'Name__c', type: 'string', length: -1 } as never),
    ).toThrow(/length/);
  });
});
