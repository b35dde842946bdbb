import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';
import { BayeuxClient } from './streaming-client.js';

/** The streaming controls over HTTP (`/__emulator/streaming/...`), for tests in another process. */

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ streaming: { holdMs: 60_000 } });
});
afterAll(() => emulator.stop());

async function control<T = unknown>(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${emulator.url}/__emulator/streaming${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as T };
}

async function waitForPoll(): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (emulator.org.streaming.clients().some((c) => c.polling)) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('no long poll is held');
}

describe('/__emulator/streaming', () => {
  it('creates a channel, publishes on it, lists clients and retained events', async () => {
    const created = await control<{ id: string }>('POST', '/channels', { name: '/u/Ops' });
    expect(created.status).toBe(201);
    expect(created.body.id).toMatch(/^0M6/);
    const c = await new BayeuxClient(emulator.url, emulator.credentials.accessToken).start(['/u/Ops']);
    expect((await control('POST', '/publish', { channel: '/u/Ops', payload: 'ping' })).body).toEqual({
      fanoutCount: 1,
    });
    expect((await control('GET', '/clients')).body).toEqual([
      {
        clientId: c.clientId,
        userId: emulator.credentials.userId,
        channels: ['/u/Ops'],
        polling: false,
        pending: 1,
      },
    ]);
    const retained = await control<{ replayId: number; data: { payload: string } }[]>(
      'GET',
      `/retained?channel=${encodeURIComponent('/u/Ops')}`,
    );
    expect(retained.body.map((r) => r.data.payload)).toEqual(['ping']);
  });

  it('answers a bad request with 400 and the reason', async () => {
    expect(await control('POST', '/publish', { channel: '/u/Missing', payload: 'x' })).toEqual({
      status: 400,
      body: { error: expect.stringContaining('no streaming channel /u/Missing') },
    });
    expect((await control('PATCH', '/options', { holdMs: -1 })).body).toEqual({
      error: expect.stringContaining('streaming.holdMs'),
    });
    expect((await control('GET', '/retained')).status).toBe(400);
  });

  it('changes options, releases, drops and forgets', async () => {
    expect((await control<{ holdMs: number }>('PATCH', '/options', { holdMs: 30_000 })).body.holdMs).toBe(
      30_000,
    );
    const c = await new BayeuxClient(emulator.url, emulator.credentials.accessToken).start();

    let poll = c.connect();
    await waitForPoll();
    expect((await control('POST', '/long-polls/release')).body).toEqual({ released: 1 });
    expect((await poll).at(-1)?.successful).toBe(true);

    poll = c.connect();
    await waitForPoll();
    expect((await control('POST', '/long-polls/drop')).body).toEqual({ dropped: 1 });
    await expect(poll).rejects.toThrow();

    expect((await control('POST', '/clients/forget', { clientId: c.clientId })).body).toEqual({
      forgotten: 1,
    });
    expect((await c.connect())[0]?.error).toBe('403::Unknown client');
  });
});

describe('org.reset()', () => {
  it('puts the start options back, forgets clients, topics and events, and counts replay ids from 1', async () => {
    const { org } = emulator;
    org.defineObject({ name: 'Reset_Probe__e', fields: [{ name: 'N__c', type: 'double' }] });
    const publish = () => org.data.transaction((dml) => dml.publish('Reset_Probe__e', { N__c: 1 }));
    org.insert('PushTopic', [{ Name: 'ResetProbe', Query: 'SELECT Id FROM Account', ApiVersion: 62.0 }]);
    const c = await new BayeuxClient(emulator.url, emulator.credentials.accessToken).start([
      '/topic/ResetProbe',
    ]);
    publish();
    publish();
    expect(org.streaming.retained('/event/Reset_Probe__e').map((e) => e.replayId)).toEqual([1, 2]);
    org.streaming.configure({ holdMs: 5, changeDataCapture: 'none', maxRetainedEvents: 1 });

    const reset = await fetch(`${emulator.url}/__emulator/reset`, { method: 'POST' });
    expect(reset.status).toBe(204);
    expect(org.streaming.options).toMatchObject({
      holdMs: 60_000,
      changeDataCapture: 'all',
      maxRetainedEvents: 10_000,
    });
    expect(org.streaming.clients()).toEqual([]);
    expect((await c.connect())[0]?.error).toBe('403::Unknown client');
    expect(org.records('PushTopic')).toEqual([]);
    expect(() => org.streaming.retained('/topic/ResetProbe')).toThrow(/does not exist/);
    expect(org.streaming.retained('/event/Reset_Probe__e')).toEqual([]);
    publish();
    expect(org.streaming.retained('/event/Reset_Probe__e').map((e) => e.replayId)).toEqual([1]);
  });
});
