import { Connection } from 'jsforce';
import { type Client, StreamingExtension, type Subscription } from 'jsforce/api/streaming';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';
import { jsforceConnection } from './support/jsforce.js';

/**
 * jsforce 3.10.16's streaming client (Faye, long polling, `Authorization: OAuth`, its own cookie jar)
 * is a second, independent Bayeux client: if it subscribes and receives against the emulator, the
 * endpoint speaks the protocol as Salesforce does, not only as our own tests expect.
 */

let emulator: Emulator;
let conn: Connection;

beforeAll(async () => {
  emulator = await startEmulator({ streaming: { holdMs: 1_000 } });
  conn = jsforceConnection(emulator);
  await conn.sobject('PushTopic').create({
    Name: 'JsforceAccounts',
    Query: "SELECT Id, Name, Industry FROM Account WHERE Industry = 'Energy'",
    ApiVersion: 62.0,
  });
});

afterAll(() => emulator.stop());

/** Faye's client has `disconnect()`; jsforce's bundled typings leave it out. */
function disconnect(client: Client): void {
  (client as unknown as { disconnect(): void }).disconnect();
}

/** Resolves with the first `count` values `register` delivers, or rejects after `ms`. */
function firstMessages<T>(
  count: number,
  register: (push: (value: T) => void) => void,
  ms = 15_000,
): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const got: T[] = [];
    const timer = setTimeout(() => reject(new Error(`only ${got.length} of ${count} messages arrived`)), ms);
    register((value) => {
      got.push(value);
      if (got.length === count) {
        clearTimeout(timer);
        resolve(got);
      }
    });
  });
}

interface TopicMessage {
  event: { type: string; replayId: number };
  sobject: { Id: string; Name: string; Industry: string };
}

describe('jsforce 3.10.16 streaming against the emulator', () => {
  it('subscribes to /topic/X with conn.streaming.topic() and receives PushTopic notifications', async () => {
    let subscription: Subscription | undefined;
    const received = firstMessages<TopicMessage>(2, (push) => {
      subscription = conn.streaming
        .topic('JsforceAccounts')
        .subscribe((message) => push(message as unknown as TopicMessage));
    });
    // Faye's subscription is a promise that settles once /meta/subscribe succeeded.
    await subscription;
    const created = await conn.sobject('Account').create({ Name: 'Faye Energy', Industry: 'Energy' });
    await conn.sobject('Account').create({ Name: 'Not energy', Industry: 'Banking' });
    await conn.sobject('Account').update({ Id: created.id as string, Name: 'Faye Energy 2' });
    const messages = await received;
    subscription?.cancel();
    expect(messages.map((m) => [m.event.type, m.sobject.Name])).toEqual([
      ['created', 'Faye Energy'],
      ['updated', 'Faye Energy 2'],
    ]);
    expect(messages[0]?.sobject).toEqual({ Id: created.id, Name: 'Faye Energy', Industry: 'Energy' });
  });

  it('replays retained platform events with StreamingExtension.Replay(-2)', async () => {
    emulator.org.defineObject({ name: 'Jsforce_Event__e', fields: [{ name: 'N__c', type: 'double' }] });
    for (const n of [1, 2, 3]) await conn.sobject('Jsforce_Event__e').create({ N__c: n });
    const client = conn.streaming.createClient([
      new StreamingExtension.Replay('/event/Jsforce_Event__e', -2),
    ]);
    try {
      const messages = await firstMessages<{ payload: { N__c: number } }>(3, (push) => {
        client.subscribe('/event/Jsforce_Event__e', (message: { payload: { N__c: number } }) =>
          push(message),
        );
      });
      expect(messages.map((m) => m.payload.N__c)).toEqual([1, 2, 3]);
    } finally {
      disconnect(client);
    }
  });

  it('pushes on a generic channel with channel().push() and receives it with channel().subscribe()', async () => {
    emulator.org.streaming.defineChannel('/u/JsforceNews');
    const channel = conn.streaming.channel('/u/JsforceNews');
    let subscription: Subscription | undefined;
    const received = firstMessages<{ payload: string }>(1, (push) => {
      subscription = channel.subscribe((message: { payload: string }) => push(message));
    });
    await subscription;
    const result = await channel.push({ payload: 'breaking', userIds: [] });
    expect(result).toEqual({ fanoutCount: 1, userOnlineStatus: {} });
    expect((await received)[0]?.payload).toBe('breaking');
    subscription?.cancel();
  });

  it('calls the AuthFailure extension with reconnect none once the session is gone', async () => {
    const token = emulator.org.createSession();
    const own = new Connection({ instanceUrl: emulator.url, accessToken: token, version: '62.0' });
    emulator.org.defineObject({ name: 'Auth_Probe__e', fields: [] });
    const failures: { error?: string; advice?: { reconnect?: string } }[] = [];
    const failed = new Promise<void>((resolve) => {
      const client = own.streaming.createClient([
        new StreamingExtension.AuthFailure((message: { error?: string; advice?: { reconnect?: string } }) => {
          failures.push(message);
          disconnect(client);
          resolve();
        }),
      ]);
      client
        .subscribe('/event/Auth_Probe__e', () => {})
        .then(() => {
          emulator.org.sessions.revoke(token);
          emulator.org.streaming.releaseLongPolls();
        });
    });
    await failed;
    expect(failures[0]).toMatchObject({
      error: '401::Authentication invalid',
      advice: { reconnect: 'none' },
    });
  });
});
