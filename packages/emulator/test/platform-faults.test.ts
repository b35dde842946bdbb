import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';
import { bearer, request } from './support/http.js';

let emulator: Emulator;
let limitsUrl: string;
let resourcesUrl: string;

beforeAll(async () => {
  emulator = await startEmulator({ seed: 42 });
  limitsUrl = `${emulator.url}/services/data/v62.0/limits`;
  resourcesUrl = `${emulator.url}/services/data/v62.0/`;
});

afterEach(() => {
  emulator.org.reset();
});

afterAll(async () => {
  await emulator.stop();
});

function get(url: string) {
  return request(url, { headers: bearer(emulator.credentials.accessToken) });
}

describe('error faults', () => {
  it('answer every matching request with the status and Salesforce error array', async () => {
    emulator.org.faults.error({ method: 'GET', path: '/services/data/*/limits', status: 503 });
    for (let i = 0; i < 3; i++) {
      const res = await get(limitsUrl);
      expect(res.status).toBe(503);
      expect(res.body).toEqual([
        { message: 'Server unavailable, please try again later.', errorCode: 'SERVER_UNAVAILABLE' },
      ]);
    }
    expect((await get(resourcesUrl)).status).toBe(200);
  });

  it('fire only for the next N matching requests, then remove themselves', async () => {
    const fault = emulator.org.faults.error({
      path: '/services/data/*/limits',
      status: 500,
      errorCode: 'UNKNOWN_EXCEPTION',
      times: 2,
    });
    expect((await get(limitsUrl)).status).toBe(500);
    expect((await get(limitsUrl)).status).toBe(500);
    expect((await get(limitsUrl)).status).toBe(200);
    expect(fault.hits).toBe(2);
    expect(fault.active).toBe(false);
  });

  it('fire for a seeded fraction of requests, the same ones for the same seed', async () => {
    const run = async () => {
      emulator.org.faults.reseed(7);
      const fault = emulator.org.faults.error({ path: '**/limits', status: 503, probability: 0.5 });
      const statuses: number[] = [];
      for (let i = 0; i < 16; i++) statuses.push((await get(limitsUrl)).status);
      fault.remove();
      return statuses;
    };
    const first = await run();
    const second = await run();
    expect(second).toEqual(first);
    expect(first).toContain(503);
    expect(first).toContain(200);
  });

  it('match paths by regular expression and methods case-insensitively', async () => {
    emulator.org.faults.error({ method: 'get', path: /\/limits$/, status: 502 });
    expect((await get(limitsUrl)).status).toBe(502);
  });

  it('send a custom body and headers', async () => {
    emulator.org.faults.error({
      path: '**/limits',
      status: 429,
      body: 'Too many requests',
      headers: { 'Retry-After': '3' },
    });
    const res = await get(limitsUrl);
    expect(res.status).toBe(429);
    expect(res.text).toBe('Too many requests');
    expect(res.headers.get('retry-after')).toBe('3');
  });

  it('answer UNABLE_TO_LOCK_ROW as a record-lock error', async () => {
    emulator.org.faults.unableToLockRow({ path: '**/limits', times: 1 });
    const res = await get(limitsUrl);
    expect(res.status).toBe(400);
    expect(res.body).toEqual([
      {
        message: 'unable to obtain exclusive access to this record or 1 records: 001000000000000AAA',
        errorCode: 'UNABLE_TO_LOCK_ROW',
        fields: [],
      },
    ]);
    expect((await get(limitsUrl)).status).toBe(200);
  });

  it('apply to the OAuth endpoints too', async () => {
    emulator.org.faults.error({ path: '/services/oauth2/token', status: 503, times: 1 });
    const res = await request(`${emulator.loginUrl}/services/oauth2/token`, {
      method: 'POST',
      form: { grant_type: 'password' },
    });
    expect(res.status).toBe(503);
  });
});

describe('latency faults', () => {
  it('hold matching requests while others go through', async () => {
    emulator.org.faults.latency(300, { path: '**/limits' });
    const order: string[] = [];
    const slow = get(limitsUrl).then((res) => order.push(`slow ${res.status}`));
    await new Promise((resolve) => setTimeout(resolve, 20));
    await get(resourcesUrl).then((res) => order.push(`fast ${res.status}`));
    await slow;
    expect(order).toEqual(['fast 200', 'slow 200']);
  });

  it('do not outlive stop(): a process with a request held for two minutes exits once the org stops', async () => {
    // In a child process, so that "the process can exit" is what is observed.
    const script = `
      import { startEmulator } from './src/index.ts';
      const emulator = await startEmulator();
      emulator.org.faults.latency(120_000, { path: '**/limits' });
      const held = fetch(emulator.url + '/services/data/v62.0/limits', {
        headers: { authorization: 'Bearer ' + emulator.credentials.accessToken },
      }).then((res) => 'answered ' + res.status, () => 'connection closed');
      while (emulator.org.limits.inFlight === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      await emulator.stop();
      console.log(await held);
    `;
    const child = spawn(
      process.execPath,
      ['--conditions=@forcekit/source', '--import', 'tsx', '--input-type=module', '-e', script],
      { cwd: fileURLToPath(new URL('..', import.meta.url)), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    const exited = once(child, 'exit').then(([code]) => `exit ${code}`);
    let timer: NodeJS.Timeout | undefined;
    const stuck = new Promise<string>((resolve) => {
      timer = setTimeout(() => {
        child.kill();
        resolve('still running');
      }, 25_000);
    });
    const outcome = await Promise.race([exited, stuck]);
    clearTimeout(timer);
    expect(outcome).toBe('exit 0');
    expect(stdout.trim()).toBe('connection closed');
  });
});

describe('dropped connections', () => {
  it('close the socket before the response', async () => {
    emulator.org.faults.dropConnection({ path: '**/limits', when: 'before-response', times: 1 });
    await expect(get(limitsUrl)).rejects.toThrow();
    expect((await get(limitsUrl)).status).toBe(200);
  });

  it('close the socket in the middle of the body', async () => {
    emulator.org.faults.dropConnection({ path: '**/limits', when: 'mid-response', times: 1 });
    const res = await fetch(limitsUrl, { headers: bearer(emulator.credentials.accessToken) });
    // The status line and headers arrived; the body breaks off.
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
    expect((await get(limitsUrl)).status).toBe(200);
  });
});

describe('session expiry faults', () => {
  it('expire every session just before the matching request', async () => {
    const token = emulator.org.createSession();
    emulator.org.faults.expireSessions({ path: '**/limits', times: 1 });
    expect((await get(resourcesUrl)).status).toBe(200);
    const res = await request(limitsUrl, { headers: bearer(token) });
    expect(res.status).toBe(401);
    expect(res.body).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
  });
});

describe('control routes are never faulted', () => {
  it('still answer while a catch-all fault is installed', async () => {
    emulator.org.faults.error({ path: '**', status: 503 });
    expect((await request(`${emulator.url}/__emulator/org`)).status).toBe(200);
    expect((await get(resourcesUrl)).status).toBe(503);
  });
});
