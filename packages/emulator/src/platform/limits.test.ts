import { describe, expect, it } from 'vitest';
import { ApiLimits, dataStorageLimit } from './limits.js';

function clock(start = 0) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('ApiLimits', () => {
  it('counts admitted requests and renders Sforce-Limit-Info', () => {
    const limits = new ApiLimits(clock().now, { dailyApiRequests: 3 });
    limits.admit();
    limits.admit();
    expect(limits.header()).toBe('api-usage=2/3');
  });

  it('refuses past the daily quota without counting the refusal', () => {
    const limits = new ApiLimits(clock().now, { dailyApiRequests: 1 });
    expect(limits.admit().kind).toBe('admitted');
    expect(limits.admit().kind).toBe('daily-limit');
    expect(limits.used).toBe(1);
  });

  it('counts only requests running at least longRunningMs toward the concurrent limit', () => {
    const time = clock();
    const limits = new ApiLimits(time.now, { concurrentRequests: 1, longRunningMs: 1000 });
    const first = limits.admit();
    expect(limits.admit().kind).toBe('admitted');
    time.advance(1000);
    expect(limits.admit().kind).toBe('concurrent-limit');
    if (first.kind === 'admitted') first.release();
    expect(limits.inFlight).toBe(1);
  });

  it('starts a new day after 24 hours', () => {
    const time = clock();
    const limits = new ApiLimits(time.now, { dailyApiRequests: 1 });
    limits.admit();
    time.advance(24 * 60 * 60 * 1000);
    expect(limits.used).toBe(0);
    expect(limits.admit().kind).toBe('admitted');
  });

  it('builds the /limits document sorted by name with live, registered and pinned entries', () => {
    const limits = new ApiLimits(clock().now, { dailyApiRequests: 100 });
    limits.admit();
    limits.register('DataStorageMB', () => ({ Max: 5, Remaining: 4 }));
    limits.set('SingleEmail', { Max: 15, Remaining: 0 });
    const snapshot = limits.snapshot();
    expect(snapshot.DailyApiRequests).toEqual({ Max: 100, Remaining: 99 });
    expect(snapshot.DataStorageMB).toEqual({ Max: 5, Remaining: 4 });
    expect(snapshot.SingleEmail).toEqual({ Max: 15, Remaining: 0 });
    expect(Object.keys(snapshot)).toEqual(Object.keys(snapshot).sort());
    limits.set('SingleEmail', undefined);
    expect(limits.snapshot().SingleEmail).toEqual({ Max: 15, Remaining: 15 });
  });

  it('rejects negative or fractional settings, naming them', () => {
    expect(() => new ApiLimits(clock().now, { dailyApiRequests: -1 })).toThrow(/dailyApiRequests/);
    const limits = new ApiLimits(clock().now);
    expect(() => limits.configure({ concurrentRequests: 1.5 })).toThrow(/concurrentRequests/);
    expect(() => limits.setUsed(-3)).toThrow(/used/);
  });

  it('goes back to its starting limits on reset', () => {
    const limits = new ApiLimits(clock().now, { dailyApiRequests: 10 });
    limits.configure({ dailyApiRequests: 1 });
    limits.setUsed(1);
    limits.reset();
    expect(limits.dailyApiRequests).toBe(10);
    expect(limits.used).toBe(0);
  });
});

describe('dataStorageLimit', () => {
  it('bills 2 KB a record against 5 MB, never below zero remaining', () => {
    expect(dataStorageLimit(0)).toEqual({ Max: 5, Remaining: 5 });
    expect(dataStorageLimit(512)).toEqual({ Max: 5, Remaining: 4 });
    expect(dataStorageLimit(513)).toEqual({ Max: 5, Remaining: 3 });
    expect(dataStorageLimit(1_000_000)).toEqual({ Max: 5, Remaining: 0 });
  });
});
