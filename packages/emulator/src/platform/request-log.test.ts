import { describe, expect, it } from 'vitest';
import { RequestLog } from './request-log.js';

const entry = (n: number) => ({
  method: 'GET',
  path: `/p/${n}`,
  query: '',
  status: 200,
  userId: undefined,
  at: n,
});

describe('RequestLog', () => {
  it('keeps the most recent entries up to its capacity, oldest first', () => {
    const log = new RequestLog(3);
    for (let i = 1; i <= 10; i++) log.record(entry(i));
    expect(log.entries().map((e) => e.at)).toEqual([8, 9, 10]);
  });

  it('filters by method (any case) and by exact path or RegExp', () => {
    const log = new RequestLog();
    log.record(entry(1));
    log.record({ ...entry(2), method: 'POST' });
    expect(log.entries({ method: 'post' }).map((e) => e.at)).toEqual([2]);
    expect(log.entries({ path: '/p/1' }).map((e) => e.at)).toEqual([1]);
    expect(log.entries({ path: /^\/p\// })).toHaveLength(2);
  });
});
