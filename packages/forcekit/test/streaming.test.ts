import {
  type Connection,
  createConnection,
  MemoryReplayStore,
  type PushTopicEvent,
  StreamingError,
  type Subscription,
} from 'forcekit';
import { describe, expect, test } from 'vitest';
import { useOrg } from './org.js';

const org = useOrg();

type AccountEvent = PushTopicEvent<{ Id: string; Name: string }>;

async function pushTopic(conn: Connection, name: string): Promise<string> {
  const { channel } = await conn.streaming.createPushTopic({
    name,
    query: 'SELECT Id, Name FROM Account',
  });
  return channel;
}

/** Resolves with the next `count` events a `'data'` listener sees. */
function nextEvents<E>(subscription: Subscription<E>, count: number): Promise<E[]> {
  const events: E[] = [];
  return new Promise((resolve, reject) => {
    subscription.on('error', reject);
    subscription.on('data', (event) => {
      events.push(event);
      if (events.length === count) resolve(events);
    });
  });
}

describe('conn.streaming', () => {
  test('is made once per connection and receives a PushTopic event after a REST create', async () => {
    const conn = org.connect();
    expect(conn.streaming).toBe(conn.streaming);
    const channel = await pushTopic(conn, 'AllAccounts');
    expect(channel).toBe('/topic/AllAccounts');
    const subscription = conn.streaming.subscribe<AccountEvent>(channel);
    await subscription.ready();
    const { id } = await conn.sobject('Account').create({ Name: 'Streamed Co' });
    for await (const event of subscription) {
      expect(event.event.type).toBe('created');
      expect(event.sobject).toEqual({ Id: id, Name: 'Streamed Co' });
      break;
    }
    await subscription.unsubscribe();
  });

  test('conn.topic(name).subscribe(fn) calls back with each event (the node-salesforce seed)', async () => {
    const conn = org.connect();
    await pushTopic(conn, 'Callbacks');
    const names: string[] = [];
    const subscription = conn.topic<AccountEvent>('Callbacks').subscribe((event) => {
      names.push(event.sobject.Name);
    });
    expect(subscription.channel).toBe('/topic/Callbacks');
    const received = nextEvents(subscription, 2);
    await subscription.ready();
    await conn.sobject('Account').create({ Name: 'First' });
    await conn.sobject('Account').create({ Name: 'Second' });
    await received;
    expect(names).toEqual(['First', 'Second']);
  });

  test("conn.stream(name) emits 'connect' and 'data' (the force seed's org.stream)", async () => {
    const conn = org.connect();
    await pushTopic(conn, 'ForceStyle');
    const stream = conn.stream<AccountEvent>('ForceStyle');
    const connected = new Promise((resolve) => stream.on('connect', resolve));
    const received = nextEvents(stream, 1);
    expect(await connected).toMatchObject({ channel: '/topic/ForceStyle', reconnected: false });
    await conn.sobject('Account').create({ Name: 'Forced' });
    const [event] = await received;
    expect(event?.sobject.Name).toBe('Forced');
    expect(event?.event.type).toBe('created');
  });

  test('the streaming options given to the connection are used', async () => {
    const replayStore = new MemoryReplayStore();
    const conn = org.connect({ streaming: { replayStore } });
    expect(conn.streaming.replayStore).toBe(replayStore);
    expect(() => org.connect({ streaming: { maxBuffer: 0 } }).streaming).toThrow(/maxBuffer/);
  });

  test('a view subscribes with its own session; close() ends the subscriptions of the connection and its views', async () => {
    const c = org.emulator.credentials;
    // Not the fixture's: this test closes it itself.
    const conn = createConnection({
      mode: 'multi',
      loginUrl: c.loginUrl,
      clientId: c.clientId,
      clientSecret: c.clientSecret,
    });
    const user = org.emulator.org.createUser({ username: 'streamer@emulator.forcekit.dev' });
    const admin = conn.as(await conn.login(c.username, c.password + c.securityToken));
    const view = conn.as(await conn.login(user.username, user.password + user.securityToken));
    await pushTopic(admin, 'Shared');
    const mine = admin.topic('Shared').subscribe(() => undefined);
    const theirs = view.stream('Shared');
    await Promise.all([mine.ready(), theirs.ready()]);
    const clients = org.emulator.org.streaming.clients();
    expect(clients.map((client) => client.userId).sort()).toEqual([c.userId, user.userId].sort());

    await conn.close();
    expect(mine.closed).toBe(true);
    expect(theirs.closed).toBe(true);
    expect(org.emulator.org.streaming.clients()).toEqual([]);
    expect(() => view.stream('Shared')).toThrow(StreamingError);
  });
});
