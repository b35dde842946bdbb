import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';
import { BayeuxClient, type Message } from './streaming-client.js';
import { describeConformance, fixtureJson } from './support/fixtures.js';
import { sameShape, shapeDiff } from './support/shapes.js';

/**
 * The CometD endpoint against the recorded Streaming API messages in shared/fixtures/streaming: the
 * same keys and value types. Meta replies are compared with their key order (CometD writes them in a
 * fixed order); event payloads without it, because Salesforce documents that the order of their
 * fields is not guaranteed (the recorded change event is in a Java hash order).
 */

function without<T extends Record<string, unknown>>(value: T, ...keys: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([key]) => !keys.includes(key)));
}

interface PushTopicSession {
  handshake_response: Record<string, unknown>;
  connect_response: Record<string, unknown>;
  subscribe_response: Record<string, unknown>;
  event_data_created: Record<string, unknown>;
  event_data_updated: Record<string, unknown>;
}

describeConformance('the CometD endpoint conforms to recorded Streaming API messages', () => {
  let emulator: Emulator;
  let session: PushTopicSession;

  beforeAll(async () => {
    emulator = await startEmulator({ apiVersion: '60.0', streaming: { holdMs: 300 } });
    session = fixtureJson<PushTopicSession>('streaming/pushtopic_session_docs.json');
    emulator.org.defineObject({
      name: 'Invoice_Statement__c',
      fields: [
        { name: 'Status__c', type: 'picklist', picklistValues: ['Open', 'Negotiating', 'Closed'] },
        { name: 'Description__c', type: 'string', length: 255 },
      ],
    });
    emulator.org.defineObject({
      name: 'Low_Ink__e',
      fields: [
        { name: 'Printer_Model__c', type: 'string', length: 20 },
        { name: 'Serial_Number__c', type: 'string', length: 20 },
        { name: 'Ink_Percentage__c', type: 'percent', precision: 5, scale: 2 },
      ],
    });
    emulator.org.defineObject({ name: 'Distributor__c' });
  });
  afterAll(() => emulator.stop());

  function client(): BayeuxClient {
    return new BayeuxClient(emulator.url, emulator.credentials.accessToken, { version: '60.0' });
  }

  async function rest(method: string, path: string, body?: unknown): Promise<Response> {
    return fetch(`${emulator.url}/services/data/v60.0${path}`, {
      method,
      headers: {
        authorization: `Bearer ${emulator.credentials.accessToken}`,
        'content-type': 'application/json',
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  }

  it('handshake reply (the recorded reestablish member is added by the cometd JS library, not the server)', async () => {
    const reply = await client().handshake();
    expect(sameShape(reply, without(session.handshake_response, 'reestablish'))).toEqual([]);
  });

  it('connect reply of a second client of a browser, with the multiple-clients advice', async () => {
    const first = await client().start();
    const second = client();
    second.cookie = first.cookie;
    await second.start();
    const held = first.connect();
    for (let i = 0; i < 200 && !emulator.org.streaming.clients().some((c) => c.polling); i++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const [reply] = await second.connect();
    expect(sameShape(reply, session.connect_response)).toEqual([]);
    await held;
  });

  it('subscribe reply', async () => {
    const created = await rest('POST', '/sobjects/PushTopic', {
      Name: 'InvoiceStatementUpdates',
      Query: 'SELECT Id, Name, Status__c, Description__c FROM Invoice_Statement__c',
      ApiVersion: 60.0,
    });
    expect(created.status).toBe(201);
    const c = await client().start();
    expect(
      sameShape(await c.subscribe('/topic/InvoiceStatementUpdates'), session.subscribe_response),
    ).toEqual([]);
  });

  it('PushTopic created and updated event data', async () => {
    const c = await client().start(['/topic/InvoiceStatementUpdates']);
    const created = await rest('POST', '/sobjects/Invoice_Statement__c', {
      Name: 'INV-0001',
      Status__c: 'Open',
      Description__c: 'New invoice.',
    });
    const { id } = (await created.json()) as { id: string };
    await rest('PATCH', `/sobjects/Invoice_Statement__c/${id}`, { Status__c: 'Negotiating' });
    const [createdEvent, updatedEvent] = await c.collect(2);
    expect(shapeDiff(createdEvent?.data, session.event_data_created)).toEqual([]);
    expect(shapeDiff(updatedEvent?.data, session.event_data_updated)).toEqual([]);
    expect(updatedEvent?.data).toMatchObject({ event: { type: 'updated' } });
  });

  it('platform event message (current versions add EventUuid to payload and event)', async () => {
    const recorded = fixtureJson<{
      data: { payload: Record<string, unknown>; event: Record<string, unknown> };
    }>('streaming/platform_event_message_docs.json');
    const c = await client().start(['/event/Low_Ink__e']);
    const published = await rest('POST', '/sobjects/Low_Ink__e', {
      Printer_Model__c: 'XZO-5',
      Serial_Number__c: '12345',
      Ink_Percentage__c: 0.2,
    });
    expect(published.status).toBe(201);
    const [message] = await c.collect(1);
    const data = (message as Message).data as {
      payload: Record<string, unknown>;
      event: Record<string, unknown>;
    };
    expect(typeof data.payload.EventUuid).toBe('string');
    expect(data.event.EventUuid).toBe(data.payload.EventUuid);
    const comparable = {
      ...(message as Message),
      data: { ...data, payload: without(data.payload, 'EventUuid'), event: without(data.event, 'EventUuid') },
    };
    expect(shapeDiff(comparable, recorded)).toEqual([]);
  });

  it('change event of a custom object create', async () => {
    const recorded = fixtureJson('streaming/cdc_custom_object_create.json');
    const c = await client().start(['/data/Distributor__ChangeEvent']);
    const created = await rest('POST', '/sobjects/Distributor__c', { Name: 'Mohanc' });
    expect(created.status).toBe(201);
    const [message] = await c.collect(1);
    expect(shapeDiff(message?.data, recorded)).toEqual([]);
  });

  it('connect with an expired session: 401::Authentication invalid', async () => {
    const recorded = fixtureJson('streaming/meta_connect_401_authentication_invalid.json');
    const token = emulator.org.createSession();
    const c = await new BayeuxClient(emulator.url, token, { version: '60.0' }).start();
    emulator.org.sessions.revoke(token);
    const response = await c.post([
      { channel: '/meta/connect', clientId: c.clientId, connectionType: 'long-polling', id: 7 },
    ]);
    expect(sameShape(response.messages[0], recorded)).toEqual([]);
  });

  it('handshake with a bad token: 403::Handshake denied (other public captures also show payload.format)', async () => {
    const recorded = fixtureJson<Record<string, unknown>>(
      'streaming/meta_handshake_403_handshake_denied.json',
    );
    const response = await new BayeuxClient(emulator.url, 'expired-token', { version: '60.0' }).post([
      { channel: '/meta/handshake', version: '1.0', supportedConnectionTypes: ['long-polling'] },
    ]);
    const reply = response.messages[0] as Message;
    expect(reply.ext).toMatchObject({ 'payload.format': true });
    const comparable = { ...reply, ext: without(reply.ext as Record<string, unknown>, 'payload.format') };
    expect(sameShape(comparable, recorded)).toEqual([]);
  });
});
