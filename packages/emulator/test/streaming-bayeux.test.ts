import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';
import { BayeuxClient, type Message } from './streaming-client.js';

/** The Bayeux conversation itself: message shapes, advice, cookies, the long-poll hold and each error. */

const HOLD_MS = 250;
let emulator: Emulator;
let token: string;

beforeAll(async () => {
  emulator = await startEmulator({ streaming: { holdMs: HOLD_MS } });
  token = emulator.credentials.accessToken;
  emulator.org.defineObject({
    name: 'Low_Ink__e',
    fields: [{ name: 'Printer_Model__c', type: 'string', length: 20 }],
  });
});
afterAll(() => emulator.stop());
beforeEach(() => {
  emulator.org.reset();
  emulator.org.streaming.configure({ holdMs: HOLD_MS, maxSessionsPerBrowser: 1, requireCookie: true });
});

function client(options: ConstructorParameters<typeof BayeuxClient>[2] = {}): BayeuxClient {
  return new BayeuxClient(emulator.url, token, options);
}

async function publishLowInk(model: string): Promise<void> {
  const res = await fetch(`${emulator.url}/services/data/v62.0/sobjects/Low_Ink__e`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ Printer_Model__c: model }),
  });
  expect(res.status).toBe(201);
}

describe('handshake', () => {
  it('answers with a client id, long-polling only, the replay extension and a BAYEUX_BROWSER cookie', async () => {
    const c = client();
    const response = await c.post([
      {
        channel: '/meta/handshake',
        version: '1.0',
        minimumVersion: '1.0',
        supportedConnectionTypes: ['long-polling'],
        id: '1',
      },
    ]);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('set-cookie')).toMatch(/^BAYEUX_BROWSER=[a-z0-9]{4}-[a-z0-9]{22}; Path=\//);
    expect(response.messages).toEqual([
      {
        ext: { replay: true, 'payload.format': true },
        minimumVersion: '1.0',
        clientId: expect.stringMatching(/^[a-z0-9]{26}$/),
        supportedConnectionTypes: ['long-polling'],
        channel: '/meta/handshake',
        id: '1',
        version: '1.0',
        successful: true,
      },
    ]);
    expect(Object.keys(response.messages[0] as object)).toEqual([
      'ext',
      'minimumVersion',
      'clientId',
      'supportedConnectionTypes',
      'channel',
      'id',
      'version',
      'successful',
    ]);
  });

  it('keeps the browser cookie a client already has', async () => {
    const c = client();
    await c.handshake();
    const cookie = c.cookie;
    const again = await c.post([{ channel: '/meta/handshake', version: '1.0', id: 'x' }]);
    expect(again.headers.get('set-cookie')).toBeNull();
    expect(again.messages[0]?.successful).toBe(true);
    expect(c.cookie).toBe(cookie);
  });

  it('accepts the older OAuth authorization scheme and a single message that is not in an array', async () => {
    const c = client({ scheme: 'OAuth' });
    const response = await c.post({ channel: '/meta/handshake', version: '1.0', id: 7 });
    expect(response.messages).toHaveLength(1);
    expect(response.messages[0]).toMatchObject({ successful: true, id: 7 });
  });

  it('denies a bad token with 403::Handshake denied, the 401 reason in ext.sfdc and reconnect none', async () => {
    const c = new BayeuxClient(emulator.url, '00Dbad!token');
    expect(await c.handshake()).toEqual({
      ext: { sfdc: { failureReason: '401::Authentication invalid' }, replay: true, 'payload.format': true },
      advice: { reconnect: 'none' },
      channel: '/meta/handshake',
      id: '1',
      error: '403::Handshake denied',
      successful: false,
    });
  });

  it('denies a request without credentials with the 401::Request requires authentication reason', async () => {
    const c = new BayeuxClient(emulator.url, undefined);
    const reply = await c.handshake();
    expect(reply.error).toBe('403::Handshake denied');
    expect(reply.ext).toEqual({
      sfdc: { failureReason: '401::Request requires authentication' },
      replay: true,
      'payload.format': true,
    });
  });

  it('denies clients beyond the concurrent-client limit and reports the limit in /limits', async () => {
    emulator.org.streaming.configure({ maxConcurrentClients: 2 });
    try {
      await client().handshake();
      await client().handshake();
      const third = await client().handshake();
      expect(third.error).toBe('403::Handshake denied');
      expect(third.ext).toMatchObject({
        sfdc: { failureReason: '403::Organization concurrent user limit exceeded' },
      });
      const limits = await fetch(`${emulator.url}/services/data/v62.0/limits`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const body = (await limits.json()) as Record<string, { Max: number; Remaining: number }>;
      expect(body.DurableStreamingApiConcurrentClients).toEqual({ Max: 2, Remaining: 0 });
    } finally {
      emulator.org.streaming.configure({ maxConcurrentClients: 2000 });
    }
  });
});

describe('connect', () => {
  it('answers the first connect at once with advice interval 0, the hold as timeout, reconnect retry', async () => {
    const c = client();
    await c.handshake();
    const started = Date.now();
    const replies = await c.connect({ timeout: 0 });
    expect(Date.now() - started).toBeLessThan(HOLD_MS);
    expect(replies).toEqual([
      {
        clientId: c.clientId,
        advice: { interval: 0, reconnect: 'retry', timeout: HOLD_MS },
        channel: '/meta/connect',
        id: '2',
        successful: true,
      },
    ]);
  });

  it('holds a later connect for the hold time when nothing arrives, then answers without advice', async () => {
    const c = await client().start();
    const started = Date.now();
    const replies = await c.connect();
    expect(Date.now() - started).toBeGreaterThanOrEqual(HOLD_MS - 20);
    expect(replies).toEqual([
      { clientId: c.clientId, channel: '/meta/connect', id: expect.any(String), successful: true },
    ]);
  });

  it('answers a held connect early when an event arrives: data messages first, then the connect reply', async () => {
    emulator.org.streaming.configure({ holdMs: 60_000 });
    const c = await client().start(['/event/Low_Ink__e']);
    const poll = c.connect();
    await waitUntil(() => emulator.org.streaming.clients()[0]?.polling === true);
    const started = Date.now();
    await publishLowInk('XZO-5');
    const replies = await poll;
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(replies.map((m) => m.channel)).toEqual(['/event/Low_Ink__e', '/meta/connect']);
    expect(replies[0]).toMatchObject({ data: { payload: { Printer_Model__c: 'XZO-5' } } });
    expect(replies[1]).toMatchObject({ successful: true, clientId: c.clientId });
  });

  it('delivers events of one burst in one response', async () => {
    emulator.org.streaming.configure({ holdMs: 60_000 });
    const c = await client().start(['/event/Low_Ink__e']);
    const poll = c.connect();
    await waitUntil(() => emulator.org.streaming.clients()[0]?.polling === true);
    const transaction = emulator.org.data.transaction((dml) => {
      dml.publish('Low_Ink__e', { Printer_Model__c: 'A' });
      dml.publish('Low_Ink__e', { Printer_Model__c: 'B' });
      dml.publish('Low_Ink__e', { Printer_Model__c: 'C' });
      return 3;
    });
    expect(transaction).toBe(3);
    const replies = await poll;
    expect(replies.filter((m) => m.channel === '/event/Low_Ink__e')).toHaveLength(3);
  });

  it('gives a second client of the same browser the multiple-clients advice instead of a second hold', async () => {
    emulator.org.streaming.configure({ holdMs: 60_000 });
    const first = await client().start();
    const second = client();
    second.cookie = first.cookie;
    await second.start();
    const held = first.connect();
    await waitUntil(() => emulator.org.streaming.clients().some((c) => c.polling));
    const started = Date.now();
    const replies = await second.connect();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(replies).toEqual([
      {
        clientId: second.clientId,
        advice: { interval: 2000, 'multiple-clients': true, reconnect: 'retry', timeout: 60_000 },
        channel: '/meta/connect',
        id: expect.any(String),
        successful: true,
      },
    ]);
    emulator.org.streaming.releaseLongPolls();
    await held;
  });

  it('closes an older held poll of the same client empty when the client starts a new one', async () => {
    emulator.org.streaming.configure({ holdMs: 60_000 });
    const c = await client().start(['/event/Low_Ink__e']);
    const older = c.connect();
    await waitUntil(() => emulator.org.streaming.clients()[0]?.polling === true);
    const newer = c.connect();
    const olderReplies = await older;
    expect(olderReplies.map((m) => m.channel)).toEqual(['/meta/connect']);
    await waitUntil(() => emulator.org.streaming.clients()[0]?.polling === true);
    await publishLowInk('after');
    const newerReplies = await newer;
    expect(newerReplies.map((m) => m.channel)).toEqual(['/event/Low_Ink__e', '/meta/connect']);
  });

  it('rejects a connection type other than long-polling', async () => {
    const c = await client().start();
    const response = await c.post([
      { channel: '/meta/connect', clientId: c.clientId, connectionType: 'websocket', id: '9' },
    ]);
    expect(response.messages[0]).toMatchObject({
      error: '400::Invalid connection type websocket',
      successful: false,
    });
  });
});

describe('subscribe, unsubscribe, disconnect', () => {
  it('subscribes with the reply Salesforce sends', async () => {
    const c = await client().start();
    expect(await c.subscribe('/event/Low_Ink__e', -1)).toEqual({
      clientId: c.clientId,
      channel: '/meta/subscribe',
      id: expect.any(String),
      subscription: '/event/Low_Ink__e',
      successful: true,
    });
  });

  it('answers an unknown channel with 400::The channel you requested to subscribe to does not exist', async () => {
    const c = await client().start();
    for (const channel of ['/topic/Nope', '/event/Nope__e', '/data/NopeChangeEvent', '/foo/bar']) {
      expect(await c.subscribe(channel)).toEqual({
        clientId: c.clientId,
        channel: '/meta/subscribe',
        id: expect.any(String),
        subscription: channel,
        error: `400::The channel you requested to subscribe to does not exist {${channel}}`,
        successful: false,
      });
    }
    expect((await c.subscribe('/u/Nope')).error).toBe('404::Unknown channel');
  });

  it('answers a missing subscription and one without a leading slash with their 400 errors', async () => {
    const c = await client().start();
    const missing = await c.post([{ channel: '/meta/subscribe', clientId: c.clientId, id: 's1' }]);
    expect(missing.messages[0]).toMatchObject({
      error: '400::Channel name not specified',
      successful: false,
    });
    expect((await c.subscribe('event/Low_Ink__e')).error).toBe(
      "400::Channel subscriptions must start with a leading '/'",
    );
  });

  it('stops delivering a channel after unsubscribe', async () => {
    const c = await client().start(['/event/Low_Ink__e']);
    expect(await c.unsubscribe('/event/Low_Ink__e')).toEqual({
      clientId: c.clientId,
      channel: '/meta/unsubscribe',
      id: expect.any(String),
      subscription: '/event/Low_Ink__e',
      successful: true,
    });
    await publishLowInk('ignored');
    const replies = await c.connect();
    expect(replies.map((m) => m.channel)).toEqual(['/meta/connect']);
  });

  it('disconnects: the reply is successful and the client id is gone afterwards', async () => {
    const c = await client().start(['/event/Low_Ink__e']);
    expect(await c.disconnect()).toEqual({
      clientId: c.clientId,
      channel: '/meta/disconnect',
      id: expect.any(String),
      successful: true,
    });
    expect(emulator.org.streaming.clients()).toEqual([]);
    const after = await c.connect();
    expect(after[0]?.error).toBe('403::Unknown client');
  });

  it('denies publishing from the client and names an unknown meta channel', async () => {
    const c = await client().start();
    const response = await c.post([
      { channel: '/event/Low_Ink__e', clientId: c.clientId, data: { x: 1 }, id: 'p' },
      { channel: '/meta/nonsense', clientId: c.clientId, id: 'q' },
    ]);
    expect(response.messages.map((m) => m.error)).toEqual([
      '403::Publish denied',
      '400::Unknown channel /meta/nonsense',
    ]);
  });
});

describe('client identity', () => {
  it('answers an unknown client id with 403::Unknown client and advice to handshake', async () => {
    const c = await client().start();
    c.clientId = 'nosuchclient000000000000000';
    const replies = await c.connect();
    expect(replies).toEqual([
      {
        clientId: 'nosuchclient000000000000000',
        advice: { reconnect: 'handshake', interval: 0 },
        channel: '/meta/connect',
        id: expect.any(String),
        error: '403::Unknown client',
        successful: false,
      },
    ]);
  });

  it('answers a message without a client id with 403::Client has not completed handshake', async () => {
    const c = client();
    await c.handshake();
    const response = await c.post([
      { channel: '/meta/subscribe', subscription: '/event/Low_Ink__e', id: 'z' },
    ]);
    expect(response.messages[0]).toMatchObject({
      error: '403::Client has not completed handshake',
      advice: { reconnect: 'handshake', interval: 0 },
    });
  });

  it('requires the BAYEUX_BROWSER cookie back, and treats another browser as an unknown client', async () => {
    const c = await client().start();
    const noCookie = await c.post(
      [{ channel: '/meta/connect', clientId: c.clientId, connectionType: 'long-polling', id: 'n' }],
      { cookie: null },
    );
    expect(noCookie.messages[0]?.error).toBe(
      `400::Client ${c.clientId} has established a session, but no BAYEUX_BROWSER cookie present`,
    );
    const otherBrowser = await c.post(
      [{ channel: '/meta/connect', clientId: c.clientId, connectionType: 'long-polling', id: 'o' }],
      { cookie: 'BAYEUX_BROWSER=zzzz-zzzzzzzzzzzzzzzzzzzzzz' },
    );
    expect(otherBrowser.messages[0]?.error).toBe('403::Unknown client');
  });

  it('does without the cookie when configured not to require it', async () => {
    emulator.org.streaming.configure({ requireCookie: false });
    const c = await client().start();
    const replies = await c.post(
      [{ channel: '/meta/subscribe', clientId: c.clientId, subscription: '/event/Low_Ink__e', id: 'n' }],
      { cookie: null },
    );
    expect(replies.messages[0]?.successful).toBe(true);
  });

  it("refuses another user's token for a client with the user-mismatch error", async () => {
    const c = await client().start();
    c.token = emulator.org.createUser().accessToken;
    expect((await c.subscribe('/event/Low_Ink__e')).error).toBe(
      "400::Authenticated user id does not match the session's user id",
    );
  });
});

describe('expiry and faults', () => {
  it('forgets a client that does not reconnect within the reconnect window', async () => {
    const c = await client().start(['/event/Low_Ink__e']);
    emulator.org.clock.advance(40_001);
    const replies = await c.connect();
    expect(replies[0]).toMatchObject({ error: '403::Unknown client', advice: { reconnect: 'handshake' } });
  });

  it('keeps a client that reconnects within the window', async () => {
    const c = await client().start(['/event/Low_Ink__e']);
    emulator.org.clock.advance(39_000);
    const replies = await c.connect();
    expect(replies[replies.length - 1]?.successful).toBe(true);
  });

  it('forgetClients() answers a held poll with 403::Unknown client and every later message too', async () => {
    emulator.org.streaming.configure({ holdMs: 60_000 });
    const c = await client().start(['/event/Low_Ink__e']);
    const poll = c.connect();
    await waitUntil(() => emulator.org.streaming.clients()[0]?.polling === true);
    expect(emulator.org.streaming.forgetClients()).toBe(1);
    expect((await poll)[0]).toMatchObject({ error: '403::Unknown client', successful: false });
    expect((await c.subscribe('/event/Low_Ink__e')).error).toBe('403::Unknown client');
  });

  it('answers connect with 401::Authentication invalid and reconnect none once the session expired', async () => {
    const own = emulator.org.createSession();
    const c = new BayeuxClient(emulator.url, own);
    await c.start(['/event/Low_Ink__e']);
    emulator.org.sessions.revoke(own);
    const replies = await c.post([
      { channel: '/meta/connect', clientId: c.clientId, connectionType: 'long-polling', id: 7 },
    ]);
    expect(replies.messages).toEqual([
      {
        clientId: c.clientId,
        advice: { reconnect: 'none', interval: 0 },
        channel: '/meta/connect',
        id: 7,
        error: '401::Authentication invalid',
        successful: false,
      },
    ]);
    // The client is dropped: a new token does not revive it.
    c.token = emulator.org.createSession();
    expect((await c.connect())[0]?.error).toBe('403::Unknown client');
  });

  it('answers a held poll with 401::Authentication invalid when the session expired during the hold', async () => {
    const own = emulator.org.createSession();
    const c = new BayeuxClient(emulator.url, own);
    await c.start(['/event/Low_Ink__e']);
    const poll = c.connect();
    await waitUntil(() => emulator.org.streaming.clients()[0]?.polling === true);
    emulator.org.sessions.revoke(own);
    const replies = await poll;
    expect(replies[0]).toMatchObject({ error: '401::Authentication invalid', advice: { reconnect: 'none' } });
  });

  it("an expired user's session: handshake denied, connect 401::Authentication invalid", async () => {
    const user = emulator.org.createUser();
    const c = await new BayeuxClient(emulator.url, user.accessToken).start(['/event/Low_Ink__e']);
    expect(emulator.org.sessions.expireUser(user.userId)).toBe(1);
    expect((await c.connect())[0]).toMatchObject({
      error: '401::Authentication invalid',
      advice: { reconnect: 'none', interval: 0 },
    });
    const again = await new BayeuxClient(emulator.url, user.accessToken).handshake();
    expect(again).toMatchObject({
      error: '403::Handshake denied',
      ext: { sfdc: { failureReason: '401::Authentication invalid' } },
    });
  });

  it('the usual faults apply: a connect cut mid-response loses its events, which replay recovers', async () => {
    emulator.org.streaming.configure({ holdMs: 60_000 });
    const c = await client().start(['/event/Low_Ink__e']);
    await publishLowInk('cut');
    const fault = emulator.org.faults.dropConnection({ path: '/cometd/*', when: 'mid-response', times: 1 });
    await expect(c.connect()).rejects.toThrow();
    expect(fault.hits).toBe(1);
    const replayId = emulator.org.streaming.retained('/event/Low_Ink__e').at(-1)?.replayId as number;
    const fresh = await client().start(['/event/Low_Ink__e'], replayId - 1);
    const replies = await fresh.connect();
    expect(replies[0]).toMatchObject({ data: { payload: { Printer_Model__c: 'cut' } } });
  });

  it('dropLongPolls() cuts the held connection; waiting events reach the next connect', async () => {
    emulator.org.streaming.configure({ holdMs: 60_000 });
    const c = await client().start(['/event/Low_Ink__e']);
    const poll = c.connect();
    await waitUntil(() => emulator.org.streaming.clients()[0]?.polling === true);
    expect(emulator.org.streaming.dropLongPolls()).toBe(1);
    await expect(poll).rejects.toThrow();
    await publishLowInk('kept');
    const replies = await c.connect();
    expect(replies.map((m) => m.channel)).toEqual(['/event/Low_Ink__e', '/meta/connect']);
  });
});

describe('HTTP-level errors', () => {
  it('requires the API version in the path', async () => {
    const c = client({ path: '/cometd' });
    const response = await c.post([{ channel: '/meta/handshake', version: '1.0', id: '1' }]);
    expect(response.status).toBe(400);
    expect(response.messages).toEqual([
      {
        channel: '/meta/handshake',
        id: '1',
        error: "400::API version in the URI is mandatory. URI format: '/cometd/62.0'",
        successful: false,
      },
    ]);
  });

  it('rejects versions before 37.0 on /cometd and accepts them on /cometd/replay', async () => {
    const old = await client({ version: '36.0' }).post([{ channel: '/meta/handshake', version: '1.0' }]);
    expect(old.status).toBe(400);
    expect(old.messages[0]?.error).toBe(
      "400::Unsupported API version. Only API versions '37.0' and later are supported. URI format: '/cometd/62.0'",
    );
    const replay = client({ path: '/cometd/replay/36.0' });
    expect((await replay.handshake()).successful).toBe(true);
  });

  it('answers a body over 32,768 bytes with 413 and a body that is not Bayeux JSON with 400', async () => {
    const big = await client().post([{ channel: '/meta/handshake', pad: 'x'.repeat(40_000) }]);
    expect(big.status).toBe(413);
    expect(big.text).toBe('Maximum Request Size Exceeded');
    const bad = await client().post('{not json');
    expect(bad.status).toBe(400);
    expect(bad.messages[0]).toMatchObject({ successful: false });
  });

  it('counts no CometD request against the REST API limits', async () => {
    const before = emulator.org.limits.header();
    const c = await client().start(['/event/Low_Ink__e']);
    await c.disconnect();
    expect(emulator.org.limits.header()).toBe(before);
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export type { Message };
