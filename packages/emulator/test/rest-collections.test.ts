import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RestClient, startRestClient } from './rest-client.js';

let client: RestClient;
type Result = {
  id?: string;
  success: boolean;
  errors: { statusCode: string; message: string; fields: string[] }[];
  created?: boolean;
};

beforeAll(async () => {
  client = await startRestClient();
  client.emulator.org.defineField('Account', {
    name: 'MyExtId__c',
    type: 'string',
    length: 20,
    externalId: true,
  });
});
afterAll(() => client.emulator.stop());

const account = (fields: Record<string, unknown>) => ({ attributes: { type: 'Account' }, ...fields });

describe('sObject Collections', () => {
  it('creates mixed types in input order, reporting per-record errors with statusCode', async () => {
    const res = await client.post<Result[]>('/composite/sobjects', {
      allOrNone: false,
      records: [
        account({ Name: 'C1' }),
        { attributes: { type: 'Contact' }, LastName: 'Smith' },
        { attributes: { type: 'Contact' }, FirstName: 'NoLast' },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body[0]).toEqual({ id: expect.stringMatching(/^001/), success: true, errors: [] });
    expect(res.body[1]).toEqual({ id: expect.stringMatching(/^003/), success: true, errors: [] });
    expect(res.body[2]).toEqual({
      success: false,
      errors: [
        {
          statusCode: 'REQUIRED_FIELD_MISSING',
          message: 'Required fields are missing: [LastName]',
          fields: ['LastName'],
        },
      ],
    });
    expect(client.emulator.org.records('Contact').some((c) => c.LastName === 'Smith')).toBe(true);
  });

  it('allOrNone rolls every record back and reports ALL_OR_NONE_OPERATION_ROLLED_BACK', async () => {
    const before = client.emulator.org.records('Account').length;
    const res = await client.post<Result[]>('/composite/sobjects', {
      allOrNone: true,
      records: [account({ Name: 'Rolled back' }), account({ Nope__c: 1 })],
    });
    expect(res.status).toBe(200);
    expect(res.body[0]).toEqual({
      id: expect.stringMatching(/^001/),
      success: false,
      errors: [
        {
          statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
          message:
            'Record rolled back because not all records were valid and the request was using AllOrNone header',
          fields: [],
        },
      ],
    });
    expect(res.body[1]?.errors[0]?.statusCode).toBe('INVALID_FIELD');
    expect(client.emulator.org.records('Account')).toHaveLength(before);
    expect(client.emulator.org.records('Account', { includeDeleted: true })).toHaveLength(before);
  });

  it('updates records by Id (MALFORMED_ID for an id of another object)', async () => {
    const created = await client.post<Result[]>('/composite/sobjects', {
      records: [account({ Name: 'U1' }), account({ Name: 'U2' })],
    });
    const [a, b] = created.body.map((r) => r.id as string);
    const res = await client.patch<Result[]>('/composite/sobjects', {
      records: [
        account({ Id: a, Name: 'U1 updated' }),
        { attributes: { type: 'Contact' }, Id: b, LastName: 'x' },
      ],
    });
    expect(res.body[0]).toEqual({ id: a, success: true, errors: [] });
    expect(res.body[1]).toMatchObject({
      success: false,
      errors: [
        {
          statusCode: 'MALFORMED_ID',
          message: `Contact ID: id value of incorrect type: ${b}`,
          fields: ['Id'],
        },
      ],
    });
  });

  it('upserts by external id with created flags, as in the recorded response', async () => {
    await client.patch('/sobjects/Account/MyExtId__c/BBB', { Name: 'Existing' });
    const res = await client.patch<Result[]>('/composite/sobjects/Account/MyExtId__c', {
      allOrNone: false,
      records: [
        account({ Name: 'Company One', MyExtId__c: 'AAA' }),
        account({ Name: 'Company Two', MyExtId__c: 'BBB' }),
      ],
    });
    expect(res.body).toEqual([
      { id: expect.stringMatching(/^001/), success: true, errors: [], created: true },
      { id: expect.stringMatching(/^001/), success: true, errors: [], created: false },
    ]);
  });

  it('deletes by ids; reports each id; 400 REQUIRED_FIELD_MISSING without ids', async () => {
    const created = await client.post<Result[]>('/composite/sobjects', {
      records: [account({ Name: 'D1' })],
    });
    const id = created.body[0]?.id as string;
    const res = await client.del<Result[]>(
      `/composite/sobjects?ids=${id},001000000000000AAA&allOrNone=false`,
    );
    expect(res.body[0]).toEqual({ id, success: true, errors: [] });
    expect(res.body[1]).toMatchObject({ success: false, errors: [{ statusCode: 'NOT_FOUND' }] });
    const none = await client.del<{ message: string; errorCode: string }[]>('/composite/sobjects');
    expect(none.status).toBe(400);
    expect(none.body).toEqual([
      { message: 'At least 1 Id is required.', errorCode: 'REQUIRED_FIELD_MISSING' },
    ]);
  });

  it('retrieves by GET and POST, null for ids not found', async () => {
    const created = await client.post<Result[]>('/composite/sobjects', {
      records: [account({ Name: 'R1', Phone: '1' })],
    });
    const id = created.body[0]?.id as string;
    const get = await client.get<(Record<string, unknown> | null)[]>(
      `/composite/sobjects/Account?ids=${id},001000000000000AAA&fields=Name,Phone`,
    );
    expect(get.body).toEqual([
      {
        attributes: { type: 'Account', url: `${client.base}/sobjects/Account/${id}` },
        Name: 'R1',
        Phone: '1',
        Id: id,
      },
      null,
    ]);
    const post = await client.post<(Record<string, unknown> | null)[]>('/composite/sobjects/Account', {
      ids: [id],
      fields: ['Name'],
    });
    expect(post.body[0]).toMatchObject({ Name: 'R1', Id: id });
  });

  it('refuses more than 200 records with EXCEEDED_ID_LIMIT', async () => {
    const records = Array.from({ length: 201 }, (_, i) => account({ Name: `N${i}` }));
    const res = await client.post<{ errorCode: string; message: string }[]>('/composite/sobjects', {
      records,
    });
    expect(res.status).toBe(400);
    expect(res.body[0]).toEqual({
      errorCode: 'EXCEEDED_ID_LIMIT',
      message: 'record limit reached. cannot submit more than 200 records into this call',
    });
  });

  it('reports a record without attributes.type', async () => {
    const res = await client.post<Result[]>('/composite/sobjects', { records: [{ Name: 'typeless' }] });
    expect(res.body[0]).toEqual({
      success: false,
      errors: [{ statusCode: 'INVALID_TYPE', message: 'Must send a concrete entity type.', fields: [] }],
    });
  });
});
