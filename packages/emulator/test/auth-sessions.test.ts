import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';
import { bearer, request } from './support/http.js';
import { codeFlowLogin, passwordLogin, refreshLogin } from './support/oauth.js';
import { elementText, loginEnvelope, postSoap } from './support/soap.js';

const INVALID_SESSION = [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }];
const MINUTE = 60 * 1000;
let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({
    sessionIdleMs: 30 * MINUTE,
    routes: (router) => {
      // A classic Bulk API resource, to exercise the X-SFDC-Session authentication mode.
      router.get(
        '/services/async/:asyncVersion/probe',
        (ctx) => ctx.sendJson(200, { userId: ctx.auth?.userId }),
        {
          auth: 'bulk-session',
        },
      );
    },
  });
});

afterAll(async () => {
  await emulator.stop();
});

function limitsCall(token: string) {
  return request(`${emulator.url}/services/data/v62.0/limits`, { headers: bearer(token) });
}

describe('session idle timeout', () => {
  it('expires a session left idle longer than the timeout', async () => {
    const token = emulator.org.createSession();
    expect((await limitsCall(token)).status).toBe(200);
    emulator.org.clock.advance(30 * MINUTE);
    const res = await limitsCall(token);
    expect(res.status).toBe(401);
    expect(res.body).toEqual(INVALID_SESSION);
  });

  it('keeps a session alive while it is used within the timeout', async () => {
    const token = emulator.org.createSession();
    for (let i = 0; i < 3; i++) {
      emulator.org.clock.advance(20 * MINUTE);
      expect((await limitsCall(token)).status).toBe(200);
    }
  });

  it('reports the configured idle timeout as the SOAP sessionSecondsValid', async () => {
    const c = emulator.credentials;
    const res = await postSoap(
      `${emulator.loginUrl}/services/Soap/u/62.0`,
      loginEnvelope(c.username, c.password + c.securityToken),
    );
    expect(elementText(res.xml, 'sessionSecondsValid')).toBe('1800');
  });
});

describe('expiring sessions on request', () => {
  it('ends every session at once; a refresh token still gets a new one', async () => {
    const tokens = await codeFlowLogin(emulator);
    const other = emulator.org.createSession();
    expect(emulator.org.expireSessions()).toBeGreaterThanOrEqual(2);
    expect((await limitsCall(tokens.body.access_token as string)).status).toBe(401);
    expect((await limitsCall(other)).status).toBe(401);
    const refreshed = await refreshLogin(emulator, tokens.body.refresh_token as string);
    expect((await limitsCall(refreshed.body.access_token as string)).status).toBe(200);
  });

  it('expires over HTTP, for one user or for all', async () => {
    const alice = emulator.org.createUser();
    const bob = emulator.org.createUser();
    const one = await request<{ expired: number }>(`${emulator.url}/__emulator/sessions/expire`, {
      method: 'POST',
      json: { userId: alice.userId },
    });
    expect(one.body.expired).toBe(1);
    expect((await limitsCall(alice.accessToken)).status).toBe(401);
    expect((await limitsCall(bob.accessToken)).status).toBe(200);
    await request(`${emulator.url}/__emulator/sessions/expire`, { method: 'POST' });
    expect((await limitsCall(bob.accessToken)).status).toBe(401);
  });
});

describe('multiple users', () => {
  it('gives each user their own sessions and logins', async () => {
    const user = emulator.org.createUser({ username: 'second@example.com', password: 'Secret123' });
    const login = await passwordLogin(emulator, {
      username: 'second@example.com',
      password: `Secret123${user.securityToken}`,
    });
    expect(login.status).toBe(200);
    expect(login.body.id).toBe(emulator.org.identityUrl(user.userId));
    const resources = await request<{ identity: string }>(`${emulator.url}/services/data/v62.0/`, {
      headers: bearer(login.body.access_token as string),
    });
    expect(resources.body.identity).toBe(emulator.org.identityUrl(user.userId));
  });

  it('refuses a duplicate username', () => {
    emulator.org.createUser({ username: 'dup@example.com' });
    expect(() => emulator.org.createUser({ username: 'DUP@example.com' })).toThrow(/already taken/);
  });
});

describe('Bulk API X-SFDC-Session mode', () => {
  it('authenticates with the X-SFDC-Session header', async () => {
    const token = emulator.org.createSession();
    const res = await request<{ userId: string }>(`${emulator.url}/services/async/62.0/probe`, {
      headers: { 'x-sfdc-session': token },
    });
    expect(res.status).toBe(200);
    expect(res.body.userId).toBe(emulator.credentials.userId);
    expect(res.headers.get('sforce-limit-info')).toMatch(/^api-usage=/);
  });

  it('answers a bad session with HTTP 400 InvalidSessionId, XML or JSON like the request', async () => {
    const xml = await request(`${emulator.url}/services/async/62.0/probe`, {
      headers: { 'x-sfdc-session': 'bad' },
    });
    expect(xml.status).toBe(400);
    expect(xml.headers.get('content-type')).toMatch(/^application\/xml/);
    expect(xml.text).toContain('<exceptionCode>InvalidSessionId</exceptionCode>');
    expect(xml.text).toContain('xmlns="http://www.force.com/2009/06/asyncapi/dataload"');
    const json = await request(`${emulator.url}/services/async/62.0/probe`, {
      headers: { 'content-type': 'application/json' },
    });
    expect(json.status).toBe(400);
    expect(json.body).toEqual({ exceptionCode: 'InvalidSessionId', exceptionMessage: 'Invalid session id' });
  });

  it('does not accept a Bearer header in place of X-SFDC-Session', async () => {
    const res = await request(`${emulator.url}/services/async/62.0/probe`, {
      headers: bearer(emulator.org.createSession()),
    });
    expect(res.status).toBe(400);
  });
});
