import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RestClient, startRestClient } from './rest-client.js';

let client: RestClient;
type Errors = { message: string; errorCode: string }[];

beforeAll(async () => {
  client = await startRestClient();
  client.emulator.org.defineField('Account', {
    name: 'Ext__c',
    type: 'string',
    length: 30,
    externalId: true,
  });
});
afterAll(() => client.emulator.stop());

describe('upsert by external id', () => {
  it('creates on no match: 201 with created:true and a Location', async () => {
    const res = await client.patch<Record<string, unknown>>('/sobjects/Account/Ext__c/U-1', {
      Name: 'Upserted',
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.stringMatching(/^001/), success: true, errors: [], created: true });
    const stored = client.emulator.org.records('Account').find((a) => a.Id === res.body.id);
    expect(stored).toMatchObject({ Ext__c: 'U-1', Name: 'Upserted' });
  });

  it('updates on one match: 200 with created:false (v46+)', async () => {
    const created = await client.patch<{ id: string }>('/sobjects/Account/Ext__c/U-2', { Name: 'First' });
    const res = await client.patch<Record<string, unknown>>('/sobjects/Account/ext__c/u-2', {
      Name: 'Second',
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: created.body.id, success: true, errors: [], created: false });
  });

  it('answers 204 with no body for an update in v45.0 and no created key on create', async () => {
    await client.patch('/sobjects/Account/Ext__c/U-3', { Name: 'Old API' });
    const update = await client.call('PATCH', '/services/data/v45.0/sobjects/Account/Ext__c/U-3', {
      body: { Name: 'x' },
    });
    expect(update.status).toBe(204);
    expect(update.text).toBe('');
    const create = await client.call<Record<string, unknown>>(
      'PATCH',
      '/services/data/v45.0/sobjects/Account/Ext__c/U-4',
      {
        body: { Name: 'y' },
      },
    );
    expect(create.status).toBe(201);
    expect(create.body).not.toHaveProperty('created');
  });

  it('answers 300 with the record URLs when several records match', async () => {
    const a = await client.post<{ id: string }>('/sobjects/Account', { Name: 'Twin A', Ext__c: 'TWIN' });
    const b = await client.post<{ id: string }>('/sobjects/Account', { Name: 'Twin B', Ext__c: 'TWIN' });
    const res = await client.patch<string[]>('/sobjects/Account/Ext__c/TWIN', { Name: 'Which?' });
    expect(res.status).toBe(300);
    expect(res.body).toEqual([
      `${client.base}/sobjects/Account/${a.body.id}`,
      `${client.base}/sobjects/Account/${b.body.id}`,
    ]);
    const read = await client.get<string[]>('/sobjects/Account/Ext__c/TWIN');
    expect(read.status).toBe(300);
  });

  it('404 NOT_FOUND for a field that is not an external id', async () => {
    const res = await client.patch<Errors>('/sobjects/Account/Namez/x', { Name: 'x' });
    expect(res.status).toBe(404);
    expect(res.body).toEqual([
      {
        message: 'Provided external ID field does not exist or is not accessible: Namez',
        errorCode: 'NOT_FOUND',
      },
    ]);
  });

  it('updateOnly=true refuses to create (404) but updates', async () => {
    const res = await client.patch<Errors>('/sobjects/Account/Ext__c/NEW-ONE?updateOnly=true', { Name: 'x' });
    expect(res.status).toBe(404);
    await client.patch('/sobjects/Account/Ext__c/EXISTS', { Name: 'x' });
    expect(
      (await client.patch('/sobjects/Account/Ext__c/EXISTS?updateOnly=true', { Name: 'y' })).status,
    ).toBe(200);
  });

  it('upserts by Id and creates with POST /sobjects/X/Id', async () => {
    const created = await client.post<Record<string, unknown>>('/sobjects/Account/Id', { Name: 'Via Id' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ success: true, created: true });
    const updated = await client.patch<Record<string, unknown>>(
      `/sobjects/Account/Id/${String(created.body.id)}`,
      {
        Name: 'Via Id 2',
      },
    );
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ created: false });
  });

  it('reads and deletes by external id', async () => {
    await client.patch('/sobjects/Account/Ext__c/READ-ME', { Name: 'Read me' });
    const read = await client.get<Record<string, unknown>>('/sobjects/Account/Ext__c/READ-ME?fields=Name');
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ Name: 'Read me' });
    expect((await client.del('/sobjects/Account/Ext__c/READ-ME')).status).toBe(204);
    expect((await client.get('/sobjects/Account/Ext__c/READ-ME')).status).toBe(404);
  });

  it('validates the body as a create would', async () => {
    const res = await client.patch<Errors>('/sobjects/Account/Ext__c/BAD', { Nope: 1 });
    expect(res.status).toBe(400);
    expect(res.body[0]?.errorCode).toBe('INVALID_FIELD');
  });
});
