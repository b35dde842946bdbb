import { Connection } from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';
import { authorizeCode } from './support/oauth.js';

// jsforce is an independent, widely used client: if it can log in and read identity, the wire format holds.
let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator();
});

afterAll(async () => {
  await emulator.stop();
});

describe('jsforce 3.10.16 against the emulator', () => {
  it('logs in over SOAP and reads its identity', async () => {
    const c = emulator.credentials;
    const conn = new Connection({ loginUrl: emulator.loginUrl, version: '62.0' });
    const userInfo = await conn.login(c.username, c.password + c.securityToken);
    expect(userInfo.id).toBe(c.userId);
    expect(userInfo.organizationId).toBe(c.organizationId);
    expect(conn.instanceUrl).toBe(emulator.url);
    const identity = await conn.identity();
    expect(identity.user_id).toBe(c.userId);
    expect(identity.username).toBe(c.username);
    await conn.logout();
    expect(emulator.org.sessions.activeCount()).toBe(1); // only the ready access token is left
  });

  it('logs in with the OAuth username-password flow and reads its identity', async () => {
    const c = emulator.credentials;
    const conn = new Connection({
      oauth2: { clientId: c.clientId, clientSecret: c.clientSecret, loginUrl: emulator.loginUrl },
      version: '62.0',
    });
    const userInfo = await conn.login(c.username, c.password + c.securityToken);
    expect(userInfo.id).toBe(c.userId);
    expect(conn.instanceUrl).toBe(emulator.url);
    const identity = await conn.identity();
    expect(identity.organization_id).toBe(c.organizationId);
    expect(identity.display_name).toBe('Admin User');
  });

  it('reports the SOAP login fault as an error with Salesforce wording', async () => {
    const conn = new Connection({ loginUrl: emulator.loginUrl, version: '62.0' });
    await expect(conn.login(emulator.credentials.username, 'wrong')).rejects.toThrow(
      /INVALID_LOGIN: Invalid username, password, security token; or user locked out\./,
    );
  });

  it('reports an OAuth failure with its error code', async () => {
    const c = emulator.credentials;
    const conn = new Connection({
      oauth2: { clientId: c.clientId, clientSecret: c.clientSecret, loginUrl: emulator.loginUrl },
    });
    await expect(conn.login(c.username, 'wrong')).rejects.toMatchObject({ name: 'invalid_grant' });
  });

  it('refreshes an expired session with its refresh token and retries the call', async () => {
    const c = emulator.credentials;
    const code = await authorizeCode(emulator);
    const conn = new Connection({
      oauth2: {
        clientId: c.clientId,
        clientSecret: c.clientSecret,
        redirectUri: c.redirectUri,
        loginUrl: emulator.loginUrl,
      },
      version: '62.0',
    });
    await conn.authorize(code);
    const first = conn.accessToken;
    emulator.org.expireSessions();
    const limits = await conn.limits();
    expect(limits.DailyApiRequests?.Max).toBe(15000);
    expect(conn.accessToken).not.toBe(first);
  });
});
