import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RestClient, startRestClient } from './rest-client.js';

let client: RestClient;

beforeAll(async () => {
  client = await startRestClient();
  client.emulator.org.defineField('Account', {
    name: 'Ext__c',
    type: 'string',
    length: 20,
    externalId: true,
    unique: true,
  });
});
afterAll(() => client.emulator.stop());

type Saved = { id: string; success: boolean; errors: unknown[] };
type Errors = { message: string; errorCode: string; fields?: string[] }[];

describe('single-record CRUD', () => {
  it('creates a record: 201 with id, success and errors, and a Location header', async () => {
    const res = await client.post<Saved>('/sobjects/Account', { Name: 'Acme' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^001[A-Za-z0-9]{15}$/),
      success: true,
      errors: [],
    });
    expect(res.headers.get('location')).toBe(`${client.base}/sobjects/Account/${res.body.id}`);
    expect(res.headers.get('content-type')).toBe('application/json;charset=UTF-8');
  });

  it('reads a record with attributes first, every field present and system fields maintained', async () => {
    const { body } = await client.post<Saved>('/sobjects/Account', { Name: 'Globex', BillingCity: 'Paris' });
    const res = await client.get<Record<string, unknown>>(`/sobjects/Account/${body.id}`);
    expect(res.status).toBe(200);
    const keys = Object.keys(res.body);
    expect(keys[0]).toBe('attributes');
    expect(res.body.attributes).toEqual({
      type: 'Account',
      url: `${client.base}/sobjects/Account/${body.id}`,
    });
    expect(res.body).toMatchObject({
      Id: body.id,
      Name: 'Globex',
      IsDeleted: false,
      Phone: null,
      OwnerId: client.emulator.credentials.userId,
      CreatedById: client.emulator.credentials.userId,
      BillingAddress: expect.objectContaining({ city: 'Paris', street: null }),
    });
    expect(res.body.CreatedDate).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000\+0000$/);
    expect(res.body.SystemModstamp).toBe(res.body.CreatedDate);
    expect(keys).toContain('Description');
  });

  it('reads only the fields asked for with ?fields=, Id last, names matched case-insensitively', async () => {
    const { body } = await client.post<Saved>('/sobjects/Account', { Name: 'Initech', Phone: '555' });
    const res = await client.get<Record<string, unknown>>(`/sobjects/Account/${body.id}?fields=name,PHONE`);
    expect(res.body).toEqual({
      attributes: { type: 'Account', url: `${client.base}/sobjects/Account/${body.id}` },
      Name: 'Initech',
      Phone: '555',
      Id: body.id,
    });
  });

  it('updates with PATCH (204, no body) and moves LastModifiedDate', async () => {
    const { body } = await client.post<Saved>('/sobjects/Account', { Name: 'Before' });
    client.emulator.org.clock.advance(5_000);
    const res = await client.patch(`/sobjects/Account/${body.id}`, {
      name: 'After',
      NumberOfEmployees: '42',
    });
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    const read = await client.get<Record<string, unknown>>(`/sobjects/Account/${body.id}`);
    expect(read.body).toMatchObject({ Name: 'After', NumberOfEmployees: 42 });
    expect(read.body.LastModifiedDate).not.toBe(read.body.CreatedDate);
  });

  it('accepts an 18-character id in any case and a 15-character id', async () => {
    const { body } = await client.post<Saved>('/sobjects/Account', { Name: 'Case test' });
    expect((await client.get(`/sobjects/Account/${body.id.toLowerCase()}`)).status).toBe(200);
    expect((await client.get(`/sobjects/Account/${body.id.slice(0, 15)}`)).status).toBe(200);
  });

  it('answers HEAD with the headers and no body', async () => {
    const { body } = await client.post<Saved>('/sobjects/Account', { Name: 'Head' });
    const res = await client.call('HEAD', `/sobjects/Account/${body.id}`);
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    expect(res.headers.get('content-type')).toBe('application/json;charset=UTF-8');
  });

  it('deletes (204); a second delete and a read answer 404 ENTITY_IS_DELETED', async () => {
    const { body } = await client.post<Saved>('/sobjects/Account', { Name: 'Doomed' });
    expect((await client.del(`/sobjects/Account/${body.id}`)).status).toBe(204);
    const again = await client.del<Errors>(`/sobjects/Account/${body.id}`);
    expect(again.status).toBe(404);
    expect(again.body).toEqual([
      { message: 'entity is deleted', errorCode: 'ENTITY_IS_DELETED', fields: [] },
    ]);
    const read = await client.get<Errors>(`/sobjects/Account/${body.id}`);
    expect(read.status).toBe(404);
    expect(read.body[0]?.errorCode).toBe('ENTITY_IS_DELETED');
    const update = await client.patch<Errors>(`/sobjects/Account/${body.id}`, { Name: 'x' });
    expect(update.status).toBe(404);
    expect(update.body[0]?.errorCode).toBe('ENTITY_IS_DELETED');
  });

  it('cascades a delete to the children the schema says (Account -> Contacts)', async () => {
    const { body: account } = await client.post<Saved>('/sobjects/Account', { Name: 'Parent' });
    const { body: contact } = await client.post<Saved>('/sobjects/Contact', {
      LastName: 'Kid',
      AccountId: account.id,
    });
    await client.del(`/sobjects/Account/${account.id}`);
    const read = await client.get<Errors>(`/sobjects/Contact/${contact.id}`);
    expect(read.body[0]?.errorCode).toBe('ENTITY_IS_DELETED');
  });
});

describe('record errors', () => {
  it('404 NOT_FOUND for a well-formed id that does not exist', async () => {
    const res = await client.get<Errors>('/sobjects/Account/001000000000000AAA');
    expect(res.status).toBe(404);
    expect(res.body).toEqual([{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
  });

  it('400 MALFORMED_ID for another object id', async () => {
    const { body } = await client.post<Saved>('/sobjects/Account', { Name: 'A' });
    const res = await client.get<Errors>(`/sobjects/Contact/${body.id}`);
    expect(res.status).toBe(400);
    expect(res.body).toEqual([
      {
        message: `Contact ID: id value of incorrect type: ${body.id}`,
        errorCode: 'MALFORMED_ID',
        fields: ['Id'],
      },
    ]);
  });

  it('reads a segment that is not an id as an external-id field name', async () => {
    const res = await client.get<Errors>('/sobjects/Account/23foo');
    expect(res.status).toBe(404);
    expect(res.body).toEqual([
      {
        message: 'Provided external ID field does not exist or is not accessible: 23foo',
        errorCode: 'NOT_FOUND',
      },
    ]);
  });

  it('plain 404 NOT_FOUND for advertised sub-resources the emulator does not serve', async () => {
    for (const path of ['/sobjects/Account/listviews', '/sobjects/Account/describe/layouts']) {
      const res = await client.get<Errors>(path);
      expect(res.status, path).toBe(404);
      expect(res.body, path).toEqual([
        { errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' },
      ]);
    }
  });

  it('404 NOT_FOUND for an unknown sObject', async () => {
    const res = await client.post<Errors>('/sobjects/Whizbang', { Name: 'x' });
    expect(res.status).toBe(404);
    expect(res.body[0]?.errorCode).toBe('NOT_FOUND');
  });

  it('INVALID_FIELD for an unknown field, worded as Salesforce words it', async () => {
    const res = await client.post<Errors>('/sobjects/Account', { Name: 'x', foo: 1 });
    expect(res.status).toBe(400);
    expect(res.body).toEqual([
      { message: "No such column 'foo' on sobject of type Account", errorCode: 'INVALID_FIELD' },
    ]);
  });

  it('REQUIRED_FIELD_MISSING lists every missing field', async () => {
    const res = await client.post<Errors>('/sobjects/Opportunity', { Amount: 5 });
    expect(res.status).toBe(400);
    expect(res.body).toEqual([
      {
        message: 'Required fields are missing: [Name, StageName, CloseDate]',
        errorCode: 'REQUIRED_FIELD_MISSING',
        fields: ['Name', 'StageName', 'CloseDate'],
      },
    ]);
    const contact = await client.post<Errors>('/sobjects/Contact', { FirstName: 'No last name' });
    expect(contact.body[0]).toMatchObject({
      message: 'Required fields are missing: [LastName]',
      fields: ['LastName'],
    });
  });

  it('REQUIRED_FIELD_MISSING when an update blanks a required field', async () => {
    const { body } = await client.post<Saved>('/sobjects/Account', { Name: 'Keep' });
    const res = await client.patch<Errors>(`/sobjects/Account/${body.id}`, { Name: null });
    expect(res.status).toBe(400);
    expect(res.body[0]).toMatchObject({ errorCode: 'REQUIRED_FIELD_MISSING', fields: ['Name'] });
  });

  it('STRING_TOO_LONG names the label, the value and the limit', async () => {
    const res = await client.post<Errors>('/sobjects/Account', { Name: 'x', Site: 'y'.repeat(81) });
    expect(res.body).toEqual([
      {
        message: `Account Site: data value too large: ${'y'.repeat(81)} (max length=80)`,
        errorCode: 'STRING_TOO_LONG',
        fields: ['Site'],
      },
    ]);
  });

  it('INVALID_FIELD_FOR_INSERT_UPDATE for read-only fields and for an Id on create', async () => {
    const res = await client.post<Errors>('/sobjects/Account', {
      Name: 'x',
      CreatedDate: '2020-01-01T00:00:00Z',
    });
    expect(res.body[0]).toMatchObject({
      errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
      fields: ['CreatedDate'],
    });
    expect(res.body[0]?.message).toMatch(/^Unable to create\/update fields: CreatedDate\./);
    const withId = await client.post<Errors>('/sobjects/Account', { Name: 'x', Id: '001000000000000AAA' });
    expect(withId.body[0]).toMatchObject({ errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE', fields: ['Id'] });
  });

  it('INVALID_TYPE_ON_FIELD_IN_RECORD for values of the wrong type', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ Name: 'x', NumberOfEmployees: 'many' }, 'NumberOfEmployees'],
      [{ Name: 'x', AnnualRevenue: { a: 1 } }, 'AnnualRevenue'],
      [{ Name: 'x', LastActivityDate: 'x' }, 'LastActivityDate'],
    ];
    const res = await client.post<Errors>('/sobjects/Account', cases[0]?.[0]);
    expect(res.body).toEqual([
      {
        message: 'Employees: value not of required type: many',
        errorCode: 'INVALID_TYPE_ON_FIELD_IN_RECORD',
        fields: ['NumberOfEmployees'],
      },
    ]);
    const money = await client.post<Errors>('/sobjects/Account', cases[1]?.[0]);
    expect(money.body[0]?.errorCode).toBe('INVALID_TYPE_ON_FIELD_IN_RECORD');
    const date = await client.post<Errors>('/sobjects/Opportunity', {
      Name: 'o',
      StageName: 'Prospecting',
      CloseDate: '2024-02-30',
    });
    expect(date.body[0]).toMatchObject({
      errorCode: 'INVALID_TYPE_ON_FIELD_IN_RECORD',
      fields: ['CloseDate'],
    });
  });

  it('NUMBER_OUTSIDE_VALID_RANGE past a field precision', async () => {
    const res = await client.post<Errors>('/sobjects/Account', { Name: 'x', NumberOfEmployees: 123456789 });
    expect(res.body[0]).toMatchObject({
      errorCode: 'NUMBER_OUTSIDE_VALID_RANGE',
      fields: ['NumberOfEmployees'],
    });
  });

  it('INVALID_EMAIL_ADDRESS as in the recorded message', async () => {
    const res = await client.post<Errors>('/sobjects/Contact', { LastName: 'x', Email: 'not an email' });
    expect(res.body).toEqual([
      {
        message: 'Email: invalid email address: not an email',
        errorCode: 'INVALID_EMAIL_ADDRESS',
        fields: ['Email'],
      },
    ]);
  });

  it('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST for a value outside a restricted picklist', async () => {
    client.emulator.org.defineField('Account', {
      name: 'Tier__c',
      type: 'picklist',
      picklistValues: ['Gold', 'Silver'],
      restrictedPicklist: true,
    });
    const res = await client.post<Errors>('/sobjects/Account', { Name: 'x', Tier__c: 'Bronze' });
    expect(res.body).toEqual([
      {
        message: 'Tier: bad value for restricted picklist field: Bronze',
        errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
        fields: ['Tier__c'],
      },
    ]);
    expect((await client.post('/sobjects/Account', { Name: 'x', tier__C: 'Gold' })).status).toBe(201);
  });

  it('checks references: MALFORMED_ID, FIELD_INTEGRITY_EXCEPTION, INVALID_CROSS_REFERENCE_KEY', async () => {
    const malformed = await client.post<Errors>('/sobjects/Contact', { LastName: 'x', AccountId: 'abc' });
    expect(malformed.body).toEqual([
      {
        message: 'Account ID: id value of incorrect type: abc',
        errorCode: 'MALFORMED_ID',
        fields: ['AccountId'],
      },
    ]);
    const { body: contact } = await client.post<Saved>('/sobjects/Contact', { LastName: 'c' });
    const wrongType = await client.post<Errors>('/sobjects/Contact', {
      LastName: 'x',
      AccountId: contact.id,
    });
    expect(wrongType.body[0]?.errorCode).toBe('FIELD_INTEGRITY_EXCEPTION');
    const missing = await client.post<Errors>('/sobjects/Contact', {
      LastName: 'x',
      AccountId: '001000000000000AAA',
    });
    expect(missing.body[0]).toMatchObject({
      errorCode: 'INVALID_CROSS_REFERENCE_KEY',
      fields: ['AccountId'],
    });
  });

  it('DUPLICATE_VALUE on a unique field', async () => {
    const first = await client.post<Saved>('/sobjects/Account', { Name: 'u1', Ext__c: 'DUP-1' });
    const res = await client.post<Errors>('/sobjects/Account', { Name: 'u2', Ext__c: 'dup-1' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual([
      {
        message: `duplicate value found: Ext__c duplicates value on record with id: ${first.body.id}`,
        errorCode: 'DUPLICATE_VALUE',
        fields: [],
      },
    ]);
  });

  it('JSON_PARSER_ERROR for a body that is not JSON', async () => {
    const res = await client.call<Errors>('POST', '/sobjects/Account', {
      raw: '{"Name":',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.body[0]?.errorCode).toBe('JSON_PARSER_ERROR');
  });

  it('sets a parent through its external id in the body', async () => {
    await client.post('/sobjects/Account', { Name: 'ExtParent', Ext__c: 'P-1' });
    const res = await client.post<Saved>('/sobjects/Contact', { LastName: 'x', Account: { Ext__c: 'P-1' } });
    expect(res.status).toBe(201);
    const read = await client.get<{ AccountId: string }>(`/sobjects/Contact/${res.body.id}?fields=AccountId`);
    const parent = client.emulator.org.records('Account').find((a) => a.Ext__c === 'P-1');
    expect(read.body.AccountId).toBe(parent?.Id);
    const missing = await client.post<Errors>('/sobjects/Contact', {
      LastName: 'x',
      Account: { Ext__c: 'nope' },
    });
    expect(missing.body[0]).toMatchObject({
      errorCode: 'INVALID_FIELD',
      message: 'Foreign key external ID: nope not found for field Ext__c in entity Account',
    });
  });
});
