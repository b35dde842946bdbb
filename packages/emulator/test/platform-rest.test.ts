import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';
import { bearer, request } from './support/http.js';

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ apiVersion: '62.0' });
});

afterAll(async () => {
  await emulator.stop();
});

describe('GET /services/data', () => {
  it('lists versions 31.0 to the latest, oldest first, without a session', async () => {
    const res = await request<Array<{ label: string; url: string; version: string }>>(
      `${emulator.url}/services/data`,
    );
    expect(res.status).toBe(200);
    expect(res.body[0]).toEqual({ label: "Summer '14", url: '/services/data/v31.0', version: '31.0' });
    expect(res.body.at(-1)).toEqual({ label: "Winter '25", url: '/services/data/v62.0', version: '62.0' });
    expect(res.body).toHaveLength(62 - 31 + 1);
    expect(Object.keys(res.body[0] as object)).toEqual(['label', 'url', 'version']);
  });
});

describe('GET /services/data/vNN.N/', () => {
  it('maps resource names to paths and identity to the caller identity URL', async () => {
    const res = await request<Record<string, string>>(`${emulator.url}/services/data/v58.0/`, {
      headers: bearer(emulator.credentials.accessToken),
    });
    expect(res.status).toBe(200);
    expect(res.body.sobjects).toBe('/services/data/v58.0/sobjects');
    expect(res.body.query).toBe('/services/data/v58.0/query');
    expect(res.body.identity).toBe(emulator.org.identityUrl(emulator.credentials.userId));
  });

  it('answers a version the org does not serve with the NOT_FOUND array', async () => {
    for (const version of ['v99.0', 'v30.0']) {
      const res = await request(`${emulator.url}/services/data/${version}/`, {
        headers: bearer(emulator.credentials.accessToken),
      });
      expect(res.status).toBe(404);
      expect(res.body).toEqual([
        { message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' },
      ]);
    }
  });

  it('requires a session', async () => {
    const res = await request(`${emulator.url}/services/data/v62.0/`);
    expect(res.status).toBe(401);
  });
});

describe('routing errors', () => {
  it('answers an unknown resource under the API with 404 after checking the session', async () => {
    const anonymous = await request(`${emulator.url}/services/data/v62.0/nothing-here`);
    expect(anonymous.status).toBe(401);
    const res = await request(`${emulator.url}/services/data/v62.0/nothing-here`, {
      headers: bearer(emulator.credentials.accessToken),
    });
    expect(res.status).toBe(404);
    expect(res.body).toEqual([{ message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' }]);
    expect(res.headers.get('sforce-limit-info')).toMatch(/^api-usage=/);
  });

  it('answers a wrong method with 405 METHOD_NOT_ALLOWED and Allow', async () => {
    const res = await request(`${emulator.url}/services/data/v62.0/limits`, {
      method: 'DELETE',
      headers: bearer(emulator.credentials.accessToken),
    });
    expect(res.status).toBe(405);
    expect(res.body).toEqual([
      { message: "HTTP Method 'DELETE' not allowed. Allowed are HEAD,GET", errorCode: 'METHOD_NOT_ALLOWED' },
    ]);
    expect(res.headers.get('allow')).toBe('HEAD, GET');
  });

  it('turns an unexpected handler error into the 500 UNKNOWN_EXCEPTION array', async () => {
    const errors: unknown[] = [];
    const broken = await startEmulator({
      routes: (router) => {
        router.get('/services/data/:version/broken', () => {
          throw new Error('boom');
        });
      },
      onUnexpectedError: (error) => errors.push(error),
    });
    try {
      const res = await request<Array<{ errorCode: string; message: string }>>(
        `${broken.url}/services/data/v62.0/broken`,
        { headers: bearer(broken.credentials.accessToken) },
      );
      expect(res.status).toBe(500);
      expect(res.body[0]?.errorCode).toBe('UNKNOWN_EXCEPTION');
      expect(res.body[0]?.message).toMatch(/^An unexpected error occurred\. Please include this ErrorId/);
      expect(errors).toHaveLength(1);
    } finally {
      await broken.stop();
    }
  });
});

describe('GET /limits', () => {
  it('reports DailyApiRequests from the org usage, entries sorted by name', async () => {
    emulator.org.limits.setUsed(100);
    const res = await request<Record<string, { Max: number; Remaining: number }>>(
      `${emulator.url}/services/data/v62.0/limits`,
      { headers: bearer(emulator.credentials.accessToken) },
    );
    expect(res.status).toBe(200);
    // This request is the 101st of the day.
    expect(res.body.DailyApiRequests).toEqual({ Max: 15000, Remaining: 14899 });
    const keys = Object.keys(res.body);
    expect(keys).toEqual([...keys].sort());
    expect(res.body.DataStorageMB).toEqual({ Max: 5, Remaining: 5 });
  });

  it('reflects the stored records in DataStorageMB, at 2 KB a record', async () => {
    emulator.org.generate('Account', 600);
    const res = await request<Record<string, { Max: number; Remaining: number }>>(
      `${emulator.url}/services/data/v62.0/limits`,
      { headers: bearer(emulator.credentials.accessToken) },
    );
    expect(res.body.DataStorageMB).toEqual({ Max: 5, Remaining: 3 });
    emulator.org.reset();
  });

  it('shows pinned and registered entries', async () => {
    emulator.org.limits.set('DailyBulkV2QueryJobs', { Max: 10000, Remaining: 3 });
    emulator.org.limits.register('DailyStreamingApiEvents', () => ({ Max: 10000, Remaining: 9000 }));
    const res = await request<Record<string, { Max: number; Remaining: number }>>(
      `${emulator.url}/services/data/v62.0/limits`,
      { headers: bearer(emulator.credentials.accessToken) },
    );
    expect(res.body.DailyBulkV2QueryJobs).toEqual({ Max: 10000, Remaining: 3 });
    expect(res.body.DailyStreamingApiEvents).toEqual({ Max: 10000, Remaining: 9000 });
  });
});

describe('request size limits', () => {
  it('answers 414 when the URI alone is over 16,384 bytes', async () => {
    const q = encodeURIComponent(`SELECT Id FROM Account WHERE Name IN ('${'x'.repeat(17_000)}')`);
    const res = await request(`${emulator.url}/services/data/v62.0/query?q=${q}`, {
      headers: bearer(emulator.credentials.accessToken),
    });
    expect(res.status).toBe(414);
  });

  it('answers 431 when the URI and headers together are over 16,384 bytes', async () => {
    const res = await request(`${emulator.url}/services/data/v62.0/limits`, {
      headers: { ...bearer(emulator.credentials.accessToken), 'x-padding': 'p'.repeat(16_384) },
    });
    expect(res.status).toBe(431);
  });

  it('serves a request just under the limit', async () => {
    const res = await request(`${emulator.url}/services/data/v62.0/limits`, {
      headers: { ...bearer(emulator.credentials.accessToken), 'x-padding': 'p'.repeat(15_000) },
    });
    expect(res.status).toBe(200);
  });
});

// Last in the file: it moves the org's clock past every session's idle time.
describe('Date header', () => {
  it("dates every answer, errors included, with the org's time, which a test can move", async () => {
    const days = 3 * 24 * 60 * 60 * 1000;
    emulator.org.clock.advance(days);
    const token = emulator.org.createSession();
    const ok = await request(`${emulator.url}/services/data/v62.0/limits`, { headers: bearer(token) });
    const refused = await request(`${emulator.url}/services/data/v62.0/limits`);
    const versions = await request(`${emulator.url}/services/data`);
    for (const res of [ok, refused, versions]) {
      const date = Date.parse(res.headers.get('date') ?? '');
      expect(Math.abs(date - emulator.org.clock.now())).toBeLessThan(5_000);
      expect(date - Date.now()).toBeGreaterThan(days - 5_000);
    }
  });
});
