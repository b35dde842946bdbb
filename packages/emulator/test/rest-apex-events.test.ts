import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlatformEventMessage } from '../src/data/events.js';
import { type RestClient, startRestClient } from './rest-client.js';

let client: RestClient;

beforeAll(async () => {
  client = await startRestClient();
});
afterAll(() => client.emulator.stop());

describe('Apex REST routes', () => {
  it('calls the registered handler with method, path, params, query and body', async () => {
    const seen: unknown[] = [];
    client.emulator.org.apexRoute('POST', '/orders/:id/lines', (req) => {
      seen.push({
        method: req.method,
        path: req.path,
        params: req.params,
        q: req.query.get('q'),
        body: req.body,
      });
      return { status: 201, body: { ok: true, user: req.userId } };
    });
    const res = await client.call<{ ok: boolean; user: string }>(
      'POST',
      '/services/apexrest/orders/O-1/lines?q=2',
      {
        body: { qty: 3 },
      },
    );
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ ok: true, user: client.emulator.credentials.userId });
    expect(seen).toEqual([
      { method: 'POST', path: '/orders/O-1/lines', params: { id: 'O-1' }, q: '2', body: { qty: 3 } },
    ]);
  });

  it('matches a trailing * and answers 200 with no body for a void handler', async () => {
    client.emulator.org.apexRoute('DELETE', '/cache/*', () => undefined);
    const res = await client.call('DELETE', '/services/apexrest/cache/a/b/c');
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
  });

  it('404 NOT_FOUND for an unknown mapping, 500 APEX_ERROR when the handler throws', async () => {
    const missing = await client.get<{ errorCode: string; message: string }[]>(
      '/services/apexrest/nothing/here',
    );
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual([
      { message: 'Could not find a match for URL /nothing/here', errorCode: 'NOT_FOUND' },
    ]);
    client.emulator.org.apexRoute('GET', '/boom', () => {
      throw new TypeError('bad things');
    });
    const boom = await client.get<{ errorCode: string; message: string }[]>('/services/apexrest/boom');
    expect(boom.status).toBe(500);
    expect(boom.body[0]?.errorCode).toBe('APEX_ERROR');
    expect(boom.body[0]?.message).toMatch(/^TypeError: bad things/);
  });

  it('requires a session like every API route', async () => {
    const res = await fetch(`${client.emulator.url}/services/apexrest/orders/1/lines`, { method: 'POST' });
    expect(res.status).toBe(401);
  });

  it('validates registrations', () => {
    expect(() => client.emulator.org.apexRoute('TRACE', '/x', () => undefined)).toThrow(/method/);
    expect(() => client.emulator.org.apexRoute('GET', 'x', () => undefined)).toThrow(/path/);
  });
});

describe('platform events', () => {
  it('publishing answers the OPERATION_ENQUEUED shape and reaches subscribers', async () => {
    client.emulator.org.defineObject({
      name: 'Notification__e',
      fields: [{ name: 'Message__c', type: 'string', length: 255, required: true }],
    });
    const messages: PlatformEventMessage[] = [];
    const stop = client.emulator.org.data.onPlatformEvent((m) => messages.push(m));
    const res = await client.post<{ id: string; success: boolean; errors: Record<string, unknown>[] }>(
      '/sobjects/Notification__e',
      { Message__c: 'hello' },
    );
    stop();
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: 'e00xx0000000001AAA',
      success: true,
      errors: [
        { statusCode: 'OPERATION_ENQUEUED', message: expect.stringMatching(/^[0-9a-f-]{36}$/), fields: [] },
      ],
    });
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ object: 'Notification__e', payload: { Message__c: 'hello' } });
    expect(messages[0]?.eventUuid).toBe(res.body.errors[0]?.message);
  });

  it('validates the event fields and keeps events out of queries', async () => {
    const missing = await client.post<{ errorCode: string }[]>('/sobjects/Notification__e', {});
    expect(missing.body[0]?.errorCode).toBe('REQUIRED_FIELD_MISSING');
    const query = await client.get<{ errorCode: string }[]>(
      `/query?q=${encodeURIComponent('SELECT Id FROM Notification__e')}`,
    );
    expect(query.body[0]?.errorCode).toBe('INVALID_TYPE');
  });
});

describe('replication: updated and deleted', () => {
  it('lists ids updated and deleted in the window, in whole minutes', async () => {
    const org = client.emulator.org;
    const start = new Date(org.clock.now() - 60_000).toISOString();
    const kept = await client.post<{ id: string }>('/sobjects/Case', { Subject: 'kept' });
    const gone = await client.post<{ id: string }>('/sobjects/Case', { Subject: 'gone' });
    await client.del(`/sobjects/Case/${gone.body.id}`);
    org.clock.advance(120_000);
    const end = new Date(org.clock.now()).toISOString();
    const window = `start=${encodeURIComponent(start)}&end=${encodeURIComponent(end)}`;
    const updated = await client.get<{ ids: string[]; latestDateCovered: string }>(
      `/sobjects/Case/updated?${window}`,
    );
    expect(updated.status).toBe(200);
    expect(updated.body.ids).toContain(kept.body.id);
    expect(updated.body.ids).not.toContain(gone.body.id);
    expect(updated.body.latestDateCovered).toMatch(/:00\.000\+0000$/);
    const deleted = await client.get<{
      deletedRecords: { id: string; deletedDate: string }[];
      earliestDateAvailable: string;
      latestDateCovered: string;
    }>(`/sobjects/Case/deleted?${window}`);
    expect(deleted.body.deletedRecords).toEqual([
      { id: gone.body.id, deletedDate: expect.stringMatching(/\+0000$/) },
    ]);
    expect(Object.keys(deleted.body)).toEqual([
      'deletedRecords',
      'earliestDateAvailable',
      'latestDateCovered',
    ]);
  });

  it('INVALID_REPLICATION_DATE for a missing or reversed window', async () => {
    const res = await client.get<{ errorCode: string }[]>(
      '/sobjects/Case/updated?start=2020-01-01T00:00:00Z',
    );
    expect(res.status).toBe(400);
    expect(res.body[0]?.errorCode).toBe('INVALID_REPLICATION_DATE');
    const now = Date.now();
    const reversed = await client.get<{ errorCode: string }[]>(
      `/sobjects/Case/deleted?start=${new Date(now).toISOString()}&end=${new Date(now - 3_600_000).toISOString()}`,
    );
    expect(reversed.body[0]?.errorCode).toBe('INVALID_REPLICATION_DATE');
  });
});
