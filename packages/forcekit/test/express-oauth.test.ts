import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Emulator, startEmulator } from '@forcekit/emulator';
import express, { type NextFunction, type Request, type Response } from 'express';
import session from 'express-session';
import { type Connection, createConnection, type ExpressOAuth, type ExpressOAuthOptions } from 'forcekit';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';

/** A browser: follows nothing by itself, keeps cookies per name. */
class Browser {
  readonly cookies = new Map<string, string>();

  async get(url: string): Promise<globalThis.Response> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const response = await fetch(url, { redirect: 'manual', headers: cookie === '' ? {} : { cookie } });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = (pair as string).indexOf('=');
      this.cookies.set((pair as string).slice(0, eq), (pair as string).slice(eq + 1));
    }
    return response;
  }

  /** Follows redirects across the app and the emulator, returning every URL visited and the last response. */
  async visit(url: string): Promise<{ trail: string[]; response: globalThis.Response }> {
    const trail = [url];
    let response = await this.get(url);
    while (response.status >= 300 && response.status < 400) {
      const next = new URL(response.headers.get('location') as string, trail.at(-1)).toString();
      trail.push(next);
      if (trail.length > 10) throw new Error(`redirect loop: ${trail.join(' -> ')}`);
      response = await this.get(next);
    }
    return { trail, response };
  }
}

let emulator: Emulator;
let conn: Connection;
let server: Server | undefined;
let appUrl: string;

beforeAll(async () => {
  emulator = await startEmulator();
});

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
  await conn?.close();
});

afterAll(async () => {
  await emulator.stop();
});

/** Starts the web app: session middleware, the two OAuth routes, and pages that use the user's session. */
async function startApp(
  options: ExpressOAuthOptions<Request, Response> = {},
  withSession = true,
): Promise<ExpressOAuth> {
  const app = express();
  if (withSession) {
    app.use(session({ secret: 'test secret, not a credential', resave: false, saveUninitialized: false }));
  }
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const redirectUri = `${appUrl}/oauth/callback`;
  const connectedApp = emulator.org.connectedApps.create({
    name: `app ${appUrl}`,
    redirectUris: [redirectUri],
  });
  conn = createConnection({
    mode: 'multi',
    loginUrl: emulator.loginUrl,
    clientId: connectedApp.clientId,
    clientSecret: connectedApp.clientSecret,
    redirectUri,
  });
  const oauth = conn.expressOAuth<Request, Response>(options);
  app.get('/login', oauth.authorize);
  app.get('/oauth/callback', oauth.callback);
  app.get('/me', async (req, res, next) => {
    const user = oauth.session(req);
    if (user === undefined) {
      res.status(401).json({ error: 'not logged in' });
      return;
    }
    try {
      const me = await conn.as(user).identity();
      res.json({ username: me.username });
    } catch (error) {
      next(error);
    }
  });
  app.use((error: { code?: string; message: string }, _req: Request, res: Response, _next: NextFunction) => {
    res.status(400).json({ code: error.code ?? 'ERROR', message: error.message });
  });
  return oauth;
}

describe('conn.expressOAuth with a real express app and the emulator', () => {
  test('logs a browser in through authorize and callback, then calls the API as that user', async () => {
    await startApp({ onSuccess: '/me' });
    const browser = new Browser();
    const { trail, response } = await browser.visit(`${appUrl}/login`);
    const authorize = new URL(trail[1] as string);
    expect(authorize.origin + authorize.pathname).toBe(`${emulator.url}/services/oauth2/authorize`);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('state')).toMatch(/.{16,}/);
    expect(new URL(trail[2] as string).pathname).toBe('/oauth/callback');
    expect(trail.at(-1)).toBe(`${appUrl}/me`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ username: emulator.credentials.username });
  });

  test('keeps two users apart on one connection', async () => {
    const second = emulator.org.createUser({ username: 'second.user@emulator.forcekit.dev' });
    await startApp({
      onSuccess: '/me',
      authorize: (req) => (typeof req.query.user === 'string' ? { loginHint: req.query.user } : {}),
    });
    const alice = new Browser();
    const bob = new Browser();
    await alice.visit(`${appUrl}/login`);
    await bob.visit(`${appUrl}/login?user=${encodeURIComponent(second.username)}`);
    expect(await (await alice.visit(`${appUrl}/me`)).response.json()).toEqual({
      username: emulator.credentials.username,
    });
    expect(await (await bob.visit(`${appUrl}/me`)).response.json()).toEqual({ username: second.username });
  });

  test('gives the browser a new session id once logged in', async () => {
    await startApp();
    const browser = new Browser();
    await browser.get(`${appUrl}/login`);
    const before = browser.cookies.get('connect.sid');
    expect(before).toBeDefined();
    const { trail } = await browser.visit(`${appUrl}/login`);
    expect(trail.at(-1)).toBe(`${appUrl}/`);
    expect(browser.cookies.get('connect.sid')).not.toBe(before);
  });

  test('refuses a callback whose state was tampered with, through onError', async () => {
    await startApp({ onError: '/login-failed' });
    const browser = new Browser();
    const toSalesforce = await browser.get(`${appUrl}/login`);
    const callback = await fetch(toSalesforce.headers.get('location') as string, { redirect: 'manual' });
    const forged = new URL(callback.headers.get('location') as string);
    forged.searchParams.set('state', 'forged-state-value');
    const response = await browser.get(forged.toString());
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/login-failed?error=STATE_MISMATCH');
    expect(await (await browser.visit(`${appUrl}/me`)).response.status).toBe(401);
  });

  test('a replayed callback finds no pending login and reaches the error handler', async () => {
    await startApp();
    const browser = new Browser();
    const toSalesforce = await browser.get(`${appUrl}/login`);
    const callback = await fetch(toSalesforce.headers.get('location') as string, { redirect: 'manual' });
    const callbackUrl = callback.headers.get('location') as string;
    expect((await browser.get(callbackUrl)).status).toBe(302);
    const replay = await browser.get(callbackUrl);
    expect(replay.status).toBe(400);
    expect(await replay.json()).toMatchObject({ code: 'NO_PENDING_AUTHORIZATION' });
  });

  test('a denied consent reaches onError as the OAuth error', async () => {
    const seen: unknown[] = [];
    await startApp({
      onError: (error, _req, res) => {
        seen.push(error);
        res.status(403).send('denied');
      },
    });
    const browser = new Browser();
    const toSalesforce = await browser.get(`${appUrl}/login`);
    const state = new URL(toSalesforce.headers.get('location') as string).searchParams.get('state');
    const response = await browser.get(
      `${appUrl}/oauth/callback?error=access_denied&error_description=end-user+denied+authorization&state=${state}`,
    );
    expect(response.status).toBe(403);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ code: 'access_denied' });
  });

  test('without a session middleware the error names req.session', async () => {
    await startApp({}, false);
    const response = await new Browser().get(`${appUrl}/login`);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toMatch(/req\.session/);
  });
});
