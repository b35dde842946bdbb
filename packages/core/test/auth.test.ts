import { createHash, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { rejectionOf } from '../../../test-support/requests.js';
import {
  AuthError,
  ConfigurationError,
  OAuthError,
  type Session,
  SessionRequiredError,
  SoapFaultError,
} from '../src/index.js';
import { codeFlowSession, useEmulatedOrg, visitAuthorizeUrl } from './support/emulator.js';

const org = useEmulatedOrg();

const login = (user: { username: string; password: string; securityToken: string }) => ({
  username: user.username,
  password: user.password,
  securityToken: user.securityToken,
});
const codeOf = (callback: string) => new URL(callback).searchParams.get('code') ?? '';
const hasRefreshToken = (refreshToken: string | undefined) =>
  refreshToken !== undefined && org.org.sessions.refreshGrant(refreshToken) !== undefined;

describe('username-password flow', () => {
  it('logs in with the security token appended and keeps the session (single-user mode)', async () => {
    const client = org.client();
    const session = await client.loginWithPassword(login(org.alice));

    const form = new URLSearchParams(org.lastSent('/services/oauth2/token').body);
    expect(Object.fromEntries(form)).toEqual({
      grant_type: 'password',
      client_id: org.credentials.clientId,
      client_secret: org.credentials.clientSecret,
      username: org.alice.username,
      password: org.alice.password + org.alice.securityToken,
    });
    const organizationId = org.credentials.organizationId;
    expect(session).toMatchObject({
      instanceUrl: org.url,
      idUrl: `${org.url}/id/${organizationId}/${org.alice.userId}`,
      userId: org.alice.userId,
      organizationId,
      // The app's scopes, less refresh_token: this flow never gets a refresh token.
      scope: 'web id api',
      tokenType: 'Bearer',
      grant: 'password',
    });
    expect(session.issuedAt).toBeTypeOf('number');
    expect(session.refreshToken).toBeUndefined();
    expect(org.isLive(session.accessToken)).toBe(true);
    expect(client.session).toBe(session);
    expect(await client.request({ path: '' })).toMatchObject({
      sobjects: '/services/data/v62.0/sobjects',
      identity: session.idUrl,
    });
    expect(await org.requests({ path: '/services/data/v62.0/' })).toMatchObject([
      { method: 'GET', status: 200, userId: org.alice.userId },
    ]);
  });

  it('rejects bad credentials with the OAuth error', async () => {
    const error = await rejectionOf(
      org.client().loginWithPassword({ ...login(org.alice), securityToken: 'wrong' }),
    );
    expect(error).toBeInstanceOf(OAuthError);
    expect(error).toMatchObject({
      code: 'invalid_grant',
      error: 'invalid_grant',
      errorDescription: 'authentication failure',
      status: 400,
    });
  });

  it('reports an unknown client id and a wrong client secret', async () => {
    const unknown = await rejectionOf(org.client({ clientId: 'nope' }).loginWithPassword(login(org.alice)));
    expect(unknown).toMatchObject({
      code: 'invalid_client_id',
      errorDescription: 'client identifier invalid',
    });
    const secret = await rejectionOf(
      org.client({ clientSecret: 'wrong-secret' }).loginWithPassword(login(org.alice)),
    );
    expect(secret).toMatchObject({ code: 'invalid_client', errorDescription: 'invalid client credentials' });
  });

  it('names what is missing before sending anything', async () => {
    const noClient = await rejectionOf(
      org.client({ clientId: undefined }).loginWithPassword(login(org.alice)),
    );
    expect(noClient).toBeInstanceOf(ConfigurationError);
    expect((noClient as ConfigurationError).issues).toEqual([
      { field: 'clientId', message: 'required for the password flow' },
    ]);
    const badArgs = await rejectionOf(
      org.client().loginWithPassword({ username: '', password: 3 } as unknown as ReturnType<typeof login>),
    );
    expect((badArgs as ConfigurationError).issues.map((i) => i.field)).toEqual(['username', 'password']);
    expect(await org.requests()).toEqual([]);
  });

  it('returns the session without keeping it in multi-user mode', async () => {
    const client = org.client({ mode: 'multi' });
    const session = await client.loginWithPassword(login(org.alice));
    expect(client.session).toBeUndefined();
    expect(org.isLive(session.accessToken)).toBe(true);
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
    expect(url.origin + url.pathname).toBe(`${org.url}/services/oauth2/authorize`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: org.credentials.clientId,
      redirect_uri: org.credentials.redirectUri,
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
    expect(request.redirectUri).toBe(org.credentials.redirectUri);
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
    const pending = client.authorizeUrl({
      scope: 'api refresh_token',
      state: 'st-123',
      loginHint: org.bob.username,
    });
    // The emulator keeps the challenge with the code and checks the verifier against it.
    const callback = await visitAuthorizeUrl(pending.url);
    expect(new URL(callback).searchParams.get('state')).toBe('st-123');

    const session = await client.completeAuthorization(pending, callback);
    expect(session).toMatchObject({
      userId: org.bob.userId,
      grant: 'authorization_code',
      scope: 'refresh_token api',
    });
    expect(hasRefreshToken(session.refreshToken)).toBe(true);
    expect(client.session).toBe(session);
    const form = new URLSearchParams(org.lastSent('/services/oauth2/token').body);
    expect(form.get('code_verifier')).toBe(pending.codeVerifier);
    expect(form.get('redirect_uri')).toBe(org.credentials.redirectUri);
    expect(form.get('code')).toBe(codeOf(callback));
  });

  it('refuses a callback whose state does not match, without exchanging the code', async () => {
    const client = org.client();
    const pending = client.authorizeUrl();
    const callback = await visitAuthorizeUrl(pending.url);
    const code = encodeURIComponent(codeOf(callback));
    const redirectUri = org.credentials.redirectUri;
    for (const forged of [`${redirectUri}?code=${code}&state=forged`, `${redirectUri}?code=${code}`]) {
      const error = await rejectionOf(client.completeAuthorization(pending, forged));
      expect(error).toBeInstanceOf(AuthError);
      expect(error).toMatchObject({ code: 'STATE_MISMATCH' });
    }
    expect(await org.tokenCalls()).toBe(0);
    // Codes are single-use: the genuine callback still works, so the forged ones never spent it.
    expect(await client.completeAuthorization(pending, callback)).toMatchObject({
      userId: org.credentials.userId,
    });
  });

  it('turns an error callback into an OAuthError', async () => {
    const inactive = org.org.createUser({ username: 'gone@example.com', isActive: false });
    const client = org.client();
    const pending = client.authorizeUrl({ loginHint: inactive.username });
    const callback = await visitAuthorizeUrl(pending.url);
    const params = new URL(callback).searchParams;
    expect(params.get('error')).toBe('access_denied');

    for (const form of [callback, params]) {
      const error = await rejectionOf(client.completeAuthorization(pending, form));
      expect(error).toBeInstanceOf(OAuthError);
      expect(error).toMatchObject({
        code: 'access_denied',
        errorDescription: 'end-user denied authorization',
      });
      expect((error as OAuthError).status).toBeUndefined();
    }
    expect(await org.tokenCalls()).toBe(0);
  });

  it('is refused by the server when the verifier does not match the challenge, or is missing', async () => {
    const client = org.client();
    const pending = client.authorizeUrl();

    const wrong = await rejectionOf(
      client.loginWithAuthorizationCode({
        code: codeOf(await visitAuthorizeUrl(pending.url)),
        codeVerifier: client.authorizeUrl().codeVerifier,
      }),
    );
    expect(wrong).toMatchObject({ code: 'invalid_request', errorDescription: 'invalid code verifier' });

    const missing = await rejectionOf(
      client.loginWithAuthorizationCode({ code: codeOf(await visitAuthorizeUrl(pending.url)) }),
    );
    expect(missing).toMatchObject({ code: 'invalid_grant' });
  });

  it('cannot use a code twice', async () => {
    const client = org.client();
    const pending = client.authorizeUrl();
    const code = codeOf(await visitAuthorizeUrl(pending.url));
    await client.loginWithAuthorizationCode({ code, codeVerifier: pending.codeVerifier });
    const error = await rejectionOf(
      client.loginWithAuthorizationCode({ code, codeVerifier: pending.codeVerifier }),
    );
    expect(error).toMatchObject({ code: 'invalid_grant', errorDescription: 'invalid authorization code' });
  });
});

describe('refresh-token flow', () => {
  it('gets a session from a refresh token and keeps the token (no rotation)', async () => {
    const { refreshToken } = await codeFlowSession(org, org.alice);
    const session = await org.client().loginWithRefreshToken(refreshToken as string);
    expect(session).toMatchObject({ userId: org.alice.userId, refreshToken, grant: 'refresh_token' });
    expect(org.isLive(session.accessToken)).toBe(true);
  });

  it('reports an expired or revoked refresh token', async () => {
    const { refreshToken } = await codeFlowSession(org, org.alice);
    org.org.sessions.revokeRefreshToken(refreshToken as string);
    for (const token of [refreshToken as string, '5Aep861-never-issued']) {
      const error = await rejectionOf(org.client().loginWithRefreshToken(token));
      expect(error).toMatchObject({
        code: 'invalid_grant',
        errorDescription: 'expired access/refresh token',
      });
    }
  });
});

describe('JWT bearer flow', () => {
  it('posts an RS256 assertion with iss/sub/aud/exp that the public key verifies', async () => {
    const client = org.client({ privateKey: org.credentials.jwtPrivateKey, clientSecret: undefined });
    const before = Math.floor(Date.now() / 1000);
    const session = await client.loginWithJwt({ username: org.bob.username });
    expect(session).toMatchObject({ userId: org.bob.userId, scope: 'web id api', grant: 'jwt_bearer' });
    expect(session.issuedAt).toBeUndefined();
    expect(session.refreshToken).toBeUndefined();
    expect(org.isLive(session.accessToken)).toBe(true);

    const form = new URLSearchParams(org.lastSent('/services/oauth2/token').body);
    expect(form.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    expect([...form.keys()].sort()).toEqual(['assertion', 'grant_type']);
    const [header, payload, signature] = (form.get('assertion') ?? '').split('.') as [string, string, string];
    expect(
      verify(
        'sha256',
        Buffer.from(`${header}.${payload}`),
        createPublicKey(org.credentials.jwtPublicKey),
        Buffer.from(signature, 'base64url'),
      ),
    ).toBe(true);
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    expect(claims).toMatchObject({ iss: org.credentials.clientId, sub: org.bob.username, aud: org.url });
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
      org.client({ privateKey: other.privateKey }).loginWithJwt({ username: org.alice.username }),
    );
    expect(forged).toMatchObject({ code: 'invalid_grant', errorDescription: 'invalid assertion' });
    const stranger = await rejectionOf(
      org.client({ privateKey: org.credentials.jwtPrivateKey }).loginWithJwt({ username: 'eve@example.com' }),
    );
    expect(stranger).toMatchObject({
      code: 'invalid_grant',
      errorDescription: "user hasn't approved this consumer",
    });
  });

  it('uses an explicit audience, which the server checks', async () => {
    const error = await rejectionOf(
      org
        .client({ privateKey: org.credentials.jwtPrivateKey })
        .loginWithJwt({ username: org.alice.username, audience: 'https://elsewhere.example.com' }),
    );
    expect(error).toMatchObject({ code: 'invalid_grant', errorDescription: 'audience is invalid' });
    const claims = JSON.parse(
      Buffer.from(
        new URLSearchParams(org.lastSent('/services/oauth2/token').body).get('assertion')?.split('.')[1] ??
          '',
        'base64url',
      ).toString(),
    );
    expect(claims.aud).toBe('https://elsewhere.example.com');
  });

  it('needs clientId and privateKey, and says so', async () => {
    const error = await rejectionOf(
      org.client({ clientId: undefined }).loginWithJwt({ username: org.alice.username }),
    );
    expect((error as ConfigurationError).issues.map((i) => i.field)).toEqual(['clientId', 'privateKey']);
    expect(await org.requests()).toEqual([]);
  });
});

describe('client-credentials flow', () => {
  it("logs in as the app's run-as user", async () => {
    const session = await org.client().loginWithClientCredentials();
    expect(session).toMatchObject({ userId: org.credentials.userId, grant: 'client_credentials' });
    expect(org.isLive(session.accessToken)).toBe(true);
    expect(Object.fromEntries(new URLSearchParams(org.lastSent('/services/oauth2/token').body))).toEqual({
      grant_type: 'client_credentials',
      client_id: org.credentials.clientId,
      client_secret: org.credentials.clientSecret,
    });
  });

  it('needs a client secret, and reports a wrong one', async () => {
    const missing = await rejectionOf(org.client({ clientSecret: undefined }).loginWithClientCredentials());
    expect(missing).toBeInstanceOf(ConfigurationError);
    expect(await org.tokenCalls()).toBe(0);
    const wrong = await rejectionOf(org.client({ clientSecret: 'nope' }).loginWithClientCredentials());
    expect(wrong).toMatchObject({ code: 'invalid_client' });
  });
});

describe('revoke', () => {
  it("revokes the session's refresh token, which ends its access token, and forgets the session", async () => {
    const client = org.client();
    const pending = client.authorizeUrl({ scope: 'api refresh_token' });
    const session = await client.completeAuthorization(pending, await visitAuthorizeUrl(pending.url));
    expect(hasRefreshToken(session.refreshToken)).toBe(true);

    await client.revoke();
    expect(new URLSearchParams(org.lastSent('/services/oauth2/revoke').body).get('token')).toBe(
      session.refreshToken,
    );
    expect(await org.requests({ path: '/services/oauth2/revoke' })).toMatchObject([
      { method: 'POST', status: 200 },
    ]);
    expect(hasRefreshToken(session.refreshToken)).toBe(false);
    expect(org.isLive(session.accessToken)).toBe(false);
    expect(client.session).toBeUndefined();
  });

  it('revokes an access token given as a string', async () => {
    const accessToken = org.org.createSession(org.bob.userId);
    await org.client({ mode: 'multi' }).revoke(accessToken);
    expect(org.isLive(accessToken)).toBe(false);
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
    const session = await client.loginWithPassword(login(org.alice));
    const identity = await client.identity();
    expect(identity).toMatchObject({
      id: session.idUrl,
      user_id: org.alice.userId,
      organization_id: org.credentials.organizationId,
      username: org.alice.username,
    });
    const path = `/id/${org.credentials.organizationId}/${org.alice.userId}`;
    const request = org.lastSent(path);
    expect(request.path).toMatch(/\?format=json$/);
    expect(request.headers.authorization).toBe(`Bearer ${session.accessToken}`);
    expect(await org.requests({ path })).toMatchObject([{ query: 'format=json', status: 200 }]);
  });

  it('finds the identity URL through the REST resources when the session lacks one', async () => {
    const client = org.client({ accessToken: org.bob.accessToken, instanceUrl: org.url });
    expect((await client.identity()).username).toBe(org.bob.username);
    expect((await org.requests()).map((r) => r.path)).toEqual([
      '/services/data/v62.0/',
      `/id/${org.credentials.organizationId}/${org.bob.userId}`,
    ]);
  });

  it('reads UserInfo from the host that issued the session', async () => {
    const client = org.client({ mode: 'multi' });
    const session = await client.loginWithPassword(login(org.alice));
    expect(await client.userInfo(session)).toMatchObject({
      sub: session.idUrl,
      user_id: org.alice.userId,
      preferred_username: org.alice.username,
    });
    expect(org.lastSent('/services/oauth2/userinfo').headers.authorization).toBe(
      `Bearer ${session.accessToken}`,
    );
  });
});

describe('SOAP partner login (deprecated)', () => {
  it('logs in at /services/Soap/u/NN.N and builds the session from the response', async () => {
    const client = org.client({ clientId: undefined, clientSecret: undefined });
    const session = await client.loginWithSoap(login(org.alice));
    const organizationId = org.credentials.organizationId;
    expect(session).toEqual({
      accessToken: expect.any(String),
      instanceUrl: org.url,
      idUrl: `${org.url}/id/${organizationId}/${org.alice.userId}`,
      userId: org.alice.userId,
      organizationId,
      grant: 'soap',
    } satisfies Session);
    expect(org.isLive(session.accessToken)).toBe(true);
    const request = org.lastSent('/services/Soap/u/62.0');
    expect(request.headers['content-type']).toBe('text/xml; charset=UTF-8');
    expect(request.headers.soapaction).toBe('login');
    expect(request.body).toContain(`<password>${org.alice.password}${org.alice.securityToken}</password>`);
    expect(await client.request({ path: '' })).toHaveProperty('identity', session.idUrl);
  });

  it('throws the login fault', async () => {
    const error = await rejectionOf(org.client().loginWithSoap({ ...login(org.alice), password: 'wrong' }));
    expect(error).toBeInstanceOf(SoapFaultError);
    expect(error).toMatchObject({ code: 'INVALID_LOGIN', faultCode: 'INVALID_LOGIN', status: 500 });
    expect(error.message).toBe(
      'INVALID_LOGIN: Invalid username, password, security token; or user locked out.',
    );
  });

  it('logs out, ending the session on the server', async () => {
    const client = org.client();
    const session = await client.loginWithSoap(login(org.alice));
    await client.logoutSoap();
    expect(org.isLive(session.accessToken)).toBe(false);
    expect(client.session).toBeUndefined();
    expect(org.lastSent('/services/Soap/u/62.0').body).toContain(
      `<sessionId>${session.accessToken}</sessionId>`,
    );
  });

  it('reports a logout with an invalid session as a fault', async () => {
    const client = org.client({ mode: 'multi' });
    const error = await rejectionOf(client.logoutSoap({ accessToken: 'expired!x', instanceUrl: org.url }));
    expect(error).toBeInstanceOf(SoapFaultError);
    expect(error).toMatchObject({ code: 'INVALID_SESSION_ID', status: 500 });
  });
});
