import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';
import { bearer, request } from './support/http.js';

let emulator: Emulator;
let token: string;

beforeAll(async () => {
  emulator = await startEmulator({ limits: { dailyApiRequests: 5 } });
});

beforeEach(() => {
  // A fresh session per test: one test moves the org clock a day ahead, past any session's idle time.
  token = emulator.org.createSession();
});

afterEach(() => {
  emulator.org.reset();
});

afterAll(async () => {
  await emulator.stop();
});

function limitsCall(accessToken = token) {
  return request(`${emulator.url}/services/data/v62.0/limits`, { headers: bearer(accessToken) });
}

describe('Sforce-Limit-Info', () => {
  it('counts each API request in the header', async () => {
    const first = await limitsCall();
    const second = await limitsCall();
    expect(first.headers.get('sforce-limit-info')).toBe('api-usage=1/5');
    expect(second.headers.get('sforce-limit-info')).toBe('api-usage=2/5');
  });

  it('is on every API answer, errors included (an injected one reports the usage without counting)', async () => {
    await limitsCall();
    emulator.org.faults.error({ path: '**/limits', status: 503, times: 1 });
    const injected = await limitsCall();
    expect(injected.status).toBe(503);
    expect(injected.headers.get('sforce-limit-info')).toBe('api-usage=1/5');
    const wrongMethod = await request(`${emulator.url}/services/data/v62.0/limits`, {
      method: 'DELETE',
      headers: bearer(token),
    });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('sforce-limit-info')).toBe('api-usage=2/5');
    const unknown = await request(`${emulator.url}/services/data/v62.0/nothing-here`, {
      headers: bearer(token),
    });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('sforce-limit-info')).toBe('api-usage=3/5');
    const anonymous = await request(`${emulator.url}/services/data/v62.0/limits`, { method: 'DELETE' });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('sforce-limit-info')).toBeNull();
  });

  it('is not on OAuth answers, injected errors included', async () => {
    const token = () =>
      request(`${emulator.url}/services/oauth2/token`, { method: 'POST', form: { grant_type: 'x' } });
    expect((await token()).headers.get('sforce-limit-info')).toBeNull();
    emulator.org.faults.error({ path: '/services/oauth2/token', status: 503, times: 1 });
    const injected = await token();
    expect(injected.status).toBe(503);
    expect(injected.headers.get('sforce-limit-info')).toBeNull();
  });

  it('does not count OAuth, the versions list or the control routes', async () => {
    await request(`${emulator.url}/services/data`);
    await request(`${emulator.url}/__emulator/org`);
    await request(`${emulator.url}/services/oauth2/token`, { method: 'POST', form: { grant_type: 'x' } });
    expect(emulator.org.limits.used).toBe(0);
  });
});

describe('daily request limit', () => {
  it('answers 403 REQUEST_LIMIT_EXCEEDED with the real message once the quota is spent', async () => {
    for (let i = 0; i < 5; i++) expect((await limitsCall()).status).toBe(200);
    const refused = await limitsCall();
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual([
      { message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' },
    ]);
    expect(refused.headers.get('sforce-limit-info')).toBe('api-usage=5/5');
  });

  it('resets after 24 hours of org time', async () => {
    emulator.org.limits.setUsed(5);
    expect((await limitsCall()).status).toBe(403);
    emulator.org.clock.advance(24 * 60 * 60 * 1000);
    const res = await limitsCall(emulator.org.createSession());
    expect(res.status).toBe(200);
    expect(res.headers.get('sforce-limit-info')).toBe('api-usage=1/5');
  });

  it('can be raised while the org runs', async () => {
    emulator.org.limits.setUsed(5);
    emulator.org.limits.configure({ dailyApiRequests: 10 });
    const res = await limitsCall();
    expect(res.status).toBe(200);
    expect(res.headers.get('sforce-limit-info')).toBe('api-usage=6/10');
  });
});

describe('concurrent request limit', () => {
  it('refuses a request while the allowed number of long-running requests are in flight', async () => {
    emulator.org.limits.configure({ concurrentRequests: 2, longRunningMs: 0, dailyApiRequests: 1000 });
    const slow = emulator.org.faults.latency(400, { path: '/services/data/*/limits' });
    const inFlight = [limitsCall(), limitsCall()];
    // Wait until both are being handled (admitted and held by the latency fault).
    for (let i = 0; i < 200 && emulator.org.limits.inFlight < 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(emulator.org.limits.inFlight).toBe(2);
    slow.remove();
    const refused = await limitsCall();
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual([
      {
        message: 'ConcurrentRequests (Concurrent API Requests) Limit exceeded.',
        errorCode: 'REQUEST_LIMIT_EXCEEDED',
      },
    ]);
    const done = await Promise.all(inFlight);
    expect(done.map((res) => res.status)).toEqual([200, 200]);
    expect((await limitsCall()).status).toBe(200);
  });

  it('does not count short requests under the default long-running threshold', async () => {
    emulator.org.limits.configure({ concurrentRequests: 1, dailyApiRequests: 1000 });
    const results = await Promise.all(Array.from({ length: 8 }, () => limitsCall()));
    expect(results.every((res) => res.status === 200)).toBe(true);
  });
});
