import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';
import { bearer, request } from './support/http.js';
import { passwordLogin, TOKEN_KEYS } from './support/oauth.js';

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator();
});

afterAll(async () => {
  await emulator.stop();
});

describe('password grant', () => {
  it('issues a session whose token opens the REST API', async () => {
    const login = await passwordLogin(emulator);
    expect(login.status).toBe(200);
    expect(login.body.instance_url).toBe(emulator.url);
    expect(login.body.id).toBe(
      `${emulator.loginUrl}/id/${emulator.org.organizationId}/${emulator.credentials.userId}`,
    );
    const resources = await request(`${emulator.url}/services/data/v62.0/`, {
      headers: bearer(login.body.access_token as string),
    });
    expect(resources.status).toBe(200);
    expect(resources.headers.get('sforce-limit-info')).toMatch(/^api-usage=\d+\/15000$/);
  });

  it('answers the fields in Salesforce order with issued_at as an ms string and no refresh token', async () => {
    const login = await passwordLogin(emulator);
    expect(Object.keys(login.body)).toEqual(TOKEN_KEYS.session);
    expect(login.body.issued_at).toMatch(/^\d{13}$/);
    expect(login.body.token_type).toBe('Bearer');
    expect(login.body.access_token).toMatch(new RegExp(`^${emulator.org.organizationId.slice(0, 15)}!`));
  });

  it('refuses the password without the security token as an authentication failure', async () => {
    const login = await passwordLogin(emulator, { password: emulator.credentials.password });
    expect(login.status).toBe(400);
    expect(login.body).toEqual({ error: 'invalid_grant', error_description: 'authentication failure' });
  });

  it('refuses an unknown client id and a wrong secret with their own errors', async () => {
    const unknown = await passwordLogin(emulator, { client_id: 'nope' });
    expect(unknown.body).toEqual({
      error: 'invalid_client_id',
      error_description: 'client identifier invalid',
    });
    const wrongSecret = await passwordLogin(emulator, { client_secret: 'nope' });
    expect(wrongSecret.status).toBe(400);
    expect(wrongSecret.body).toEqual({
      error: 'invalid_client',
      error_description: 'invalid client credentials',
    });
  });
});

describe('bearer authentication', () => {
  it('accepts the ready access token and the OAuth scheme', async () => {
    const res = await request(`${emulator.url}/services/data/v62.0/limits`, {
      headers: { authorization: `OAuth ${emulator.credentials.accessToken}` },
    });
    expect(res.status).toBe(200);
  });

  it('answers an unknown token and a missing header with the real 401 body', async () => {
    for (const headers of [bearer('00Dbogus!AQ.nope'), {}]) {
      const res = await request(`${emulator.url}/services/data/v62.0/limits`, { headers });
      expect(res.status).toBe(401);
      expect(res.body).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
    }
  });
});
