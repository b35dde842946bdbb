import { from } from '@forcekit/soql';
import { describe, expect, it } from 'vitest';
import type { ChangeEvent, GenericEvent, PlatformEvent, PushTopicEvent } from '../src/index.js';
import { take, useOrg } from './support.js';

// Every kind of channel, end to end over real HTTP: events caused through the REST API (records,
// platform event publishes, generic pushes) arrive through subscribe() with Salesforce's payload shapes.

const org = useOrg();

async function createRecord(object: string, fields: Record<string, unknown>): Promise<string> {
  const created = await org.client.request<{ id: string }>({
    method: 'POST',
    path: `sobjects/${object}`,
    body: fields,
  });
  return created.id;
}

describe('PushTopic channels (/topic)', () => {
  it('delivers created, updated and deleted notifications with the SELECT fields', async () => {
    const streaming = org.streaming();
    const topic = await streaming.createPushTopic({
      name: 'InvoiceUpdates',
      query: 'SELECT Id, Name, Status__c FROM Invoice_Statement__c',
      notifyForFields: 'All',
    });
    expect(topic.channel).toBe('/topic/InvoiceUpdates');
    const subscription = streaming.subscribe(topic.channel);
    await subscription.ready();

    const id = await createRecord('Invoice_Statement__c', { Name: 'INV-0001', Status__c: 'Open' });
    await org.client.request({
      method: 'PATCH',
      path: `sobjects/Invoice_Statement__c/${id}`,
      body: { Status__c: 'Negotiating' },
    });
    await org.client.request({ method: 'DELETE', path: `sobjects/Invoice_Statement__c/${id}` });

    const events: PushTopicEvent[] = await take(subscription, 3);
    expect(events.map((event) => event.event.type)).toEqual(['created', 'updated', 'deleted']);
    expect(events[0]?.sobject).toEqual({ Id: id, Name: 'INV-0001', Status__c: 'Open' });
    expect(events[1]?.sobject.Status__c).toBe('Negotiating');
    expect(events[2]?.sobject.Id).toBe(id);
    expect(events[0]?.event.createdDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const ids = events.map((event) => event.event.replayId);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
  });

  it('creates a topic from a soql builder and honours the operations it lists', async () => {
    const streaming = org.streaming();
    const query = from('Invoice_Statement__c').find({ Status__c: 'Closed' }, ['Id', 'Name']);
    const topic = await streaming.createPushTopic({ name: 'ClosedInvoices', query, operations: ['create'] });
    const records = await org.client.request<{ records: Record<string, unknown>[] }>({
      path: 'query',
      query: {
        q: "SELECT Query, NotifyForFields, NotifyForOperationCreate, NotifyForOperationUpdate FROM PushTopic WHERE Name = 'ClosedInvoices'",
      },
    });
    expect(records.records[0]).toMatchObject({
      Query: query.toSOQL(),
      NotifyForFields: 'Referenced',
      NotifyForOperationCreate: true,
      NotifyForOperationUpdate: false,
    });

    const subscription = streaming.subscribe<PushTopicEvent<{ Name: string }>>(topic.channel);
    await subscription.ready();
    await createRecord('Invoice_Statement__c', { Name: 'open one', Status__c: 'Open' });
    await createRecord('Invoice_Statement__c', { Name: 'closed one', Status__c: 'Closed' });
    const [event] = await take(subscription, 1);
    expect(event?.sobject.Name).toBe('closed one');
  });

  it('deletes a topic by name and by id, and says when there was none', async () => {
    const streaming = org.streaming();
    const first = await streaming.createPushTopic({ name: 'ByName', query: 'SELECT Id FROM Account' });
    const second = await streaming.createPushTopic({ name: 'ById', query: 'SELECT Id FROM Account' });
    expect(await streaming.deletePushTopic('ByName')).toBe(true);
    expect(await streaming.deletePushTopic(second.id)).toBe(true);
    expect(await streaming.deletePushTopic('ByName')).toBe(false);
    expect(await streaming.deletePushTopic(first.id)).toBe(false);
    const left = await org.client.request<{ totalSize: number }>({
      path: 'query',
      query: { q: 'SELECT Id FROM PushTopic' },
    });
    expect(left.totalSize).toBe(0);
  });

  it('takes the callback form: topic(name).subscribe(listener)', async () => {
    const streaming = org.streaming();
    await streaming.createPushTopic({ name: 'AllAccounts', query: 'SELECT Id, Name FROM Account' });
    const names: unknown[] = [];
    const subscription = streaming.topic('AllAccounts').subscribe((event) => {
      names.push(event.sobject.Name);
    });
    expect(subscription.channel).toBe('/topic/AllAccounts');
    await subscription.ready();
    await createRecord('Account', { Name: 'Acme' });
    await createRecord('Account', { Name: 'Globex' });
    await expect.poll(() => names).toEqual(['Acme', 'Globex']);
    expect(subscription.lastReplayId).toBeGreaterThan(0);
  });
});

describe('platform event channels (/event)', () => {
  it('delivers events published with publishEvent() with schema, payload and replay id', async () => {
    const streaming = org.streaming();
    const subscription = streaming.subscribe('/event/Low_Ink__e');
    await subscription.ready();
    const published = await streaming.publishEvent('Low_Ink__e', {
      Printer_Model__c: 'XZO-5',
      Sequence__c: 1,
    });
    expect(published.success).toBe(true);
    expect(published.id).toMatch(/^e00/);

    const [event]: (PlatformEvent | undefined)[] = await take(subscription, 1);
    expect(event?.schema).toEqual(expect.any(String));
    expect(event?.payload).toMatchObject({
      Printer_Model__c: 'XZO-5',
      Sequence__c: 1,
      CreatedById: org.emulator.credentials.userId,
    });
    expect(event?.payload.CreatedDate).toMatch(/Z$/);
    expect(event?.event.replayId).toEqual(expect.any(Number));
  });

  it('fails ready() and the loop with CHANNEL_NOT_FOUND for an event that does not exist', async () => {
    const subscription = org.streaming().subscribe('/event/Nope__e');
    await expect(subscription.ready()).rejects.toMatchObject({
      code: 'CHANNEL_NOT_FOUND',
      channel: '/event/Nope__e',
      bayeuxError: '400::The channel you requested to subscribe to does not exist {/event/Nope__e}',
    });
    await expect(take(subscription, 1)).rejects.toMatchObject({ code: 'CHANNEL_NOT_FOUND' });
    expect(subscription.closed).toBe(true);
  });
});

describe('change data capture channels (/data)', () => {
  it('delivers an object channel with the ChangeEventHeader and only changed fields on update', async () => {
    const streaming = org.streaming();
    const subscription = streaming.subscribe('/data/AccountChangeEvent');
    await subscription.ready();
    const id = await createRecord('Account', { Name: 'Acme' });
    await org.client.request({
      method: 'PATCH',
      path: `sobjects/Account/${id}`,
      body: { Industry: 'Energy' },
    });

    const [created, updated]: ChangeEvent[] = await take(subscription, 2);
    expect(created?.payload.ChangeEventHeader).toMatchObject({
      entityName: 'Account',
      changeType: 'CREATE',
      recordIds: [id],
      commitUser: org.emulator.credentials.userId,
    });
    expect(created?.payload.Name).toBe('Acme');
    expect(updated?.payload.ChangeEventHeader.changeType).toBe('UPDATE');
    expect(updated?.payload.ChangeEventHeader.changedFields).toContain('Industry');
    expect(updated?.payload.Industry).toBe('Energy');
    expect(updated?.payload).not.toHaveProperty('Name');
  });

  it('delivers every captured object on /data/ChangeEvents', async () => {
    const subscription = org.streaming().subscribe('/data/ChangeEvents');
    await subscription.ready();
    await createRecord('Account', { Name: 'Acme' });
    await createRecord('Contact', { LastName: 'Smith' });
    const events = await take(subscription, 2);
    expect(events.map((event) => event.payload.ChangeEventHeader.entityName)).toEqual(['Account', 'Contact']);
  });
});

describe('generic channels (/u)', () => {
  it('delivers text pushed with publish(), which reports the fan-out', async () => {
    const streaming = org.streaming();
    const { id } = await streaming.createChannel('/u/Broadcast', 'test channel');
    expect(id).toMatch(/^0M6/);
    const subscription = streaming.subscribe('/u/Broadcast');
    await subscription.ready();
    expect(await streaming.publish('/u/Broadcast', 'hello')).toEqual({
      fanoutCount: 1,
      userOnlineStatus: {},
    });
    expect(await streaming.publish('/u/Broadcast', 'world')).toEqual({
      fanoutCount: 1,
      userOnlineStatus: {},
    });
    const events: GenericEvent[] = await take(subscription, 2);
    expect(events.map((event) => event.payload)).toEqual(['hello', 'world']);
    expect(events[1]?.event.replayId).toBeGreaterThan(events[0]?.event.replayId ?? Number.POSITIVE_INFINITY);
  });

  it('looks up a channel it did not create by name', async () => {
    org.emulator.org.streaming.defineChannel('/u/Existing');
    const streaming = org.streaming();
    const subscription = streaming.subscribe('/u/Existing');
    await subscription.ready();
    await streaming.publish('/u/Existing', 'found');
    const [event] = await take(subscription, 1);
    expect(event?.payload).toBe('found');
  });

  it('refuses to publish to a channel that does not exist', async () => {
    await expect(org.streaming().publish('/u/Missing', 'x')).rejects.toMatchObject({
      code: 'CHANNEL_NOT_FOUND',
      channel: '/u/Missing',
    });
  });
});

describe('one client for many subscriptions', () => {
  it('carries every subscription of a Streaming on one CometD client', async () => {
    const streaming = org.streaming();
    org.emulator.org.streaming.defineChannel('/u/One');
    const subscriptions = [
      streaming.subscribe('/u/One'),
      streaming.subscribe('/event/Low_Ink__e'),
      streaming.subscribe('/data/ChangeEvents'),
    ];
    await Promise.all(subscriptions.map((subscription) => subscription.ready()));
    const clients = org.emulator.org.streaming.clients();
    expect(clients).toHaveLength(1);
    expect([...(clients[0]?.channels ?? [])].sort()).toEqual([
      '/data/ChangeEvents',
      '/event/Low_Ink__e',
      '/u/One',
    ]);
  });
});
