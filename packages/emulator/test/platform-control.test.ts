import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, type EmulatorCredentials, startEmulator } from '../src/index.js';
import { bearer, request } from './support/http.js';
import { authorize, passwordLogin, pkcePair, tokenRequest } from './support/oauth.js';

let emulator: Emulator;
let control: string;
let token: string;

beforeAll(async () => {
  emulator = await startEmulator();
  control = `${emulator.url}/__emulator`;
});

beforeEach(() => {
  // A fresh session per test: one test moves the org clock past every session's idle time.
  token = emulator.org.createSession();
});

afterEach(async () => {
  await request(`${control}/reset`, { method: 'POST' });
});

afterAll(async () => {
  await emulator.stop();
});

function limitsCall(accessToken = token) {
  return request(`${emulator.url}/services/data/v62.0/limits`, { headers: bearer(accessToken) });
}

describe('org and credentials', () => {
  it('describes the org', async () => {
    const res = await request<Record<string, unknown>>(`${control}/org`);
    expect(res.status).toBe(200);
    expect(res.body.organizationId).toBe(emulator.org.organizationId);
    expect(res.body.apiVersion).toBe('62.0');
    expect(res.body.url).toBe(emulator.url);
  });

  it('hands out the same credentials as startEmulator, and they work', async () => {
    const res = await request<EmulatorCredentials>(`${control}/credentials`);
    expect(res.body).toEqual(emulator.credentials);
    expect((await limitsCall(res.body.accessToken)).status).toBe(200);
  });
});

describe('users and sessions', () => {
  it('creates a user with a ready session', async () => {
    const res = await request<{ userId: string; username: string; accessToken: string }>(`${control}/users`, {
      method: 'POST',
      json: { username: 'remote@example.com', lastName: 'Remote' },
    });
    expect(res.status).toBe(201);
    expect(res.body.username).toBe('remote@example.com');
    const resources = await request<{ identity: string }>(`${emulator.url}/services/data/v62.0/`, {
      headers: bearer(res.body.accessToken),
    });
    expect(resources.body.identity).toBe(emulator.org.identityUrl(res.body.userId));
  });

  it('names the bad field of an invalid body', async () => {
    const res = await request<{ error: string }>(`${control}/users`, {
      method: 'POST',
      json: { username: 42 },
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toContain('username');
    const unknown = await request<{ error: string }>(`${control}/users`, {
      method: 'POST',
      json: { nope: 1 },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toContain('nope');
  });

  it('opens a session for a user', async () => {
    const res = await request<{ accessToken: string }>(`${control}/sessions`, { method: 'POST', json: {} });
    expect(res.status).toBe(201);
    expect((await limitsCall(res.body.accessToken)).status).toBe(200);
  });

  it('moves the org clock forward', async () => {
    const res = await request(`${control}/clock/advance`, {
      method: 'POST',
      json: { ms: 3 * 60 * 60 * 1000 },
    });
    expect(res.status).toBe(200);
    expect((await limitsCall(token)).status).toBe(401);
  });
});

describe('faults over HTTP', () => {
  it('installs, lists and removes a fault', async () => {
    const created = await request<{ id: string; kind: string; remaining: number | null }>(
      `${control}/faults`,
      {
        method: 'POST',
        json: { kind: 'error', method: 'GET', path: '/services/data/*/limits', status: 503, times: 5 },
      },
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ kind: 'error', remaining: 5 });
    expect((await limitsCall()).status).toBe(503);
    const listed = await request<Array<{ id: string; hits: number }>>(`${control}/faults`);
    expect(listed.body).toEqual([expect.objectContaining({ id: created.body.id, hits: 1 })]);
    expect((await request(`${control}/faults/${created.body.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await limitsCall()).status).toBe(200);
    expect((await request(`${control}/faults/${created.body.id}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('accepts every fault kind, including a path regex', async () => {
    const kinds = [
      { kind: 'latency', ms: 1, pathRegex: '/limits$' },
      { kind: 'drop', when: 'mid-response', path: '/nowhere' },
      { kind: 'expire-sessions', path: '/nowhere' },
      { kind: 'unable-to-lock-row', path: '/services/data/*/limits', times: 1 },
    ];
    for (const json of kinds) {
      const res = await request(`${control}/faults`, { method: 'POST', json });
      expect(res.status).toBe(201);
    }
    const locked = await limitsCall();
    expect(locked.status).toBe(400);
    expect((locked.body as Array<{ errorCode: string }>)[0]?.errorCode).toBe('UNABLE_TO_LOCK_ROW');
  });

  it('rejects an invalid fault with a message naming the field', async () => {
    const res = await request<{ error: string }>(`${control}/faults`, {
      method: 'POST',
      json: { kind: 'error', status: 99 },
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toContain('status');
    const regex = await request<{ error: string }>(`${control}/faults`, {
      method: 'POST',
      json: { kind: 'latency', ms: 5, pathRegex: '(' },
    });
    expect(regex.status).toBe(400);
    expect(regex.body.error).toContain('pathRegex');
  });

  it('clears every fault', async () => {
    await request(`${control}/faults`, { method: 'POST', json: { kind: 'error', status: 500 } });
    expect((await request(`${control}/faults`, { method: 'DELETE' })).status).toBe(204);
    expect((await limitsCall()).status).toBe(200);
  });

  it('reseeds the fraction generator for repeatable runs', async () => {
    const run = async () => {
      await request(`${control}/faults/reseed`, { method: 'POST', json: { seed: 3 } });
      await request(`${control}/faults`, {
        method: 'POST',
        json: { kind: 'error', status: 503, probability: 0.5, path: '**/limits' },
      });
      const statuses: number[] = [];
      for (let i = 0; i < 10; i++) statuses.push((await limitsCall()).status);
      await request(`${control}/faults`, { method: 'DELETE' });
      return statuses;
    };
    expect(await run()).toEqual(await run());
  });
});

describe('limits over HTTP', () => {
  it('reads and changes the request limits and usage', async () => {
    const patched = await request<Record<string, number>>(`${control}/limits`, {
      method: 'PATCH',
      json: { dailyApiRequests: 10, used: 10, entries: { DataStorageMB: { Max: 5, Remaining: 1 } } },
    });
    expect(patched.body).toMatchObject({ dailyApiRequests: 10, used: 10 });
    const refused = await limitsCall();
    expect(refused.status).toBe(403);
    await request(`${control}/limits`, { method: 'PATCH', json: { used: 0 } });
    const limits = await limitsCall();
    expect((limits.body as Record<string, unknown>).DataStorageMB).toEqual({ Max: 5, Remaining: 1 });
  });

  it('goes back to the configured limits on reset', async () => {
    await request(`${control}/limits`, { method: 'PATCH', json: { dailyApiRequests: 1, used: 1 } });
    await request(`${control}/reset`, { method: 'POST' });
    const state = await request<Record<string, number>>(`${control}/limits`);
    expect(state.body).toMatchObject({ dailyApiRequests: 15000, used: 0 });
  });
});

describe('users and connected apps over HTTP', () => {
  it('creates a public connected app that completes the PKCE code flow', async () => {
    const created = await request<{ clientId: string; requireSecret: boolean; jwtBearer: boolean }>(
      `${control}/connected-apps`,
      {
        method: 'POST',
        json: { name: 'SPA', redirectUris: ['http://localhost:3000/cb'], requireSecret: false },
      },
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ requireSecret: false, jwtBearer: false });
    const { verifier, challenge } = pkcePair();
    const callback = await authorize(emulator, {
      response_type: 'code',
      client_id: created.body.clientId,
      redirect_uri: 'http://localhost:3000/cb',
      code_challenge: challenge,
    });
    const tokens = await tokenRequest(emulator, {
      grant_type: 'authorization_code',
      code: callback.searchParams.get('code') as string,
      client_id: created.body.clientId,
      redirect_uri: 'http://localhost:3000/cb',
      code_verifier: verifier,
    });
    expect(tokens.status).toBe(200);
    const bad = await request<{ error: string }>(`${control}/connected-apps`, {
      method: 'POST',
      json: { redirectUris: ['not a url'] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toContain('redirectUris');
  });

  it('deactivates a user: new logins are refused', async () => {
    const user = emulator.org.createUser({ username: 'leaver@example.com', password: 'Secret123' });
    const patched = await request(`${control}/users/${user.userId}`, {
      method: 'PATCH',
      json: { isActive: false },
    });
    expect(patched.body).toMatchObject({ id: user.userId, isActive: false });
    const login = await passwordLogin(emulator, {
      username: 'leaver@example.com',
      password: `Secret123${user.securityToken}`,
    });
    expect(login.body).toEqual({ error: 'invalid_grant', error_description: 'authentication failure' });
    expect((await request(`${control}/users/005000000000000AAA`, { method: 'PATCH', json: {} })).status).toBe(
      404,
    );
  });
});

describe('clock', () => {
  it('starts where startEmulator says, frozen, and records, the Date header and the control route agree', async () => {
    const pinned = await startEmulator({ clock: { start: '2024-01-15T09:00:00Z', frozen: true } });
    try {
      const token = pinned.org.createSession();
      const created = await request<{ id: string }>(`${pinned.url}/services/data/v62.0/sobjects/Account`, {
        method: 'POST',
        headers: bearer(token),
        json: { Name: 'Acme' },
      });
      expect(created.headers.get('date')).toBe('Mon, 15 Jan 2024 09:00:00 GMT');
      expect(pinned.org.records('Account')[0]?.CreatedDate).toBe('2024-01-15T09:00:00.000+0000');
      const state = await request(`${pinned.url}/__emulator/clock`);
      expect(state.body).toEqual({ now: '2024-01-15T09:00:00.000Z', frozen: true });
    } finally {
      await pinned.stop();
    }
  });

  it('moves forward, freezes and resumes over HTTP, and refuses to go back', async () => {
    const later = new Date(emulator.org.clock.now() + 24 * 60 * 60 * 1000).toISOString();
    const moved = await request(`${control}/clock`, { method: 'PATCH', json: { time: later, frozen: true } });
    expect(moved.body).toEqual({ now: later, frozen: true });
    expect(emulator.org.clock.now()).toBe(Date.parse(later));
    const back = await request<{ error: string }>(`${control}/clock`, {
      method: 'PATCH',
      json: { time: '2000-01-01T00:00:00Z' },
    });
    expect(back.status).toBe(400);
    expect(back.body.error).toContain('only moves forward');
    const resumed = await request(`${control}/clock`, { method: 'PATCH', json: { frozen: false } });
    expect(resumed.body).toMatchObject({ frozen: false });
    expect(emulator.org.clock.frozen).toBe(false);
  });
});

describe('reset', () => {
  it('returns to the start: the same seeded fault draws, the start idle timeout, the same generated values', async () => {
    const draws = async () => {
      emulator.org.faults.error({ path: '**/limits', status: 503, probability: 0.5 });
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) statuses.push((await limitsCall()).status);
      return statuses;
    };
    const first = await draws();
    expect(new Set(first)).toEqual(new Set([200, 503]));
    emulator.org.sessions.idleTimeoutMs = 60_000;
    const names = emulator.org.generate('Account', 3).map((record) => record.Name);

    await request(`${control}/reset`, { method: 'POST' });
    expect(emulator.org.faults.list()).toEqual([]);
    expect(await draws()).toEqual(first);
    expect(emulator.org.sessions.idleTimeoutMs).toBe(2 * 60 * 60_000);
    expect(emulator.org.generate('Account', 3).map((record) => record.Name)).toEqual(names);
  });
});

describe('unknown control routes', () => {
  it('answer 404 and 405 in the control API format', async () => {
    const missing = await request<{ error: string }>(`${control}/nothing`);
    expect(missing.status).toBe(404);
    expect(missing.body.error).toContain('/__emulator/nothing');
    const wrongMethod = await request(`${control}/reset`);
    expect(wrongMethod.status).toBe(405);
  });
});

describe('request log', () => {
  it('records what clients did, including injected failures and drops, but not control calls', async () => {
    emulator.org.faults.error({ path: '**/limits', status: 503, times: 1 });
    emulator.org.faults.dropConnection({ path: '/services/data/*', times: 1 });
    await limitsCall();
    await limitsCall();
    await request(`${emulator.url}/services/data/v62.0/`, { headers: bearer(token) }).catch(() => undefined);
    const res = await request<
      Array<{ method: string; path: string; status: number | null; userId?: string }>
    >(`${control}/requests`);
    expect(res.body.map((entry) => [entry.method, entry.path, entry.status])).toEqual([
      ['GET', '/services/data/v62.0/limits', 503],
      ['GET', '/services/data/v62.0/limits', 200],
      ['GET', '/services/data/v62.0/', null],
    ]);
    expect(res.body[1]?.userId).toBe(emulator.credentials.userId);
    const filtered = emulator.org.requests.entries({ method: 'get', path: /limits$/ });
    expect(filtered).toHaveLength(2);
  });

  it('keeps no secret from a query string', async () => {
    const identity = `${emulator.org.identityUrl(emulator.credentials.userId)}?oauth_token=${encodeURIComponent(token)}&format=json`;
    expect((await request(identity)).status).toBe(200);
    const [entry] = emulator.org.requests.entries({ path: /\/id\// });
    expect(entry?.query).toBe('oauth_token=REDACTED&format=json');
    await request(
      `${emulator.url}/services/data/v62.0/query?q=${encodeURIComponent('SELECT Id FROM Account')}`,
      {
        headers: bearer(token),
      },
    );
    expect(emulator.org.requests.entries({ path: /\/query$/ })[0]?.query).toBe(
      'q=SELECT%20Id%20FROM%20Account',
    );
  });

  it('is emptied over HTTP and on reset', async () => {
    await limitsCall();
    expect((await request(`${control}/requests`, { method: 'DELETE' })).status).toBe(204);
    expect(emulator.org.requests.entries()).toEqual([]);
    await limitsCall();
    emulator.org.reset();
    expect(emulator.org.requests.entries()).toEqual([]);
  });
});

describe('data over HTTP', () => {
  it('inserts records with API validation and lists them', async () => {
    const inserted = await request<{ ids: string[] }>(`${control}/records/Account`, {
      method: 'POST',
      json: { records: [{ Name: 'Acme' }, { Name: 'Globex', Industry: 'Energy' }] },
    });
    expect(inserted.status).toBe(201);
    expect(inserted.body.ids).toHaveLength(2);
    expect(inserted.body.ids[0]).toMatch(/^001[A-Za-z0-9]{15}$/);
    const listed = await request<Array<{ Id: string; Name: string }>>(`${control}/records/Account`);
    expect(listed.body.map((record) => record.Name)).toEqual(['Acme', 'Globex']);
  });

  it('refuses an invalid record with the validation message, inserting none', async () => {
    const res = await request<{ error: string }>(`${control}/records/Contact`, {
      method: 'POST',
      json: { records: [{ LastName: 'Ok' }, { FirstName: 'No last name' }] },
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toContain('REQUIRED_FIELD_MISSING');
    expect(emulator.org.records('Contact')).toHaveLength(0);
  });

  it('generates records with fixed overrides, answering ids for small batches only', async () => {
    const small = await request<{ count: number; ids: string[] }>(`${control}/generate/Account`, {
      method: 'POST',
      json: { count: 3, overrides: { Industry: 'Energy' } },
    });
    expect(small.body.count).toBe(3);
    expect(small.body.ids).toHaveLength(3);
    expect(emulator.org.records('Account').every((record) => record.Industry === 'Energy')).toBe(true);
    const big = await request<{ count: number; ids?: string[] }>(`${control}/generate/Lead`, {
      method: 'POST',
      json: { count: 2500 },
    });
    expect(big.body).toEqual({ count: 2500 });
  });

  it('defines a custom object and field, then inserts into them', async () => {
    const object = await request<{ name: string; keyPrefix: string }>(`${control}/objects`, {
      method: 'POST',
      json: { name: 'Invoice__c', label: 'Invoice' },
    });
    expect(object.status).toBe(201);
    expect(object.body.name).toBe('Invoice__c');
    const field = await request(`${control}/objects/Invoice__c/fields`, {
      method: 'POST',
      json: { name: 'Total__c', label: 'Total', type: 'currency' },
    });
    expect(field.status).toBe(201);
    const inserted = await request<{ ids: string[] }>(`${control}/records/Invoice__c`, {
      method: 'POST',
      json: { records: [{ Name: 'INV-1', Total__c: 12.5 }] },
    });
    expect(inserted.status).toBe(201);
  });

  it('answers an unknown object with 400 naming it', async () => {
    const res = await request<{ error: string }>(`${control}/generate/Nope__c`, {
      method: 'POST',
      json: { count: 1 },
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toContain('Nope__c');
  });

  it('is emptied by reset', async () => {
    await request(`${control}/records/Account`, { method: 'POST', json: { records: [{ Name: 'Temp' }] } });
    await request(`${control}/reset`, { method: 'POST' });
    expect(emulator.org.records('Account')).toHaveLength(0);
  });
});
