import { describe, expect, it } from 'vitest';
import {
  InvalidSessionError,
  OAuthError,
  type RefreshEvent,
  type Session,
  SessionRequiredError,
} from '../src/index.js';
import { ALICE, BOB, type FakeUser } from './support/fake-salesforce.js';
import { captureLogger, rejectionOf, useFakeSalesforce } from './support/setup.js';

const org = useFakeSalesforce();

/** A session for a user with a refresh token, as an authorization-code login leaves it. */
function refreshableSession(user: FakeUser): Session {
  const refreshToken = org.fake.issueRefreshToken(user);
  return { accessToken: org.fake.issueToken(user, refreshToken), instanceUrl: org.fake.url, refreshToken };
}

/** A REST route that answers with the caller's user id, so tests can see whose session signed a request. */
function whoAmIRoute(path = 'whoami', delayMs = 0): void {
  org.fake.rest('GET', path, (ctx) => ({
    body: { userId: ctx.user.userId, token: ctx.accessToken },
    delayMs,
  }));
}

describe('refresh on 401 INVALID_SESSION_ID', () => {
  it('refreshes once when twenty requests hit an expired session, and replays every one', async () => {
    whoAmIRoute('twenty', 20);
    const stale = refreshableSession(ALICE);
    const client = org.client({
      accessToken: stale.accessToken,
      refreshToken: stale.refreshToken,
      instanceUrl: org.fake.url,
    });
    const events: RefreshEvent[] = [];
    client.on('refresh', (event) => events.push(event));
    org.fake.expire(stale.accessToken);
    const before = org.fake.grants('refresh_token');

    const results = await Promise.all(
      Array.from({ length: 20 }, () => client.request<{ userId: string; token: string }>({ path: 'twenty' })),
    );

    expect(org.fake.grants('refresh_token') - before).toBe(1);
    expect(events).toHaveLength(1);
    const fresh = events[0]?.session as Session;
    expect(events[0]?.previous?.accessToken).toBe(stale.accessToken);
    expect(fresh.refreshToken).toBe(stale.refreshToken);
    expect(client.session).toBe(fresh);
    expect(new Set(results.map((r) => r.token))).toEqual(new Set([fresh.accessToken]));
    expect(results.every((r) => r.userId === ALICE.userId)).toBe(true);
  });

  it('obtains the first session from a refresh-token-only client on first use', async () => {
    whoAmIRoute();
    const refreshToken = org.fake.issueRefreshToken(BOB);
    const client = org.client({ refreshToken });
    const events: RefreshEvent[] = [];
    client.on('refresh', (event) => events.push(event));
    expect(client.session).toBeUndefined();
    const [a, b] = await Promise.all([client.request({ path: 'whoami' }), client.getSession()]);
    expect(a).toMatchObject({ userId: BOB.userId });
    expect(b.refreshToken).toBe(refreshToken);
    expect(events).toEqual([{ session: client.session, previous: undefined }]);
  });

  it('throws the 401 with the refresh failure as its cause, without looping', async () => {
    whoAmIRoute();
    const stale = refreshableSession(ALICE);
    const client = org.client({ mode: 'multi' });
    org.fake.expire(stale.accessToken);
    const revoked = { ...stale, refreshToken: '5Aep861-revoked' };
    const before = org.fake.grants('refresh_token');
    const error = await rejectionOf(client.request({ path: 'whoami', session: revoked }));
    expect(error).toBeInstanceOf(InvalidSessionError);
    expect(error.cause).toBeInstanceOf(OAuthError);
    expect(error.message).toContain('expired access/refresh token');
    expect(org.fake.grants('refresh_token') - before).toBe(1);
  });

  it('never refreshes on "This session is not valid for use with the REST API"', async () => {
    org.fake.rest('GET', 'wrong-kind', () => ({
      status: 401,
      body: [
        { message: 'This session is not valid for use with the REST API', errorCode: 'INVALID_SESSION_ID' },
      ],
    }));
    const session = refreshableSession(ALICE);
    const before = org.fake.grants('refresh_token');
    const error = await rejectionOf(org.client({ mode: 'multi' }).request({ path: 'wrong-kind', session }));
    expect(error).toBeInstanceOf(InvalidSessionError);
    expect(org.fake.grants('refresh_token')).toBe(before);
    expect(org.fake.callsTo('GET', 'wrong-kind')).toBe(1);
  });

  it('replays at most once: a session refused again after its refresh fails the request', async () => {
    org.fake.rest('GET', 'always-401', () => ({
      status: 401,
      body: [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }],
    }));
    const session = refreshableSession(BOB);
    const before = org.fake.grants('refresh_token');
    const error = await rejectionOf(org.client({ mode: 'multi' }).request({ path: 'always-401', session }));
    expect(error).toBeInstanceOf(InvalidSessionError);
    expect(org.fake.grants('refresh_token') - before).toBe(1);
    expect(org.fake.callsTo('GET', 'always-401')).toBe(2);
  });

  it('fails at once for a session that cannot be refreshed', async () => {
    whoAmIRoute();
    const client = org.client({ clientId: undefined, clientSecret: undefined });
    const session = await client.loginWithSoap({ ...ALICE });
    org.fake.expire(session.accessToken);
    const error = await rejectionOf(client.request({ path: 'whoami' }));
    expect(error).toBeInstanceOf(InvalidSessionError);
    expect(error.cause).toBeUndefined();
  });

  it('repeats a JWT login when its session expires (no refresh token needed)', async () => {
    whoAmIRoute();
    const client = org.client({ privateKey: org.fake.keys.privateKey });
    const first = await client.loginWithJwt({ username: ALICE.username });
    org.fake.expire(first.accessToken);
    const before = org.fake.grants('urn:ietf:params:oauth:grant-type:jwt-bearer');
    expect(await client.request({ path: 'whoami' })).toMatchObject({ userId: ALICE.userId });
    expect(org.fake.grants('urn:ietf:params:oauth:grant-type:jwt-bearer') - before).toBe(1);
    // The new session is repeatable too.
    org.fake.expire((client.session as Session).accessToken);
    expect(await client.request({ path: 'whoami' })).toMatchObject({ userId: ALICE.userId });
    expect(org.fake.grants('urn:ietf:params:oauth:grant-type:jwt-bearer') - before).toBe(2);
  });

  it('repeats a client-credentials login when its session expires', async () => {
    whoAmIRoute();
    const client = org.client();
    const first = await client.loginWithClientCredentials();
    org.fake.expire(first.accessToken);
    const before = org.fake.grants('client_credentials');
    expect(await client.request({ path: 'whoami' })).toMatchObject({ userId: ALICE.userId });
    expect(org.fake.grants('client_credentials') - before).toBe(1);
  });

  it('keeps working when a refresh listener throws', async () => {
    whoAmIRoute();
    const logger = captureLogger();
    const stale = refreshableSession(ALICE);
    const client = org.client({ mode: 'multi', logger });
    client.on('refresh', () => {
      throw new Error('listener broke');
    });
    org.fake.expire(stale.accessToken);
    expect(await client.request({ path: 'whoami', session: stale })).toMatchObject({ userId: ALICE.userId });
    expect(logger.entries.some((e) => e.msg === 'event listener threw')).toBe(true);
  });
});

describe('refreshSession()', () => {
  it('shares one refresh among concurrent callers', async () => {
    const stale = refreshableSession(BOB);
    const view = org.client({ mode: 'multi' }).as(stale);
    const before = org.fake.grants('refresh_token');
    const sessions = await Promise.all([
      view.refreshSession(),
      view.refreshSession(),
      view.refreshSession(stale),
    ]);
    expect(org.fake.grants('refresh_token') - before).toBe(1);
    expect(new Set(sessions).size).toBe(1);
    expect(view.session).toBe(sessions[0]);
  });

  it('returns the replacement for a session already refreshed instead of refreshing again', async () => {
    whoAmIRoute();
    const stale = refreshableSession(ALICE);
    const client = org.client({ mode: 'multi' });
    org.fake.expire(stale.accessToken);
    await client.request({ path: 'whoami', session: stale });
    const before = org.fake.grants('refresh_token');
    // A request still carrying the stale session, and a streaming client reporting it, both reuse the refresh.
    expect(await client.request({ path: 'whoami', session: stale })).toMatchObject({ userId: ALICE.userId });
    const replacement = await client.refreshSession(stale);
    expect(org.fake.isValid(replacement.accessToken)).toBe(true);
    expect(org.fake.grants('refresh_token')).toBe(before);
  });

  it('says there is nothing to refresh', async () => {
    const error = await rejectionOf(org.client({ mode: 'multi' }).refreshSession());
    expect(error).toBeInstanceOf(SessionRequiredError);
    expect(error).toMatchObject({ code: 'NO_SESSION' });
    const soapLike = { accessToken: org.fake.issueToken(ALICE), instanceUrl: org.fake.url };
    expect(await rejectionOf(org.client({ mode: 'multi' }).refreshSession(soapLike))).toMatchObject({
      code: 'SESSION_NOT_REFRESHABLE',
    });
  });
});

describe('multi-user mode', () => {
  it('keeps two users apart when their requests interleave through one client', async () => {
    whoAmIRoute('interleaved', 5);
    const client = org.client({ mode: 'multi' });
    const alice = await client.loginWithPassword({ ...ALICE });
    const bob = await client.loginWithPassword({ ...BOB });
    const calls = Array.from({ length: 30 }, (_, i) => {
      const session = i % 2 === 0 ? alice : bob;
      return client
        .request<{ userId: string }>({ path: 'interleaved', session })
        .then((result) => [session.userId, result.userId]);
    });
    for (const [expected, actual] of await Promise.all(calls)) expect(actual).toBe(expected);
  });

  it('binds views with as(session) that share the pool but not the session', async () => {
    whoAmIRoute();
    const client = org.client({ mode: 'multi' });
    const alice = client.as(await client.loginWithPassword({ ...ALICE }));
    const bob = client.as(await client.loginWithPassword({ ...BOB }));
    const [a, b] = await Promise.all([alice.request({ path: 'whoami' }), bob.request({ path: 'whoami' })]);
    expect(a).toMatchObject({ userId: ALICE.userId });
    expect(b).toMatchObject({ userId: BOB.userId });
    expect(alice.version).toBe('62.0');
    expect(alice.limitInfo?.max).toBe(15000);
    expect(client.session).toBeUndefined();
  });

  it("refreshes one user's view without touching the other's, and says which session was replaced", async () => {
    whoAmIRoute();
    const client = org.client({ mode: 'multi' });
    const aliceStale = refreshableSession(ALICE);
    const bobSession = refreshableSession(BOB);
    const alice = client.as(aliceStale);
    const bob = client.as(bobSession);
    const events: RefreshEvent[] = [];
    client.on('refresh', (event) => events.push(event));
    org.fake.expire(aliceStale.accessToken);

    expect(await alice.request({ path: 'whoami' })).toMatchObject({ userId: ALICE.userId });
    expect(events).toHaveLength(1);
    expect(events[0]?.previous).toBe(aliceStale);
    expect(alice.session).toBe(events[0]?.session);
    expect(bob.session).toBe(bobSession);
    expect(await bob.request({ path: 'whoami' })).toMatchObject({ userId: BOB.userId });
  });

  it('requires a session per call or a bound view', async () => {
    const client = org.client({ mode: 'multi' });
    const error = await rejectionOf(client.request({ path: 'whoami' }));
    expect(error).toBeInstanceOf(SessionRequiredError);
    expect(error).toMatchObject({ code: 'NO_SESSION' });
    expect(() => client.setSession({ accessToken: 'x', instanceUrl: org.fake.url })).toThrow(/multi/);
  });

  it("never replays a call's own expired session with the client's session", async () => {
    whoAmIRoute();
    const client = org.client();
    const alice = await client.loginWithPassword({ ...ALICE });
    const bobExpired = { accessToken: org.fake.issueToken(BOB), instanceUrl: org.fake.url };
    org.fake.expire(bobExpired.accessToken);
    expect(await rejectionOf(client.request({ path: 'whoami', session: bobExpired }))).toBeInstanceOf(
      InvalidSessionError,
    );

    const bobRefreshable = refreshableSession(BOB);
    org.fake.expire(bobRefreshable.accessToken);
    expect(await client.request({ path: 'whoami', session: bobRefreshable })).toMatchObject({
      userId: BOB.userId,
    });
    expect(client.session).toBe(alice);
  });

  it('lets a single-user client sign one call with another session', async () => {
    whoAmIRoute();
    const client = org.client();
    await client.loginWithPassword({ ...ALICE });
    const bob = await org.client({ mode: 'multi' }).loginWithPassword({ ...BOB });
    expect(await client.request({ path: 'whoami', session: bob })).toMatchObject({ userId: BOB.userId });
    expect(await client.request({ path: 'whoami' })).toMatchObject({ userId: ALICE.userId });
  });
});
