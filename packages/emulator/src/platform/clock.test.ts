import { describe, expect, it } from 'vitest';
import { Clock } from './clock.js';

describe('Clock', () => {
  it('starts at the given time and runs from there', () => {
    const clock = new Clock({ start: '2024-01-15T09:00:00Z' });
    const start = Date.parse('2024-01-15T09:00:00Z');
    expect(clock.now()).toBeGreaterThanOrEqual(start);
    expect(clock.now()).toBeLessThan(start + 60_000);
    expect(clock.frozen).toBe(false);
  });

  it('stays put while frozen, moves with advance() and set(), and runs again from there on resume()', () => {
    const clock = new Clock({ start: new Date('2024-01-15T09:00:00Z'), frozen: true });
    const start = Date.parse('2024-01-15T09:00:00Z');
    expect(clock.now()).toBe(start);
    clock.advance(1_000);
    expect(clock.now()).toBe(start + 1_000);
    clock.set('2024-02-01T00:00:00Z');
    expect(clock.now()).toBe(Date.parse('2024-02-01T00:00:00Z'));
    clock.resume();
    expect(clock.frozen).toBe(false);
    expect(clock.now()).toBeGreaterThanOrEqual(Date.parse('2024-02-01T00:00:00Z'));
    expect(clock.now()).toBeLessThan(Date.parse('2024-02-01T00:01:00Z'));
    clock.freeze();
    const stopped = clock.now();
    expect(clock.now()).toBe(stopped);
  });

  it('never goes back, and refuses what is not a time', () => {
    const clock = new Clock({ start: 0, frozen: true });
    clock.advance(10);
    expect(() => clock.set(5)).toThrow(/only moves forward/);
    expect(() => clock.advance(-1)).toThrow(RangeError);
    expect(() => new Clock({ start: 'soon' })).toThrow(/clock\.start: not a time: soon/);
  });
});
