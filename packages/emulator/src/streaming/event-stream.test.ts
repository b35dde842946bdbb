import { describe, expect, it } from 'vitest';
import { EventStream } from './event-stream.js';

function stream(retentionMs = 1_000, max = 100): EventStream {
  return new EventStream(
    () => retentionMs,
    () => max,
  );
}

function fill(s: EventStream, count: number, at = 0): void {
  for (let i = 0; i < count; i++) s.append(at, (replayId) => ({ n: replayId }));
}

describe('EventStream', () => {
  it('numbers events 1, 2, 3... and replays them after an id, -2 (all) or -1 (none)', () => {
    const s = stream();
    fill(s, 5);
    expect(s.lastReplayId).toBe(5);
    expect(s.after(2, 0).map((e) => e.replayId)).toEqual([3, 4, 5]);
    expect(s.after(-2, 0).map((e) => e.replayId)).toEqual([1, 2, 3, 4, 5]);
    expect(s.after(-1, 0)).toEqual([]);
  });

  it('accepts -1, -2 and ids from the oldest retained one minus one up to the newest', () => {
    const s = stream(1_000, 3);
    fill(s, 6);
    expect(s.after(-2, 0).map((e) => e.replayId)).toEqual([4, 5, 6]);
    expect([-1, -2, 3, 4, 6].map((id) => s.accepts(id, 0))).toEqual([true, true, true, true, true]);
    expect([2, 7, -3, 1.5, Number.NaN].map((id) => s.accepts(id, 0))).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('drops events older than the retention time', () => {
    const s = stream(1_000);
    s.append(0, () => ({}));
    s.append(500, () => ({}));
    expect(s.after(-2, 1_200).map((e) => e.replayId)).toEqual([2]);
    expect(s.accepts(0, 1_200)).toBe(false);
    expect(s.accepts(1, 1_200)).toBe(true);
  });

  it('with nothing retained accepts only the newest id, and ids keep increasing after everything expired', () => {
    const s = stream(1_000);
    expect(s.accepts(0, 0)).toBe(true);
    expect(s.accepts(1, 0)).toBe(false);
    fill(s, 2);
    s.prune(5_000);
    expect(s.size).toBe(0);
    expect(s.accepts(2, 5_000)).toBe(true);
    expect(s.accepts(1, 5_000)).toBe(false);
    s.append(5_000, () => ({}));
    expect(s.lastReplayId).toBe(3);
  });

  it('renders an event once, on first read', () => {
    const s = stream();
    let renders = 0;
    const event = s.append(0, (replayId) => {
      renders++;
      return { replayId };
    });
    expect(renders).toBe(0);
    expect(event.data).toEqual({ replayId: 1 });
    expect(event.data).toBe(event.data);
    expect(renders).toBe(1);
  });

  it('keeps only the newest events under the count cap across many appends', () => {
    const s = stream(1_000_000, 10);
    fill(s, 5_000);
    expect(s.size).toBe(10);
    expect(s.after(-2, 0).map((e) => e.replayId)).toEqual(Array.from({ length: 10 }, (_, i) => 4_991 + i));
  });
});
