import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';
import { BayeuxClient, type Message } from './streaming-client.js';

/**
 * Where events come from: PushTopics evaluated against record changes made through REST, platform
 * events published through REST, Change Data Capture, and generic streaming channels.
 */

let emulator: Emulator;
let token: string;

beforeAll(async () => {
  emulator = await startEmulator({ streaming: { holdMs: 50 } });
  token = emulator.credentials.accessToken;
  emulator.org.defineObject({
    name: 'Low_Ink__e',
    fields: [
      { name: 'Printer_Model__c', type: 'string', length: 20 },
      { name: 'Ink_Percentage__c', type: 'percent', precision: 5, scale: 2 },
      { name: 'Noticed_At__c', type: 'datetime' },
    ],
  });
  emulator.org.defineObject({
    name: 'Invoice_Statement__c',
    fields: [
      { name: 'Status__c', type: 'picklist', picklistValues: ['Open', 'Negotiating', 'Closed'] },
      { name: 'Description__c', type: 'string', length: 255 },
    ],
  });
});
afterAll(() => emulator.stop());
beforeEach(() => emulator.org.reset());

async function rest<T = unknown>(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${emulator.url}/services/data/v62.0${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

async function create(object: string, fields: Record<string, unknown>): Promise<string> {
  const res = await rest<{ id: string }>('POST', `/sobjects/${object}`, fields);
  if (res.status !== 201) throw new Error(`create ${object}: ${JSON.stringify(res.body)}`);
  return res.body.id;
}

async function update(object: string, id: string, fields: Record<string, unknown>): Promise<void> {
  const res = await rest('PATCH', `/sobjects/${object}/${id}`, fields);
  if (res.status !== 204) throw new Error(`update ${object}: ${JSON.stringify(res.body)}`);
}

async function remove(object: string, id: string): Promise<void> {
  const res = await rest('DELETE', `/sobjects/${object}/${id}`);
  if (res.status !== 204) throw new Error(`delete ${object}: ${JSON.stringify(res.body)}`);
}

async function subscriber(...channels: string[]): Promise<BayeuxClient> {
  return new BayeuxClient(emulator.url, token).start(channels);
}

/** Polls until nothing more arrives in one hold; returns the data messages received. */
async function drain(c: BayeuxClient): Promise<Message[]> {
  for (;;) {
    const before = c.received.length;
    await c.connect();
    if (c.received.length === before) return c.received.splice(0);
  }
}

type PushTopicData = {
  event: { createdDate: string; replayId: number; type: string };
  sobject: Record<string, unknown>;
};

describe('PushTopic events', () => {
  async function topic(name: string, query: string, extra: Record<string, unknown> = {}): Promise<string> {
    return create('PushTopic', { Name: name, Query: query, ApiVersion: 62.0, ...extra });
  }

  it('publishes created, updated, deleted and undeleted events with the SELECT fields for matching records', async () => {
    await topic('EnergyAccounts', "SELECT Id, Name, Industry FROM Account WHERE Industry = 'Energy'");
    const c = await subscriber('/topic/EnergyAccounts');

    const id = await create('Account', { Name: 'Acme', Industry: 'Energy', Phone: '555' });
    await create('Account', { Name: 'Bank', Industry: 'Banking' });
    let got = (await drain(c)).map((m) => m.data as PushTopicData);
    expect(got).toEqual([
      {
        event: {
          createdDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
          replayId: expect.any(Number),
          type: 'created',
        },
        sobject: { Id: id, Name: 'Acme', Industry: 'Energy' },
      },
    ]);
    expect(Object.keys(got[0]?.event as object)).toEqual(['createdDate', 'replayId', 'type']);

    await update('Account', id, { Name: 'Acme Energy' });
    await update('Account', id, { Phone: '556' });
    got = (await drain(c)).map((m) => m.data as PushTopicData);
    expect(got.map((d) => [d.event.type, d.sobject.Name])).toEqual([['updated', 'Acme Energy']]);

    await remove('Account', id);
    emulator.org.data.transaction((dml) => dml.undelete(id));
    got = (await drain(c)).map((m) => m.data as PushTopicData);
    expect(got.map((d) => d.event.type)).toEqual(['deleted', 'undeleted']);
    expect(got[0]?.sobject).toEqual({ Id: id });
    expect(got[1]?.sobject).toEqual({ Id: id, Name: 'Acme Energy', Industry: 'Energy' });
    const ids = got.map((d) => d.event.replayId);
    expect(ids[1]).toBe((ids[0] as number) + 1);
  });

  it('sends nothing for a record that stops matching the WHERE clause', async () => {
    await topic('EnergyOnly', "SELECT Id, Name FROM Account WHERE Industry = 'Energy'");
    const id = await create('Account', { Name: 'Acme', Industry: 'Energy' });
    const c = await subscriber('/topic/EnergyOnly');
    await update('Account', id, { Industry: 'Banking' });
    expect(await drain(c)).toEqual([]);
  });

  it('applies NotifyForFields: All, Referenced, Select and Where', async () => {
    const query = "SELECT Id, Name FROM Account WHERE Industry = 'Energy'";
    for (const rule of ['All', 'Referenced', 'Select', 'Where']) {
      await topic(`Rule${rule}`, query, { NotifyForFields: rule });
    }
    const c = await subscriber(
      '/topic/RuleAll',
      '/topic/RuleReferenced',
      '/topic/RuleSelect',
      '/topic/RuleWhere',
    );
    const id = await create('Account', { Name: 'Acme', Industry: 'Energy' });
    await drain(c);

    const notified = async (change: Record<string, unknown>): Promise<string[]> => {
      await update('Account', id, change);
      return (await drain(c)).map((m) => (m.channel as string).replace('/topic/Rule', ''));
    };
    // A field the query does not mention: only All.
    expect(await notified({ Phone: '1' })).toEqual(['All']);
    // A SELECT field: All, Referenced, Select.
    expect((await notified({ Name: 'Acme 2' })).sort()).toEqual(['All', 'Referenced', 'Select']);
    // A WHERE field, still matching (Energy -> Energy is no change, so move it and back).
    await update('Account', id, { Industry: 'Banking' });
    await drain(c);
    expect((await notified({ Industry: 'Energy' })).sort()).toEqual(['All', 'Referenced', 'Where']);
  });

  it('honours the NotifyForOperation flags and IsActive', async () => {
    const query = 'SELECT Id, Name FROM Account';
    await topic('NoCreate', query, { NotifyForOperationCreate: false });
    await topic('NoUpdate', query, { NotifyForOperationUpdate: false });
    await topic('NoDelete', query, { NotifyForOperationDelete: false });
    await topic('Inactive', query, { IsActive: false });
    const c = await subscriber('/topic/NoCreate', '/topic/NoUpdate', '/topic/NoDelete', '/topic/Inactive');
    const id = await create('Account', { Name: 'Acme' });
    await update('Account', id, { Name: 'Acme 2' });
    await remove('Account', id);
    const got = (await drain(c)).map(
      (m) => `${(m.channel as string).slice(7)}:${(m.data as PushTopicData).event.type}`,
    );
    expect(got.sort()).toEqual(
      [
        'NoCreate:updated',
        'NoCreate:deleted',
        'NoUpdate:created',
        'NoUpdate:deleted',
        'NoDelete:created',
        'NoDelete:updated',
      ].sort(),
    );
  });

  it('evaluates LIKE, IN and numeric conditions on custom objects with the SOQL engine', async () => {
    await topic(
      'InvoiceStatementUpdates',
      "SELECT Id, Name, Status__c, Description__c FROM Invoice_Statement__c WHERE Status__c IN ('Open', 'Negotiating') AND Description__c LIKE 'New%'",
    );
    const c = await subscriber('/topic/InvoiceStatementUpdates');
    const match = await create('Invoice_Statement__c', {
      Name: 'INV-0001',
      Status__c: 'Open',
      Description__c: 'New invoice.',
    });
    await create('Invoice_Statement__c', {
      Name: 'INV-0002',
      Status__c: 'Closed',
      Description__c: 'New invoice.',
    });
    await create('Invoice_Statement__c', {
      Name: 'INV-0003',
      Status__c: 'Open',
      Description__c: 'Old invoice.',
    });
    await update('Invoice_Statement__c', match, { Status__c: 'Negotiating' });
    const got = (await drain(c)).map((m) => m.data as PushTopicData);
    expect(got.map((d) => [d.event.type, d.sobject.Status__c])).toEqual([
      ['created', 'Open'],
      ['updated', 'Negotiating'],
    ]);
    expect(got[0]?.sobject).toEqual({
      Id: match,
      Name: 'INV-0001',
      Status__c: 'Open',
      Description__c: 'New invoice.',
    });
  });

  it('starts notifying as soon as a topic is created and stops when it is deleted', async () => {
    const c = await new BayeuxClient(emulator.url, token).start();
    const topicId = await topic('Late', 'SELECT Id, Name FROM Account');
    expect((await c.subscribe('/topic/Late')).successful).toBe(true);
    await create('Account', { Name: 'One' });
    expect((await drain(c)).length).toBe(1);
    await remove('PushTopic', topicId);
    await create('Account', { Name: 'Two' });
    expect(await drain(c)).toEqual([]);
  });

  it('keeps live subscriptions through a rename; new subscribers use the new name', async () => {
    const id = await topic('OldName', 'SELECT Id, Name FROM Account');
    const live = await subscriber('/topic/OldName');
    await update('PushTopic', id, { Name: 'NewName' });
    await create('Account', { Name: 'After rename' });
    const got = await drain(live);
    expect(got.map((m) => [m.channel, (m.data as PushTopicData).sobject.Name])).toEqual([
      ['/topic/OldName', 'After rename'],
    ]);
    const late = await new BayeuxClient(emulator.url, token).start();
    expect((await late.subscribe('/topic/OldName')).error).toBe(
      '400::The channel you requested to subscribe to does not exist {/topic/OldName}',
    );
    expect((await late.subscribe('/topic/NewName')).successful).toBe(true);
    expect(emulator.org.streaming.retained('/topic/NewName').map((e) => e.replayId)).toEqual([1]);
  });

  it('refuses a topic whose query Salesforce refuses, at insert and at update, and keeps the old query', async () => {
    const refused = await rest('POST', '/sobjects/PushTopic', {
      Name: 'Sorted',
      Query: 'SELECT Id, Name FROM Account ORDER BY Name',
      ApiVersion: 62.0,
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual([
      { message: "'ORDER BY' clause is not allowed", errorCode: 'INVALID_FIELD', fields: [] },
    ]);
    const typo = await rest<{ errorCode: string }[]>('POST', '/sobjects/PushTopic', {
      Name: 'Typo',
      Query: 'SELECT Id, Nmae FROM Account',
      ApiVersion: 62.0,
    });
    expect(typo.status).toBe(400);
    expect(typo.body[0]?.errorCode).toBe('INVALID_FIELD');
    expect(emulator.org.records('PushTopic')).toEqual([]);

    const id = await topic('Kept', 'SELECT Id, Name FROM Account');
    const edit = await rest('PATCH', `/sobjects/PushTopic/${id}`, { Query: 'SELECT Name FROM Account' });
    expect(edit.status).toBe(400);
    const c = await subscriber('/topic/Kept');
    await create('Account', { Name: 'Still' });
    expect((await drain(c)).map((m) => (m.data as PushTopicData).sobject)).toEqual([
      { Id: expect.any(String), Name: 'Still' },
    ]);
  });
});

describe('platform events', () => {
  it('delivers a REST publish on /event/<Name>__e with schema, payload and event, EventUuid in both', async () => {
    const c = await subscriber('/event/Low_Ink__e');
    const published = await rest<{ errors: { message: string }[] }>('POST', '/sobjects/Low_Ink__e', {
      Printer_Model__c: 'XZO-5',
      Ink_Percentage__c: 0.2,
      Noticed_At__c: '2024-01-02T03:04:05.000+0000',
    });
    expect(published.status).toBe(201);
    const eventUuid = published.body.errors[0]?.message;
    const [message] = await drain(c);
    expect(message).toEqual({
      data: {
        schema: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
        payload: {
          CreatedDate: expect.stringMatching(/Z$/),
          CreatedById: emulator.credentials.userId,
          Printer_Model__c: 'XZO-5',
          Ink_Percentage__c: 0.2,
          Noticed_At__c: '2024-01-02T03:04:05.000Z',
          EventUuid: eventUuid,
        },
        event: { replayId: expect.any(Number), EventUuid: eventUuid },
      },
      channel: '/event/Low_Ink__e',
    });
  });

  it('keeps one schema id per event definition and changes it when a field is added', async () => {
    emulator.org.defineObject({
      name: 'Schema_Probe__e',
      fields: [{ name: 'A__c', type: 'string', length: 5 }],
    });
    const c = await subscriber('/event/Schema_Probe__e');
    await rest('POST', '/sobjects/Schema_Probe__e', { A__c: 'x' });
    await rest('POST', '/sobjects/Schema_Probe__e', { A__c: 'y' });
    emulator.org.defineField('Schema_Probe__e', { name: 'B__c', type: 'string', length: 5 });
    await rest('POST', '/sobjects/Schema_Probe__e', { A__c: 'z' });
    const schemas = (await drain(c)).map((m) => (m.data as { schema: string }).schema);
    expect(schemas[0]).toBe(schemas[1]);
    expect(schemas[2]).not.toBe(schemas[0]);
  });

  it('delivers nothing for a publish that was rolled back', async () => {
    const c = await subscriber('/event/Low_Ink__e');
    expect(() =>
      emulator.org.data.transaction((dml) => {
        dml.publish('Low_Ink__e', { Printer_Model__c: 'gone' });
        throw new Error('roll back');
      }),
    ).toThrow('roll back');
    expect(await drain(c)).toEqual([]);
  });
});

type ChangeData = {
  schema: string;
  payload: { ChangeEventHeader: Record<string, unknown> } & Record<string, unknown>;
  event: { replayId: number };
};

function changeData(message: Message | undefined): ChangeData {
  if (message === undefined) throw new Error('expected a change event message');
  return message.data as ChangeData;
}

describe('change data capture', () => {
  it('CREATE carries every populated field (compound address nested), no Id, no nulls', async () => {
    const c = await subscriber('/data/AccountChangeEvent');
    const id = await create('Account', {
      Name: 'Acme',
      Industry: 'Energy',
      BillingCity: 'Paris',
      BillingCountry: 'France',
    });
    const [message] = await drain(c);
    expect(message?.channel).toBe('/data/AccountChangeEvent');
    const data = message?.data as ChangeData;
    expect(data.payload.ChangeEventHeader).toEqual({
      commitNumber: expect.any(Number),
      commitUser: emulator.credentials.userId,
      sequenceNumber: 1,
      entityName: 'Account',
      changeType: 'CREATE',
      changedFields: [],
      changeOrigin: 'com/salesforce/api/rest/62.0',
      transactionKey: expect.stringMatching(/^[0-9a-f-]{36}$/),
      commitTimestamp: expect.any(Number),
      recordIds: [id],
    });
    expect(data.payload).toMatchObject({
      Name: 'Acme',
      Industry: 'Energy',
      BillingAddress: { City: 'Paris', Country: 'France' },
      OwnerId: emulator.credentials.userId,
      CreatedDate: expect.stringMatching(/\.000Z$/),
      LastModifiedDate: expect.stringMatching(/Z$/),
    });
    expect(data.payload).not.toHaveProperty('Id');
    expect(data.payload).not.toHaveProperty('Phone');
    expect(data.payload).not.toHaveProperty('SystemModstamp');
    expect(Object.values(data.payload).includes(null)).toBe(false);
    expect(data.event).toEqual({ replayId: expect.any(Number) });
  });

  it('UPDATE carries the changed fields (nulled ones as null) and LastModifiedDate; DELETE none; UNDELETE all', async () => {
    const id = await create('Account', {
      Name: 'Acme',
      Industry: 'Energy',
      Phone: '555',
      BillingCity: 'Paris',
    });
    const c = await subscriber('/data/AccountChangeEvent');
    await update('Account', id, { Industry: 'Banking', Phone: null, BillingCity: 'Lyon' });
    await remove('Account', id);
    emulator.org.data.transaction((dml) => dml.undelete(id));
    const [updated, deleted, undeleted] = (await drain(c)).map((m) => (m.data as ChangeData).payload);

    expect(updated?.ChangeEventHeader.changeType).toBe('UPDATE');
    expect([...((updated?.ChangeEventHeader.changedFields ?? []) as string[])].sort()).toEqual(
      ['BillingAddress.City', 'Industry', 'LastModifiedDate', 'Phone'].sort(),
    );
    const { ChangeEventHeader: _h, ...updateBody } = updated as ChangeData['payload'];
    expect(Object.keys(updateBody).sort()).toEqual([
      'BillingAddress',
      'Industry',
      'LastModifiedDate',
      'Phone',
    ]);
    expect(updateBody).toMatchObject({ Industry: 'Banking', Phone: null, BillingAddress: { City: 'Lyon' } });

    const { ChangeEventHeader: deleteHeader, ...deleteBody } = deleted as ChangeData['payload'];
    expect(deleteHeader).toMatchObject({ changeType: 'DELETE', changedFields: [], recordIds: [id] });
    expect(deleteBody).toEqual({});

    expect(undeleted?.ChangeEventHeader.changeType).toBe('UNDELETE');
    expect(undeleted).toMatchObject({ Name: 'Acme', Industry: 'Banking', BillingAddress: { City: 'Lyon' } });
  });

  it('/data/ChangeEvents carries every entity; an entity channel only its own; Contact names are compound', async () => {
    const all = await subscriber('/data/ChangeEvents');
    const contacts = await subscriber('/data/ContactChangeEvent');
    const accountId = await create('Account', { Name: 'Acme' });
    await create('Contact', { FirstName: 'Ada', LastName: 'Lovelace', AccountId: accountId });
    const everything = await drain(all);
    expect(everything.map((m) => (m.data as ChangeData).payload.ChangeEventHeader.entityName)).toEqual([
      'Account',
      'Contact',
    ]);
    expect(everything.every((m) => m.channel === '/data/ChangeEvents')).toBe(true);
    const onlyContacts = await drain(contacts);
    expect(onlyContacts).toHaveLength(1);
    expect(changeData(onlyContacts[0]).payload).toMatchObject({
      Name: { FirstName: 'Ada', LastName: 'Lovelace' },
      AccountId: accountId,
    });
    // The same event on both channels has the same replay id.
    expect(changeData(onlyContacts[0]).event.replayId).toBe(changeData(everything[1]).event.replayId);
  });

  it('one transaction shares a transaction key and commit number, with increasing sequence numbers', async () => {
    const c = await subscriber('/data/ChangeEvents');
    const res = await rest('POST', '/composite/sobjects', {
      allOrNone: true,
      records: [
        { attributes: { type: 'Account' }, Name: 'One' },
        { attributes: { type: 'Account' }, Name: 'Two' },
      ],
    });
    expect(res.status).toBe(200);
    await create('Account', { Name: 'Three' });
    const headers = (await drain(c)).map((m) => (m.data as ChangeData).payload.ChangeEventHeader);
    expect(headers.map((h) => h.sequenceNumber)).toEqual([1, 2, 1]);
    expect(headers[0]?.transactionKey).toBe(headers[1]?.transactionKey);
    expect(headers[0]?.commitNumber).toBe(headers[1]?.commitNumber);
    expect(headers[2]?.transactionKey).not.toBe(headers[0]?.transactionKey);
    expect(headers[2]?.commitNumber as number).toBeGreaterThan(headers[0]?.commitNumber as number);
  });

  it('custom objects publish on /data/<Name>__ChangeEvent', async () => {
    const c = await subscriber('/data/Invoice_Statement__ChangeEvent');
    const id = await create('Invoice_Statement__c', { Name: 'INV-1', Status__c: 'Open' });
    const [message] = await drain(c);
    expect(changeData(message).payload).toMatchObject({
      ChangeEventHeader: { entityName: 'Invoice_Statement__c', recordIds: [id] },
      Name: 'INV-1',
      Status__c: 'Open',
    });
  });

  it('publishes only for the configured entities', async () => {
    emulator.org.streaming.configure({ changeDataCapture: ['Contact'] });
    const c = await subscriber('/data/ChangeEvents');
    await create('Account', { Name: 'Not captured' });
    await create('Contact', { LastName: 'Captured' });
    const got = await drain(c);
    expect(got.map((m) => (m.data as ChangeData).payload.ChangeEventHeader.entityName)).toEqual(['Contact']);
    emulator.org.streaming.configure({ changeDataCapture: 'none' });
    await create('Contact', { LastName: 'Off' });
    expect(await drain(c)).toEqual([]);
  });

  it('refuses channels of objects that have no change events', async () => {
    const c = await new BayeuxClient(emulator.url, token).start();
    expect((await c.subscribe('/data/PushTopicChangeEvent')).error).toBe(
      '400::The channel you requested to subscribe to does not exist {/data/PushTopicChangeEvent}',
    );
  });
});

describe('generic streaming', () => {
  it('pushes through REST to /u/ subscribers and answers the fan-out', async () => {
    const channelId = await create('StreamingChannel', { Name: '/u/Broadcast' });
    expect(channelId.startsWith('0M6')).toBe(true);
    const c = await subscriber('/u/Broadcast');
    const push = await rest('POST', `/sobjects/StreamingChannel/${channelId}/push`, {
      pushEvents: [{ payload: 'hello', userIds: [] }],
    });
    expect(push).toEqual({ status: 200, body: [{ fanoutCount: 1, userOnlineStatus: {} }] });
    expect(await drain(c)).toEqual([
      {
        data: {
          event: { createdDate: expect.stringMatching(/Z$/), replayId: expect.any(Number) },
          payload: 'hello',
        },
        channel: '/u/Broadcast',
      },
    ]);
  });

  it('delivers a push with userIds to those users only and reports who is online', async () => {
    const channelId = emulator.org.streaming.defineChannel('/u/Targeted');
    const other = emulator.org.createUser();
    const admin = await subscriber('/u/Targeted');
    const otherClient = await new BayeuxClient(emulator.url, other.accessToken).start(['/u/Targeted']);
    const offline = emulator.org.createUser().userId;
    const push = await rest('POST', `/sobjects/StreamingChannel/${channelId}/push`, {
      pushEvents: [{ payload: 'for you', userIds: [other.userId, offline] }],
    });
    expect(push.body).toEqual([
      { fanoutCount: 1, userOnlineStatus: { [other.userId]: true, [offline]: false } },
    ]);
    expect(await drain(admin)).toEqual([]);
    expect((await drain(otherClient)).map((m) => (m.data as { payload: string }).payload)).toEqual([
      'for you',
    ]);
  });

  it('publishGeneric() publishes from the test, and a push to an unknown channel id is 404', async () => {
    emulator.org.streaming.defineChannel('/u/FromTest');
    const c = await subscriber('/u/FromTest');
    expect(emulator.org.streaming.publishGeneric('/u/FromTest', 'direct')).toBe(1);
    expect((await drain(c)).map((m) => (m.data as { payload: string }).payload)).toEqual(['direct']);
    expect(() => emulator.org.streaming.publishGeneric('/u/Missing', 'x')).toThrow(
      /no streaming channel \/u\/Missing/,
    );
    const missing = await rest('POST', '/sobjects/StreamingChannel/0M6000000000000AAA/push', {
      pushEvents: [{ payload: 'x' }],
    });
    expect(missing.status).toBe(404);
  });

  it('answers a push body without pushEvents with 400 naming the field', async () => {
    const channelId = emulator.org.streaming.defineChannel('/u/BadBody');
    const res = await rest<{ errorCode: string; message: string }[]>(
      'POST',
      `/sobjects/StreamingChannel/${channelId}/push`,
      {
        events: [],
      },
    );
    expect(res.status).toBe(400);
    expect(res.body[0]?.errorCode).toBe('JSON_PARSER_ERROR');
    expect(res.body[0]?.message).toMatch(/pushEvents|events/);
  });
});
