import { ConfigurationError } from '@forcekit/core';
import { describe, expect, it } from 'vitest';
import {
  type ConnectInfo,
  type GenericEvent,
  MemoryReplayStore,
  type StreamingError,
  type Subscription,
} from '../src/index.js';
import { publishGeneric, sleep, take, useOrg, waitUntil } from './support.js';

// Where a subscription starts, what it records as delivered, and how it stops: replay -1 / -2 / N,
// positions in the replay store, invalid replay ids, the bounded buffer and its overflow policies.

const org = useOrg();
const CHANNEL = '/u/Replay';

function define(): void {
  org.emulator.org.streaming.defineChannel(CHANNEL);
}

function payloads(events: readonly GenericEvent[]): string[] {
  return events.map((event) => event.payload);
}

function replayIdsRetained(): number[] {
  return org.emulator.org.streaming.retained(CHANNEL).map((event) => event.replayId);
}

describe('where a subscription starts', () => {
  it('gets only new events with -1 (the default)', async () => {
    define();
    publishGeneric(org.emulator, CHANNEL, 3, 'old');
    const subscription = org.streaming().subscribe(CHANNEL);
    await subscription.ready();
    publishGeneric(org.emulator, CHANNEL, 2, 'new');
    expect(payloads(await take(subscription, 2))).toEqual(['new0', 'new1']);
  });

  it('gets every retained event with -2', async () => {
    define();
    publishGeneric(org.emulator, CHANNEL, 3, 'old');
    const subscription = org.streaming().subscribe(CHANNEL, { replay: -2 });
    expect(payloads(await take(subscription, 3))).toEqual(['old0', 'old1', 'old2']);
  });

  it('resumes after an explicit replay id', async () => {
    define();
    publishGeneric(org.emulator, CHANNEL, 5);
    const [, second] = replayIdsRetained();
    const subscription = org.streaming().subscribe(CHANNEL, { replay: second as number });
    expect(payloads(await take(subscription, 3))).toEqual(['2', '3', '4']);
  });

  it('resumes after the stored position, which wins over the replay option', async () => {
    define();
    publishGeneric(org.emulator, CHANNEL, 4);
    const store = new MemoryReplayStore();
    store.set(CHANNEL, replayIdsRetained()[1] as number);
    const subscription = org.streaming({ replayStore: store }).subscribe(CHANNEL, { replay: -1 });
    expect(payloads(await take(subscription, 2))).toEqual(['2', '3']);
  });
});

describe('what is recorded as delivered', () => {
  it('records each event once the loop comes back for the next, and stops without repeats on unsubscribe()', async () => {
    define();
    const store = new MemoryReplayStore();
    const streaming = org.streaming({ replayStore: store });
    const subscription = streaming.subscribe(CHANNEL, { replay: -2 });
    publishGeneric(org.emulator, CHANNEL, 5);
    const ids = replayIdsRetained();
    const seen: string[] = [];
    const recordedWhileHandling: (number | undefined)[] = [];
    for await (const event of subscription) {
      recordedWhileHandling.push(store.get(CHANNEL));
      seen.push(event.payload);
      if (seen.length === 3) await subscription.unsubscribe();
    }
    expect(seen).toEqual(['0', '1', '2']);
    // While event n is handled, event n-1 is the last recorded one.
    expect(recordedWhileHandling).toEqual([undefined, ids[0], ids[1]]);
    expect(store.get(CHANNEL)).toBe(ids[2]);
    expect(subscription.lastReplayId).toBe(ids[2]);

    const again = streaming.subscribe(CHANNEL, { replay: -2 });
    expect(payloads(await take(again, 2))).toEqual(['3', '4']);
  });

  it('leaves the event in hand unrecorded when the loop is left with break, so it comes again', async () => {
    define();
    const store = new MemoryReplayStore();
    const streaming = org.streaming({ replayStore: store });
    publishGeneric(org.emulator, CHANNEL, 4);
    const ids = replayIdsRetained();
    const seen: string[] = [];
    for await (const event of streaming.subscribe(CHANNEL, { replay: -2 })) {
      seen.push(event.payload);
      if (seen.length === 2) break;
    }
    expect(store.get(CHANNEL)).toBe(ids[0]);
    expect(payloads(await take(streaming.subscribe(CHANNEL, { replay: -2 }), 3))).toEqual(['1', '2', '3']);
  });

  it('ends the loop normally when the signal aborts, recording the last event handled', async () => {
    define();
    const store = new MemoryReplayStore();
    const controller = new AbortController();
    const subscription = org.streaming({ replayStore: store }).subscribe(CHANNEL, {
      replay: -2,
      signal: controller.signal,
    });
    publishGeneric(org.emulator, CHANNEL, 3);
    const seen: string[] = [];
    for await (const event of subscription) {
      seen.push(event.payload);
      if (seen.length === 2) controller.abort();
    }
    expect(seen).toEqual(['0', '1']);
    expect(store.get(CHANNEL)).toBe(replayIdsRetained()[1]);
    expect(subscription.closed).toBe(true);
    await waitUntil(
      () => org.emulator.org.streaming.clients().length === 0,
      5_000,
      'the client to disconnect',
    );
  });

  it('unsubscribes through Symbol.asyncDispose', async () => {
    define();
    const streaming = org.streaming();
    const subscription = streaming.subscribe(CHANNEL);
    await subscription.ready();
    await subscription[Symbol.asyncDispose]();
    expect(subscription.closed).toBe(true);
    // The channel is free for a new subscription.
    await streaming.subscribe(CHANNEL).ready();
  });

  it('stops at a throwing data listener without recording its event', async () => {
    define();
    const store = new MemoryReplayStore();
    const subscription = org.streaming({ replayStore: store }).subscribe(CHANNEL, { replay: -2 });
    const failure = new Promise<StreamingError>((resolve) => subscription.on('error', resolve));
    const seen: string[] = [];
    subscription.on('data', (event) => {
      seen.push(event.payload);
      if (event.payload === '1') throw new Error('cannot handle 1');
    });
    publishGeneric(org.emulator, CHANNEL, 3);
    const error = await failure;
    expect(error).toMatchObject({ code: 'LISTENER_FAILED', channel: CHANNEL });
    expect((error.cause as Error).message).toBe('cannot handle 1');
    expect(seen).toEqual(['0', '1']);
    expect(store.get(CHANNEL)).toBe(replayIdsRetained()[0]);
    expect(subscription.closed).toBe(true);
  });

  it('waits for an async data listener before handing it the next event', async () => {
    define();
    const subscription = org.streaming().subscribe(CHANNEL, { replay: -2 });
    let running = 0;
    let overlapped = false;
    const seen: string[] = [];
    subscription.on('data', async (event) => {
      running++;
      if (running > 1) overlapped = true;
      await sleep(5);
      seen.push(event.payload);
      running--;
    });
    publishGeneric(org.emulator, CHANNEL, 10);
    await expect.poll(() => seen.length).toBe(10);
    expect(overlapped).toBe(false);
    expect(seen).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  });
});

describe('an invalid or expired replay id', () => {
  function connects(subscription: Subscription<unknown>): ConnectInfo[] {
    const infos: ConnectInfo[] = [];
    subscription.on('connect', (info) => {
      infos.push(info);
    });
    return infos;
  }

  it("falls back to -2 by default: every retained event, and says so on 'connect'", async () => {
    define();
    publishGeneric(org.emulator, CHANNEL, 3);
    const store = new MemoryReplayStore();
    store.set(CHANNEL, 987_654_321);
    const subscription = org.streaming({ replayStore: store }).subscribe(CHANNEL);
    const infos = connects(subscription);
    expect(payloads(await take(subscription, 3))).toEqual(['0', '1', '2']);
    expect(infos[0]).toEqual({
      channel: CHANNEL,
      replayFrom: -2,
      reconnected: false,
      refusedReplayId: 987_654_321,
    });
  });

  it("falls back to -1 with invalidReplay: 'new'", async () => {
    define();
    publishGeneric(org.emulator, CHANNEL, 3, 'old');
    const store = new MemoryReplayStore();
    store.set(CHANNEL, 987_654_321);
    const subscription = org.streaming({ replayStore: store, invalidReplay: 'new' }).subscribe(CHANNEL);
    const infos = connects(subscription);
    await subscription.ready();
    publishGeneric(org.emulator, CHANNEL, 1, 'new');
    expect(payloads(await take(subscription, 1))).toEqual(['new0']);
    expect(infos[0]?.replayFrom).toBe(-1);
  });

  it("ends the subscription with INVALID_REPLAY_ID under invalidReplay: 'error'", async () => {
    define();
    const subscription = org.streaming().subscribe(CHANNEL, { replay: 987_654_321, invalidReplay: 'error' });
    await expect(subscription.ready()).rejects.toMatchObject({
      code: 'INVALID_REPLAY_ID',
      bayeuxError:
        '400::The replayId {987654321} you provided was invalid.  Please provide a valid ID, -2 to replay all events, or -1 to replay only new events',
    });
  });

  it('resumes with -2 after a stored id that fell out of retention, losing only what expired', async () => {
    define();
    org.emulator.org.streaming.configure({ maxRetainedEvents: 5 });
    publishGeneric(org.emulator, CHANNEL, 3, 'a');
    const store = new MemoryReplayStore();
    store.set(CHANNEL, replayIdsRetained()[0] as number);
    publishGeneric(org.emulator, CHANNEL, 5, 'b'); // pushes a0..a2 out of the window
    const subscription = org.streaming({ replayStore: store }).subscribe(CHANNEL);
    expect(payloads(await take(subscription, 5))).toEqual(['b0', 'b1', 'b2', 'b3', 'b4']);
  });
});

describe('the bounded buffer', () => {
  it("pauses a slow consumer's subscription and replays what it skipped: all events, in order, once", async () => {
    define();
    const streaming = org.streaming();
    const subscription = streaming.subscribe(CHANNEL, { replay: -2, maxBuffer: 10 });
    await subscription.ready();
    let unsubscribedOnServer = false;
    const sampler = setInterval(() => {
      const [client] = org.emulator.org.streaming.clients();
      if (client !== undefined && client.channels.length === 0) unsubscribedOnServer = true;
    }, 5);
    try {
      publishGeneric(org.emulator, CHANNEL, 150);
      const seen: string[] = [];
      for await (const event of subscription) {
        seen.push(event.payload);
        if (seen.length % 10 === 0) await sleep(15);
        if (seen.length === 150) break;
      }
      expect(seen).toEqual(Array.from({ length: 150 }, (_, i) => String(i)));
      expect(unsubscribedOnServer).toBe(true);
    } finally {
      clearInterval(sampler);
    }
  });

  it("ends the subscription with BUFFER_OVERFLOW under overflow: 'error'", async () => {
    define();
    const subscription = org.streaming().subscribe(CHANNEL, { replay: -2, maxBuffer: 5, overflow: 'error' });
    const failure = new Promise<StreamingError>((resolve) => subscription.on('error', resolve));
    publishGeneric(org.emulator, CHANNEL, 20);
    expect(await failure).toMatchObject({ code: 'BUFFER_OVERFLOW', channel: CHANNEL });
    expect(subscription.closed).toBe(true);
    await expect(take(subscription, 1)).rejects.toMatchObject({ code: 'BUFFER_OVERFLOW' });
  });
});

describe('misuse', () => {
  it('refuses a second live subscription to the same channel on one Streaming', async () => {
    define();
    const streaming = org.streaming();
    streaming.subscribe(CHANNEL);
    expect(() => streaming.subscribe(CHANNEL)).toThrow(
      expect.objectContaining({ code: 'ALREADY_SUBSCRIBED', channel: CHANNEL }),
    );
  });

  it("refuses for await on a subscription consumed by on('data'), and the reverse", () => {
    define();
    const streaming = org.streaming();
    const listened = streaming.subscribe(CHANNEL);
    listened.on('data', () => undefined);
    expect(() => listened[Symbol.asyncIterator]()).toThrow(ConfigurationError);
    const iterated = streaming.subscribe('/u/Other');
    iterated[Symbol.asyncIterator]();
    expect(() => iterated.on('data', () => undefined)).toThrow(/already consumed by for await/);
  });

  it('names the bad argument', async () => {
    const streaming = org.streaming();
    expect(() => streaming.subscribe('/meta/connect')).toThrow(
      /channel: "\/meta\/connect" is not a Streaming API channel/,
    );
    expect(() => streaming.subscribe(CHANNEL, { replay: -5 })).toThrow(
      /replay: must be -1, -2 or a replay id/,
    );
    expect(() => streaming.topic('bad name').subscribe(() => undefined)).toThrow(/name: /);
    await expect(streaming.publishEvent('Low_Ink', {})).rejects.toThrow(
      /eventObject: must be a platform event object name/,
    );
    await expect(streaming.publish('/topic/X', 'hi')).rejects.toThrow(/channel: must be a generic channel/);
    await expect(
      streaming.createPushTopic({
        name: 'A_Name_Much_Longer_Than_25_Chars',
        query: 'SELECT Id FROM Account',
      }),
    ).rejects.toThrow(
      /name: must be letters, digits and underscores, starting with a letter, at most 25 characters/,
    );
    await expect(streaming.createPushTopic({ name: 'Ok', query: 'DELETE Account' })).rejects.toThrow(
      /query: must be a SELECT query/,
    );
  });

  it('refuses to subscribe once closed', async () => {
    const streaming = org.streaming();
    await streaming.close();
    expect(() => streaming.subscribe(CHANNEL)).toThrow(expect.objectContaining({ code: 'CLOSED' }));
  });
});
