import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, type Dispatcher } from 'undici';
import { beforeAll, describe, expect, it } from 'vitest';
import { rejectionOf } from '../../../test-support/requests.js';
import {
  AbortError,
  apiPath,
  BadRequestError,
  ConcurrentLimitError,
  ConfigurationError,
  DailyLimitError,
  InsecureUrlError,
  NetworkError,
  RecordLockedError,
  type Requester,
  ServerError,
  type Session,
  TimeoutError,
} from '../src/index.js';
import { codeFlowSession, useEmulatedOrg } from './support/emulator.js';
import { captureLogger } from './support/helpers.js';

const org = useEmulatedOrg();
let session: Session;

const LIMITS = '/services/data/v62.0/limits';
const RESOURCES = '/services/data/v62.0/';
/** Faults answering with this header let retries go at once. */
const RETRY_NOW = { 'Retry-After': '0' };

beforeAll(() => {
  session = { accessToken: org.alice.accessToken, instanceUrl: org.url };
  org.org.defineField('Account', {
    name: 'Ext__c',
    label: 'Ext',
    type: 'string',
    length: 80,
    externalId: true,
  });
});

/** A client signed in as Alice. */
function client(options: Parameters<typeof org.client>[0] = {}): Requester & { close(): Promise<void> } {
  return org.client({ accessToken: session.accessToken, instanceUrl: org.url, ...options });
}

const statusesOf = async (path: string, method?: string) =>
  (await org.requests({ path, ...(method === undefined ? {} : { method }) })).map((r) => r.status);

/**
 * An Apex REST route that holds every call until `release()`: a long-running request the test ends
 * when it chooses. `held` counts the calls being held.
 */
function holdingRoute(path: string): { release(): void; readonly held: number } {
  let open: (() => void) | undefined;
  let gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  let held = 0;
  org.org.apexRoute('GET', path, async () => {
    held++;
    await gate;
    held--;
    return { body: { held: false } };
  });
  return {
    release() {
      open?.();
      gate = new Promise<void>((resolve) => {
        open = resolve;
      });
    },
    get held() {
      return held;
    },
  };
}

async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await condition())) await sleep(5);
}

describe('retries', () => {
  it('retries a GET after 503s and succeeds', async () => {
    org.org.faults.error({ method: 'GET', path: LIMITS, status: 503, times: 2, headers: RETRY_NOW });
    expect(await client().request({ path: 'limits' })).toHaveProperty('DailyApiRequests');
    expect(await statusesOf(LIMITS)).toEqual([503, 503, 200]);
  });

  it('gives up after maxRetries retries with the last error', async () => {
    org.org.faults.error({ method: 'GET', path: LIMITS, status: 503, headers: RETRY_NOW });
    const error = await rejectionOf(client().request({ path: 'limits' }));
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ code: 'SERVER_UNAVAILABLE', status: 503 });
    expect(await statusesOf(LIMITS)).toEqual([503, 503, 503]);
    await rejectionOf(client().request({ path: 'limits', maxRetries: 0 }));
    expect(await statusesOf(LIMITS)).toHaveLength(4);
  });

  it('never retries a POST that reached the server', async () => {
    const accounts = '/services/data/v62.0/sobjects/Account';
    org.org.faults.error({ method: 'POST', path: accounts, status: 503, times: 1, headers: RETRY_NOW });
    expect(
      await rejectionOf(client().request({ method: 'POST', path: 'sobjects/Account', body: { Name: 'x' } })),
    ).toBeInstanceOf(ServerError);
    expect(await statusesOf(accounts)).toEqual([503]);
    expect(org.org.records('Account')).toHaveLength(0);
  });

  it('retries a POST the caller marked idempotent', async () => {
    const [acme] = org.org.insert('Account', [{ Name: 'Acme' }]);
    const retrieve = '/services/data/v62.0/composite/sobjects/Account';
    org.org.faults.error({ method: 'POST', path: retrieve, status: 503, times: 1, headers: RETRY_NOW });
    // sObject Collections retrieve: a read sent as POST (the ids would not fit in a URL).
    const records = await client().request<Array<{ Name: string }>>({
      method: 'POST',
      path: 'composite/sobjects/Account',
      body: { ids: [acme?.Id], fields: ['Name'] },
      idempotent: true,
    });
    expect(records.map((r) => r.Name)).toEqual(['Acme']);
    expect(await statusesOf(retrieve)).toEqual([503, 200]);
  });

  it('retries PATCH, PUT and DELETE on UNABLE_TO_LOCK_ROW', async () => {
    const [acme] = org.org.insert('Account', [{ Name: 'Acme' }]);
    const id = acme?.Id as string;
    let puts = 0;
    org.org.apexRoute('PUT', '/ledger', () => {
      puts++;
      return { status: 204 };
    });
    const writes = [
      { method: 'PATCH', path: `sobjects/Account/${id}`, body: { Name: 'Acme Corp' } },
      { method: 'PUT', path: '/services/apexrest/ledger', body: { total: 1 } },
      { method: 'DELETE', path: `sobjects/Account/${id}`, body: undefined },
    ] as const;
    for (const write of writes) {
      org.org.faults.unableToLockRow({ method: write.method, times: 1 });
      expect(await client().request(write)).toBe(undefined);
    }
    for (const method of ['PATCH', 'PUT', 'DELETE']) {
      expect(
        (await org.requests({ method })).map((r) => r.status),
        method,
      ).toEqual([400, 204]);
    }
    // Each write happened once, on its retry.
    expect(puts).toBe(1);
    expect(org.org.records('Account', { includeDeleted: true })).toMatchObject([
      { Name: 'Acme Corp', IsDeleted: true },
    ]);

    org.org.faults.unableToLockRow({ method: 'GET', path: LIMITS });
    expect(await rejectionOf(client().request({ path: 'limits', maxRetries: 1 }))).toBeInstanceOf(
      RecordLockedError,
    );
    expect(await statusesOf(LIMITS)).toEqual([400, 400]);
  });

  it('retries the concurrent request limit but never the daily one', async () => {
    // One request running counts as long-running at once: a second one hits the concurrent limit.
    org.org.limits.configure({ concurrentRequests: 1, longRunningMs: 0 });
    const hold = holdingRoute('/hold');
    const logger = captureLogger();
    const holding = client().request({ path: '/services/apexrest/hold' });
    await until(() => hold.held === 1);
    // The held request ends as soon as the client decides to retry, so the retry finds a free slot.
    const retried = client({
      logger: {
        ...logger,
        warn: (obj, msg) => {
          logger.warn(obj, msg);
          if (msg === 'retrying request') hold.release();
        },
      },
    }).request({ path: '' });
    expect(await retried).toHaveProperty('identity');
    await holding;
    expect(await statusesOf(RESOURCES)).toEqual([403, 200]);
    expect(logger.entries.find((e) => e.msg === 'retrying request')?.obj).toMatchObject({
      errorCode: 'REQUEST_LIMIT_EXCEEDED',
    });

    const stuck = client().request({ path: '/services/apexrest/hold' });
    await until(() => hold.held === 1);
    const error = await rejectionOf(client().request({ path: 'limits', maxRetries: 0 }));
    expect(error).toBeInstanceOf(ConcurrentLimitError);
    expect(error.message).toContain('ConcurrentRequests (Concurrent API Requests) Limit exceeded.');
    hold.release();
    await stuck;

    org.org.limits.setUsed(org.org.limits.dailyApiRequests);
    const daily = await rejectionOf(client().request({ path: 'sobjects' }));
    expect(daily).toBeInstanceOf(DailyLimitError);
    expect(daily.message).toContain('TotalRequests Limit exceeded.');
    expect(await statusesOf('/services/data/v62.0/sobjects')).toEqual([403]);
  });

  it('retries a GET whose connection was dropped, but not a POST', async () => {
    org.org.faults.dropConnection({ method: 'GET', path: LIMITS, times: 1 });
    expect(await client().request({ path: 'limits' })).toHaveProperty('DailyApiRequests');
    expect(await statusesOf(LIMITS)).toEqual([null, 200]);

    const accounts = '/services/data/v62.0/sobjects/Account';
    for (const when of ['before-response', 'mid-response'] as const) {
      org.org.faults.dropConnection({ method: 'POST', path: accounts, when, times: 1 });
      const error = await rejectionOf(
        client().request({ method: 'POST', path: 'sobjects/Account', body: { Name: when } }),
      );
      expect(error, when).toBeInstanceOf(NetworkError);
      expect(error, when).toMatchObject({ code: 'NETWORK_ERROR', connected: true });
    }
    expect(await org.requests({ method: 'POST', path: accounts })).toHaveLength(2);
    // The cut-off answer came after the create ran: a retry would have made a second Account.
    expect(org.org.records('Account').map((r) => r.Name)).toEqual(['mid-response']);
  });

  it('retries a POST whose connection was refused: nothing was sent', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const logger = captureLogger();
    const error = await rejectionOf(
      client({ logger, maxRetries: 1 }).request({
        method: 'POST',
        path: `http://127.0.0.1:${port}/x`,
        body: {},
      }),
    );
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ networkCode: 'ECONNREFUSED', connected: false });
    expect(logger.entries.filter((e) => e.msg === 'retrying request')).toHaveLength(1);
  });

  it('waits as long as Retry-After asks', async () => {
    org.org.faults.error({ path: LIMITS, status: 503, times: 1, headers: { 'Retry-After': '1' } });
    const logger = captureLogger();
    await client({ logger }).request({ path: 'limits' });
    expect(logger.entries.find((e) => e.msg === 'retrying request')?.obj).toMatchObject({
      delayMs: 1000,
      attempt: 1,
      errorCode: 'SERVER_UNAVAILABLE',
    });
    expect(await statusesOf(LIMITS)).toEqual([503, 200]);
  });

  it('backs off exponentially without Retry-After', async () => {
    org.org.faults.error({ path: LIMITS, status: 502, times: 1 });
    const logger = captureLogger();
    await client({ logger }).request({ path: 'limits' });
    const retry = logger.entries.find((e) => e.msg === 'retrying request');
    const delayMs = (retry?.obj as { delayMs?: number } | undefined)?.delayMs;
    expect(delayMs).toBeGreaterThanOrEqual(375);
    expect(delayMs).toBeLessThanOrEqual(500);
    expect(await statusesOf(LIMITS)).toEqual([502, 200]);
  });

  it('fails at once when Retry-After asks for more than a minute', async () => {
    org.org.faults.error({ path: LIMITS, status: 503, times: 1, headers: { 'Retry-After': '3600' } });
    const error = await rejectionOf(client().request({ path: 'limits' }));
    expect(error).toMatchObject({ status: 503, retryAfterMs: 3_600_000 });
    expect(await statusesOf(LIMITS)).toEqual([503]);
  });
});

describe('abort and timeout', () => {
  it('aborts a request in flight with the signal', async () => {
    org.org.faults.latency(2_000, { path: LIMITS });
    const controller = new AbortController();
    const pending = client().request({ path: 'limits', signal: controller.signal });
    await until(() => org.org.limits.inFlight === 1);
    controller.abort(new Error('user left'));
    const error = await rejectionOf(pending);
    expect(error).toBeInstanceOf(AbortError);
    expect(error).toMatchObject({ code: 'ABORTED', path: LIMITS });
    expect((error.cause as Error).message).toBe('user left');
    // The emulator sees the connection close before it could answer.
    await until(async () => (await org.requests({ path: LIMITS })).length === 1);
    expect(await statusesOf(LIMITS)).toEqual([null]);
  });

  it('does not send a request whose signal already aborted', async () => {
    const error = await rejectionOf(client().request({ path: 'limits', signal: AbortSignal.abort() }));
    expect(error).toBeInstanceOf(AbortError);
    expect(await org.requests()).toEqual([]);
  });

  it('aborts while waiting to retry', async () => {
    org.org.faults.error({ path: LIMITS, status: 503, times: 1, headers: { 'Retry-After': '30' } });
    const controller = new AbortController();
    const pending = client().request({ path: 'limits', signal: controller.signal });
    await until(async () => (await org.requests({ path: LIMITS })).length === 1);
    controller.abort();
    expect(await rejectionOf(pending)).toBeInstanceOf(AbortError);
    expect(await statusesOf(LIMITS)).toEqual([503]);
  });

  it('times out waiting for the response', async () => {
    org.org.faults.latency(2_000, { path: LIMITS });
    const error = await rejectionOf(client().request({ path: 'limits', timeout: 150, maxRetries: 0 }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ code: 'TIMEOUT', timeout: 150, method: 'GET' });
    await until(async () => (await org.requests({ path: LIMITS })).length === 1);
    expect(await statusesOf(LIMITS)).toEqual([null]);
  });

  it('aborts a request waiting for a concurrency slot', async () => {
    org.org.faults.latency(300, { path: LIMITS });
    const single = client({ maxConcurrency: 1 });
    const holding = single.request({ path: 'limits' });
    const queued = single.request({ path: 'limits', signal: AbortSignal.timeout(20) });
    expect(await rejectionOf(queued)).toBeInstanceOf(AbortError);
    expect(await holding).toHaveProperty('DailyApiRequests');
    expect(await statusesOf(LIMITS)).toEqual([200]);
  });
});

describe('total timeout', () => {
  it('covers every attempt of a retried request, not each one on its own', async () => {
    // Each attempt answers 503 after 100 ms: six attempts take 600 ms, none of them 350 alone.
    org.org.faults.latency(100, { path: LIMITS });
    org.org.faults.error({ path: LIMITS, status: 503, headers: RETRY_NOW });
    const error = await rejectionOf(client({ maxRetries: 5 }).request({ path: 'limits', totalTimeout: 350 }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({
      code: 'TIMEOUT',
      kind: 'total',
      timeout: 350,
      method: 'GET',
      path: LIMITS,
    });
    expect(error.message).toBe(`GET ${LIMITS} did not complete within its total timeout of 350 ms`);
    expect((await org.requests({ path: LIMITS })).length).toBeLessThan(6);
  });

  it('does not start a retry whose wait would end past it: the last error comes at once', async () => {
    org.org.faults.error({ path: LIMITS, status: 503, times: 1, headers: { 'Retry-After': '5' } });
    const error = await rejectionOf(client().request({ path: 'limits', totalTimeout: 1_000 }));
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ status: 503, retryAfterMs: 5_000 });
    expect(await statusesOf(LIMITS)).toEqual([503]);
  });

  it('covers the wait for a concurrency slot', async () => {
    org.org.faults.latency(300, { path: LIMITS });
    const single = client({ maxConcurrency: 1 });
    const holding = single.request({ path: 'limits' });
    const error = await rejectionOf(single.request({ path: 'limits', totalTimeout: 50 }));
    expect(error).toMatchObject({ code: 'TIMEOUT', kind: 'total', timeout: 50 });
    expect(await holding).toHaveProperty('DailyApiRequests');
    expect(await statusesOf(LIMITS)).toEqual([200]);
  });

  it('covers a session refresh the request waits for', async () => {
    // Bob's session: the file's other tests keep using Alice's.
    const stale = await codeFlowSession(org, org.bob);
    const refreshable = client({
      accessToken: stale.accessToken,
      refreshToken: stale.refreshToken,
      totalTimeout: 300,
    });
    org.org.sessions.expireUser(org.bob.userId);
    org.org.faults.latency(2_000, { path: '/services/oauth2/token' });
    const error = await rejectionOf(refreshable.request({ path: 'limits' }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ kind: 'total', timeout: 300, path: LIMITS });
    expect(await statusesOf(LIMITS)).toEqual([401]);
  });

  it('applies the client-wide value, which a request can override', async () => {
    org.org.faults.latency(400, { path: LIMITS });
    const bounded = client({ totalTimeout: 100 });
    expect(await rejectionOf(bounded.request({ path: 'limits' }))).toMatchObject({
      kind: 'total',
      timeout: 100,
    });
    expect(await bounded.request({ path: 'limits', totalTimeout: 5_000 })).toHaveProperty('DailyApiRequests');
  });

  it("leaves the caller's own signal an abort, not a timeout", async () => {
    org.org.faults.latency(2_000, { path: LIMITS });
    const controller = new AbortController();
    const pending = client().request({ path: 'limits', signal: controller.signal, totalTimeout: 10_000 });
    await until(() => org.org.limits.inFlight === 1);
    controller.abort(new Error('user left'));
    const error = await rejectionOf(pending);
    expect(error).toBeInstanceOf(AbortError);
    expect((error.cause as Error).message).toBe('user left');
    await until(async () => (await org.requests({ path: LIMITS })).length === 1);
  });

  it('names the method and path, never the query string or a token', async () => {
    org.org.faults.latency(1_000, { path: '/services/data/v62.0/query' });
    const q = "SELECT Id FROM Account WHERE Name = 'secret-name'";
    const error = await rejectionOf(client().request({ path: 'query', query: { q }, totalTimeout: 100 }));
    expect(error.message).toBe(
      'GET /services/data/v62.0/query did not complete within its total timeout of 100 ms',
    );
    const everything = `${error.message} ${error.stack} ${JSON.stringify(error)}`;
    expect(everything).not.toContain('secret-name');
    expect(everything).not.toContain(session.accessToken);
    // The emulator saw the connection close before it could answer.
    await until(async () => (await org.requests({ path: '/services/data/v62.0/query' })).length === 1);
    expect(await statusesOf('/services/data/v62.0/query')).toEqual([null]);
  });

  it('is validated per request, naming the field', async () => {
    for (const totalTimeout of [0, -1, 1.5, 2 ** 31, Number.NaN]) {
      const error = await rejectionOf(client().request({ path: 'limits', totalTimeout }));
      expect(error, String(totalTimeout)).toBeInstanceOf(ConfigurationError);
      expect((error as ConfigurationError).issues.map((i) => i.field)).toEqual(['totalTimeout']);
    }
    expect(await org.requests()).toEqual([]);
  });
});

describe('wire format', () => {
  it('asks for gzip and decodes gzipped JSON, text, bytes and streams', async () => {
    org.org.insert(
      'Account',
      Array.from({ length: 50 }, (_, i) => ({ Name: `Account ${String(i).padStart(2, '0')}` })),
    );
    const query = { q: 'SELECT Id, Name FROM Account ORDER BY Name' };
    const requester = client();
    const payload = await requester.request<{ totalSize: number; records: Array<{ Name: string }> }>({
      path: 'query',
      query,
    });
    expect(payload.totalSize).toBe(50);
    expect(payload.records[49]?.Name).toBe('Account 49');
    const request = org.sent.at(-1);
    expect(request?.headers['accept-encoding']).toBe('gzip');
    expect(request?.headers.accept).toBe('application/json');
    expect(JSON.parse(await requester.request({ path: 'query', query, responseType: 'text' }))).toEqual(
      payload,
    );
    const bytes = await requester.request({ path: 'query', query, responseType: 'binary' });
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(JSON.parse(Buffer.from(bytes).toString())).toEqual(payload);
    const raw = await requester.raw({ path: 'query', query });
    expect(raw.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(await text(raw.body))).toEqual(payload);
  });

  it('sends JSON, text, bytes, forms and streams with fitting content types', async () => {
    org.org.apexRoute('POST', '/echo', (req) => ({
      body: { contentType: req.headers['content-type'], body: req.rawBody.toString('utf8') },
    }));
    const requester = client();
    const echo = (body: Parameters<Requester['raw']>[0]['body'], headers?: Record<string, string>) =>
      requester.request<{ contentType: string; body: string }>({
        method: 'POST',
        path: '/services/apexrest/echo',
        body,
        headers,
      });

    expect(await echo({ Name: 'Acme', Tags: ['a'] })).toEqual({
      contentType: 'application/json',
      body: '{"Name":"Acme","Tags":["a"]}',
    });
    expect(await echo('plain')).toEqual({ contentType: 'text/plain; charset=UTF-8', body: 'plain' });
    expect(await echo(new TextEncoder().encode('bytes'))).toEqual({
      contentType: 'application/octet-stream',
      body: 'bytes',
    });
    expect(await echo(new URLSearchParams({ a: '1 2' }))).toEqual({
      contentType: 'application/x-www-form-urlencoded',
      body: 'a=1+2',
    });
    expect(await echo(Readable.from(['Name\n', 'Acme\n']), { 'Content-Type': 'text/csv' })).toEqual({
      contentType: 'text/csv',
      body: 'Name\nAcme\n',
    });
  });

  it('encodes query parameters, skipping undefined and repeating arrays', async () => {
    org.org.apexRoute('GET', '/params', (req) => ({
      body: { q: req.query.getAll('q'), ids: req.query.getAll('ids') },
    }));
    const result = await client().request({
      path: '/services/apexrest/params',
      query: {
        q: "SELECT Id FROM Account WHERE Name = 'A&B'",
        ids: ['1', '2'],
        skipped: undefined,
        none: null,
      },
    });
    expect(result).toEqual({ q: ["SELECT Id FROM Account WHERE Name = 'A&B'"], ids: ['1', '2'] });
    const [logged] = await org.requests({ path: '/services/apexrest/params' });
    expect(logged?.query).toBe('q=SELECT+Id+FROM+Account+WHERE+Name+%3D+%27A%26B%27&ids=1&ids=2');
  });

  it('returns undefined for 204 and HEAD', async () => {
    const [acme] = org.org.insert('Account', [{ Name: 'Acme' }]);
    const path = `sobjects/Account/${acme?.Id}`;
    expect(await client().request({ method: 'PATCH', path, body: { Name: 'Acme Corp' } })).toBeUndefined();
    expect(await client().request({ method: 'HEAD', path })).toBeUndefined();
    expect((await org.requests()).map((r) => [r.method, r.status])).toEqual([
      ['PATCH', 204],
      ['HEAD', 200],
    ]);
    expect(org.org.records('Account')[0]?.Name).toBe('Acme Corp');
  });

  it('keeps Authorization the session’s own whatever headers say', async () => {
    const result = await client().request<{ identity: string }>({
      path: '',
      headers: { Authorization: 'Bearer stolen' },
    });
    expect(result.identity).toMatch(new RegExp(`/${org.alice.userId}$`));
    expect(org.lastSent(RESOURCES).headers.authorization).toBe(`Bearer ${session.accessToken}`);
    expect(await org.requests({ path: RESOURCES })).toMatchObject([
      { status: 200, userId: org.alice.userId },
    ]);
  });

  it('names bad per-request options, and refuses header injection, before sending', async () => {
    const bad = await rejectionOf(
      client().request({ path: 'x', method: 'FETCH' as 'GET', timeout: -1, maxRetries: 0.5 }),
    );
    expect(bad).toBeInstanceOf(ConfigurationError);
    expect((bad as ConfigurationError).issues.map((i) => i.field)).toEqual([
      'method',
      'timeout',
      'maxRetries',
    ]);
    const injected = await rejectionOf(
      client().request({ path: 'x', headers: { 'x-note': 'a\r\nx-evil: 1' } }),
    );
    expect(injected).toBeInstanceOf(ConfigurationError);
    expect(await org.requests()).toEqual([]);
  });
});

describe('error bodies', () => {
  it("maps an sObject Tree's 400 {hasErrors, results} into ApiError.errors with referenceIds", async () => {
    const error = await rejectionOf(
      client().request({
        method: 'POST',
        path: 'composite/tree/Account',
        body: {
          records: [
            {
              attributes: { type: 'Account', referenceId: 'acme' },
              Name: 'Acme',
              Contacts: {
                records: [
                  {
                    attributes: { type: 'Contact', referenceId: 'smith' },
                    LastName: 'Smith',
                    Email: 'not-an-email',
                  },
                  { attributes: { type: 'Contact', referenceId: 'nameless' }, FirstName: 'Ann' },
                ],
              },
            },
          ],
        },
      }),
    );
    expect(error).toBeInstanceOf(BadRequestError);
    const { errors } = error as BadRequestError;
    expect(errors.map((e) => [e.referenceId, e.errorCode])).toEqual([
      ['smith', 'INVALID_EMAIL_ADDRESS'],
      ['nameless', 'REQUIRED_FIELD_MISSING'],
    ]);
    expect(errors[1]?.fields).toEqual(['LastName']);
    expect(error).toMatchObject({ code: 'INVALID_EMAIL_ADDRESS', status: 400 });
    expect(org.org.records('Account')).toEqual([]);
  });
});

describe('raw responses', () => {
  it('hands back status, headers and the body stream (Bulk query results with Sforce-Locator)', async () => {
    const accounts = org.org.insert('Account', [{ Name: 'Acme' }, { Name: 'Globex' }, { Name: 'Initech' }]);
    const requester = client();
    const job = await requester.request<{ id: string }>({
      method: 'POST',
      path: 'jobs/query',
      body: { operation: 'query', query: 'SELECT Id, Name FROM Account ORDER BY Name' },
    });
    await until(
      async () =>
        (await requester.request<{ state: string }>({ path: `jobs/query/${job.id}` })).state ===
        'JobComplete',
    );
    const response = await requester.raw({ path: `jobs/query/${job.id}/results`, query: { maxRecords: 2 } });
    expect(response.status).toBe(200);
    expect(response.headers['sforce-numberofrecords']).toBe('2');
    expect(response.headers['sforce-locator']).toMatch(/^\w+$/);
    expect(response.headers['sforce-locator']).not.toBe('null');
    expect(response.limitInfo).toMatchObject({ max: 15000 });
    expect(await text(response.body)).toBe(
      `"Id","Name"\n"${accounts[0]?.Id}","Acme"\n"${accounts[1]?.Id}","Globex"\n`,
    );
  });

  it('throws for an error status instead of handing back the body', async () => {
    const error = await rejectionOf(client().raw({ path: 'jobs/query/750EM0000000001YAA/results' }));
    expect(error).toMatchObject({ code: 'NOT_FOUND', status: 404 });
  });

  it('frees its concurrency slot when the body is read or destroyed', async () => {
    const [parent] = org.org.insert('Account', [{ Name: 'Files' }]);
    const bytes = Buffer.alloc(256 * 1024, 7);
    const [attachment] = org.org.insert('Attachment', [
      { Name: 'blob.bin', ParentId: parent?.Id, Body: bytes.toString('base64') },
    ]);
    const path = `sobjects/Attachment/${attachment?.Id}/Body`;
    const single = client({ maxConcurrency: 1 });
    const first = await single.raw({ path });
    first.body.destroy();
    const second = await single.raw({ path });
    expect((await text(second.body)).length).toBe(256 * 1024);
    const downloaded = Buffer.from(await single.request({ path, responseType: 'binary' }));
    // Buffer.equals: a deep toEqual over 256 KB takes seconds.
    expect(downloaded.equals(bytes)).toBe(true);
  });
});

describe('limits and concurrency', () => {
  it('parses Sforce-Limit-Info on every response, errors included', async () => {
    org.org.limits.setUsed(40);
    const requester = client();
    expect(requester.limitInfo).toBeUndefined();
    await requester.request({ path: 'limits' });
    expect(requester.limitInfo).toEqual({ used: 41, max: 15000 });
    // A real error answer carries the header too.
    const malformed = await rejectionOf(requester.request({ path: 'query', query: { q: 'SELEC Id' } }));
    expect(malformed).toMatchObject({ code: 'MALFORMED_QUERY', status: 400 });
    expect(requester.limitInfo).toEqual({ used: 42, max: 15000 });
    // The per-app quota, which an org reports when the connected app has one.
    org.org.faults.error({
      path: LIMITS,
      status: 400,
      errorCode: 'MALFORMED_QUERY',
      message: 'bad',
      headers: { 'Sforce-Limit-Info': 'api-usage=43/15000, per-app-api-usage=7/250(appName=forcekit)' },
    });
    await rejectionOf(requester.request({ path: 'limits' }));
    expect(requester.limitInfo).toEqual({
      used: 43,
      max: 15000,
      perApp: { used: 7, max: 250, appName: 'forcekit' },
    });
  });

  it('keeps no more than maxConcurrency requests in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    org.org.apexRoute('GET', '/count', async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await sleep(20);
      inFlight--;
      return { body: { ok: true } };
    });
    const limited = client({ maxConcurrency: 3 });
    await Promise.all(
      Array.from({ length: 12 }, () => limited.request({ path: '/services/apexrest/count' })),
    );
    expect(peak).toBe(3);
    expect(await statusesOf('/services/apexrest/count')).toEqual(Array(12).fill(200));
  });
});

describe('paths', () => {
  it('resolves relative, absolute and full-URL paths, encoding each segment once', async () => {
    org.org.apexRoute('GET', '/orders/:id', (req) => ({ body: { apex: true, id: req.params.id } }));
    org.org.insert('Account', [{ Name: 'Slashed', Ext__c: 'A/B C' }]);
    const requester = client();
    expect(
      await requester.request({
        path: apiPath`sobjects/Account/Ext__c/${'A/B C'}`,
        query: { fields: 'Name,Ext__c' },
      }),
    ).toMatchObject({ Name: 'Slashed', Ext__c: 'A/B C' });
    expect(await requester.request({ path: '/services/apexrest/orders/42' })).toEqual({
      apex: true,
      id: '42',
    });
    expect(await requester.request({ path: `${org.url}/services/apexrest/orders/42` })).toEqual({
      apex: true,
      id: '42',
    });
    expect((await org.requests()).map((r) => r.path)).toEqual([
      '/services/data/v62.0/sobjects/Account/Ext__c/A%2FB%20C',
      '/services/apexrest/orders/42',
      '/services/apexrest/orders/42',
    ]);
  });

  it('never sends a token over plain http to a host that is not loopback', async () => {
    const remote = { accessToken: session.accessToken, instanceUrl: 'http://na1.salesforce.com' };
    const requester = client({ mode: 'multi', accessToken: undefined, instanceUrl: undefined });
    const viaSession = await rejectionOf(requester.request({ path: 'sobjects', session: remote }));
    expect(viaSession).toBeInstanceOf(InsecureUrlError);
    expect(viaSession.message).not.toContain(session.accessToken);
    const viaUrl = await rejectionOf(client().request({ path: 'http://evil.example.com/steal' }));
    expect(viaUrl).toBeInstanceOf(InsecureUrlError);
    expect(org.sent).toEqual([]);
  });

  it('names a session whose instanceUrl is not a URL', async () => {
    const broken = { accessToken: session.accessToken, instanceUrl: 'na1.salesforce.com' };
    const error = await rejectionOf(client().request({ path: 'sobjects', session: broken }));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).issues).toEqual([
      { field: 'instanceUrl', message: 'must be an absolute URL' },
    ]);
  });

  it('sends over http to loopback names and addresses', async () => {
    const port = new URL(org.url).port;
    const localhost = { accessToken: session.accessToken, instanceUrl: `http://localhost:${port}` };
    expect(await client().request({ path: '', session: localhost })).toHaveProperty('identity');
    expect(await client().request({ path: '' })).toHaveProperty('identity');
    expect(org.sent.map((r) => r.origin)).toEqual([`http://localhost:${port}`, org.url]);
    expect(await statusesOf(RESOURCES)).toEqual([200, 200]);
  });
});

describe('dispatcher', () => {
  it('sends through an injected dispatcher and leaves it open on close()', async () => {
    let dispatched = 0;
    const agent = new Agent();
    const counting = agent.compose((dispatch: Dispatcher['dispatch']) => (options, handler) => {
      dispatched++;
      return dispatch(options, handler);
    });
    const requester = client({ dispatcher: counting });
    await requester.request({ path: 'limits' });
    await requester.close();
    expect(dispatched).toBe(1);
    expect(agent.closed).toBe(false);
    expect(await statusesOf(LIMITS)).toEqual([200]);
    await agent.close();
  });
});
