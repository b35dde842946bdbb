import { describe, expect, it } from 'vitest';
import { REPLAY_ALL, REPLAY_NEW, ReplayCursor } from './replay-cursor.js';

describe('ReplayCursor', () => {
  it('starts from the requested -1 or -2 when nothing is stored', () => {
    expect(new ReplayCursor(REPLAY_NEW, undefined).resumePoint()).toBe(-1);
    expect(new ReplayCursor(REPLAY_ALL, undefined).resumePoint()).toBe(-2);
  });

  it('resumes after the stored id rather than the requested start', () => {
    expect(new ReplayCursor(REPLAY_ALL, 41).resumePoint()).toBe(41);
  });

  it('resumes after an explicit id when nothing is stored', () => {
    expect(new ReplayCursor(17, undefined).resumePoint()).toBe(17);
  });

  it('moves the resume point to the highest accepted id', () => {
    const cursor = new ReplayCursor(REPLAY_NEW, undefined);
    expect(cursor.accept(5)).toBe(true);
    expect(cursor.accept(6)).toBe(true);
    expect(cursor.resumePoint()).toBe(6);
    expect(cursor.highest).toBe(6);
  });

  it('drops ids at or below the highest accepted: what a resumed subscription resends', () => {
    const cursor = new ReplayCursor(REPLAY_NEW, undefined);
    for (const id of [1, 2, 3]) cursor.accept(id);
    expect([2, 3, 4, 3, 5].map((id) => cursor.accept(id))).toEqual([false, false, true, false, true]);
  });

  it('drops ids at or below the stored id before any event arrived', () => {
    const cursor = new ReplayCursor(REPLAY_NEW, 10);
    expect(cursor.accept(10)).toBe(false);
    expect(cursor.accept(9)).toBe(false);
    expect(cursor.accept(11)).toBe(true);
  });

  it('accepts events without a replay id and keeps its position', () => {
    const cursor = new ReplayCursor(REPLAY_NEW, 3);
    expect(cursor.accept(undefined)).toBe(true);
    expect(cursor.resumePoint()).toBe(3);
  });

  it('drops everything while paused and resumes after the last accepted id', () => {
    const cursor = new ReplayCursor(REPLAY_NEW, undefined);
    cursor.accept(1);
    cursor.pause();
    expect(cursor.paused).toBe(true);
    expect(cursor.accept(2)).toBe(false);
    expect(cursor.resumePoint()).toBe(1);
    cursor.resume();
    expect(cursor.accept(2)).toBe(true);
  });

  describe('when the server refuses the replay id', () => {
    it("falls back to -2 under 'all' and stops filtering by a stored id from elsewhere", () => {
      const cursor = new ReplayCursor(REPLAY_NEW, 9_000_000);
      expect(cursor.invalidReplay(9_000_000, 'all')).toBe(REPLAY_ALL);
      expect(cursor.resumePoint()).toBe(REPLAY_ALL);
      // A refreshed sandbox numbers from 1 again: those events are new to this consumer.
      expect(cursor.accept(1)).toBe(true);
      expect(cursor.resumePoint()).toBe(1);
    });

    it("falls back to -1 under 'new'", () => {
      const cursor = new ReplayCursor(REPLAY_NEW, 50);
      expect(cursor.invalidReplay(50, 'new')).toBe(REPLAY_NEW);
      expect(cursor.resumePoint()).toBe(REPLAY_NEW);
    });

    it("gives up under 'error'", () => {
      expect(new ReplayCursor(REPLAY_NEW, 50).invalidReplay(50, 'error')).toBeUndefined();
    });

    it('gives up when -1 or -2 themselves are refused, rather than loop', () => {
      expect(new ReplayCursor(REPLAY_ALL, undefined).invalidReplay(REPLAY_ALL, 'all')).toBeUndefined();
      expect(new ReplayCursor(REPLAY_NEW, undefined).invalidReplay(REPLAY_NEW, 'new')).toBeUndefined();
    });

    it('keeps filtering by ids seen in this process after falling back', () => {
      const cursor = new ReplayCursor(REPLAY_NEW, undefined);
      for (const id of [100, 101, 102]) cursor.accept(id);
      // The outage outlasted retention: 102 is refused, -2 resends what is left, some of it seen.
      expect(cursor.invalidReplay(102, 'all')).toBe(REPLAY_ALL);
      expect(cursor.resumePoint()).toBe(REPLAY_ALL);
      expect([101, 102, 103].map((id) => cursor.accept(id))).toEqual([false, false, true]);
      expect(cursor.resumePoint()).toBe(103);
    });

    it('keeps the fallback for later re-subscriptions until an event arrives', () => {
      const cursor = new ReplayCursor(REPLAY_NEW, 7);
      cursor.invalidReplay(7, 'all');
      expect(cursor.resumePoint()).toBe(REPLAY_ALL);
      expect(cursor.resumePoint()).toBe(REPLAY_ALL);
    });
  });

  describe('a -1 subscription made again before its first event', () => {
    it('needs an anchor only while it has no replay id of any kind', () => {
      expect(new ReplayCursor(REPLAY_NEW, undefined).needsAnchor()).toBe(true);
      expect(new ReplayCursor(REPLAY_ALL, undefined).needsAnchor()).toBe(false);
      expect(new ReplayCursor(REPLAY_NEW, 4).needsAnchor()).toBe(false);
      const seen = new ReplayCursor(REPLAY_NEW, undefined);
      seen.accept(1);
      expect(seen.needsAnchor()).toBe(false);
    });

    it('resumes with -2 and drops events created before the second it first subscribed in', () => {
      const cursor = new ReplayCursor(REPLAY_NEW, undefined);
      const subscribedAt = Date.parse('2024-05-01T10:00:05.600Z');
      cursor.anchor(subscribedAt);
      expect(cursor.needsAnchor()).toBe(false);
      expect(cursor.resumePoint()).toBe(REPLAY_ALL);
      expect(cursor.accept(1, Date.parse('2024-05-01T10:00:04.999Z'))).toBe(false);
      // Platform event times have second resolution: 10:00:05 may be 10:00:05.999.
      expect(cursor.accept(2, Date.parse('2024-05-01T10:00:05.000Z'))).toBe(true);
      expect(cursor.resumePoint()).toBe(2);
      // Once an event is in, ids alone decide.
      expect(cursor.accept(3, Date.parse('2024-05-01T09:00:00.000Z'))).toBe(true);
    });
  });
});
