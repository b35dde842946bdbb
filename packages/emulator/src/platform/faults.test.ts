import { describe, expect, it } from 'vitest';
import { FaultInjector } from './faults.js';

describe('FaultInjector', () => {
  it('decides nothing when no fault is installed', () => {
    const faults = new FaultInjector();
    expect(faults.evaluate('GET', '/services/data/v62.0/limits')).toEqual({
      latencyMs: 0,
      expireSessions: false,
      outcome: undefined,
    });
  });

  it('matches method and glob path, ignoring a trailing slash and case', () => {
    const faults = new FaultInjector();
    faults.error({ method: 'POST', path: '/services/data/*/sobjects/account', status: 500 });
    expect(faults.evaluate('GET', '/services/data/v62.0/sobjects/Account').outcome).toBeUndefined();
    expect(faults.evaluate('POST', '/services/data/v62.0/sobjects/Account/').outcome?.kind).toBe('error');
    expect(faults.evaluate('POST', '/services/data/v62.0/sobjects/Account/001').outcome).toBeUndefined();
  });

  it('lets ** cross segments and * stay within one', () => {
    const faults = new FaultInjector();
    faults.error({ path: '/services/**/query', status: 500 });
    faults.error({ path: '/a/*/c', status: 501 });
    expect(faults.evaluate('GET', '/services/data/v62.0/query').outcome).toMatchObject({ status: 500 });
    expect(faults.evaluate('GET', '/a/b/c').outcome).toMatchObject({ status: 501 });
    expect(faults.evaluate('GET', '/a/b/x/c').outcome).toBeUndefined();
  });

  it('sums latencies and still lets an error fire', () => {
    const faults = new FaultInjector();
    faults.latency(10);
    faults.latency(15, { path: '/x' });
    faults.error({ path: '/x', status: 503 });
    const decision = faults.evaluate('GET', '/x');
    expect(decision.latencyMs).toBe(25);
    expect(decision.outcome).toMatchObject({ kind: 'error', status: 503 });
  });

  it('fires only the first error or drop, without using up the later ones', () => {
    const faults = new FaultInjector();
    faults.error({ status: 500, times: 1 });
    const second = faults.dropConnection({ times: 1 });
    expect(faults.evaluate('GET', '/x').outcome?.kind).toBe('error');
    expect(second.hits).toBe(0);
    expect(faults.evaluate('GET', '/x').outcome).toEqual({ kind: 'drop', when: 'before-response' });
    expect(faults.evaluate('GET', '/x').outcome).toBeUndefined();
  });

  it('counts down times and removes the fault after its last hit', () => {
    const faults = new FaultInjector();
    const handle = faults.error({ status: 500, times: 2 });
    faults.evaluate('GET', '/x');
    expect(faults.list()[0]?.remaining).toBe(1);
    faults.evaluate('GET', '/x');
    expect(handle.active).toBe(false);
    expect(faults.list()).toEqual([]);
  });

  it('draws the same fraction for the same seed', () => {
    const draw = (seed: number) => {
      const faults = new FaultInjector(seed);
      faults.error({ status: 500, probability: 0.3 });
      return Array.from({ length: 50 }, () => faults.evaluate('GET', '/x').outcome !== undefined);
    };
    const first = draw(9);
    expect(draw(9)).toEqual(first);
    expect(draw(10)).not.toEqual(first);
    const fired = first.filter(Boolean).length;
    expect(fired).toBeGreaterThan(5);
    expect(fired).toBeLessThan(30);
  });

  it('defaults the error code and message by status', () => {
    const faults = new FaultInjector();
    faults.error({ status: 503, times: 1 });
    faults.error({ status: 500, times: 1 });
    faults.error({ status: 400, errorCode: 'CUSTOM', message: 'custom', fields: ['Name'], times: 1 });
    expect(faults.evaluate('GET', '/').outcome).toMatchObject({
      body: [{ message: 'Server unavailable, please try again later.', errorCode: 'SERVER_UNAVAILABLE' }],
    });
    const unknown = faults.evaluate('GET', '/').outcome as { body: Array<{ errorCode: string }> };
    expect(unknown.body[0]?.errorCode).toBe('UNKNOWN_EXCEPTION');
    expect(faults.evaluate('GET', '/').outcome).toMatchObject({
      body: [{ message: 'custom', errorCode: 'CUSTOM', fields: ['Name'] }],
    });
  });

  it('rejects invalid settings with the field name', () => {
    const faults = new FaultInjector();
    expect(() => faults.error({ status: 42 })).toThrow(/status/);
    expect(() => faults.error({ status: 500, times: 0 })).toThrow(/times/);
    expect(() => faults.latency(5, { probability: 2 })).toThrow(/probability/);
    expect(() => faults.latency(-1)).toThrow(/ms/);
    expect(() => faults.latency(1, { path: 'no-slash' })).toThrow(/path glob/);
  });
});
