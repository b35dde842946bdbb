import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';
import { BayeuxClient, type Message } from './streaming-client.js';

/** The replay extension: -1, -2, resuming after an id, invalid ids, retention, and order at volume. */

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ streaming: { holdMs: 200 } });
  emulator.org.defineObject({ name: 'Tick__e', fields: [{ name: 'N__c', type: 'double' }] });
  emulator.org.defineObject({ name: 'Tock__e', fields: [{ name: 'N__c', type: 'double' }] });
});
afterAll(() => emulator.stop());
beforeEach(() => emulator.org.reset());

function publish(object: string, from: number, to: number): void {
  emulator.org.data.transaction((dml) => {
    for (let n = from; n <= to; n++) dml.publish(object, { N__c: n });
  });
}

/** Each client gets a session of its own: tests that move the clock forward end older sessions. */
function client(): BayeuxClient {
  return new BayeuxClient(emulator.url, emulator.org.createSession());
}

function numbers(messages: readonly Message[]): number[] {
  return messages.map((m) => (m.data as { payload: { N__c: number } }).payload.N__c);
}

function replayIds(messages: readonly Message[]): number[] {
  return messages.map((m) => (m.data as { event: { replayId: number } }).event.replayId);
}

/** Replay ids are per channel, so each test reads the stream's current ids instead of assuming them. */
function lastReplayId(channel: string): number {
  const retained = emulator.org.streaming.retained(channel);
  return retained[retained.length - 1]?.replayId ?? 0;
}

describe('replay ids', () => {
  it('increase by one per event, separately for each channel', async () => {
    const base = lastReplayId('/event/Tick__e');
    const tockBase = lastReplayId('/event/Tock__e');
    const c = await client().start(['/event/Tick__e', '/event/Tock__e']);
    publish('Tick__e', 1, 3);
    publish('Tock__e', 1, 2);
    const got = await c.collect(5);
    const ticks = got.filter((m) => m.channel === '/event/Tick__e');
    const tocks = got.filter((m) => m.channel === '/event/Tock__e');
    expect(replayIds(ticks)).toEqual([base + 1, base + 2, base + 3]);
    expect(replayIds(tocks)).toEqual([tockBase + 1, tockBase + 2]);
  });
});

describe('subscribing with a replay id', () => {
  it('-1 delivers only events published after the subscription', async () => {
    publish('Tick__e', 1, 3);
    const c = await client().start(['/event/Tick__e'], -1);
    publish('Tick__e', 4, 5);
    expect(numbers(await c.collect(2))).toEqual([4, 5]);
    const more = await c.connect();
    expect(more.map((m) => m.channel)).toEqual(['/meta/connect']);
  });

  it('no replay extension behaves as -1', async () => {
    publish('Tick__e', 1, 2);
    const c = await client().start(['/event/Tick__e']);
    publish('Tick__e', 3, 3);
    expect(numbers(await c.collect(1))).toEqual([3]);
  });

  it('-2 delivers every retained event in order, then new ones', async () => {
    publish('Tick__e', 1, 4);
    const c = await client().start(['/event/Tick__e'], -2);
    publish('Tick__e', 5, 5);
    const got = await c.collect(5);
    expect(numbers(got)).toEqual([1, 2, 3, 4, 5]);
    const ids = replayIds(got);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it('N resumes after event N', async () => {
    publish('Tick__e', 1, 6);
    const retained = emulator.org.streaming.retained('/event/Tick__e');
    const third = retained[2]?.replayId as number;
    const c = await client().start(['/event/Tick__e'], third);
    expect(numbers(await c.collect(3))).toEqual([4, 5, 6]);
  });

  it('the newest id replays nothing but is valid', async () => {
    publish('Tick__e', 1, 2);
    const c = await client().start(['/event/Tick__e'], lastReplayId('/event/Tick__e'));
    publish('Tick__e', 3, 3);
    expect(numbers(await c.collect(1))).toEqual([3]);
  });

  it('accepts a replay id sent as a numeric string', async () => {
    publish('Tick__e', 1, 3);
    const first = emulator.org.streaming.retained('/event/Tick__e')[0]?.replayId as number;
    const c = await client().start();
    expect((await c.subscribe('/event/Tick__e', String(first))).successful).toBe(true);
    expect(numbers(await c.collect(2))).toEqual([2, 3]);
  });
});

describe('invalid replay ids', () => {
  const message = (id: string) =>
    `400::The replayId {${id}} you provided was invalid.  Please provide a valid ID, -2 to replay all events, or -1 to replay only new events`;

  it('an id after the newest event is invalid', async () => {
    publish('Tick__e', 1, 2);
    const beyond = lastReplayId('/event/Tick__e') + 5;
    const c = await client().start();
    expect(await c.subscribe('/event/Tick__e', beyond)).toEqual({
      clientId: c.clientId,
      channel: '/meta/subscribe',
      id: expect.any(String),
      subscription: '/event/Tick__e',
      error: message(String(beyond)),
      successful: false,
    });
  });

  it('an id older than the retained window is invalid; the one before the oldest retained is not', async () => {
    emulator.org.streaming.configure({ maxRetainedEvents: 3 });
    publish('Tick__e', 1, 6);
    const retained = emulator.org.streaming.retained('/event/Tick__e');
    expect(numbers(retained.map((r) => ({ data: r.data })))).toEqual([4, 5, 6]);
    const oldest = retained[0]?.replayId as number;
    const c = await client().start();
    expect((await c.subscribe('/event/Tick__e', oldest - 2)).error).toBe(message(String(oldest - 2)));
    expect((await c.subscribe('/event/Tick__e', oldest - 1)).successful).toBe(true);
    expect(numbers(await c.collect(3))).toEqual([4, 5, 6]);
  });

  it('events older than the retention time fall out: -2 replays none and their ids are invalid', async () => {
    publish('Tick__e', 1, 2);
    const first = emulator.org.streaming.retained('/event/Tick__e')[0]?.replayId as number;
    emulator.org.clock.advance(72 * 60 * 60 * 1000 + 1);
    const c = await client().start(['/event/Tick__e'], -2);
    publish('Tick__e', 3, 3);
    expect(numbers(await c.collect(1))).toEqual([3]);
    expect((await c.subscribe('/event/Tick__e', first)).error).toBe(message(String(first)));
  });

  it('PushTopic and generic events are retained for 24 hours, not 72', async () => {
    const channel = '/u/Retention';
    emulator.org.streaming.defineChannel(channel);
    emulator.org.streaming.publishGeneric(channel, 'old');
    emulator.org.clock.advance(24 * 60 * 60 * 1000 + 1);
    expect(emulator.org.streaming.retained(channel)).toEqual([]);
  });

  it('a value that is not an integer is invalid and quoted back', async () => {
    const c = await client().start();
    expect((await c.subscribe('/event/Tick__e', 'abc')).error).toBe(message('abc'));
    expect((await c.subscribe('/event/Tick__e', 1.5)).error).toBe(message('1.5'));
    expect((await c.subscribe('/event/Tick__e', -3)).error).toBe(message('-3'));
  });
});

describe('delivery at volume', () => {
  it('delivers 1,000 events published in bursts during long polls once each, in order', async () => {
    const c = await client().start(['/event/Tick__e']);
    let connects = 0;
    const polling = (async () => {
      while (c.received.length < 1000 && connects < 2000) {
        await c.connect();
        connects++;
      }
    })();
    for (let from = 1; from <= 1000; from += 50) {
      publish('Tick__e', from, from + 49);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await polling;
    expect(numbers(c.received)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    const ids = replayIds(c.received);
    expect(new Set(ids).size).toBe(1000);
    expect(ids.every((id, i) => i === 0 || id === (ids[i - 1] as number) + 1)).toBe(true);
    expect(connects).toBeGreaterThan(1);
  });

  it('a new client resuming from the last replay id it saw gets the rest and nothing twice', async () => {
    publish('Tick__e', 1, 600);
    const first = await client().start(['/event/Tick__e'], -2);
    const seen = await first.collect(250);
    const lastSeen = replayIds(seen).at(-1) as number;
    emulator.org.streaming.forgetClients();

    publish('Tick__e', 601, 1000);
    const second = await client().start(['/event/Tick__e'], lastSeen);
    const rest = await second.collect(750);
    expect(numbers([...seen, ...rest])).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
  });
});
