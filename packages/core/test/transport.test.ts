import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, type Dispatcher } from 'undici';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  AbortError,
  apiPath,
  ConcurrentLimitError,
  ConfigurationError,
  DailyLimitError,
  InsecureUrlError,
  NetworkError,
  RecordLockedError,
  type Requester,
  ResponseError,
  ServerError,
  type Session,
  TimeoutError,
} from '../src/index.js';
import { ALICE, type FakeResponse } from './support/fake-salesforce.js';
import { captureLogger, rejectionOf, useFakeSalesforce } from './support/setup.js';

const org = useFakeSalesforce();
let session: Session;

beforeAll(() => {
  session = { accessToken: org.fake.issueToken(ALICE), instanceUrl: org.fake.url };
});

/** A client whose retries wait 0 ms: every scripted failure says `Retry-After: 0`. */
function client(options: Parameters<typeof org.client>[0] = {}): Requester & { close(): Promise<void> } {
  return org.client({ accessToken: session.accessToken, instanceUrl: org.fake.url, ...options });
}

/** Answers with each response in turn, then with the last one. */
function sequence(method: string, path: string, responses: FakeResponse[]): void {
  org.fake.rest(method, path, (ctx) => responses[Math.min(ctx.call, responses.length) - 1] as FakeResponse);
}

const now = { 'retry-after': '0' };
const unavailable: FakeResponse = {
  status: 503,
  headers: now,
  body: [{ message: 'Too many requests in progress', errorCode: 'SERVER_UNAVAILABLE' }],
};
const ok: FakeResponse = { body: { ok: true } };

describe('retries', () => {
  it('retries a GET after 503s and succeeds', async () => {
    sequence('GET', 'flaky-get', [unavailable, unavailable, ok]);
    expect(await client().request({ path: 'flaky-get' })).toEqual({ ok: true });
    expect(org.fake.callsTo('GET', 'flaky-get')).toBe(3);
  });

  it('gives up after maxRetries retries with the last error', async () => {
    sequence('GET', 'down', [unavailable]);
    const error = await rejectionOf(client().request({ path: 'down' }));
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ code: 'SERVER_UNAVAILABLE', status: 503 });
    expect(org.fake.callsTo('GET', 'down')).toBe(3);
    await rejectionOf(client().request({ path: 'down', maxRetries: 0 }));
    expect(org.fake.callsTo('GET', 'down')).toBe(4);
  });

  it('never retries a POST that reached the server', async () => {
    sequence('POST', 'create', [unavailable, ok]);
    expect(
      await rejectionOf(client().request({ method: 'POST', path: 'create', body: { Name: 'x' } })),
    ).toBeInstanceOf(ServerError);
    expect(org.fake.callsTo('POST', 'create')).toBe(1);
  });

  it('retries a POST the caller marked idempotent', async () => {
    sequence('POST', 'query-by-post', [unavailable, ok]);
    await client().request({ method: 'POST', path: 'query-by-post', body: {}, idempotent: true });
    expect(org.fake.callsTo('POST', 'query-by-post')).toBe(2);
  });

  it('retries PATCH, PUT and DELETE on UNABLE_TO_LOCK_ROW', async () => {
    const locked: FakeResponse = {
      status: 400,
      headers: now,
      body: [
        { message: 'unable to obtain exclusive access to this record', errorCode: 'UNABLE_TO_LOCK_ROW' },
      ],
    };
    for (const method of ['PATCH', 'PUT', 'DELETE'] as const) {
      sequence(method, 'locked', [locked, { status: 204 }]);
      expect(
        await client().request({ method, path: 'locked', body: method === 'DELETE' ? undefined : {} }),
      ).toBe(undefined);
      expect(org.fake.callsTo(method, 'locked')).toBe(2);
    }
    sequence('GET', 'always-locked', [locked]);
    expect(await rejectionOf(client().request({ path: 'always-locked', maxRetries: 1 }))).toBeInstanceOf(
      RecordLockedError,
    );
  });

  it('retries the concurrent request limit but never the daily one', async () => {
    const limit = (message: string): FakeResponse => ({
      status: 403,
      headers: now,
      body: [{ message, errorCode: 'REQUEST_LIMIT_EXCEEDED' }],
    });
    sequence('GET', 'concurrent', [
      limit('ConcurrentRequests (Concurrent API Requests) Limit exceeded.'),
      ok,
    ]);
    expect(await client().request({ path: 'concurrent' })).toEqual({ ok: true });
    expect(org.fake.callsTo('GET', 'concurrent')).toBe(2);

    sequence('GET', 'daily', [limit('TotalRequests Limit exceeded.'), ok]);
    const error = await rejectionOf(client().request({ path: 'daily' }));
    expect(error).toBeInstanceOf(DailyLimitError);
    expect(org.fake.callsTo('GET', 'daily')).toBe(1);

    sequence('GET', 'concurrent-stuck', [
      limit('ConcurrentRequests (Concurrent API Requests) Limit exceeded.'),
    ]);
    expect(await rejectionOf(client().request({ path: 'concurrent-stuck', maxRetries: 0 }))).toBeInstanceOf(
      ConcurrentLimitError,
    );
  });

  it('retries a GET whose connection was reset, but not a POST', async () => {
    sequence('GET', 'reset-get', [{ reset: true }, ok]);
    expect(await client().request({ path: 'reset-get' })).toEqual({ ok: true });
    expect(org.fake.callsTo('GET', 'reset-get')).toBe(2);

    sequence('POST', 'reset-post', [{ reset: true }, ok]);
    const error = await rejectionOf(client().request({ method: 'POST', path: 'reset-post', body: {} }));
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ code: 'NETWORK_ERROR', connected: true });
    expect(org.fake.callsTo('POST', 'reset-post')).toBe(1);
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
    sequence('GET', 'retry-after', [{ ...unavailable, headers: { 'retry-after': '1' } }, ok]);
    const logger = captureLogger();
    await client({ logger }).request({ path: 'retry-after' });
    expect(logger.entries.find((e) => e.msg === 'retrying request')?.obj).toMatchObject({
      delayMs: 1000,
      attempt: 1,
      errorCode: 'SERVER_UNAVAILABLE',
    });
  });

  it('backs off exponentially without Retry-After', async () => {
    sequence('GET', 'backoff', [{ status: 502 }, ok]);
    const logger = captureLogger();
    await client({ logger }).request({ path: 'backoff' });
    const retry = logger.entries.find((e) => e.msg === 'retrying request');
    const delayMs = (retry?.obj as { delayMs?: number } | undefined)?.delayMs;
    expect(delayMs).toBeGreaterThanOrEqual(375);
    expect(delayMs).toBeLessThanOrEqual(500);
  });

  it('fails at once when Retry-After asks for more than a minute', async () => {
    sequence('GET', 'come-back-later', [{ ...unavailable, headers: { 'retry-after': '3600' } }, ok]);
    const error = await rejectionOf(client().request({ path: 'come-back-later' }));
    expect(error).toMatchObject({ status: 503, retryAfterMs: 3_600_000 });
    expect(org.fake.callsTo('GET', 'come-back-later')).toBe(1);
  });
});

describe('abort and timeout', () => {
  it('aborts a request in flight with the signal', async () => {
    org.fake.rest('GET', 'slow', () => ({ body: ok.body, delayMs: 5_000 }));
    const controller = new AbortController();
    const pending = client().request({ path: 'slow', signal: controller.signal });
    await sleep(50);
    controller.abort(new Error('user left'));
    const error = await rejectionOf(pending);
    expect(error).toBeInstanceOf(AbortError);
    expect(error).toMatchObject({ code: 'ABORTED', path: '/services/data/v62.0/slow' });
    expect((error.cause as Error).message).toBe('user left');
  });

  it('does not send a request whose signal already aborted', async () => {
    const before = org.fake.callsTo('GET', 'never');
    org.fake.rest('GET', 'never', () => ok);
    const error = await rejectionOf(client().request({ path: 'never', signal: AbortSignal.abort() }));
    expect(error).toBeInstanceOf(AbortError);
    expect(org.fake.callsTo('GET', 'never')).toBe(before);
  });

  it('aborts while waiting to retry', async () => {
    sequence('GET', 'abort-in-backoff', [{ ...unavailable, headers: { 'retry-after': '30' } }, ok]);
    const controller = new AbortController();
    const pending = client().request({ path: 'abort-in-backoff', signal: controller.signal });
    while (org.fake.callsTo('GET', 'abort-in-backoff') === 0) await sleep(5);
    controller.abort();
    expect(await rejectionOf(pending)).toBeInstanceOf(AbortError);
    expect(org.fake.callsTo('GET', 'abort-in-backoff')).toBe(1);
  });

  it('times out waiting for the response', async () => {
    org.fake.rest('GET', 'hang', () => ({ hang: true }));
    const error = await rejectionOf(client().request({ path: 'hang', timeout: 150, maxRetries: 0 }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ code: 'TIMEOUT', timeout: 150, method: 'GET' });
  });

  it('times out when the body stalls, with the client-wide timeout', async () => {
    org.fake.rest('GET', 'stall', () => ({ body: { partial: true }, stallBody: true }));
    const error = await rejectionOf(client({ timeout: 150 }).request({ path: 'stall' }));
    expect(error).toBeInstanceOf(TimeoutError);
  });

  it('aborts a request waiting for a concurrency slot', async () => {
    org.fake.rest('GET', 'hold', () => ({ body: ok.body, delayMs: 300 }));
    const single = client({ maxConcurrency: 1 });
    const holding = single.request({ path: 'hold' });
    const queued = single.request({ path: 'hold', signal: AbortSignal.timeout(20) });
    expect(await rejectionOf(queued)).toBeInstanceOf(AbortError);
    expect(await holding).toEqual(ok.body);
  });
});

describe('wire format', () => {
  it('asks for gzip and decodes gzipped JSON, text, bytes and streams', async () => {
    const payload = {
      records: Array.from({ length: 50 }, (_, i) => ({ Id: `001${i}`, Name: `Account ${i}` })),
    };
    org.fake.rest('GET', 'big', () => ({ body: payload }));
    const requester = client();
    expect(await requester.request({ path: 'big' })).toEqual(payload);
    const request = org.fake.requests.at(-1);
    expect(request?.headers['accept-encoding']).toBe('gzip');
    expect(request?.headers.accept).toBe('application/json');
    expect(JSON.parse(await requester.request({ path: 'big', responseType: 'text' }))).toEqual(payload);
    const bytes = await requester.request({ path: 'big', responseType: 'binary' });
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(JSON.parse(Buffer.from(bytes).toString())).toEqual(payload);
    const raw = await requester.raw({ path: 'big' });
    expect(raw.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(await text(raw.body))).toEqual(payload);
  });

  it('sends JSON, text, bytes, forms and streams with fitting content types', async () => {
    org.fake.rest('POST', 'echo', (ctx) => ({
      body: { contentType: ctx.headers['content-type'], body: ctx.body },
    }));
    const requester = client();
    const echo = (body: Parameters<Requester['raw']>[0]['body'], headers?: Record<string, string>) =>
      requester.request<{ contentType: string; body: string }>({
        method: 'POST',
        path: 'echo',
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
    org.fake.rest('GET', 'query', (ctx) => ({
      body: { q: ctx.query.getAll('q'), ids: ctx.query.getAll('ids') },
    }));
    const result = await client().request({
      path: 'query',
      query: {
        q: "SELECT Id FROM Account WHERE Name = 'A&B'",
        ids: ['1', '2'],
        skipped: undefined,
        none: null,
      },
    });
    expect(result).toEqual({ q: ["SELECT Id FROM Account WHERE Name = 'A&B'"], ids: ['1', '2'] });
    expect(org.fake.requests.at(-1)?.url).not.toContain('skipped');
  });

  it('returns undefined for 204 and HEAD', async () => {
    org.fake.rest('PATCH', 'no-content', () => ({ status: 204 }));
    org.fake.rest('HEAD', 'head', () => ({ headers: { 'content-type': 'application/json' } }));
    expect(await client().request({ method: 'PATCH', path: 'no-content', body: { a: 1 } })).toBeUndefined();
    expect(await client().request({ method: 'HEAD', path: 'head' })).toBeUndefined();
  });

  it('keeps Authorization the session’s own whatever headers say', async () => {
    org.fake.rest('GET', 'auth-header', (ctx) => ({ body: { authorization: ctx.headers.authorization } }));
    const result = await client().request({
      path: 'auth-header',
      headers: { Authorization: 'Bearer stolen' },
    });
    expect(result).toEqual({ authorization: `Bearer ${session.accessToken}` });
  });

  it('names bad per-request options, and refuses header injection, before sending', async () => {
    const before = org.fake.requests.length;
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
    expect(org.fake.requests.length).toBe(before);
  });

  it('reports a 2xx body that is not JSON as INVALID_RESPONSE', async () => {
    org.fake.rest('GET', 'not-json', () => ({ body: '<html>oops</html>' }));
    const error = await rejectionOf(client().request({ path: 'not-json' }));
    expect(error).toBeInstanceOf(ResponseError);
    expect(error).toMatchObject({ code: 'INVALID_RESPONSE', status: 200 });
  });

  it('gives a useful error for an HTML 503 page', async () => {
    org.fake.rest('GET', 'maintenance', () => ({
      status: 503,
      headers: { 'content-type': 'text/html', 'retry-after': '0' },
      body: '<html><head><title>Down for Maintenance</title></head></html>',
    }));
    const error = await rejectionOf(client().request({ path: 'maintenance', maxRetries: 0 }));
    expect(error).toBeInstanceOf(ServerError);
    expect(error.message).toBe(
      'HTTP_503: HTTP response contains HTML content: Down for Maintenance (503 GET /services/data/v62.0/maintenance)',
    );
  });
});

describe('raw responses', () => {
  it('hands back status, headers and the body stream (Bulk results with Sforce-Locator)', async () => {
    org.fake.rest('GET', 'jobs/query/750x/results', () => ({
      headers: { 'content-type': 'text/csv', 'sforce-locator': 'MTAwMDA', 'sforce-numberofrecords': '2' },
      body: '"Id","Name"\n"001A","Acme"\n"001B","Globex"\n',
    }));
    const response = await client().raw({ path: 'jobs/query/750x/results', query: { maxRecords: 2 } });
    expect(response.status).toBe(200);
    expect(response.headers['sforce-locator']).toBe('MTAwMDA');
    expect(response.limitInfo).toMatchObject({ max: 15000 });
    expect(await text(response.body)).toBe('"Id","Name"\n"001A","Acme"\n"001B","Globex"\n');
  });

  it('throws for an error status instead of handing back the body', async () => {
    org.fake.rest('GET', 'jobs/query/750gone/results', () => ({
      status: 404,
      body: [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }],
    }));
    expect(await rejectionOf(client().raw({ path: 'jobs/query/750gone/results' }))).toMatchObject({
      code: 'NOT_FOUND',
      status: 404,
    });
  });

  it('frees its concurrency slot when the body is read or destroyed', async () => {
    org.fake.rest('GET', 'blob', () => ({ body: Buffer.alloc(256 * 1024, 7) }));
    const single = client({ maxConcurrency: 1 });
    const first = await single.raw({ path: 'blob' });
    first.body.destroy();
    const second = await single.raw({ path: 'blob' });
    expect((await text(second.body)).length).toBe(256 * 1024);
    expect(await single.request({ path: 'blob', responseType: 'binary' })).toHaveLength(256 * 1024);
  });
});

describe('limits and concurrency', () => {
  it('parses Sforce-Limit-Info on every response, errors included', async () => {
    org.fake.rest('GET', 'limits-ok', () => ({
      body: {},
      headers: { 'sforce-limit-info': 'api-usage=41/15000' },
    }));
    org.fake.rest('GET', 'limits-error', () => ({
      status: 400,
      headers: { 'sforce-limit-info': 'api-usage=42/15000, per-app-api-usage=7/250(appName=forcekit)' },
      body: [{ errorCode: 'MALFORMED_QUERY', message: 'bad' }],
    }));
    const requester = client();
    expect(requester.limitInfo).toBeUndefined();
    await requester.request({ path: 'limits-ok' });
    expect(requester.limitInfo).toEqual({ used: 41, max: 15000 });
    await rejectionOf(requester.request({ path: 'limits-error' }));
    expect(requester.limitInfo).toEqual({
      used: 42,
      max: 15000,
      perApp: { used: 7, max: 250, appName: 'forcekit' },
    });
  });

  it('keeps no more than maxConcurrency requests in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    org.fake.rest('GET', 'count', async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await sleep(20);
      inFlight--;
      return ok;
    });
    const limited = client({ maxConcurrency: 3 });
    await Promise.all(Array.from({ length: 12 }, () => limited.request({ path: 'count' })));
    expect(peak).toBe(3);
  });
});

describe('paths', () => {
  it('resolves relative, absolute and full-URL paths', async () => {
    org.fake.rest('GET', '/services/apexrest/orders/42', () => ({ body: { apex: true } }));
    org.fake.rest('GET', 'sobjects/Account/Ext__c/A%2FB%20C', (ctx) => ({ body: { path: ctx.path } }));
    const requester = client();
    expect(await requester.request({ path: apiPath`sobjects/Account/Ext__c/${'A/B C'}` })).toEqual({
      path: '/services/data/v62.0/sobjects/Account/Ext__c/A%2FB%20C',
    });
    expect(await requester.request({ path: '/services/apexrest/orders/42' })).toEqual({ apex: true });
    expect(await requester.request({ path: `${org.fake.url}/services/apexrest/orders/42` })).toEqual({
      apex: true,
    });
  });

  it('never sends a token over plain http to a host that is not loopback', async () => {
    const before = org.fake.requests.length;
    const remote = { accessToken: session.accessToken, instanceUrl: 'http://na1.salesforce.com' };
    const requester = client({ mode: 'multi', accessToken: undefined, instanceUrl: undefined });
    const viaSession = await rejectionOf(requester.request({ path: 'sobjects', session: remote }));
    expect(viaSession).toBeInstanceOf(InsecureUrlError);
    expect(viaSession.message).not.toContain(session.accessToken);
    const viaUrl = await rejectionOf(client().request({ path: 'http://evil.example.com/steal' }));
    expect(viaUrl).toBeInstanceOf(InsecureUrlError);
    expect(org.fake.requests.length).toBe(before);
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
    org.fake.rest('GET', 'loopback', () => ok);
    const port = new URL(org.fake.url).port;
    const localhost = { accessToken: session.accessToken, instanceUrl: `http://localhost:${port}` };
    expect(await client().request({ path: 'loopback', session: localhost })).toEqual(ok.body);
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
    org.fake.rest('GET', 'dispatched', () => ok);
    const requester = client({ dispatcher: counting });
    await requester.request({ path: 'dispatched' });
    await requester.close();
    expect(dispatched).toBe(1);
    expect(agent.closed).toBe(false);
    await agent.close();
  });
});
