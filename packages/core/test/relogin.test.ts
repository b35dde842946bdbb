/**
 * Sessions from a username-password login (OAuth or SOAP) have no refresh token: with `autoRelogin`
 * (the default) the client repeats the login when they expire, through the same single-flight path a
 * refresh takes. Sessions are expired through the emulator's HTTP control API, as another process would.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { rejectionOf } from '../../../test-support/requests.js';
import {
  InvalidSessionError,
  OAuthError,
  type RefreshEvent,
  type Requester,
  SoapFaultError,
} from '../src/index.js';
import { useEmulatedOrg, userIdOf } from './support/emulator.js';
import { captureLogger } from './support/helpers.js';

const org = useEmulatedOrg();

const RESOURCES = '/services/data/v62.0/';
const TOKEN = '/services/oauth2/token';
const SOAP = '/services/Soap/u/62.0';

const credentialsOf = (user: { username: string; password: string; securityToken: string }) => ({
  username: user.username,
  password: user.password,
  securityToken: user.securityToken,
});

/** Ends sessions through `POST /__emulator/sessions/expire` (every session, or one user's). */
async function expireSessions(userId?: string): Promise<void> {
  const response = await fetch(`${org.url}/__emulator/sessions/expire`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(userId === undefined ? {} : { userId }),
  });
  expect(response.status).toBe(200);
}

async function whoAmI(requester: Requester): Promise<string> {
  const resources = await requester.request<{ identity: string }>({ path: '' });
  return userIdOf(resources.identity);
}

/**
 * Logins in the emulator's request log since the last `clearLog()`: token-endpoint calls (these clients
 * have no refresh token, so every one is a password grant) and SOAP calls (every one a login).
 */
async function loginsSeen(): Promise<{ password: number; soap: number }> {
  return {
    password: (await org.requests({ method: 'POST', path: TOKEN })).length,
    soap: (await org.requests({ method: 'POST', path: SOAP })).length,
  };
}

/** Password grants the clients sent since the last `clearLog()`. */
const passwordGrantsSent = () =>
  org.sent.filter((r) => r.path === TOKEN && new URLSearchParams(r.body).get('grant_type') === 'password');

describe.each([
  ['OAuth username-password', 'loginWithPassword', 'password'],
  ['SOAP', 'loginWithSoap', 'soap'],
] as const)('re-login after a %s session expires', (_flow, method, kind) => {
  it('logs in exactly once when twenty requests find the session expired, and replays them all', async () => {
    const client = org.client();
    const events: RefreshEvent[] = [];
    client.on('refresh', (event) => events.push(event));
    const first = await client[method](credentialsOf(org.alice));
    await org.clearLog();
    await expireSessions();
    // Hold every answer a little, so the twenty are all out before the first 401 comes back.
    org.org.faults.latency(20, { path: RESOURCES });

    const users = await Promise.all(Array.from({ length: 20 }, () => whoAmI(client)));

    expect(users).toEqual(Array(20).fill(org.alice.userId));
    const logins = await loginsSeen();
    expect(logins[kind]).toBe(1);
    expect(logins[kind === 'soap' ? 'password' : 'soap']).toBe(0);
    expect(passwordGrantsSent()).toHaveLength(kind === 'password' ? 1 : 0);
    expect(events).toHaveLength(1);
    expect(events[0]?.previous).toBe(first);
    expect(events[0]?.session.grant).toBe(kind);
    expect(client.session).toBe(events[0]?.session);
    const calls = (await org.requests({ path: RESOURCES })).map((r) => r.status);
    expect(calls.filter((status) => status === 401)).toHaveLength(20);
    expect(calls.filter((status) => status === 200)).toHaveLength(20);
  });

  it('logs in again for the renewed session when it expires in turn', async () => {
    const client = org.client();
    await client[method](credentialsOf(org.bob));
    await org.clearLog();
    await expireSessions(org.bob.userId);
    expect(await whoAmI(client)).toBe(org.bob.userId);
    await expireSessions(org.bob.userId);
    expect(await whoAmI(client)).toBe(org.bob.userId);
    expect((await loginsSeen())[kind]).toBe(2);
    expect((await org.requests({ path: RESOURCES })).map((r) => r.status)).toEqual([401, 200, 401, 200]);
  });

  it('does not log in again with autoRelogin: false: the request fails with the 401', async () => {
    const client = org.client({ autoRelogin: false });
    await client[method](credentialsOf(org.alice));
    await org.clearLog();
    await expireSessions();
    const error = await rejectionOf(whoAmI(client));
    expect(error).toBeInstanceOf(InvalidSessionError);
    expect(error.cause).toBeUndefined();
    expect((await loginsSeen())[kind]).toBe(0);
  });

  it('tries a refused login once, not on every later request (no lockout), and leaks no password', async () => {
    const logger = captureLogger();
    const user = org.org.createUser({
      username: `refused-${kind}@example.com`,
      password: 'refused-Pa55word',
      securityToken: 'refusedSECtoken',
    });
    const client = org.client({ logger });
    await client[method](credentialsOf(user));
    await org.clearLog();
    org.org.users.setActive(user.userId, false);
    await expireSessions(user.userId);
    org.org.faults.latency(20, { path: RESOURCES });

    const errors = await Promise.all(Array.from({ length: 20 }, () => rejectionOf(whoAmI(client))));
    const later = await rejectionOf(whoAmI(client));

    for (const error of [...errors, later]) expect(error).toBeInstanceOf(InvalidSessionError);
    const refusal = kind === 'soap' ? SoapFaultError : OAuthError;
    expect(errors.some((error) => error.cause instanceof refusal)).toBe(true);
    expect(later.cause).toBeUndefined();
    expect((await loginsSeen())[kind]).toBe(1);
    expect((await org.requests({ path: RESOURCES })).map((r) => r.status)).toEqual(Array(21).fill(401));

    const everything = [
      ...[...errors, later].flatMap((error) => [
        error.message,
        error.stack,
        JSON.stringify(error),
        inspect(error, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
      ]),
      inspect(client, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
      JSON.stringify(client.session),
      ...logger.entries.map((entry) => JSON.stringify(entry)),
    ].join('\n');
    expect(everything).not.toContain('refused-Pa55word');
    expect(everything).not.toContain('refusedSECtoken');
    expect(logger.entries.map((entry) => entry.msg)).toContain(
      'login refused: the session will not be renewed again',
    );
  });
});

describe('sessions ended on purpose', () => {
  it('never logs in again for a session revoke() ended', async () => {
    const client = org.client();
    const session = await client.loginWithPassword(credentialsOf(org.alice));
    const view = client.as(session);
    await client.revoke();
    await org.clearLog();
    const error = await rejectionOf(whoAmI(view));
    expect(error).toBeInstanceOf(InvalidSessionError);
    expect(error.cause).toBeUndefined();
    expect(await loginsSeen()).toEqual({ password: 0, soap: 0 });
  });

  it('never logs in again for a session logoutSoap() ended', async () => {
    const client = org.client();
    const session = await client.loginWithSoap(credentialsOf(org.bob));
    const view = client.as(session);
    await client.logoutSoap();
    expect(client.session).toBeUndefined();
    await org.clearLog();
    expect(await rejectionOf(whoAmI(view))).toBeInstanceOf(InvalidSessionError);
    expect(await loginsSeen()).toEqual({ password: 0, soap: 0 });
  });
});

describe('re-login in multi-user mode', () => {
  it("renews only the expired user's session, through the view bound to it", async () => {
    const client = org.client({ mode: 'multi' });
    const alice = await client.loginWithPassword(credentialsOf(org.alice));
    const bob = await client.loginWithSoap(credentialsOf(org.bob));
    const asAlice = client.as(alice);
    const asBob = client.as(bob);
    const events: RefreshEvent[] = [];
    client.on('refresh', (event) => events.push(event));
    await org.clearLog();
    await expireSessions(org.bob.userId);

    const users = await Promise.all(
      Array.from({ length: 10 }, (_, i) => whoAmI(i % 2 === 0 ? asAlice : asBob)),
    );

    expect(users).toEqual(
      Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? org.alice.userId : org.bob.userId)),
    );
    expect(await loginsSeen()).toEqual({ password: 0, soap: 1 });
    expect(events.map((event) => event.previous)).toEqual([bob]);
    expect(asBob.session).toBe(events[0]?.session);
    expect(asAlice.session).toBe(alice);
  });
});

describe('where the password is kept', () => {
  it('in no property of the client, its session or the caller’s object after a change', async () => {
    const client = org.client();
    const credentials = { ...credentialsOf(org.alice) };
    const session = await client.loginWithPassword(credentials);
    // Changing the caller's object afterwards changes nothing: the client copied what it needs.
    credentials.password = 'changed-after-login';
    const seen = [
      inspect(client, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
      JSON.stringify(client),
      JSON.stringify(session),
      Object.keys(client).join(','),
    ].join('\n');
    expect(seen).not.toContain(org.alice.password);
    await org.clearLog();
    await expireSessions();
    expect(await whoAmI(client)).toBe(org.alice.userId);
    expect((await loginsSeen()).password).toBe(1);
  });
});
