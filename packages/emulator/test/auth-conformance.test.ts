import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';
import { describeConformance, fixtureJson, fixtureText } from './support/fixtures.js';
import { bearer, request } from './support/http.js';
import { signJwt } from './support/jwt.js';
import { passwordLogin, refreshLogin, tokenRequest } from './support/oauth.js';
import { sameShape, shapeOf } from './support/shapes.js';
import { childNames, loginEnvelope, postSoap } from './support/soap.js';

// Compares the emulator's OAuth and SOAP answers with responses recorded from real orgs (shared/fixtures).
describeConformance('auth conformance with recorded Salesforce responses', () => {
  let emulator: Emulator;

  beforeAll(async () => {
    emulator = await startEmulator();
  });

  afterAll(async () => {
    await emulator.stop();
  });

  it('oauth/password_grant_success.json: every recorded key, with the same value types and formats', async () => {
    const recorded = fixtureJson<Record<string, string>>('oauth/password_grant_success.json');
    const res = await passwordLogin(emulator);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json;charset=UTF-8');
    for (const [key, value] of Object.entries(recorded)) {
      expect(typeof res.body[key], key).toBe(typeof value);
    }
    expect(res.body.issued_at).toMatch(/^\d{13}$/);
    expect(res.body.access_token).toMatch(/^00D[A-Za-z0-9]{12}!/);
    expect(res.body.signature).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(recorded.signature).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(res.body.id).toMatch(/\/id\/00D[A-Za-z0-9]{12,15}\/005[A-Za-z0-9]{12,15}$/);
  });

  it('oauth/jwt_bearer_success.json: exactly the recorded keys, in order', async () => {
    const recorded = fixtureJson<Record<string, string>>('oauth/jwt_bearer_success.json');
    const c = emulator.credentials;
    const assertion = signJwt(
      { iss: c.clientId, sub: c.username, aud: emulator.loginUrl, exp: Math.floor(Date.now() / 1000) + 300 },
      c.jwtPrivateKey,
    );
    const res = await tokenRequest(emulator, {
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      assertion,
    });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(Object.keys(recorded));
    expect(shapeOf(res.body)).toEqual(shapeOf(recorded));
    expect(res.body.token_type).toBe(recorded.token_type);
    expect(res.body.scope).toBe(recorded.scope);
  });

  it('oauth/error_invalid_client_id.json: same status and body', async () => {
    const res = await passwordLogin(emulator, { client_id: 'test' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual(fixtureJson('oauth/error_invalid_client_id.json'));
  });

  it('oauth/error_invalid_grant_authentication_failure.json: same error and keys (current wording)', async () => {
    const recorded = fixtureJson<Record<string, string>>(
      'oauth/error_invalid_grant_authentication_failure.json',
    );
    const res = await passwordLogin(emulator, { password: 'wrong' });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body)).toEqual(Object.keys(recorded));
    expect(res.body.error).toBe(recorded.error);
    // The recording predates the current, shorter message; both start the same way.
    expect(recorded.error_description?.startsWith(res.body.error_description as string)).toBe(true);
  });

  it('oauth/error_invalid_grant_expired_refresh_token.json: same status and body', async () => {
    const res = await refreshLogin(emulator, '5Aep861revoked');
    expect(res.status).toBe(400);
    expect(res.body).toEqual(fixtureJson('oauth/error_invalid_grant_expired_refresh_token.json'));
  });

  it('oauth/identity_response.json: the same keys in the same order, with the same value types', async () => {
    const recorded = fixtureJson<Record<string, unknown>>('oauth/identity_response.json');
    const c = emulator.credentials;
    const res = await request<Record<string, unknown>>(`${emulator.org.identityUrl(c.userId)}?format=json`, {
      headers: bearer(c.accessToken),
    });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(Object.keys(recorded));
    expect(sameShape(res.body, recorded)).toEqual([]);
    const urls = res.body.urls as Record<string, string>;
    const recordedUrls = recorded.urls as Record<string, string>;
    expect(Object.keys(urls)).toEqual(Object.keys(recordedUrls));
    // Same URL patterns, with {version} left literal.
    expect(urls.partner).toMatch(/\/services\/Soap\/u\/\{version\}\/00D[A-Za-z0-9]{12}$/);
    expect(recordedUrls.partner).toMatch(/\/services\/Soap\/u\/\{version\}\/00D[A-Za-z0-9]{12}$/);
  });

  it('soap/login_response_enterprise.xml: the same result and userInfo elements in the same order', async () => {
    const recorded = fixtureText('soap/login_response_enterprise.xml');
    const c = emulator.credentials;
    // The recording is from v29.0, retired since; the element list is the same at the current version.
    const res = await postSoap(
      `${emulator.loginUrl}/services/Soap/c/62.0`,
      loginEnvelope(c.username, c.password + c.securityToken),
    );
    expect(res.status).toBe(200);
    expect(res.contentType).toMatch(/^text\/xml/);
    const resultNames = childNames(res.xml, 'result');
    expect(resultNames).toEqual(childNames(recorded, 'result'));
    expect(childNames(res.xml, 'userInfo')).toEqual(childNames(recorded, 'userInfo'));
    expect(res.xml).toContain('<roleId xsi:nil="true"/>');
    expect(res.xml).toContain('xmlns="urn:enterprise.soap.sforce.com"');
  });

  it('soap/login_fault_invalid_login.xml: byte for byte, with HTTP 500', async () => {
    const res = await postSoap(
      `${emulator.loginUrl}/services/Soap/u/62.0`,
      loginEnvelope(emulator.credentials.username, 'wrong'),
    );
    expect(res.status).toBe(500);
    expect(res.contentType).toMatch(/^text\/xml/);
    expect(res.xml).toBe(fixtureText('soap/login_fault_invalid_login.xml').trimEnd());
  });
});
