import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';
import { releaseLabel } from '../src/platform/versions.js';
import { describeConformance, fixtureJson } from './support/fixtures.js';
import { bearer, request } from './support/http.js';
import { shapeOf } from './support/shapes.js';

// Compares the emulator's platform answers with responses recorded from real orgs (shared/fixtures).
describeConformance('platform conformance with recorded Salesforce responses', () => {
  let emulator: Emulator;

  beforeAll(async () => {
    emulator = await startEmulator({ apiVersion: '66.0', limits: { dailyApiRequests: 2 } });
  });

  afterAll(async () => {
    await emulator.stop();
  });

  it('errors/invalid_session_id_401.json: same status and body for an unknown token', async () => {
    const res = await request(`${emulator.url}/services/data/v66.0/limits`, { headers: bearer('00Dx!nope') });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toBe('application/json;charset=UTF-8');
    expect(res.body).toEqual(fixtureJson('errors/invalid_session_id_401.json'));
  });

  it('errors/request_limit_exceeded_403.json: same status and body once the daily quota is spent', async () => {
    emulator.org.limits.setUsed(2);
    const res = await request(`${emulator.url}/services/data/v66.0/limits`, {
      headers: bearer(emulator.credentials.accessToken),
    });
    emulator.org.limits.setUsed(0);
    expect(res.status).toBe(403);
    expect(res.body).toEqual(fixtureJson('errors/request_limit_exceeded_403.json'));
    expect(res.headers.get('sforce-limit-info')).toBe('api-usage=2/2');
  });

  it('errors/not_found_404.json: same status and body for a version the org does not serve', async () => {
    const res = await request(`${emulator.url}/services/data/v99.0/`, {
      headers: bearer(emulator.credentials.accessToken),
    });
    expect(res.status).toBe(404);
    expect(res.body).toEqual(fixtureJson('errors/not_found_404.json'));
  });

  it('rest/versions_list_v20_v23.json: same entry keys, order, value types and label scheme', async () => {
    const recorded = fixtureJson<Array<{ label: string; url: string; version: string }>>(
      'rest/versions_list_v20_v23.json',
    );
    const res = await request<Array<Record<string, string>>>(`${emulator.url}/services/data`);
    expect(res.status).toBe(200);
    for (const entry of res.body) expect(shapeOf(entry)).toEqual(shapeOf(recorded[0]));
    expect(Object.keys(res.body[0] as object)).toEqual(Object.keys(recorded[0] as object));
    for (const entry of recorded) {
      expect(releaseLabel(Number.parseInt(entry.version, 10))).toBe(entry.label);
      expect(entry.url).toBe(`/services/data/v${entry.version}`);
    }
  });

  it('rest/resources_by_version_v66.json: the same resources in the same order and the same paths', async () => {
    const recorded = fixtureJson<Record<string, string>>('rest/resources_by_version_v66.json');
    const res = await request<Record<string, string>>(`${emulator.url}/services/data/v66.0/`, {
      headers: bearer(emulator.credentials.accessToken),
    });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(Object.keys(recorded));
    for (const [name, path] of Object.entries(recorded)) {
      if (name === 'identity') {
        expect(res.body.identity).toMatch(/\/id\/00D[A-Za-z0-9]{15}\/005[A-Za-z0-9]{15}$/);
        expect(path).toMatch(/\/id\/00D[A-Za-z0-9]{15}\/005[A-Za-z0-9]{15}$/);
      } else {
        expect(res.body[name], name).toBe(path);
      }
    }
  });
});
