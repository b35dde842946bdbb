import { describe, expect, it } from 'vitest';
import { rejectionOf } from '../../../test-support/requests.js';
import {
  ForbiddenError,
  InvalidSessionError,
  OAuthError,
  type RefreshEvent,
  type Requester,
  type Session,
  SessionRequiredError,
} from '../src/index.js';
import { codeFlowSession, useEmulatedOrg, userIdOf } from './support/emulator.js';
import { captureLogger } from './support/helpers.js';

const org = useEmulatedOrg();

/** The REST resources of the version: `identity` names the user whose session signed the request. */
const RESOURCES = '/services/data/v62.0/';

const login = (user: { username: string; password: string; securityToken: string }) => ({
  username: user.username,
  password: user.password,
  securityToken: user.securityToken,
});

/** Who the emulator says the caller is, read from the resources' identity URL. */
async function whoAmI(
  requester: Requester,
  options: { session?: Session; call?: number } = {},
): Promise<string> {
  const resources = await requester.request<{ identity: string }>({
    path: '',
    ...(options.session === undefined ? {} : { session: options.session }),
    ...(options.call === undefined ? {} : { query: { call: options.call } }),
  });
  return userIdOf(resources.identity);
}

/** Token-endpoint forms the clients sent with this grant type. */
const grantsSent = (grantType: string) =>
  org.sent.filter(
    (r) => r.path === '/services/oauth2/token' && new URLSearchParams(r.body).get('grant_type') === grantType,
  );

describe('refresh on 401 INVALID_SESSION_ID', () => {
  it('refreshes once when twenty requests hit an expired session, and replays every one', async () => {
    const stale = await codeFlowSession(org, org.alice);
    await org.clearLog();
    const client = org.client({
      accessToken: stale.accessToken,
      refreshToken: stale.refreshToken,
      instanceUrl: org.url,
    });
    const events: RefreshEvent[] = [];
    client.on('refresh', (event) => events.push(event));
    org.org.expireSessions();
    // Hold every answer a little, so the twenty are all out before the first 401 comes back.
    org.org.faults.latency(20, { path: RESOURCES });

    const users = await Promise.all(Array.from({ length: 20 }, () => whoAmI(client)));

    expect(users).toEqual(Array(20).fill(org.alice.userId));
    expect(events).toHaveLength(1);
    const fresh = events[0]?.session as Session;
    expect(events[0]?.previous?.accessToken).toBe(stale.accessToken);
    expect(fresh.refreshToken).toBe(stale.refreshToken);
    expect(client.session).toBe(fresh);

    // What the emulator saw: twenty refusals, one refresh, then twenty replays as Alice.
    const seen = await org.requests();
    const token = seen.filter((r) => r.path === '/services/oauth2/token');
    expect(token).toMatchObject([{ method: 'POST', status: 200 }]);
    const calls = seen.filter((r) => r.path === RESOURCES);
    expect(calls.filter((r) => r.status === 401)).toHaveLength(20);
    const replays = calls.filter((r) => r.status === 200);
    expect(replays).toHaveLength(20);
    expect(replays.every((r) => r.userId === org.alice.userId)).toBe(true);
    const refreshedAt = seen.indexOf(token[0] as (typeof seen)[number]);
    expect(replays.every((r) => seen.indexOf(r) > refreshedAt)).toBe(true);

    // And what the client sent: the refresh-token grant once, the replays with the new token.
    expect(grantsSent('refresh_token').map((r) => new URLSearchParams(r.body).get('refresh_token'))).toEqual([
      stale.refreshToken,
    ]);
    const signed = org.sent.filter((r) => r.path === RESOURCES).map((r) => r.headers.authorization);
    expect(signed.filter((h) => h === `Bearer ${stale.accessToken}`)).toHaveLength(20);
    expect(signed.filter((h) => h === `Bearer ${fresh.accessToken}`)).toHaveLength(20);
    expect(org.isLive(fresh.accessToken)).toBe(true);
  });

  it('obtains the first session from a refresh-token-only client on first use', async () => {
    const { refreshToken } = await codeFlowSession(org, org.bob);
    await org.clearLog();
    const client = org.client({ refreshToken });
    const events: RefreshEvent[] = [];
    client.on('refresh', (event) => events.push(event));
    expect(client.session).toBeUndefined();
    const [user, session] = await Promise.all([whoAmI(client), client.getSession()]);
    expect(user).toBe(org.bob.userId);
    expect(session.refreshToken).toBe(refreshToken);
    expect(events).toEqual([{ session: client.session, previous: undefined }]);
    expect(await org.tokenCalls()).toBe(1);
  });

  it('throws the 401 with the refresh failure as its cause, without looping', async () => {
    const stale = await codeFlowSession(org, org.alice);
    await org.clearLog();
    const client = org.client({ mode: 'multi' });
    org.org.expireSessions();
    const revoked = { ...stale, refreshToken: '5Aep861-revoked' };
    const error = await rejectionOf(whoAmI(client, { session: revoked }));
    expect(error).toBeInstanceOf(InvalidSessionError);
    expect(error.cause).toBeInstanceOf(OAuthError);
    expect(error.message).toContain('expired access/refresh token');
    expect(await org.tokenCalls()).toBe(1);
    expect(await org.requests({ path: RESOURCES })).toMatchObject([{ status: 401 }]);
  });

  it('never refreshes on "This session is not valid for use with the REST API"', async () => {
    org.org.faults.error({
      path: RESOURCES,
      status: 401,
      errorCode: 'INVALID_SESSION_ID',
      message: 'This session is not valid for use with the REST API',
    });
    const session = await codeFlowSession(org, org.alice);
    await org.clearLog();
    const error = await rejectionOf(whoAmI(org.client({ mode: 'multi' }), { session }));
    expect(error).toBeInstanceOf(InvalidSessionError);
    expect(await org.tokenCalls()).toBe(0);
    expect(await org.requests({ path: RESOURCES })).toHaveLength(1);
  });

  it('replays at most once: a session refused again after its refresh fails the request', async () => {
    org.org.faults.error({ path: RESOURCES, status: 401 });
    const session = await codeFlowSession(org, org.bob);
    await org.clearLog();
    const error = await rejectionOf(whoAmI(org.client({ mode: 'multi' }), { session }));
    expect(error).toBeInstanceOf(InvalidSessionError);
    expect(grantsSent('refresh_token')).toHaveLength(1);
    expect(await org.tokenCalls()).toBe(1);
    expect(await org.requests({ path: RESOURCES })).toMatchObject([{ status: 401 }, { status: 401 }]);
  });

  it('fails at once for a session that cannot be refreshed (a SOAP login with autoRelogin off)', async () => {
    const client = org.client({ clientId: undefined, clientSecret: undefined, autoRelogin: false });
    await client.loginWithSoap(login(org.alice));
    org.org.expireSessions();
    const error = await rejectionOf(whoAmI(client));
    expect(error).toBeInstanceOf(InvalidSessionError);
    expect(error.cause).toBeUndefined();
    expect(await org.requests({ path: RESOURCES })).toHaveLength(1);
  });

  it('repeats a JWT login when its session expires (no refresh token needed)', async () => {
    const client = org.client({ privateKey: org.credentials.jwtPrivateKey });
    await client.loginWithJwt({ username: org.alice.username });
    org.org.expireSessions();
    expect(await whoAmI(client)).toBe(org.alice.userId);
    expect(grantsSent('urn:ietf:params:oauth:grant-type:jwt-bearer')).toHaveLength(2);
    // The new session is repeatable too.
    org.org.expireSessions();
    expect(await whoAmI(client)).toBe(org.alice.userId);
    expect(grantsSent('urn:ietf:params:oauth:grant-type:jwt-bearer')).toHaveLength(3);
    expect(await org.tokenCalls()).toBe(3);
    expect((await org.requests({ path: RESOURCES })).map((r) => r.status)).toEqual([401, 200, 401, 200]);
  });

  it('repeats a client-credentials login when its session expires', async () => {
    const client = org.client();
    await client.loginWithClientCredentials();
    org.org.expireSessions();
    expect(await whoAmI(client)).toBe(org.credentials.userId);
    expect(grantsSent('client_credentials')).toHaveLength(2);
    expect(await org.tokenCalls()).toBe(2);
  });

  it('keeps working when a refresh listener throws', async () => {
    const logger = captureLogger();
    const stale = await codeFlowSession(org, org.alice);
    const client = org.client({ mode: 'multi', logger });
    client.on('refresh', () => {
      throw new Error('listener broke');
    });
    org.org.expireSessions();
    expect(await whoAmI(client, { session: stale })).toBe(org.alice.userId);
    expect(logger.entries.some((e) => e.msg === 'event listener threw')).toBe(true);
  });
});

describe('identity() and userInfo() on an expired session', () => {
  /** A single-user client holding a refreshable session that knows its identity URL. */
  async function refreshableClient() {
    const stale = await codeFlowSession(org, org.alice);
    const client = org.client();
    client.setSession(stale);
    const events: RefreshEvent[] = [];
    client.on('refresh', (event) => events.push(event));
    await org.clearLog();
    return { stale, client, events, idPath: new URL(stale.idUrl as string).pathname };
  }

  it("refreshes once on the identity URL's 403 Bad_OAuth_Token when twenty calls hit it", async () => {
    const { stale, client, events, idPath } = await refreshableClient();
    org.org.expireSessions();
    org.org.faults.latency(20, { path: idPath });

    const identities = await Promise.all(Array.from({ length: 20 }, () => client.identity()));

    expect(identities.map((identity) => identity.user_id)).toEqual(Array(20).fill(org.alice.userId));
    expect(events).toHaveLength(1);
    expect(events[0]?.previous).toBe(stale);
    expect(client.session).toBe(events[0]?.session);
    expect(grantsSent('refresh_token')).toHaveLength(1);
    const seen = (await org.requests({ path: idPath })).map((r) => r.status);
    expect(seen.filter((status) => status === 403)).toHaveLength(20);
    expect(seen.filter((status) => status === 200)).toHaveLength(20);
    expect(await org.tokenCalls()).toBe(1);
  });

  it("refreshes UserInfo's expired session and keeps the new one for the client's next requests", async () => {
    const { client, events } = await refreshableClient();
    org.org.expireSessions();
    const info = await client.userInfo();
    expect(info.user_id).toBe(org.alice.userId);
    expect(events).toHaveLength(1);
    expect(client.session).toBe(events[0]?.session);
    // The client signs its next request with the refreshed session: no second 401, no second refresh.
    expect(await whoAmI(client)).toBe(org.alice.userId);
    expect((await org.requests({ path: '/services/oauth2/userinfo' })).map((r) => r.status)).toEqual([
      403, 200,
    ]);
    expect((await org.requests({ path: RESOURCES })).map((r) => r.status)).toEqual([200]);
    expect(await org.tokenCalls()).toBe(1);
  });

  it('refreshes a session passed to identity() in multi-user mode, saying which one it replaced', async () => {
    const stale = await codeFlowSession(org, org.bob);
    const client = org.client({ mode: 'multi' });
    const events: RefreshEvent[] = [];
    client.on('refresh', (event) => events.push(event));
    org.org.expireSessions();
    expect((await client.identity(stale)).user_id).toBe(org.bob.userId);
    expect(events).toHaveLength(1);
    expect(events[0]?.previous).toBe(stale);
  });

  it('rejects, never throws at the call, when there is no session', async () => {
    const client = org.client();
    const identity = client.identity();
    const userInfo = client.userInfo();
    expect(identity).toBeInstanceOf(Promise);
    await expect(identity).rejects.toMatchObject({ code: 'NO_SESSION' });
    await expect(userInfo).rejects.toBeInstanceOf(SessionRequiredError);
  });

  it('keeps the 403 Bad_OAuth_Token, with the refresh failure as its cause, when the refresh fails', async () => {
    const stale = await codeFlowSession(org, org.bob);
    org.org.expireSessions();
    const revoked = { ...stale, refreshToken: '5Aep861-revoked' };
    const error = await rejectionOf(org.client({ mode: 'multi' }).identity(revoked));
    expect(error).toBeInstanceOf(ForbiddenError);
    expect(error).toMatchObject({ code: 'Bad_OAuth_Token', status: 403 });
    expect(error.cause).toBeInstanceOf(OAuthError);
    expect(error.message).toContain('refreshing it failed: invalid_grant');
  });

  it('fails with the 403 Bad_OAuth_Token, once, when the session cannot be refreshed', async () => {
    const client = org.client({ clientId: undefined, clientSecret: undefined, autoRelogin: false });
    const session = await client.loginWithSoap(login(org.alice));
    const idPath = new URL(session.idUrl as string).pathname;
    org.org.expireSessions();
    const error = await rejectionOf(client.identity());
    expect(error).toBeInstanceOf(ForbiddenError);
    expect(error).toMatchObject({ code: 'Bad_OAuth_Token', status: 403, path: idPath });
    expect(await org.requests({ path: idPath })).toHaveLength(1);
  });
});

describe('refreshSession()', () => {
  it('shares one refresh among concurrent callers', async () => {
    const stale = await codeFlowSession(org, org.bob);
    await org.clearLog();
    const view = org.client({ mode: 'multi' }).as(stale);
    const sessions = await Promise.all([
      view.refreshSession(),
      view.refreshSession(),
      view.refreshSession(stale),
    ]);
    expect(await org.tokenCalls()).toBe(1);
    expect(new Set(sessions).size).toBe(1);
    expect(view.session).toBe(sessions[0]);
  });

  it('returns the replacement for a session already refreshed instead of refreshing again', async () => {
    const stale = await codeFlowSession(org, org.alice);
    await org.clearLog();
    const client = org.client({ mode: 'multi' });
    org.org.expireSessions();
    await whoAmI(client, { session: stale });
    expect(await org.tokenCalls()).toBe(1);
    // A request still carrying the stale session, and a streaming client reporting it, both reuse the refresh.
    expect(await whoAmI(client, { session: stale })).toBe(org.alice.userId);
    const replacement = await client.refreshSession(stale);
    expect(org.isLive(replacement.accessToken)).toBe(true);
    expect(await org.tokenCalls()).toBe(1);
  });

  it('says there is nothing to refresh', async () => {
    const error = await rejectionOf(org.client({ mode: 'multi' }).refreshSession());
    expect(error).toBeInstanceOf(SessionRequiredError);
    expect(error).toMatchObject({ code: 'NO_SESSION' });
    const soapLike = { accessToken: org.org.createSession(org.alice.userId), instanceUrl: org.url };
    expect(await rejectionOf(org.client({ mode: 'multi' }).refreshSession(soapLike))).toMatchObject({
      code: 'SESSION_NOT_REFRESHABLE',
    });
    expect(await org.requests()).toEqual([]);
  });
});

describe('multi-user mode', () => {
  it('keeps two users apart when their requests interleave through one client', async () => {
    org.org.faults.latency(5, { path: RESOURCES });
    const client = org.client({ mode: 'multi' });
    const alice = await client.loginWithPassword(login(org.alice));
    const bob = await client.loginWithPassword(login(org.bob));
    const expected = (call: number) => (call % 2 === 0 ? alice : bob).userId;
    const answered = await Promise.all(
      Array.from({ length: 30 }, (_, call) =>
        whoAmI(client, { session: call % 2 === 0 ? alice : bob, call }),
      ),
    );
    expect(answered).toEqual(answered.map((_, call) => expected(call)));

    // The emulator authenticated each call as the user it was made for.
    const seen = await org.requests({ path: RESOURCES });
    expect(seen).toHaveLength(30);
    for (const request of seen) {
      const call = Number(new URLSearchParams(request.query).get('call'));
      expect(request.userId, `call ${call}`).toBe(expected(call));
    }
  });

  it('binds views with as(session) that share the pool but not the session', async () => {
    const client = org.client({ mode: 'multi' });
    const alice = client.as(await client.loginWithPassword(login(org.alice)));
    const bob = client.as(await client.loginWithPassword(login(org.bob)));
    const [a, b] = await Promise.all([whoAmI(alice), whoAmI(bob)]);
    expect(a).toBe(org.alice.userId);
    expect(b).toBe(org.bob.userId);
    expect((await org.requests({ path: RESOURCES })).map((r) => r.userId).sort()).toEqual(
      [org.alice.userId, org.bob.userId].sort(),
    );
    expect(alice.version).toBe('62.0');
    expect(alice.limitInfo?.max).toBe(15000);
    expect(client.session).toBeUndefined();
  });

  it("refreshes one user's view without touching the other's, and says which session was replaced", async () => {
    const client = org.client({ mode: 'multi' });
    const aliceStale = await codeFlowSession(org, org.alice);
    const bobSession = await codeFlowSession(org, org.bob);
    const alice = client.as(aliceStale);
    const bob = client.as(bobSession);
    await org.clearLog();
    const events: RefreshEvent[] = [];
    client.on('refresh', (event) => events.push(event));
    org.org.sessions.expireUser(org.alice.userId);

    expect(await whoAmI(alice)).toBe(org.alice.userId);
    expect(events).toHaveLength(1);
    expect(events[0]?.previous).toBe(aliceStale);
    expect(alice.session).toBe(events[0]?.session);
    expect(bob.session).toBe(bobSession);
    expect(await whoAmI(bob)).toBe(org.bob.userId);
    expect(org.lastSent(RESOURCES).headers.authorization).toBe(`Bearer ${bobSession.accessToken}`);
    expect((await org.requests({ path: RESOURCES })).map((r) => [r.status, r.userId])).toEqual([
      [401, undefined],
      [200, org.alice.userId],
      [200, org.bob.userId],
    ]);
  });

  it('requires a session per call or a bound view', async () => {
    const client = org.client({ mode: 'multi' });
    const error = await rejectionOf(whoAmI(client));
    expect(error).toBeInstanceOf(SessionRequiredError);
    expect(error).toMatchObject({ code: 'NO_SESSION' });
    expect(() => client.setSession({ accessToken: 'x', instanceUrl: org.url })).toThrow(/multi/);
    expect(await org.requests()).toEqual([]);
  });

  it("never replays a call's own expired session with the client's session", async () => {
    const bobRefreshable = await codeFlowSession(org, org.bob);
    await org.clearLog();
    const client = org.client();
    const alice = await client.loginWithPassword(login(org.alice));
    const bobExpired = { accessToken: org.org.createSession(org.bob.userId), instanceUrl: org.url };
    org.org.sessions.expireUser(org.bob.userId);
    expect(await rejectionOf(whoAmI(client, { session: bobExpired }))).toBeInstanceOf(InvalidSessionError);

    expect(await whoAmI(client, { session: bobRefreshable })).toBe(org.bob.userId);
    expect(client.session).toBe(alice);
    // Alice's session never signed one of Bob's calls.
    const calls = await org.requests({ path: RESOURCES });
    expect(calls.map((r) => [r.status, r.userId])).toEqual([
      [401, undefined],
      [401, undefined],
      [200, org.bob.userId],
    ]);
    expect(org.sent.filter((r) => r.headers.authorization === `Bearer ${alice.accessToken}`)).toHaveLength(0);
  });

  it('lets a single-user client sign one call with another session', async () => {
    const client = org.client();
    await client.loginWithPassword(login(org.alice));
    const bob = await org.client({ mode: 'multi' }).loginWithPassword(login(org.bob));
    expect(await whoAmI(client, { session: bob })).toBe(org.bob.userId);
    expect(await whoAmI(client)).toBe(org.alice.userId);
    expect((await org.requests({ path: RESOURCES })).map((r) => r.userId)).toEqual([
      org.bob.userId,
      org.alice.userId,
    ]);
  });
});
