import { AbortError } from '@forcekit/core';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_POLL_INTERVAL,
  DEFAULT_POLL_TIMEOUT,
  delayWithin,
  pause,
  pollDelay,
  pollPolicy,
} from './poll.js';

describe('polling policy', () => {
  it('defaults to 1 s growing by half each poll up to 10 s, for 30 minutes', () => {
    const policy = pollPolicy();
    expect(policy).toEqual({
      interval: DEFAULT_POLL_INTERVAL,
      maxInterval: 10_000,
      timeout: DEFAULT_POLL_TIMEOUT,
    });
    expect([0, 1, 2, 3, 10].map((attempt) => pollDelay(policy, attempt))).toEqual([
      1000, 1500, 2250, 3375, 10_000,
    ]);
  });

  it('caps the delay at ten times a short interval unless told otherwise', () => {
    expect(pollPolicy({ pollInterval: 20 }).maxInterval).toBe(200);
    expect(pollPolicy({ pollInterval: 20, maxPollInterval: 50 }).maxInterval).toBe(50);
    expect(pollPolicy({ pollInterval: 500, maxPollInterval: 100 }).maxInterval).toBe(500);
  });

  it('never sleeps past the deadline and reports when it has passed', () => {
    const policy = pollPolicy({ pollInterval: 1000, pollTimeout: 2500 });
    expect(delayWithin(policy, 0, 0, 0)).toBe(1000);
    expect(delayWithin(policy, 3, 0, 2000)).toBe(500);
    expect(delayWithin(policy, 3, 0, 2500)).toBeUndefined();
  });

  it('turns an abort during a pause into core AbortError naming what was awaited', async () => {
    const controller = new AbortController();
    const sleeping = pause(60_000, controller.signal, {
      method: 'GET',
      path: '/services/data/v62.0/jobs/ingest/750x',
    });
    controller.abort(new Error('stop'));
    const error = await sleeping.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AbortError);
    expect((error as AbortError).path).toBe('/services/data/v62.0/jobs/ingest/750x');
    await expect(pause(1, controller.signal, { method: 'GET', path: '/x' })).rejects.toBeInstanceOf(
      AbortError,
    );
  });
});
