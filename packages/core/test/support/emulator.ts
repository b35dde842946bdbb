/**
 * The org core's integration tests run against: `@forcekit/emulator` on 127.0.0.1, port 0, one per test
 * file. It is an independent judge of the wire format (it imports no forcekit package), so a test passes
 * only when the client does what Salesforce expects, and it says what it saw: `org.requests` logs every
 * request it answered (method, path, query, status, the authenticated user).
 *
 * The log keeps no bodies or headers, so the clients made here also send through a recording
 * dispatcher: `sent` is what left the client (token-endpoint forms, SOAP envelopes, Authorization
 * headers), for the assertions about the client's side of the wire.
 */
import {
  type CreatedUser,
  type Emulator,
  type LoggedRequest,
  type Org,
  startEmulator,
} from '@forcekit/emulator';
import { Agent, type Dispatcher } from 'undici';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { type ClientOptions, createClient, type SalesforceClient, type Session } from '../../src/index.js';

/** One request as the client handed it to the dispatcher. */
export interface SentRequest {
  readonly method: string;
  /** Scheme, host and port. */
  readonly origin: string;
  /** Path and query string. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  /** String and byte bodies as text; undefined for no body or a stream. */
  readonly body: string | undefined;
}

export interface EmulatedOrg {
  readonly emulator: Emulator;
  readonly org: Org;
  /** The emulator's URL: login host and instance at once, as a My Domain is. */
  readonly url: string;
  readonly credentials: Emulator['credentials'];
  /** Two users besides the admin, each with a password, a security token and a live session. */
  readonly alice: CreatedUser;
  readonly bob: CreatedUser;
  /** What every client made by `client()` sent, oldest first; emptied after each test. */
  readonly sent: SentRequest[];
  /**
   * A client logging in at the emulator with its connected app (client id, secret, callback URL) and
   * sending through the recording dispatcher; closed after the test.
   */
  client(options?: ClientOptions): SalesforceClient;
  /**
   * The requests the emulator answered, oldest first. The log is written when a response closes, so
   * this first lets the server finish responses the client has already read.
   */
  requests(filter?: { method?: string; path?: string | RegExp }): Promise<LoggedRequest[]>;
  /** Token-endpoint calls the emulator answered. */
  tokenCalls(): Promise<number>;
  /** Forgets what the emulator and the clients logged so far (a test's setup), so counts start here. */
  clearLog(): Promise<void>;
  /** The last request sent to a path (no query string), by any client of this file. */
  lastSent(path: string): SentRequest;
  /** True while the emulator accepts this access token. */
  isLive(accessToken: string): boolean;
}

/** Starts the org for the file; resets faults, limits, the request log and data after each test. */
export function useEmulatedOrg(): EmulatedOrg {
  let started: { emulator: Emulator; alice: CreatedUser; bob: CreatedUser } | undefined;
  const sent: SentRequest[] = [];
  const clients: SalesforceClient[] = [];
  const agent = new Agent({ keepAliveTimeout: 10_000 });
  const recording = agent.compose((dispatch: Dispatcher['dispatch']) => (options, handler) => {
    sent.push(record(options));
    return dispatch(options, handler);
  });

  beforeAll(async () => {
    const emulator = await startEmulator();
    const alice = emulator.org.createUser({
      username: 'alice@example.com',
      password: 'alice-Pa55word',
      securityToken: 'aliceSECtoken',
      firstName: 'Alice',
      lastName: 'Archer',
    });
    const bob = emulator.org.createUser({
      username: 'bob@example.com',
      password: 'bob-Pa55word',
      securityToken: 'bobSECtoken',
      firstName: 'Bob',
      lastName: 'Baker',
    });
    started = { emulator, alice, bob };
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    started?.emulator.org.reset();
    sent.length = 0;
  });
  afterAll(async () => {
    await started?.emulator.stop();
    await agent.close();
  });

  const get = () => {
    if (started === undefined) throw new Error('the emulated org starts in beforeAll');
    return started;
  };
  const harness: EmulatedOrg = {
    get emulator() {
      return get().emulator;
    },
    get org() {
      return get().emulator.org;
    },
    get url() {
      return get().emulator.url;
    },
    get credentials() {
      return get().emulator.credentials;
    },
    get alice() {
      return get().alice;
    },
    get bob() {
      return get().bob;
    },
    sent,
    client(options = {}) {
      const { credentials } = get().emulator;
      const client = createClient({
        loginUrl: credentials.loginUrl,
        clientId: credentials.clientId,
        clientSecret: credentials.clientSecret,
        redirectUri: credentials.redirectUri,
        dispatcher: recording,
        ...options,
      });
      clients.push(client);
      return client;
    },
    async requests(filter = {}) {
      // Two turns of the event loop: a response's 'close' follows its last write's completion.
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      return get().emulator.org.requests.entries(filter);
    },
    async tokenCalls() {
      return (await harness.requests({ method: 'POST', path: '/services/oauth2/token' })).length;
    },
    async clearLog() {
      await harness.requests();
      get().emulator.org.requests.clear();
      sent.length = 0;
    },
    lastSent(path) {
      const found = sent.filter((request) => request.path.split('?')[0] === path).at(-1);
      if (found === undefined) throw new Error(`no request was sent to ${path}`);
      return found;
    },
    isLive(accessToken) {
      return get().emulator.org.sessions.peek(accessToken) !== undefined;
    },
  };
  return harness;
}

function record(options: Dispatcher.DispatchOptions): SentRequest {
  const headers: Record<string, string> = {};
  const raw = options.headers;
  if (raw !== undefined && raw !== null && !Array.isArray(raw)) {
    for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
      if (value !== undefined) headers[name.toLowerCase()] = String(value);
    }
  }
  const body = options.body;
  return {
    method: options.method,
    origin: String(options.origin ?? ''),
    path: options.path,
    headers,
    body:
      typeof body === 'string'
        ? body
        : body instanceof Uint8Array
          ? Buffer.from(body).toString('utf8')
          : undefined,
  };
}

/**
 * The browser leg of the web-server flow: opens an authorize URL the way a browser would and returns
 * where the emulator redirected (the callback URL with `code` and `state`, or `error`).
 */
export async function visitAuthorizeUrl(url: string): Promise<string> {
  const response = await fetch(url, { redirect: 'manual' });
  const location = response.headers.get('location');
  if (response.status !== 302 || location === null) {
    throw new Error(`authorize answered ${response.status}: ${await response.text()}`);
  }
  return location;
}

/**
 * A session with a refresh token for a user, obtained outside the client under test: the emulator's
 * web-server flow driven with plain fetch (authorize as `login_hint`, then the code exchange).
 */
export async function codeFlowSession(
  org: EmulatedOrg,
  user: { readonly username: string },
): Promise<Session> {
  const { credentials } = org;
  const authorize = new URL('/services/oauth2/authorize', org.url);
  authorize.search = new URLSearchParams({
    response_type: 'code',
    client_id: credentials.clientId,
    redirect_uri: credentials.redirectUri,
    scope: 'api refresh_token',
    login_hint: user.username,
  }).toString();
  const code = new URL(await visitAuthorizeUrl(authorize.href)).searchParams.get('code') ?? '';
  const response = await fetch(`${org.url}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      client_id: credentials.clientId,
      client_secret: credentials.clientSecret,
      redirect_uri: credentials.redirectUri,
    }),
  });
  const token = (await response.json()) as Record<string, string>;
  if (response.status !== 200 || token.refresh_token === undefined) {
    throw new Error(`code exchange answered ${response.status}: ${token.error ?? 'no refresh token'}`);
  }
  return {
    accessToken: token.access_token as string,
    refreshToken: token.refresh_token,
    instanceUrl: token.instance_url as string,
    ...(token.id === undefined ? {} : { idUrl: token.id }),
  };
}

/** The user id at the end of an identity URL (`.../id/<orgId>/<userId>`). */
export function userIdOf(identityUrl: string): string {
  return identityUrl.slice(identityUrl.lastIndexOf('/') + 1);
}
