import type { RefreshEvent } from '@forcekit/core';
import type { Emulator } from '@forcekit/emulator';
import { describe, expect, it } from 'vitest';
import {
  createStreaming,
  type DisconnectInfo,
  type PlatformEvent,
  type StreamingError,
  type Subscription,
} from '../src/index.js';
import { FAST_RECONNECT, jwtClient, sleep, take, useOrg, waitUntil } from './support.js';

// Reconnection without loss or repeats: the server forgetting the client (403::Unknown client), the
// long poll cut (network failure), the session expiring (401::Authentication invalid, 403::Handshake
// denied), failing requests, and several clients in one process. Faults come from the emulator.

const org = useOrg();
const EVENTS = 1_000;

/** Publishes platform events Sequence__c = from..to-1, a few per transaction, yielding between batches. */
async function publishSequence(from: number, to: number): Promise<void> {
  for (let start = from; start < to; start += 50) {
    org.emulator.org.data.transaction((dml) => {
      for (let n = start; n < Math.min(to, start + 50); n++) dml.publish('Low_Ink__e', { Sequence__c: n });
    });
    await sleep(2);
  }
}

function sequences(events: readonly PlatformEvent[]): number[] {
  return events.map((event) => event.payload.Sequence__c as number);
}

function disconnects(subscription: Subscription<unknown>): DisconnectInfo[] {
  const seen: DisconnectInfo[] = [];
  subscription.on('disconnect', (info) => {
    seen.push(info);
  });
  return seen;
}

interface Streamed {
  /** The emulator's clients when the last event arrived. */
  readonly clientsAtEnd: ReturnType<Emulator['org']['streaming']['clients']>;
}

/**
 * Streams EVENTS platform events while `fault` strikes once the consumer has `strikeAt` of them (0:
 * before publishing starts), and checks that every event arrives exactly once, in order.
 */
async function streamAcross(
  subscription: Subscription<PlatformEvent>,
  strikeAt: number,
  fault: () => void | Promise<void>,
): Promise<Streamed> {
  await subscription.ready();
  if (strikeAt === 0) await fault();
  const publishing = publishSequence(0, EVENTS);
  const received: PlatformEvent[] = [];
  let clientsAtEnd: Streamed['clientsAtEnd'] = [];
  for await (const event of subscription) {
    received.push(event);
    if (strikeAt > 0 && received.length === strikeAt) await fault();
    if (received.length === EVENTS) {
      clientsAtEnd = org.emulator.org.streaming.clients();
      break;
    }
  }
  await publishing;
  expect(sequences(received)).toEqual(Array.from({ length: EVENTS }, (_, i) => i));
  return { clientsAtEnd };
}

describe('1,000 events across a forced reconnect arrive once each, in order', () => {
  it('when the server forgets the client (403::Unknown client: handshake again, re-subscribe with replay)', async () => {
    const subscription = org.streaming().subscribe('/event/Low_Ink__e');
    const lost = disconnects(subscription);
    let clientBefore: string | undefined;
    const { clientsAtEnd } = await streamAcross(subscription, 300, () => {
      clientBefore = org.emulator.org.streaming.clients()[0]?.clientId;
      expect(org.emulator.org.streaming.forgetClients()).toBe(1);
    });
    expect(lost.map((info) => info.reason)).toEqual(['unknown-client']);
    expect(lost[0]?.error.bayeuxError).toBe('403::Unknown client');
    expect(clientsAtEnd).toHaveLength(1);
    expect(clientsAtEnd[0]?.clientId).not.toBe(clientBefore);
    expect(clientsAtEnd[0]?.channels).toEqual(['/event/Low_Ink__e']);
  });

  it('when a long-poll answer carrying events is cut halfway (network failure: back off, handshake, replay)', async () => {
    const subscription = org.streaming().subscribe('/event/Low_Ink__e');
    const lost = disconnects(subscription);
    await streamAcross(subscription, 0, () => {
      // The held poll is already in; the next one (answered with events) breaks off mid-body.
      org.emulator.org.faults.dropConnection({
        method: 'POST',
        path: '/cometd/*',
        when: 'mid-response',
        times: 1,
      });
    });
    expect(lost.map((info) => info.reason)).toEqual(['network']);
    expect(org.emulator.org.faults.list()).toEqual([]);
  });

  it('when a held long poll is dropped', async () => {
    const subscription = org.streaming().subscribe('/event/Low_Ink__e');
    const lost = disconnects(subscription);
    await streamAcross(subscription, 0, async () => {
      await waitUntil(() => org.emulator.org.streaming.clients()[0]?.polling === true, 5_000, 'a held poll');
      expect(org.emulator.org.streaming.dropLongPolls()).toBe(1);
    });
    expect(lost.map((info) => info.reason)).toEqual(['network']);
  });

  it('when a -1 subscription loses its session before its first event (no replay id yet)', async () => {
    // Published before the subscription (more than the two seconds that the server's second-resolution
    // clock can blur), so not for it, though still retained: -2 on resumption must not deliver them.
    await publishSequence(-5, 0);
    await sleep(2_100);
    const subscription = org.streaming().subscribe('/event/Low_Ink__e');
    const lost = disconnects(subscription);
    await streamAcross(subscription, 0, async () => {
      await waitUntil(() => org.emulator.org.streaming.clients()[0]?.polling === true, 5_000, 'a held poll');
      org.emulator.org.expireSessions();
      expect(org.emulator.org.streaming.releaseLongPolls()).toBe(1);
    });
    expect(lost.map((info) => info.reason)).toEqual(['authentication']);
  });

  it('from the very start with replay -2, even when the connection drops before the first event', async () => {
    const subscription = org.streaming().subscribe('/event/Low_Ink__e', { replay: -2 });
    await subscription.ready();
    await waitUntil(() => org.emulator.org.streaming.clients()[0]?.polling === true, 5_000, 'a held poll');
    expect(org.emulator.org.streaming.dropLongPolls()).toBe(1);
    await publishSequence(0, EVENTS);
    expect(sequences(await take(subscription, EVENTS))).toEqual(Array.from({ length: EVENTS }, (_, i) => i));
  });

  it('when the session expires (401::Authentication invalid: refresh through core, new client, re-subscribe)', async () => {
    const refreshes: RefreshEvent[] = [];
    const off = org.client.on('refresh', (event) => refreshes.push(event));
    try {
      const subscription = org.streaming().subscribe('/event/Low_Ink__e');
      const lost = disconnects(subscription);
      await streamAcross(subscription, 300, () => {
        org.emulator.org.expireSessions();
      });
      expect(lost.map((info) => info.reason)).toEqual(['authentication']);
      expect(lost[0]?.error.bayeuxError).toBe('401::Authentication invalid');
      expect(refreshes).toHaveLength(1);
    } finally {
      off();
    }
  });
});

describe('re-authentication', () => {
  it('refreshes once and handshakes again when the first handshake is denied', async () => {
    const client = await jwtClient(org.emulator);
    const refreshes: RefreshEvent[] = [];
    client.on('refresh', (event) => refreshes.push(event));
    org.emulator.org.expireSessions();
    const streaming = createStreaming(client, { reconnect: FAST_RECONNECT });
    try {
      const subscription = streaming.subscribe('/event/Low_Ink__e');
      await subscription.ready();
      await streaming.publishEvent('Low_Ink__e', { Sequence__c: 7 });
      expect(sequences(await take(subscription, 1))).toEqual([7]);
      expect(refreshes).toHaveLength(1);
    } finally {
      await streaming.close();
      await client.close();
    }
  });

  it('shares one refresh with REST requests that hit the same expiry', async () => {
    const client = await jwtClient(org.emulator);
    const refreshes: RefreshEvent[] = [];
    client.on('refresh', (event) => refreshes.push(event));
    const streaming = createStreaming(client, { reconnect: FAST_RECONNECT });
    try {
      const subscription = streaming.subscribe('/event/Low_Ink__e');
      await subscription.ready();
      await streaming.publishEvent('Low_Ink__e', { Sequence__c: 0 });
      expect(sequences(await take(subscription, 1))).toEqual([0]);
      org.emulator.org.expireSessions();
      // REST and the long poll both find the session expired; core refreshes once for both.
      await Promise.all([
        client.request({ path: 'limits' }),
        streaming.publishEvent('Low_Ink__e', { Sequence__c: 1 }),
      ]);
      expect(sequences(await take(subscription, 1))).toEqual([1]);
      expect(refreshes).toHaveLength(1);
    } finally {
      await streaming.close();
      await client.close();
    }
  });

  it('ends with AUTHENTICATION_FAILED when the session cannot be refreshed', async () => {
    const streaming = createStreaming(org.tokenOnlyClient(), { reconnect: FAST_RECONNECT });
    const subscription = streaming.subscribe('/event/Low_Ink__e');
    await subscription.ready();
    const failure = new Promise<StreamingError>((resolve) => subscription.on('error', resolve));
    org.emulator.org.expireSessions();
    const error = await failure;
    expect(error.code).toBe('AUTHENTICATION_FAILED');
    expect(error.message).toMatch(/Could not refresh the session/);
    expect(subscription.closed).toBe(true);
    await streaming.close();
  });

  it('never puts the token in what it reports', async () => {
    const client = org.tokenOnlyClient();
    const token = client.session?.accessToken as string;
    const streaming = createStreaming(client, { reconnect: FAST_RECONNECT });
    const subscription = streaming.subscribe('/event/Low_Ink__e');
    const reported: unknown[] = [];
    subscription.on('disconnect', (info) => {
      reported.push(info);
    });
    const failure = new Promise<StreamingError>((resolve) => subscription.on('error', resolve));
    await subscription.ready();
    org.emulator.org.expireSessions();
    reported.push(await failure);
    const text = JSON.stringify(reported, (_key, value) =>
      value instanceof Error ? { ...value, message: value.message, stack: value.stack } : value,
    );
    expect(text).not.toContain(token);
    await streaming.close();
  });
});

describe('failing requests', () => {
  it('backs off and retries a handshake the server keeps failing with 503', async () => {
    org.emulator.org.faults.error({ method: 'POST', path: '/cometd/*', status: 503, times: 3 });
    const subscription = org.streaming().subscribe('/event/Low_Ink__e');
    await subscription.ready();
    const handshakes = org.emulator.org.requests
      .entries()
      .filter((entry) => entry.method === 'POST' && entry.path.startsWith('/cometd/'));
    expect(handshakes.length).toBeGreaterThanOrEqual(4);
    expect(handshakes.slice(0, 3).map((entry) => entry.status)).toEqual([503, 503, 503]);
  });

  it('subscribes again when a request is lost on the way, whichever it was', async () => {
    const streaming = org.streaming();
    const first = streaming.subscribe('/event/Low_Ink__e');
    await first.ready();
    await streaming.publishEvent('Low_Ink__e', { Sequence__c: 0 });
    expect(sequences(await take(first, 1))).toEqual([0]);
    // The next /cometd POST (the subscribe below, or a long poll) dies before the server answers.
    org.emulator.org.faults.dropConnection({ method: 'POST', path: '/cometd/*', times: 1 });
    const second = streaming.subscribe('/data/ChangeEvents');
    await second.ready();
    await waitUntil(() => org.emulator.org.faults.list().length === 0, 5_000, 'the drop to happen');
    await streaming.publishEvent('Low_Ink__e', { Sequence__c: 1 });
    await org.client.request({ method: 'POST', path: 'sobjects/Account', body: { Name: 'Acme' } });
    expect(sequences(await take(first, 1))).toEqual([1]);
    const [change] = await take(second, 1);
    expect(change?.payload.ChangeEventHeader.entityName).toBe('Account');
  });
});

describe('several clients in one process', () => {
  it('gives each Streaming its own cookies, so both hold a long poll (no multiple-clients slow polling)', async () => {
    org.emulator.org.streaming.configure({ holdMs: 5_000 });
    const one = org.streaming().subscribe('/event/Low_Ink__e');
    const two = org.streaming().subscribe('/event/Low_Ink__e');
    await Promise.all([one.ready(), two.ready()]);
    await waitUntil(
      () => {
        const clients = org.emulator.org.streaming.clients();
        return clients.length === 2 && clients.every((client) => client.polling);
      },
      5_000,
      'both clients to hold a long poll',
    );
    await publishSequence(0, 20);
    const [a, b] = await Promise.all([take(one, 20), take(two, 20)]);
    expect(sequences(a)).toEqual(sequences(b));
    expect(sequences(a)).toHaveLength(20);
  });
});
