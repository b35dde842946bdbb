import { describe, expect, it } from 'vitest';
import { reconnectDelayMs } from './backoff.js';

const policy = { initialMs: 1_000, maxMs: 60_000 };

describe('reconnectDelayMs', () => {
  it('doubles the ceiling with each attempt', () => {
    const top = (attempt: number) => reconnectDelayMs(attempt, policy, () => 1);
    expect([0, 1, 2, 3, 4].map(top)).toEqual([1_000, 2_000, 4_000, 8_000, 16_000]);
  });

  it('jitters within the upper half of the ceiling', () => {
    expect(reconnectDelayMs(2, policy, () => 0)).toBe(2_000);
    expect(reconnectDelayMs(2, policy, () => 0.5)).toBe(3_000);
    for (let i = 0; i < 200; i++) {
      const delay = reconnectDelayMs(3, policy);
      expect(delay).toBeGreaterThanOrEqual(4_000);
      expect(delay).toBeLessThanOrEqual(8_000);
    }
  });

  it('stops growing at maxMs, even for absurd attempt numbers', () => {
    expect(reconnectDelayMs(10, policy, () => 1)).toBe(60_000);
    expect(reconnectDelayMs(5_000, policy, () => 1)).toBe(60_000);
  });

  it('treats a negative attempt as the first', () => {
    expect(reconnectDelayMs(-3, policy, () => 1)).toBe(1_000);
  });
});
