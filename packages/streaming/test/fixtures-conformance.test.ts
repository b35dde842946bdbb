/**
 * Bayeux messages recorded from real orgs or printed in Salesforce's docs (../shared/fixtures/streaming,
 * see SOURCES.md), served over real HTTP by a scripted CometD endpoint, must come out of the SDK as the
 * right events and the right reactions. The folder lives beside the repository, not in it: without it
 * this one file is skipped, saying why.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { text } from 'node:stream/consumers';
import type { Requester, Session } from '@forcekit/core';
import { afterEach, describe, expect, it } from 'vitest';
import { recordedFixtures } from '../../../test-support/fixtures.js';
import { createStreaming, type Streaming } from '../src/index.js';
import { take } from './support.js';

const fixtures = recordedFixtures(import.meta.url, 'streaming/');

type Message = Record<string, unknown>;
const fixture = (name: string): Message => fixtures.json<Message>(name);

interface Received {
  readonly messages: Message[];
  readonly headers: IncomingMessage['headers'];
}

/**
 * A CometD endpoint answering from a script: `reply(message, count)` returns the messages for one
 * request message (`count` = how many times that channel was asked so far), or undefined to hold a
 * connect briefly and answer it empty.
 */
async function scriptedEndpoint(
  reply: (message: Message, count: number, token: string) => Message[] | undefined,
): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const counts = new Map<string, number>();
  const server: Server = createServer(async (req, res) => {
    const messages = JSON.parse(await text(req)) as Message[];
    received.push({ messages, headers: req.headers });
    const token = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
    const out: Message[] = [];
    for (const message of messages) {
      const channel = String(message.channel);
      const count = (counts.get(channel) ?? 0) + 1;
      counts.set(channel, count);
      const answer = reply(message, count, token);
      if (answer === undefined) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        out.push({ channel, clientId: message.clientId, id: message.id, successful: true });
      } else {
        out.push(...answer);
      }
    }
    res.setHeader('content-type', 'application/json;charset=UTF-8');
    res.setHeader('set-cookie', 'BAYEUX_BROWSER=4xtq-1bxh4o6qt1r6e4rhx2fqmpa; Path=/; Secure; HttpOnly');
    res.end(JSON.stringify(out));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A Requester over a fixed instance whose sessions are `token-1`, `token-2`, ...; counts refreshes. */
function fakeRequester(instanceUrl: string): Requester & { refreshes: number } {
  let session: Session = { accessToken: 'token-1', instanceUrl };
  const requester = {
    version: '62.0',
    get session() {
      return session;
    },
    limitInfo: undefined,
    refreshes: 0,
    async getSession() {
      return session;
    },
    async refreshSession() {
      requester.refreshes++;
      session = { accessToken: `token-${requester.refreshes + 1}`, instanceUrl };
      return session;
    },
    request: async () => {
      throw new Error('no REST in this test');
    },
    raw: async () => {
      throw new Error('no REST in this test');
    },
    as: () => requester,
    on: () => () => undefined,
    off: () => undefined,
  };
  return requester as unknown as Requester & { refreshes: number };
}

/** The recorded message, answering this request: its id and the client id copied in. */
function answer(recorded: unknown, message: Message, extra: Message = {}): Message {
  return { ...(recorded as Message), id: message.id, clientId: message.clientId ?? 'x', ...extra };
}

const session = fixtures.present ? fixture('pushtopic_session_docs.json') : {};
const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function connectTo(reply: Parameters<typeof scriptedEndpoint>[0]): Promise<{
  streaming: Streaming;
  endpoint: Awaited<ReturnType<typeof scriptedEndpoint>>;
  requester: Requester & { refreshes: number };
}> {
  const endpoint = await scriptedEndpoint(reply);
  const requester = fakeRequester(endpoint.url);
  const streaming = createStreaming(requester, { reconnect: { initialDelayMs: 10, maxDelayMs: 50 } });
  closers.push(
    () => endpoint.close(),
    () => streaming.close(),
  );
  return { streaming, endpoint, requester };
}

/** The recorded handshake, the recorded subscribe reply; data for the second connect. */
function sessionScript(channel: string, data: Message[]) {
  return (message: Message, count: number): Message[] | undefined => {
    const clientId = (session.handshake_response as Message).clientId;
    switch (message.channel) {
      case '/meta/handshake':
        return [answer(session.handshake_response, message, { clientId })];
      case '/meta/subscribe':
        return [answer(session.subscribe_response, message, { subscription: message.subscription })];
      case '/meta/connect':
        if (count === 1)
          return [
            answer(session.connect_response, message, {
              advice: { interval: 0, reconnect: 'retry', timeout: 110000 },
            }),
          ];
        if (count === 2)
          return [
            ...data.map((d) => ({ channel, data: d })),
            answer({ channel: '/meta/connect', successful: true }, message),
          ];
        return undefined;
      default:
        return undefined;
    }
  };
}

describe.skipIf(!fixtures.present)('recorded Streaming API messages', () => {
  it('delivers the recorded PushTopic events as they were sent, after the recorded handshake', async () => {
    const created = session.event_data_created as Message;
    const updated = session.event_data_updated as Message;
    const { streaming, endpoint } = await connectTo(
      sessionScript('/topic/InvoiceStatementUpdates', [created, updated]),
    );
    const subscription = streaming.subscribe('/topic/InvoiceStatementUpdates');
    expect(await take(subscription, 2)).toEqual([created, updated]);

    const sent = endpoint.received.flatMap((request) => request.messages);
    expect(sent[0]).toMatchObject({
      channel: '/meta/handshake',
      version: '1.0',
      supportedConnectionTypes: ['long-polling'],
    });
    expect(sent.find((m) => m.channel === '/meta/subscribe')).toMatchObject({
      subscription: '/topic/InvoiceStatementUpdates',
      clientId: (session.handshake_response as Message).clientId,
      ext: { replay: { '/topic/InvoiceStatementUpdates': -1 } },
    });
    expect(endpoint.received.every((request) => request.headers.authorization === 'Bearer token-1')).toBe(
      true,
    );
    expect(endpoint.received.every((request) => request.headers['content-type'] === 'application/json')).toBe(
      true,
    );
    // The handshake set BAYEUX_BROWSER; every later request sends it back.
    expect(
      endpoint.received
        .slice(1)
        .every((request) => request.headers.cookie === 'BAYEUX_BROWSER=4xtq-1bxh4o6qt1r6e4rhx2fqmpa'),
    ).toBe(true);
  });

  it('delivers the recorded platform event and change event payloads', async () => {
    const platformEvent = fixture('platform_event_message_docs.json');
    const changeEvent = fixture('cdc_custom_object_create.json');
    const one = await connectTo(
      sessionScript(String(platformEvent.channel), [platformEvent.data as Message]),
    );
    expect(await take(one.streaming.subscribe(String(platformEvent.channel)), 1)).toEqual([
      platformEvent.data,
    ]);
    const two = await connectTo(sessionScript('/data/Distributor__ChangeEvent', [changeEvent]));
    const [event] = await take(two.streaming.subscribe('/data/Distributor__ChangeEvent'), 1);
    expect(event).toEqual(changeEvent);
    expect(event?.payload.ChangeEventHeader.recordIds).toEqual(['a02Hs0000179WYrIAM']);
  });

  it('refreshes the session, handshakes again and resumes after the last event on the recorded 401::Authentication invalid', async () => {
    const recorded401 = fixture('meta_connect_401_authentication_invalid.json');
    const created = session.event_data_created as Message;
    const updated = session.event_data_updated as Message;
    const channel = '/topic/InvoiceStatementUpdates';
    const first = sessionScript(channel, [created]);
    const second = sessionScript(channel, [updated]);
    let connects = 0;
    const { streaming, endpoint, requester } = await connectTo((message, count, token) => {
      if (token === 'token-1') {
        // First session: handshake, subscribe, a first event; then the recorded refusal.
        if (message.channel === '/meta/connect' && ++connects === 3) return [answer(recorded401, message)];
        return first(message, message.channel === '/meta/connect' ? connects : count);
      }
      return second(message, message.channel === '/meta/connect' ? ++connects - 3 : count);
    });
    const subscription = streaming.subscribe(channel);
    expect(await take(subscription, 2)).toEqual([created, updated]);
    expect(requester.refreshes).toBe(1);
    const handshakes = endpoint.received.filter(
      (request) => request.messages[0]?.channel === '/meta/handshake',
    );
    expect(handshakes.map((request) => request.headers.authorization)).toEqual([
      'Bearer token-1',
      'Bearer token-2',
    ]);
    const subscribes = endpoint.received.flatMap((request) =>
      request.messages.filter((message) => message.channel === '/meta/subscribe'),
    );
    expect(subscribes.map((message) => message.ext)).toEqual([
      { replay: { [channel]: -1 } },
      { replay: { [channel]: (created.event as Message).replayId } },
    ]);
  });

  it('refreshes the session on the recorded 403::Handshake denied, then handshakes with the new token', async () => {
    const denied = fixture('meta_handshake_403_handshake_denied.json');
    const created = session.event_data_created as Message;
    const script = sessionScript('/topic/InvoiceStatementUpdates', [created]);
    const { streaming, endpoint, requester } = await connectTo((message, count, token) => {
      if (message.channel === '/meta/handshake' && token === 'token-1') return [answer(denied, message)];
      return script(message, count);
    });
    expect(await take(streaming.subscribe('/topic/InvoiceStatementUpdates'), 1)).toEqual([created]);
    expect(requester.refreshes).toBe(1);
    expect(endpoint.received[0]?.headers.authorization).toBe('Bearer token-1');
    expect(endpoint.received[1]?.headers.authorization).toBe('Bearer token-2');
  });
});
