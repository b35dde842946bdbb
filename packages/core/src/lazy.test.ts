import { describe, expect, it } from 'vitest';
import { lazy } from './lazy.js';

describe('lazy', () => {
  it('builds nothing until the first call, then builds once and returns the same value', () => {
    let builds = 0;
    const value = lazy(() => {
      builds++;
      return { built: builds };
    });
    expect(builds).toBe(0);
    const first = value();
    expect(value()).toBe(first);
    expect(builds).toBe(1);
  });

  it('keeps a built undefined instead of building again', () => {
    let builds = 0;
    const nothing = lazy(() => {
      builds++;
      return undefined;
    });
    nothing();
    nothing();
    expect(builds).toBe(1);
  });

  it('builds again after a build that threw (nothing was kept)', () => {
    let attempts = 0;
    const flaky = lazy(() => {
      attempts++;
      if (attempts === 1) throw new Error('first build fails');
      return 'ok';
    });
    expect(() => flaky()).toThrow('first build fails');
    expect(flaky()).toBe('ok');
  });
});
