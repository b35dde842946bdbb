import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RowLedger } from './ledger.js';

describe('RowLedger', () => {
  it('matches result rows to uploaded rows whatever their order', () => {
    const ledger = new RowLedger();
    for (const row of ['a,1\n', 'b,2\n', 'c,3\n']) ledger.add(row);
    expect(ledger.claim('c,3\n')).toBe(2);
    expect(ledger.claim('a,1\n')).toBe(0);
    expect(ledger.claim('zz\n')).toBe(-1);
    expect(ledger.unclaimed()).toEqual([1]);
    expect(ledger.claimedCount).toBe(2);
  });

  it('counts duplicates: each identical row is claimed once, in upload order', () => {
    const ledger = new RowLedger();
    for (const row of ['x\n', 'y\n', 'x\n', 'x\n']) ledger.add(row);
    expect([ledger.claim('x\n'), ledger.claim('x\n'), ledger.claim('x\n'), ledger.claim('x\n')]).toEqual([
      0, 2, 3, -1,
    ]);
    expect(ledger.unclaimed()).toEqual([1]);
  });

  it('skips rows claimed by number when claiming by content', () => {
    const ledger = new RowLedger();
    for (const row of ['x\n', 'x\n', 'y\n']) ledger.add(row);
    expect(ledger.claimRow(0)).toBe(true);
    expect(ledger.claimRow(0)).toBe(false);
    expect(ledger.claim('x\n')).toBe(1);
    expect(ledger.claim('x\n')).toBe(-1);
  });

  it('grows past its first allocation', () => {
    const ledger = new RowLedger();
    for (let i = 0; i < 5000; i++) ledger.add(`row ${i}\n`);
    expect(ledger.count).toBe(5000);
    expect(ledger.claim('row 4321\n')).toBe(4321);
  });

  it('refuses rows after claiming began (the sort is done once)', () => {
    const ledger = new RowLedger();
    ledger.add('a');
    ledger.claim('a');
    expect(() => ledger.add('b')).toThrow(/after claims began/);
  });

  it('gives every uploaded row exactly one claim for any shuffled, duplicated result set (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 4 }), { minLength: 1, maxLength: 60 }),
        fc.infiniteStream(fc.nat()),
        (rows, randomness) => {
          const ledger = new RowLedger();
          for (const row of rows) ledger.add(row);
          const order = rows.map((_, i) => i);
          const random = randomness[Symbol.iterator]();
          for (let i = order.length - 1; i > 0; i--) {
            const j = (random.next().value as number) % (i + 1);
            [order[i], order[j]] = [order[j] as number, order[i] as number];
          }
          const seen = new Set<number>();
          for (const i of order) {
            const claimed = ledger.claim(rows[i] as string);
            expect(claimed).toBeGreaterThanOrEqual(0);
            expect(rows[claimed]).toBe(rows[i]);
            expect(seen.has(claimed)).toBe(false);
            seen.add(claimed);
          }
          expect(seen.size).toBe(rows.length);
          expect(ledger.unclaimed()).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });
});
