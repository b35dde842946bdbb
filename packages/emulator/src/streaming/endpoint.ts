import type { OutgoingHttpHeaders } from 'node:http';
import { sessionTokenOf } from '../auth/headers.js';
import { HttpError, type RequestContext } from '../http/context.js';
import type { Org } from '../org.js';
import {
  ADVICE_HANDSHAKE,
  ADVICE_NONE,
  ERRORS,
  failure,
  type IncomingMessage,
  incomingMessage,
  META,
  type OutgoingMessage,
  withId,
} from './bayeux.js';
import { type ClientSession, type HeldPoll, newBrowserId, type PollOutcome } from './clients.js';
import type { StreamingService } from './service.js';

/**
 * The CometD endpoint, `POST /cometd/NN.N`: Bayeux over HTTP long polling as Salesforce serves it.
 * Every request is authenticated on its own (`Authorization: Bearer|OAuth <token>`), and failures are
 * answered inside Bayeux replies (HTTP 200) with Salesforce's error strings and advice; a held
 * `/meta/connect` is answered early when events arrive.
 */

/** Salesforce rejects CometD request bodies over 32,768 bytes. */
const MAX_REQUEST_BYTES = 32_768;
const COOKIE = 'BAYEUX_BROWSER';
const HANDSHAKE_EXT = { replay: true, 'payload.format': true } as const;

type Auth =
  | { readonly kind: 'ok'; readonly userId: string; readonly token: string }
  | { readonly kind: 'missing' }
  | { readonly kind: 'invalid' };

/** One POST to the endpoint: its messages, who sent them, and the reply being built. */
interface Exchange {
  readonly ctx: RequestContext;
  readonly org: Org;
  readonly streaming: StreamingService;
  readonly apiVersion: string;
  readonly auth: Auth;
  readonly browserId: string | undefined;
  readonly replies: OutgoingMessage[];
  readonly headers: OutgoingHttpHeaders;
  connect: { readonly message: IncomingMessage; readonly client: ClientSession } | undefined;
}

/**
 * The handler for `/cometd/:apiVersion` (`replay`: the `/cometd/replay/:apiVersion` endpoint older
 * clients use), or with no version (`/cometd`), the "version is mandatory" error.
 */
export function cometdHandler(
  org: Org,
  streaming: StreamingService,
  endpoint: 'current' | 'replay' | 'versionless',
) {
  return async (ctx: RequestContext): Promise<void> => {
    const declared = Number(ctx.header('content-length') ?? 0);
    const body = declared > MAX_REQUEST_BYTES ? Buffer.alloc(0) : await ctx.body();
    if (declared > MAX_REQUEST_BYTES || body.length > MAX_REQUEST_BYTES) {
      throw new HttpError(413, 'Maximum Request Size Exceeded', {
        'Content-Type': 'text/plain;charset=UTF-8',
      });
    }
    const messages = parseMessages(body);
    const apiVersion = ctx.params.apiVersion ?? '';
    const versionError = checkVersion(endpoint, apiVersion, org.apiVersion);
    if (versionError !== undefined || messages === undefined) {
      const error = versionError ?? ERRORS.malformed;
      const first = messages?.[0];
      const reply: OutgoingMessage = { channel: first?.channel ?? META.handshake };
      if (first?.id !== undefined) reply.id = first.id;
      reply.error = error;
      reply.successful = false;
      await ctx.sendJson(400, [reply]);
      return;
    }

    const exchange: Exchange = {
      ctx,
      org,
      streaming,
      apiVersion,
      auth: authenticate(ctx, org),
      browserId: cookieOf(ctx.header('cookie'), COOKIE),
      replies: [],
      headers: {},
      connect: undefined,
    };
    if (exchange.auth.kind === 'ok') {
      const user = org.users.get(exchange.auth.userId);
      if (user !== undefined) {
        ctx.auth = {
          userId: user.id,
          organizationId: org.organizationId,
          username: user.username,
          accessToken: exchange.auth.token,
        };
      }
    }
    for (const message of messages) handleMessage(exchange, message);
    if (exchange.connect !== undefined) await answerConnect(exchange, exchange.connect);
    await ctx.sendJson(200, exchange.replies, exchange.headers);
  };
}

function parseMessages(body: Buffer): IncomingMessage[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
  const list = Array.isArray(parsed) ? parsed : [parsed];
  const out: IncomingMessage[] = [];
  for (const item of list) {
    const message = incomingMessage.safeParse(item);
    if (!message.success) return undefined;
    out.push(message.data);
  }
  return out.length > 0 ? out : undefined;
}

function checkVersion(
  endpoint: 'current' | 'replay' | 'versionless',
  version: string,
  latest: string,
): string | undefined {
  const match = /^(\d{2})\.0$/.exec(version);
  if (endpoint === 'versionless' || !match) return ERRORS.versionMandatory(latest);
  const major = Number.parseInt(match[1] as string, 10);
  const newest = Number.parseInt(latest, 10);
  const oldest = endpoint === 'replay' ? 31 : 37;
  return major < oldest || major > newest ? ERRORS.unsupportedVersion(latest) : undefined;
}

function authenticate(ctx: RequestContext, org: Org): Auth {
  const token = sessionTokenOf(ctx.header('authorization'));
  if (token === undefined) return { kind: 'missing' };
  const lookup = org.sessions.use(token);
  if (lookup.kind !== 'valid') return { kind: 'invalid' };
  const user = org.users.get(lookup.session.userId);
  if (user === undefined || !user.isActive) return { kind: 'invalid' };
  return { kind: 'ok', userId: user.id, token };
}

function cookieOf(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function handleMessage(exchange: Exchange, message: IncomingMessage): void {
  const { replies } = exchange;
  switch (message.channel) {
    case META.handshake:
      replies.push(handshake(exchange, message));
      return;
    case META.connect: {
      const client = identify(exchange, message);
      if (!isClient(client)) {
        replies.push(client);
        return;
      }
      if (message.connectionType !== 'long-polling') {
        replies.push(failure(message, ERRORS.invalidConnectionType(String(message.connectionType))));
        return;
      }
      // One long poll per request: a second connect in the same batch replaces the first.
      exchange.connect = { message, client };
      return;
    }
    case META.subscribe:
    case META.unsubscribe: {
      const client = identify(exchange, message);
      replies.push(isClient(client) ? subscription(exchange, client, message) : client);
      return;
    }
    case META.disconnect: {
      const client = identify(exchange, message);
      if (!isClient(client)) {
        replies.push(client);
        return;
      }
      exchange.streaming.removeClient(client, 'disconnected');
      const reply = withId({ clientId: client.clientId, channel: META.disconnect }, message);
      reply.successful = true;
      replies.push(reply);
      return;
    }
    case undefined:
      replies.push(failure(message, ERRORS.channelNotSpecified));
      return;
    default:
      replies.push(
        failure(
          message,
          message.channel.startsWith('/meta/')
            ? ERRORS.unknownMetaChannel(message.channel)
            : ERRORS.publishDenied,
        ),
      );
  }
}

function handshake(exchange: Exchange, message: IncomingMessage): OutgoingMessage {
  const { auth } = exchange;
  if (auth.kind !== 'ok') {
    return handshakeDenied(
      message,
      auth.kind === 'missing' ? ERRORS.requestRequiresAuthentication : ERRORS.authenticationInvalid,
    );
  }
  let browserId = exchange.browserId;
  if (browserId === undefined) {
    browserId = newBrowserId();
    exchange.headers['Set-Cookie'] = `${COOKIE}=${browserId}; Path=/; HttpOnly`;
  }
  const created = exchange.streaming.createClient(auth.userId, browserId, exchange.apiVersion);
  if ('error' in created) return handshakeDenied(message, created.error);
  const reply: OutgoingMessage = {
    ext: { ...HANDSHAKE_EXT },
    minimumVersion: '1.0',
    clientId: created.clientId,
    supportedConnectionTypes: ['long-polling'],
    channel: META.handshake,
  };
  if (message.id !== undefined) reply.id = message.id;
  reply.version = '1.0';
  reply.successful = true;
  return reply;
}

/** `403::Handshake denied` with the cause in `ext.sfdc.failureReason`, and advice to stop. */
function handshakeDenied(message: IncomingMessage, reason: string): OutgoingMessage {
  const reply: OutgoingMessage = {
    ext: { sfdc: { failureReason: reason }, ...HANDSHAKE_EXT },
    advice: { ...ADVICE_NONE },
    channel: META.handshake,
  };
  if (message.id !== undefined) reply.id = message.id;
  reply.error = ERRORS.handshakeDenied;
  reply.successful = false;
  return reply;
}

function isClient(value: ClientSession | OutgoingMessage): value is ClientSession {
  return typeof (value as ClientSession).offer === 'function';
}

/**
 * The client a non-handshake message speaks for, or the failure to answer: credentials first
 * (`401::...` with `reconnect: none`), then the client id, its browser cookie and its user.
 */
function identify(exchange: Exchange, message: IncomingMessage): ClientSession | OutgoingMessage {
  const { auth, streaming } = exchange;
  if (auth.kind !== 'ok') {
    const known = message.clientId === undefined ? undefined : streaming.client(message.clientId);
    // The server drops a client whose credentials went bad; it must authenticate and handshake again.
    if (known !== undefined) streaming.removeClient(known, 'forgotten');
    return failure(
      message,
      auth.kind === 'missing' ? ERRORS.requestRequiresAuthentication : ERRORS.authenticationInvalid,
      { advice: { ...ADVICE_NONE, interval: 0 } },
    );
  }
  if (message.clientId === undefined) {
    return failure(message, ERRORS.notHandshaken, { advice: ADVICE_HANDSHAKE });
  }
  const client = streaming.client(message.clientId);
  if (client === undefined) return failure(message, ERRORS.unknownClient, { advice: ADVICE_HANDSHAKE });
  if (streaming.options.requireCookie) {
    if (exchange.browserId === undefined) return failure(message, ERRORS.noCookie(client.clientId));
    if (exchange.browserId !== client.browserId) {
      return failure(message, ERRORS.unknownClient, { advice: ADVICE_HANDSHAKE });
    }
  }
  if (client.userId !== auth.userId) return failure(message, ERRORS.userMismatch);
  client.lastSeenAt = streaming.now();
  return client;
}

function subscription(exchange: Exchange, client: ClientSession, message: IncomingMessage): OutgoingMessage {
  const streaming = exchange.streaming;
  const channel = message.subscription;
  if (typeof channel !== 'string' || channel === '') return failure(message, ERRORS.channelNotSpecified);
  if (!channel.startsWith('/')) return failure(message, ERRORS.channelWithoutSlash);
  if (message.channel === META.unsubscribe) {
    client.subscriptions.delete(channel);
  } else {
    const route = streaming.resolveChannel(channel);
    if ('error' in route) return failure(message, route.error);
    const requested = replayIdOf(message, channel);
    if (requested === undefined || !streaming.acceptsReplay(route, requested.replayId)) {
      return failure(
        message,
        ERRORS.invalidReplayId(requested?.text ?? String(replayValue(message, channel))),
      );
    }
    streaming.subscribe(client, channel, route, requested.replayId);
  }
  const reply: OutgoingMessage = { clientId: client.clientId, channel: message.channel };
  if (message.id !== undefined) reply.id = message.id;
  reply.subscription = channel;
  reply.successful = true;
  return reply;
}

function replayValue(message: IncomingMessage, channel: string): unknown {
  const replay = message.ext?.replay;
  return typeof replay === 'object' && replay !== null
    ? (replay as Record<string, unknown>)[channel]
    : undefined;
}

/** The replay id the subscribe asks for: -1 when none is given; undefined when it is not an integer. */
function replayIdOf(
  message: IncomingMessage,
  channel: string,
): { replayId: number; text: string } | undefined {
  const value = replayValue(message, channel);
  if (value === undefined || value === null) return { replayId: -1, text: '-1' };
  const replayId = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof replayId !== 'number' || !Number.isSafeInteger(replayId)) return undefined;
  return { replayId, text: String(replayId) };
}

/**
 * Answers a `/meta/connect`: at once for a client's first connect (with advice), for an extra client
 * of a browser that already holds a long poll (`multiple-clients` advice), or when messages are
 * waiting; otherwise held until events arrive or the hold time passes. Data messages come first in
 * the response, then the connect reply.
 */
async function answerConnect(
  exchange: Exchange,
  connect: { readonly message: IncomingMessage; readonly client: ClientSession },
): Promise<void> {
  const { org, replies, streaming } = exchange;
  const { message, client } = connect;
  const options = streaming.options;
  const first = client.connects === 0 || message.advice?.timeout === 0;
  const crowded = streaming.heldPollsOfBrowser(client.browserId, client) >= options.maxSessionsPerBrowser;
  // A client that starts a new long poll has given up on the one still held: close that one empty.
  client.poll?.end({ kind: 'superseded' });

  let outcome: PollOutcome = { kind: 'deliver' };
  if (!first && !crowded && client.queue.length === 0)
    outcome = await hold(exchange.ctx, client, options.holdMs);
  // Waiting messages must not be drained into a connection that is already gone.
  if (outcome.kind === 'gone' || exchange.ctx.req.socket.destroyed) {
    exchange.ctx.res.destroy();
    throw new HttpError(499, 'the client closed its long poll');
  }
  const auth = exchange.auth;
  // The session may have ended during the hold.
  if (outcome.kind !== 'forgotten' && auth.kind === 'ok' && org.sessions.peek(auth.token) === undefined) {
    streaming.removeClient(client, 'forgotten');
    replies.push(failure(message, ERRORS.authenticationInvalid, { advice: { ...ADVICE_NONE, interval: 0 } }));
    return;
  }
  if (outcome.kind === 'forgotten') {
    replies.push(failure(message, ERRORS.unknownClient, { advice: ADVICE_HANDSHAKE }));
    return;
  }
  if (outcome.kind === 'deliver') replies.push(...client.drain());
  const reply: OutgoingMessage = { clientId: client.clientId };
  if (crowded) {
    reply.advice = {
      interval: options.multipleClientsIntervalMs,
      'multiple-clients': true,
      reconnect: 'retry',
      timeout: options.holdMs,
    };
  } else if (first) {
    reply.advice = { interval: 0, reconnect: 'retry', timeout: options.holdMs };
  }
  reply.channel = META.connect;
  if (message.id !== undefined) reply.id = message.id;
  reply.successful = true;
  replies.push(reply);
  client.connects += 1;
  client.lastSeenAt = streaming.now();
}

/** Holds a long poll until something ends it: events, the hold time, the client leaving, a fault. */
function hold(ctx: RequestContext, client: ClientSession, holdMs: number): Promise<PollOutcome> {
  return new Promise<PollOutcome>((resolve) => {
    if (ctx.req.socket.destroyed) {
      resolve({ kind: 'gone' });
      return;
    }
    let done = false;
    const finish = (outcome: PollOutcome): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      ctx.res.off('close', onClose);
      if (client.poll === poll) client.poll = undefined;
      resolve(outcome);
    };
    const onClose = (): void => finish({ kind: 'gone' });
    const timer = setTimeout(() => finish({ kind: 'deliver' }), holdMs);
    const poll: HeldPoll = {
      end: finish,
      drop: () => {
        ctx.req.socket.destroy();
        finish({ kind: 'gone' });
      },
    };
    ctx.res.on('close', onClose);
    client.poll = poll;
  });
}
