import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';
import { bearer, request } from './support/http.js';

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator();
});

afterAll(async () => {
  await emulator.stop();
});

describe('identity URL', () => {
  it('describes the user, with {version} kept literally unless a version is asked for', async () => {
    const c = emulator.credentials;
    const id = emulator.org.identityUrl(c.userId);
    const res = await request<Record<string, unknown>>(`${id}?format=json`, {
      headers: bearer(c.accessToken),
    });
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(id);
    expect(res.body.user_id).toBe(c.userId);
    expect(res.body.organization_id).toBe(c.organizationId);
    expect(res.body.username).toBe(c.username);
    expect(res.body.utcOffset).toBe(-28800000);
    const urls = res.body.urls as Record<string, string>;
    expect(urls.rest).toBe(`${emulator.url}/services/data/v{version}/`);
    const latest = await request<{ urls: Record<string, string> }>(`${id}?version=latest`, {
      headers: bearer(c.accessToken),
    });
    expect(latest.body.urls.rest).toBe(`${emulator.url}/services/data/v62.0/`);
  });

  it('accepts the token as the oauth_token parameter', async () => {
    const c = emulator.credentials;
    const id = emulator.org.identityUrl(c.userId);
    const res = await request(`${id}?oauth_token=${encodeURIComponent(c.accessToken)}`);
    expect(res.status).toBe(200);
  });

  it('answers a bad token with 403 Bad_OAuth_Token, as the identity service does', async () => {
    const id = emulator.org.identityUrl(emulator.credentials.userId);
    const res = await request(id, { headers: bearer('00Dnope!AQnope') });
    expect(res.status).toBe(403);
    expect(res.text).toBe('Bad_OAuth_Token');
  });

  it('answers an unknown user with 404 Bad_Id and another org with 403 Wrong_Org', async () => {
    const c = emulator.credentials;
    const unknown = await request(`${emulator.loginUrl}/id/${c.organizationId}/005000000000000AAA`, {
      headers: bearer(c.accessToken),
    });
    expect(unknown.status).toBe(404);
    expect(unknown.text).toBe('Bad_Id');
    const wrongOrg = await request(`${emulator.loginUrl}/id/00D000000000000AAA/${c.userId}`, {
      headers: bearer(c.accessToken),
    });
    expect(wrongOrg.status).toBe(403);
    expect(wrongOrg.text).toBe('Wrong_Org');
  });
});

describe('userinfo', () => {
  it('describes the token owner in OpenID Connect terms', async () => {
    const user = emulator.org.createUser({
      firstName: 'Ada',
      lastName: 'Lovelace',
      username: 'ada@example.com',
    });
    const res = await request<Record<string, unknown>>(`${emulator.loginUrl}/services/oauth2/userinfo`, {
      headers: bearer(user.accessToken),
    });
    expect(res.status).toBe(200);
    expect(res.body.sub).toBe(emulator.org.identityUrl(user.userId));
    expect(res.body.preferred_username).toBe('ada@example.com');
    expect(res.body.name).toBe('Ada Lovelace');
    expect(res.body.given_name).toBe('Ada');
    expect(res.body.family_name).toBe('Lovelace');
  });

  it('answers an invalid token with 403', async () => {
    const res = await request(`${emulator.loginUrl}/services/oauth2/userinfo`, { headers: bearer('bad') });
    expect(res.status).toBe(403);
  });
});
