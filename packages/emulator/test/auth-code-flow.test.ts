import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';
import { bearer, request } from './support/http.js';
import {
  authorize,
  authorizeCode,
  authorizeDefaultApp,
  codeFlowLogin,
  exchangeCode,
  pkcePair,
  refreshLogin,
  TOKEN_KEYS,
  tokenRequest,
} from './support/oauth.js';

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator();
});

afterAll(async () => {
  await emulator.stop();
});

describe('authorize endpoint', () => {
  it('auto-approves and redirects to the callback with code and state', async () => {
    const callback = await authorizeDefaultApp(emulator, { state: 'xyz 123' });
    expect(`${callback.origin}${callback.pathname}`).toBe(emulator.credentials.redirectUri);
    expect(callback.searchParams.get('state')).toBe('xyz 123');
    expect(callback.searchParams.get('code')).toMatch(/^aPrx.+==$/);
  });

  it('reports an unsupported response type and a disallowed scope through the redirect', async () => {
    const bad = await authorizeDefaultApp(emulator, { response_type: 'magic', state: 's1' });
    expect(bad.searchParams.get('error')).toBe('unsupported_response_type');
    expect(bad.searchParams.get('state')).toBe('s1');
    const scope = await authorizeDefaultApp(emulator, { scope: 'api full' });
    expect(scope.searchParams.get('error')).toBe('invalid_scope');
  });

  it('shows an error page instead of redirecting to an unregistered callback or for an unknown client', async () => {
    const c = emulator.credentials;
    const mismatch = await request(
      `${emulator.loginUrl}/services/oauth2/authorize?response_type=code&client_id=${encodeURIComponent(c.clientId)}&redirect_uri=${encodeURIComponent('https://evil.example/cb')}`,
    );
    expect(mismatch.status).toBe(400);
    expect(mismatch.headers.get('location')).toBeNull();
    expect(mismatch.text).toContain('redirect_uri_mismatch');
    const unknown = await request(
      `${emulator.loginUrl}/services/oauth2/authorize?response_type=code&client_id=nope&redirect_uri=${encodeURIComponent(c.redirectUri)}`,
    );
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain('invalid_client_id');
  });

  it('signs in the user named by login_hint', async () => {
    const other = emulator.org.createUser({ username: 'hinted@example.com' });
    const token = await codeFlowLogin(emulator, { login_hint: 'hinted@example.com' });
    expect(token.body.id).toBe(emulator.org.identityUrl(other.userId));
  });

  it('puts the token in the fragment for the user-agent flow', async () => {
    const callback = await authorizeDefaultApp(emulator, { response_type: 'token', state: 'st' });
    const fragment = new URLSearchParams(callback.hash.slice(1));
    expect(fragment.get('token_type')).toBe('Bearer');
    expect(fragment.get('state')).toBe('st');
    const res = await request(`${emulator.url}/services/data/v62.0/`, {
      headers: bearer(fragment.get('access_token') as string),
    });
    expect(res.status).toBe(200);
  });
});

describe('authorization_code grant', () => {
  it('exchanges a code for an access token and a refresh token, keys in Salesforce order', async () => {
    const res = await codeFlowLogin(emulator);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(TOKEN_KEYS.withRefreshToken);
    expect(res.body.scope).toBe('refresh_token web id api');
  });

  it('issues no refresh token when the refresh_token scope was not requested', async () => {
    const res = await codeFlowLogin(emulator, { scope: 'api id' });
    expect(res.status).toBe(200);
    expect(res.body.refresh_token).toBeUndefined();
    // Granted scopes come back in the app's order, not the request's.
    expect(res.body.scope).toBe('id api');
  });

  it('accepts a code only once', async () => {
    const code = await authorizeCode(emulator);
    expect((await exchangeCode(emulator, code)).status).toBe(200);
    const again = await exchangeCode(emulator, code);
    expect(again.status).toBe(400);
    expect(again.body).toEqual({ error: 'invalid_grant', error_description: 'invalid authorization code' });
  });

  it('refuses a code after its 15 minutes', async () => {
    const code = await authorizeCode(emulator);
    emulator.org.clock.advance(15 * 60 * 1000);
    const res = await exchangeCode(emulator, code);
    expect(res.body).toEqual({ error: 'invalid_grant', error_description: 'expired authorization code' });
  });

  it('requires the same redirect_uri as the authorization request', async () => {
    const res = await exchangeCode(emulator, await authorizeCode(emulator), {
      redirect_uri: 'http://localhost:1717/other',
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: 'redirect_uri_mismatch',
      error_description: 'redirect_uri must match configuration',
    });
  });

  it('requires the client secret', async () => {
    const res = await exchangeCode(emulator, await authorizeCode(emulator), { client_secret: '' });
    expect(res.body).toEqual({ error: 'invalid_client', error_description: 'invalid client credentials' });
  });
});

describe('PKCE', () => {
  it('accepts the verifier that hashes to the S256 challenge', async () => {
    const { verifier, challenge } = pkcePair();
    const code = await authorizeCode(emulator, { code_challenge: challenge, code_challenge_method: 'S256' });
    const res = await exchangeCode(emulator, code, { code_verifier: verifier });
    expect(res.status).toBe(200);
    expect(res.body.access_token).toBeTypeOf('string');
  });

  it('answers invalid_grant when the verifier is missing', async () => {
    const { challenge } = pkcePair();
    const res = await codeFlowLogin(emulator, { code_challenge: challenge });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_grant');
  });

  it('answers invalid_request when the verifier does not match', async () => {
    const { challenge } = pkcePair();
    const code = await authorizeCode(emulator, { code_challenge: challenge });
    const res = await exchangeCode(emulator, code, { code_verifier: pkcePair().verifier });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_request');
  });

  it('lets a public client without a secret use PKCE when the app does not require the secret', async () => {
    const app = emulator.org.connectedApps.create({
      requireSecret: false,
      redirectUris: ['http://localhost:9/cb'],
    });
    const { verifier, challenge } = pkcePair();
    const callback = await authorize(emulator, {
      response_type: 'code',
      client_id: app.clientId,
      redirect_uri: 'http://localhost:9/cb',
      code_challenge: challenge,
    });
    const res = await tokenRequest(emulator, {
      grant_type: 'authorization_code',
      code: callback.searchParams.get('code') as string,
      client_id: app.clientId,
      redirect_uri: 'http://localhost:9/cb',
      code_verifier: verifier,
    });
    expect(res.status).toBe(200);
  });
});

describe('refresh_token grant', () => {
  it('issues a new working access token without a new refresh token', async () => {
    const first = await codeFlowLogin(emulator);
    const refreshed = await refreshLogin(emulator, first.body.refresh_token as string);
    expect(refreshed.status).toBe(200);
    expect(Object.keys(refreshed.body)).toEqual(TOKEN_KEYS.session);
    expect(refreshed.body.access_token).not.toBe(first.body.access_token);
    const res = await request(`${emulator.url}/services/data/v62.0/limits`, {
      headers: bearer(refreshed.body.access_token as string),
    });
    expect(res.status).toBe(200);
  });

  it('refuses an unknown refresh token with the recorded error', async () => {
    const res = await refreshLogin(emulator, '5Aep861nope');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_grant', error_description: 'expired access/refresh token' });
  });
});

describe('revoke', () => {
  it('revokes an access token over POST; the token then gets the 401', async () => {
    const token = emulator.org.createSession();
    const revoke = await request(`${emulator.loginUrl}/services/oauth2/revoke`, {
      method: 'POST',
      form: { token },
    });
    expect(revoke.status).toBe(200);
    expect(revoke.text).toBe('');
    const after = await request(`${emulator.url}/services/data/v62.0/limits`, { headers: bearer(token) });
    expect(after.status).toBe(401);
  });

  it('revokes a refresh token over GET together with the sessions issued from it', async () => {
    const first = await codeFlowLogin(emulator);
    const refresh = first.body.refresh_token as string;
    const refreshed = await refreshLogin(emulator, refresh);
    const revoke = await request(
      `${emulator.loginUrl}/services/oauth2/revoke?token=${encodeURIComponent(refresh)}`,
    );
    expect(revoke.status).toBe(200);
    for (const token of [first.body.access_token, refreshed.body.access_token]) {
      const res = await request(`${emulator.url}/services/data/v62.0/limits`, {
        headers: bearer(token as string),
      });
      expect(res.status).toBe(401);
    }
    const again = await refreshLogin(emulator, refresh);
    expect(again.body.error).toBe('invalid_grant');
  });

  it('answers 400 invalid_token for a token it does not know', async () => {
    const res = await request(`${emulator.loginUrl}/services/oauth2/revoke`, {
      method: 'POST',
      form: { token: 'nope' },
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_token', error_description: 'invalid token' });
  });
});

describe('token endpoint', () => {
  it('requires POST', async () => {
    const res = await request(`${emulator.loginUrl}/services/oauth2/token?grant_type=password`);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_request', error_description: 'must use HTTP POST' });
  });

  it('rejects an unknown grant type', async () => {
    const res = await tokenRequest(emulator, { grant_type: 'magic' });
    expect(res.body).toEqual({
      error: 'unsupported_grant_type',
      error_description: 'grant type not supported',
    });
  });
});
