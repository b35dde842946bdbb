import { createHash, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  AuthError,
  ConfigurationError,
  OAuthError,
  type Session,
  SessionRequiredError,
  SoapFaultError,
} from '../src/index.js';
import { ALICE, BOB, CLIENT_ID, CLIENT_SECRET, REDIRECT_URI } from './support/fake-salesforce.js';
import { rejectionOf, useFakeSalesforce } from './support/setup.js';

const org = useFakeSalesforce();

const lastRequestTo = (path: string) => {
  const found = org.fake.requests.filter((r) => r.url.split('?')[0] === path).at(-1);
  if (found === undefined) throw new Error(`no request to ${path}`);
  return found;
};
const tokenCalls = () => org.fake.requests.filter((r) => r.url === '/services/oauth2/token').length;

const alice = { username: ALICE.username, password: ALICE.password, securityToken: ALICE.securityToken };

describe('username-password flow', () => {
  it('logs in with the security token appended and keeps the session (single-user mode)', async () => {
    const client = org.client();
    const session = await client.loginWithPassword(alice);

    const form = new URLSearchParams(lastRequestTo('/services/oauth2/token').body);
    expect(Object.fromEntries(form)).toEqual({
      grant_type: 'password',
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      username: ALICE.username,
      password: ALICE.password + ALICE.securityToken,
    });
    expect(session).toMatchObject({
      instanceUrl: org.fake.url,
      idUrl: `${org.fake.url}/id/${ALICE.organizationId}/${ALICE.userId}`,
      userId: ALICE.userId,
      organizationId: ALICE.organizationId,
      scope: 'api',
      tokenType: 'Bearer',
      grant: 'password',
    });
    expect(session.issuedAt).toBeTypeOf('number');
    expect(session.refreshToken).toBeUndefined();
    expect(org.fake.isValid(session.accessToken)).toBe(true);
    expect(client.session).toBe(session);
    expect(await client.request({ path: '' })).toMatchObject({ sobjects: '/services/data/v62.0/sobjects' });
  });

  it('rejects bad credentials with the OAuth error', async () => {
    const error = await rejectionOf(org.client().loginWithPassword({ ...alice, securityToken: 'wrong' }));
    expect(error).toBeInstanceOf(OAuthError);
    expect(error).toMatchObject({
      code: 'invalid_grant',
      error: 'invalid_grant',
      errorDescription: 'authentication failure',
      status: 400,
    });
  });

  it('reports an unknown client id and a wrong client secret', async () => {
    const unknown = await rejectionOf(org.client({ clientId: 'nope' }).loginWithPassword(alice));
    expect(unknown).toMatchObject({
      code: 'invalid_client_id',
      errorDescription: 'client identifier invalid',
    });
    const secret = await rejectionOf(org.client({ clientSecret: 'wrong-secret' }).loginWithPassword(alice));
    expect(secret).toMatchObject({ code: 'invalid_client', errorDescription: 'invalid client credentials' });
  });

  it('names what is missing before sending anything', async () => {
    const before = tokenCalls();
    const noClient = await rejectionOf(org.client({ clientId: undefined }).loginWithPassword(alice));
    expect(noClient).toBeInstanceOf(ConfigurationError);
    expect((noClient as ConfigurationError).issues).toEqual([
      { field: 'clientId', message: 'required for the password flow' },
    ]);
    const badArgs = await rejectionOf(
      org.client().loginWithPassword({ username: '', password: 3 } as unknown as typeof alice),
    );
    expect((badArgs as ConfigurationError).issues.map((i) => i.field)).toEqual(['username', 'password']);
    expect(tokenCalls()).toBe(before);
  });

  it('returns the session without keeping it in multi-user mode', async () => {
    const client = org.client({ mode: 'multi' });
    const session = await client.loginWithPassword(alice);
    expect(client.session).toBeUndefined();
    expect(org.fake.isValid(session.accessToken)).toBe(true);
  });

  it('turns a non-JSON failure of the token endpoint into an OAuthError that says what happened', async () => {
    const client = org.client();
    org.fake.route('POST', '/services/oauth2/token', () => ({
      status: 503,
      headers: { 'content-type': 'text/html' },
      body: '<html><head><title>Service Unavailable</title></head><body>down</body></html>',
    }));
    try {
      const error = await rejectionOf(client.loginWithPassword(alice));
      expect(error).toBeInstanceOf(OAuthError);
      expect(error).toMatchObject({ code: 'HTTP_503', status: 503 });
      expect(error.message).toContain('Service Unavailable');
    } finally {
      org.fake.unroute('POST', '/services/oauth2/token');
    }
  });
});

describe('authorization-code flow with PKCE', () => {
  it('builds the authorize URL with PKCE S256, state and every option', () => {
    const client = org.client();
    const request = client.authorizeUrl({
      scope: ['api', 'refresh_token'],
      prompt: ['login', 'consent'],
      display: 'popup',
      immediate: false,
      loginHint: 'alice@example.com',
      nonce: 'n-0S6_WzA2Mj',
    });
    const url = new URL(request.url);
    expect(url.origin + url.pathname).toBe(`${org.fake.url}/services/oauth2/authorize`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: CLIENT_ID,
      redirect_uri: REDIRECT_URI,
      scope: 'api refresh_token',
      state: request.state,
      code_challenge: createHash('sha256').update(request.codeVerifier).digest('base64url'),
      code_challenge_method: 'S256',
      prompt: 'login consent',
      display: 'popup',
      immediate: 'false',
      login_hint: 'alice@example.com',
      nonce: 'n-0S6_WzA2Mj',
    });
    expect(request.state.length).toBeGreaterThanOrEqual(16);
    expect(request.redirectUri).toBe(REDIRECT_URI);
    expect(client.authorizeUrl().state).not.toBe(request.state);
  });

  it('validates authorize parameters and needs a redirect URI', () => {
    const client = org.client();
    expect(() => client.authorizeUrl({ display: 'tv' as 'page', scope: 5 as unknown as string })).toThrow(
      /display.*scope|scope.*display/,
    );
    expect(() => org.client({ redirectUri: undefined }).authorizeUrl()).toThrow(/redirectUri/);
  });

  it('completes a login from the callback: state checked, code exchanged with the verifier', async () => {
    const client = org.client();
    const pending = client.authorizeUrl({ scope: 'api refresh_token', state: 'st-123' });
    const challenge = new URL(pending.url).searchParams.get('code_challenge') ?? '';
    const issued = org.fake.approve(BOB, REDIRECT_URI, challenge);
    const callback = `${REDIRECT_URI}?code=${encodeURIComponent(issued)}&state=st-123`;

    const session = await client.completeAuthorization(pending, callback);
    expect(session).toMatchObject({
      userId: BOB.userId,
      grant: 'authorization_code',
      scope: 'api refresh_token',
    });
    expect(org.fake.isValidRefreshToken(session.refreshToken ?? '')).toBe(true);
    expect(client.session).toBe(session);
    const form = new URLSearchParams(org.fake.requests.at(-1)?.body);
    expect(form.get('code_verifier')).toBe(pending.codeVerifier);
    expect(form.get('redirect_uri')).toBe(REDIRECT_URI);
    expect(form.get('code')).toBe(issued);
  });

  it('refuses a callback whose state does not match, without exchanging the code', async () => {
    const client = org.client();
    const pending = client.authorizeUrl();
    const issued = org.fake.approve(ALICE, REDIRECT_URI);
    const before = org.fake.grants('authorization_code');
    for (const callback of [
      `${REDIRECT_URI}?code=${issued}&state=forged`,
      `${REDIRECT_URI}?code=${issued}`,
    ]) {
      const error = await rejectionOf(client.completeAuthorization(pending, callback));
      expect(error).toBeInstanceOf(AuthError);
      expect(error).toMatchObject({ code: 'STATE_MISMATCH' });
    }
    expect(org.fake.grants('authorization_code')).toBe(before);
  });

  it('turns an error callback into an OAuthError', async () => {
    const client = org.client();
    const pending = client.authorizeUrl();
    const params = new URLSearchParams({
      error: 'access_denied',
      error_description: 'end-user denied authorization',
      state: pending.state,
    });
    const error = await rejectionOf(client.completeAuthorization(pending, params));
    expect(error).toBeInstanceOf(OAuthError);
    expect(error).toMatchObject({ code: 'access_denied', errorDescription: 'end-user denied authorization' });
    expect((error as OAuthError).status).toBeUndefined();
  });

  it('is refused by the server when the verifier does not match the challenge, or is missing', async () => {
    const client = org.client();
    const pending = client.authorizeUrl();
    const challenge = new URL(pending.url).searchParams.get('code_challenge') ?? '';

    const wrong = await rejectionOf(
      client.loginWithAuthorizationCode({
        code: org.fake.approve(ALICE, REDIRECT_URI, challenge),
        codeVerifier: client.authorizeUrl().codeVerifier,
      }),
    );
    expect(wrong).toMatchObject({ code: 'invalid_request', errorDescription: 'invalid code verifier' });

    const missing = await rejectionOf(
      client.loginWithAuthorizationCode({ code: org.fake.approve(ALICE, REDIRECT_URI, challenge) }),
    );
    expect(missing).toMatchObject({ code: 'invalid_grant' });
  });

  it('cannot use a code twice', async () => {
    const client = org.client();
    const issued = org.fake.approve(ALICE, REDIRECT_URI);
    await client.loginWithAuthorizationCode({ code: issued });
    const error = await rejectionOf(client.loginWithAuthorizationCode({ code: issued }));
    expect(error).toMatchObject({ code: 'invalid_grant', errorDescription: 'invalid authorization code' });
  });
});

describe('refresh-token flow', () => {
  it('gets a session from a refresh token and keeps the token (no rotation)', async () => {
    const refreshToken = org.fake.issueRefreshToken(ALICE);
    const session = await org.client().loginWithRefreshToken(refreshToken);
    expect(session).toMatchObject({ userId: ALICE.userId, refreshToken, grant: 'refresh_token' });
  });

  it('reports an expired or revoked refresh token', async () => {
    const error = await rejectionOf(org.client().loginWithRefreshToken('5Aep861-revoked'));
    expect(error).toMatchObject({ code: 'invalid_grant', errorDescription: 'expired access/refresh token' });
  });
});

describe('JWT bearer flow', () => {
  it('posts an RS256 assertion with iss/sub/aud/exp that the public key verifies', async () => {
    const client = org.client({ privateKey: org.fake.keys.privateKey, clientSecret: undefined });
    const before = Math.floor(Date.now() / 1000);
    const session = await client.loginWithJwt({ username: BOB.username });
    expect(session).toMatchObject({ userId: BOB.userId, scope: 'web id api', grant: 'jwt_bearer' });
    expect(session.issuedAt).toBeUndefined();
    expect(session.refreshToken).toBeUndefined();

    const form = new URLSearchParams(lastRequestTo('/services/oauth2/token').body);
    expect(form.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    expect([...form.keys()].sort()).toEqual(['assertion', 'grant_type']);
    const [header, payload, signature] = (form.get('assertion') ?? '').split('.') as [string, string, string];
    expect(
      verify(
        'sha256',
        Buffer.from(`${header}.${payload}`),
        createPublicKey(org.fake.keys.publicKey),
        Buffer.from(signature, 'base64url'),
      ),
    ).toBe(true);
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    expect(claims).toMatchObject({ iss: CLIENT_ID, sub: BOB.username, aud: org.fake.url });
    expect(claims.exp - claims.iat).toBe(180);
    expect(claims.iat).toBeGreaterThanOrEqual(before);
  });

  it('is refused when signed with another key, or for an unknown user', async () => {
    const other = generateKeyPairSync('rsa', {
      modulusLength: 1024,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const forged = await rejectionOf(
      org.client({ privateKey: other.privateKey }).loginWithJwt({ username: ALICE.username }),
    );
    expect(forged).toMatchObject({ code: 'invalid_grant', errorDescription: 'invalid assertion' });
    const stranger = await rejectionOf(
      org.client({ privateKey: org.fake.keys.privateKey }).loginWithJwt({ username: 'eve@example.com' }),
    );
    expect(stranger).toMatchObject({
      code: 'invalid_grant',
      errorDescription: "user hasn't approved this consumer",
    });
  });

  it('uses an explicit audience, which the server checks', async () => {
    const error = await rejectionOf(
      org
        .client({ privateKey: org.fake.keys.privateKey })
        .loginWithJwt({ username: ALICE.username, audience: 'https://login.salesforce.com' }),
    );
    expect(error).toMatchObject({ code: 'invalid_grant', errorDescription: 'audience is invalid' });
  });

  it('needs clientId and privateKey, and says so', async () => {
    const error = await rejectionOf(
      org.client({ clientId: undefined }).loginWithJwt({ username: ALICE.username }),
    );
    expect((error as ConfigurationError).issues.map((i) => i.field)).toEqual(['clientId', 'privateKey']);
  });
});

describe('client-credentials flow', () => {
  it("logs in as the app's run-as user", async () => {
    const session = await org.client().loginWithClientCredentials();
    expect(session).toMatchObject({ userId: ALICE.userId, grant: 'client_credentials' });
    expect(Object.fromEntries(new URLSearchParams(lastRequestTo('/services/oauth2/token').body))).toEqual({
      grant_type: 'client_credentials',
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
    });
  });

  it('needs a client secret, and reports a wrong one', async () => {
    const missing = await rejectionOf(org.client({ clientSecret: undefined }).loginWithClientCredentials());
    expect(missing).toBeInstanceOf(ConfigurationError);
    const wrong = await rejectionOf(org.client({ clientSecret: 'nope' }).loginWithClientCredentials());
    expect(wrong).toMatchObject({ code: 'invalid_client' });
  });
});

describe('revoke', () => {
  it("revokes the session's refresh token, which ends its access token, and forgets the session", async () => {
    const client = org.client();
    const pending = client.authorizeUrl();
    const challenge = new URL(pending.url).searchParams.get('code_challenge') ?? undefined;
    const session = await client.completeAuthorization(
      pending,
      `${REDIRECT_URI}?code=${org.fake.approve(ALICE, REDIRECT_URI, challenge)}&state=${pending.state}`,
    );
    await client.revoke();
    expect(new URLSearchParams(lastRequestTo('/services/oauth2/revoke').body).get('token')).toBe(
      session.refreshToken,
    );
    expect(org.fake.isValidRefreshToken(session.refreshToken ?? '')).toBe(false);
    expect(org.fake.isValid(session.accessToken)).toBe(false);
    expect(client.session).toBeUndefined();
  });

  it('revokes an access token given as a string', async () => {
    const accessToken = org.fake.issueToken(BOB);
    await org.client({ mode: 'multi' }).revoke(accessToken);
    expect(org.fake.isValid(accessToken)).toBe(false);
  });

  it('reports a token the server does not know', async () => {
    const error = await rejectionOf(org.client().revoke('00Dunknown!token'));
    expect(error).toMatchObject({ code: 'invalid_token', status: 400 });
  });

  it('needs a session or a token', async () => {
    expect(await rejectionOf(org.client().revoke())).toBeInstanceOf(SessionRequiredError);
  });
});

describe('identity and userinfo', () => {
  it('reads the identity URL as JSON with the session', async () => {
    const client = org.client();
    const session = await client.loginWithPassword(alice);
    const identity = await client.identity();
    expect(identity).toMatchObject({ user_id: ALICE.userId, organization_id: ALICE.organizationId });
    const request = lastRequestTo(`/id/${ALICE.organizationId}/${ALICE.userId}`);
    expect(request.url).toMatch(/\?format=json$/);
    expect(request.headers.authorization).toBe(`Bearer ${session.accessToken}`);
  });

  it('finds the identity URL through the REST resources when the session lacks one', async () => {
    const accessToken = org.fake.issueToken(BOB);
    const client = org.client({ accessToken, instanceUrl: org.fake.url });
    expect((await client.identity()).username).toBe(BOB.username);
  });

  it('reads UserInfo from the host that issued the session', async () => {
    const client = org.client({ mode: 'multi' });
    const session = await client.loginWithPassword(alice);
    expect(await client.userInfo(session)).toMatchObject({
      sub: session.idUrl,
      user_id: ALICE.userId,
      preferred_username: ALICE.username,
    });
  });
});

describe('SOAP partner login (deprecated)', () => {
  it('logs in at /services/Soap/u/NN.N and builds the session from the response', async () => {
    const client = org.client({ clientId: undefined, clientSecret: undefined });
    const session = await client.loginWithSoap(alice);
    expect(session).toEqual({
      accessToken: expect.any(String),
      instanceUrl: org.fake.url,
      idUrl: `${org.fake.url}/id/${ALICE.organizationId}/${ALICE.userId}`,
      userId: ALICE.userId,
      organizationId: ALICE.organizationId,
      grant: 'soap',
    } satisfies Session);
    const request = lastRequestTo('/services/Soap/u/62.0');
    expect(request.headers['content-type']).toBe('text/xml; charset=UTF-8');
    expect(request.headers.soapaction).toBe('login');
    expect(request.body).toContain(`<password>${ALICE.password}${ALICE.securityToken}</password>`);
    expect(await client.request({ path: '' })).toHaveProperty('identity');
  });

  it('throws the login fault', async () => {
    const error = await rejectionOf(org.client().loginWithSoap({ ...alice, password: 'wrong' }));
    expect(error).toBeInstanceOf(SoapFaultError);
    expect(error).toMatchObject({ code: 'INVALID_LOGIN', faultCode: 'INVALID_LOGIN', status: 500 });
    expect(error.message).toBe(
      'INVALID_LOGIN: Invalid username, password, security token; or user locked out.',
    );
  });

  it('logs out, ending the session on the server', async () => {
    const client = org.client();
    const session = await client.loginWithSoap(alice);
    await client.logoutSoap();
    expect(org.fake.isValid(session.accessToken)).toBe(false);
    expect(client.session).toBeUndefined();
    expect(lastRequestTo('/services/Soap/u/62.0').body).toContain(
      `<sessionId>${session.accessToken}</sessionId>`,
    );
  });

  it('reports a logout with an invalid session as a fault', async () => {
    const client = org.client({ mode: 'multi' });
    const error = await rejectionOf(
      client.logoutSoap({ accessToken: 'expired!x', instanceUrl: org.fake.url }),
    );
    expect(error).toBeInstanceOf(SoapFaultError);
    expect(error).toMatchObject({ code: 'INVALID_SESSION_ID' });
  });
});
