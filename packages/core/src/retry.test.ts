import { describe, expect, it } from 'vitest';
import { backoffMs, parseRetryAfter, type RetryFailure, shouldRetry } from './retry.js';

const status = (code: number, errorCode?: string, message?: string): RetryFailure => ({
  kind: 'status',
  status: code,
  errorCode,
  message,
});
const reset: RetryFailure = { kind: 'network', connected: true };
const refused: RetryFailure = { kind: 'network', connected: false };

const retries = (
  method: string,
  failure: RetryFailure,
  extra: { idempotent?: boolean; attempt?: number } = {},
) =>
  shouldRetry({ method, failure, attempt: extra.attempt ?? 0, maxRetries: 2, idempotent: extra.idempotent });

describe('shouldRetry: the retry table', () => {
  const transient: [string, RetryFailure][] = [
    ['500 UNKNOWN_EXCEPTION', status(500, 'UNKNOWN_EXCEPTION')],
    ['502 from the edge', status(502)],
    ['503 SERVER_UNAVAILABLE', status(503, 'SERVER_UNAVAILABLE')],
    ['504', status(504)],
    ['429', status(429)],
    [
      '400 UNABLE_TO_LOCK_ROW',
      status(400, 'UNABLE_TO_LOCK_ROW', 'unable to obtain exclusive access to this record'),
    ],
    [
      '403 concurrent request limit',
      status(403, 'REQUEST_LIMIT_EXCEEDED', 'ConcurrentRequests (Concurrent API Requests) Limit exceeded.'),
    ],
    ['a connection reset', reset],
    ['a refused connection', refused],
  ];

  for (const method of ['GET', 'HEAD', 'PUT', 'PATCH', 'DELETE']) {
    for (const [name, failure] of transient) {
      it(`retries ${method} after ${name}`, () => {
        expect(retries(method, failure)).toBe(true);
      });
    }
  }

  it('retries a POST marked idempotent (an upsert, a query by POST) like a GET', () => {
    for (const [, failure] of transient) expect(retries('POST', failure, { idempotent: true })).toBe(true);
  });

  it('never retries a POST that may have reached the server', () => {
    for (const [name, failure] of transient) {
      if (name === 'a refused connection') continue;
      expect(retries('POST', failure), name).toBe(false);
    }
  });

  it('retries a POST whose connection failed before anything was sent', () => {
    expect(retries('POST', refused)).toBe(true);
  });

  it('never retries the daily request limit, whatever the method', () => {
    const daily = status(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
    for (const method of ['GET', 'PATCH', 'POST'])
      expect(retries(method, daily, { idempotent: true })).toBe(false);
  });

  it('never retries client errors, 501 or an idempotent: false GET', () => {
    for (const failure of [
      status(400, 'MALFORMED_QUERY'),
      status(401, 'INVALID_SESSION_ID'),
      status(403, 'INSUFFICIENT_ACCESS'),
      status(404, 'NOT_FOUND'),
      status(501),
    ]) {
      expect(retries('GET', failure)).toBe(false);
    }
    expect(retries('GET', status(503), { idempotent: false })).toBe(false);
  });

  it('stops once maxRetries retries were made', () => {
    expect(retries('GET', status(503), { attempt: 1 })).toBe(true);
    expect(retries('GET', status(503), { attempt: 2 })).toBe(false);
    expect(shouldRetry({ method: 'GET', failure: status(503), attempt: 0, maxRetries: 0 })).toBe(false);
  });
});

describe('backoffMs', () => {
  it('doubles from 500 ms and caps at 8 s', () => {
    const noJitter = () => 0;
    expect([0, 1, 2, 3, 4, 5, 9].map((attempt) => backoffMs(attempt, noJitter))).toEqual([
      500, 1000, 2000, 4000, 8000, 8000, 8000,
    ]);
  });

  it('shortens each delay by up to a quarter with jitter', () => {
    expect(backoffMs(2, () => 1)).toBe(1500);
    expect(backoffMs(2, () => 0.5)).toBe(1750);
    for (let i = 0; i < 50; i++) {
      const delay = backoffMs(1);
      expect(delay).toBeGreaterThanOrEqual(750);
      expect(delay).toBeLessThanOrEqual(1000);
    }
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');

  it('reads delta-seconds', () => {
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter(' 1.5 ', now)).toBe(1500);
  });

  it('reads an HTTP-date relative to now, never negative', () => {
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:07 GMT', now)).toBe(7000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 23:59:00 GMT', now)).toBe(0);
  });

  it('ignores a missing or unreadable header', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
  });
});
