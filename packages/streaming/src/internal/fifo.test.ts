import { describe, expect, it } from 'vitest';
import { Fifo } from './fifo.js';

describe('Fifo', () => {
  it('hands items out in the order they went in', () => {
    const fifo = new Fifo<number>();
    for (let i = 0; i < 5_000; i++) fifo.push(i);
    const out: number[] = [];
    for (let i = 0; i < 2_500; i++) out.push(fifo.shift() as number);
    for (let i = 5_000; i < 6_000; i++) fifo.push(i);
    expect(fifo.length).toBe(3_500);
    while (fifo.length > 0) out.push(fifo.shift() as number);
    expect(out).toEqual(Array.from({ length: 6_000 }, (_, i) => i));
    expect(fifo.shift()).toBeUndefined();
  });

  it('empties on clear', () => {
    const fifo = new Fifo<string>();
    fifo.push('a');
    fifo.clear();
    expect(fifo.length).toBe(0);
    expect(fifo.shift()).toBeUndefined();
  });
});
