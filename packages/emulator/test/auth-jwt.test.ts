import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';
import { bearer, request } from './support/http.js';
import { signJwt } from './support/jwt.js';
import { clientCredentialsLogin, TOKEN_KEYS, tokenRequest } from './support/oauth.js';

const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator();
});

afterAll(async () => {
  await emulator.stop();
});

function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: emulator.credentials.clientId,
    sub: emulator.credentials.username,
    aud: emulator.loginUrl,
    exp: now + 300,
    ...overrides,
  };
}

function jwtLogin(assertion: string) {
  return tokenRequest(emulator, { grant_type: JWT_GRANT, assertion });
}

describe('JWT bearer grant', () => {
  it('logs in with an assertion signed by the registered key, answering the five captured keys', async () => {
    const res = await jwtLogin(signJwt(claims(), emulator.credentials.jwtPrivateKey));
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(TOKEN_KEYS.jwtBearer);
    const limits = await request(`${emulator.url}/services/data/v62.0/limits`, {
      headers: bearer(res.body.access_token as string),
    });
    expect(limits.status).toBe(200);
  });

  it('accepts the legacy prn claim and login.salesforce.com as audience', async () => {
    const { sub, ...rest } = claims({ aud: 'https://login.salesforce.com' });
    const res = await jwtLogin(signJwt({ ...rest, prn: sub }, emulator.credentials.jwtPrivateKey));
    expect(res.status).toBe(200);
  });

  it('refuses an assertion signed by another key', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    });
    const res = await jwtLogin(signJwt(claims(), other.toString()));
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_grant', error_description: 'invalid assertion' });
  });

  it('refuses a tampered claim set', async () => {
    const [header, , signature] = signJwt(claims(), emulator.credentials.jwtPrivateKey).split('.');
    const forged = Buffer.from(JSON.stringify(claims({ sub: 'someone@else.com' }))).toString('base64url');
    const res = await jwtLogin(`${header}.${forged}.${signature}`);
    expect(res.body).toEqual({ error: 'invalid_grant', error_description: 'invalid assertion' });
  });

  it('refuses a wrong audience', async () => {
    const res = await jwtLogin(
      signJwt(claims({ aud: 'https://example.com' }), emulator.credentials.jwtPrivateKey),
    );
    expect(res.body).toEqual({ error: 'invalid_grant', error_description: 'audience is invalid' });
  });

  it('refuses an expired assertion with Salesforce wording', async () => {
    const past = Math.floor(Date.now() / 1000) - 60;
    const res = await jwtLogin(signJwt(claims({ exp: past }), emulator.credentials.jwtPrivateKey));
    expect(res.body).toEqual({ error: 'invalid_grant', error_description: 'expired authorization code' });
  });

  it('refuses an unknown issuer as an unknown client', async () => {
    const res = await jwtLogin(signJwt(claims({ iss: '3MVG9unknown' }), emulator.credentials.jwtPrivateKey));
    expect(res.body).toEqual({ error: 'invalid_client_id', error_description: 'client identifier invalid' });
  });

  it('refuses an unknown subject', async () => {
    const res = await jwtLogin(
      signJwt(claims({ sub: 'ghost@example.com' }), emulator.credentials.jwtPrivateKey),
    );
    expect(res.body).toEqual({
      error: 'invalid_grant',
      error_description: "user hasn't approved this consumer",
    });
  });

  it('refuses an assertion that is not RS256 or not a JWT', async () => {
    const hs = signJwt(claims(), emulator.credentials.jwtPrivateKey, { alg: 'HS256' });
    expect((await jwtLogin(hs)).body.error_description).toBe('invalid assertion');
    expect((await jwtLogin('not-a-jwt')).body.error_description).toBe('invalid assertion');
  });
});

describe('client_credentials grant', () => {
  it('runs as the app run-as user, with the secret in the body or in HTTP Basic', async () => {
    const c = emulator.credentials;
    const body = await clientCredentialsLogin(emulator);
    expect(body.status).toBe(200);
    expect(body.body.id).toBe(emulator.org.identityUrl(c.userId));
    expect(body.body.refresh_token).toBeUndefined();
    const basic = Buffer.from(`${c.clientId}:${c.clientSecret}`).toString('base64');
    const viaBasic = await tokenRequest(
      emulator,
      { grant_type: 'client_credentials' },
      { authorization: `Basic ${basic}` },
    );
    expect(viaBasic.status).toBe(200);
  });

  it('refuses a wrong secret and an app without a run-as user', async () => {
    const wrong = await clientCredentialsLogin(emulator, { client_secret: 'wrong' });
    expect(wrong.body).toEqual({ error: 'invalid_client', error_description: 'invalid client credentials' });
    const app = emulator.org.connectedApps.create({ name: 'No run-as' });
    const none = await clientCredentialsLogin(emulator, {
      client_id: app.clientId,
      client_secret: app.clientSecret,
    });
    expect(none.body).toEqual({
      error: 'invalid_grant',
      error_description: 'no client credentials user enabled',
    });
  });
});

describe('token signature', () => {
  it('is base64 HMAC-SHA256 of id + issued_at keyed with the client secret', async () => {
    const { createHmac } = await import('node:crypto');
    const c = emulator.credentials;
    const res = await clientCredentialsLogin(emulator);
    const expected = createHmac('sha256', c.clientSecret)
      .update(`${res.body.id}${res.body.issued_at}`)
      .digest('base64');
    expect(res.body.signature).toBe(expected);
  });
});

// Last in the file: it moves the org's clock past every session's idle time.
describe('the JWT expiry and the org clock', () => {
  it("judges exp by the real time the client signs with, not by the org's moved clock", async () => {
    emulator.org.clock.advance(3 * 60 * 60 * 1000);
    const res = await jwtLogin(signJwt(claims(), emulator.credentials.jwtPrivateKey));
    expect(res.status).toBe(200);
    const expired = await jwtLogin(
      signJwt(claims({ exp: Math.floor(Date.now() / 1000) - 1 }), emulator.credentials.jwtPrivateKey),
    );
    expect(expired.body.error_description).toBe('expired authorization code');
  });
});
