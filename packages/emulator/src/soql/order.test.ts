import { describe, expect, it } from 'vitest';
import { type SortKey, sortRows, sortSpec } from './order.js';

interface Row {
  readonly id: number;
  readonly a: SortKey;
  readonly b: SortKey;
}

/** Rows with many ties and nulls, from a fixed seed. */
function rows(n: number): Row[] {
  let seed = 7;
  const next = (): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  return Array.from({ length: n }, (_, id) => ({
    id,
    a: next() < 0.1 ? null : Math.floor(next() * 20),
    b: next() < 0.1 ? null : (['x', 'y', 'z'][Math.floor(next() * 3)] ?? null),
  }));
}

describe('sortRows', () => {
  const input = rows(5000);

  it.each([
    ['ASC', undefined, 'DESC', undefined],
    ['DESC', undefined, 'ASC', 'LAST'],
    ['ASC', 'LAST', 'DESC', 'FIRST'],
  ])(
    'selects the first rows of a large input exactly as a full sort does (a %s NULLS %s, b %s NULLS %s)',
    (orderA, nullsA, orderB, nullsB) => {
      const specs = [
        sortSpec<Row>((row) => row.a, orderA, nullsA),
        sortSpec<Row>((row) => row.b, orderB, nullsB),
      ];
      const full = sortRows(input, specs).map((row) => row.id);
      for (const take of [1, 10, 200]) {
        expect(sortRows(input, specs, take).map((row) => row.id)).toEqual(full.slice(0, take));
      }
    },
  );

  it('keeps tied rows in input order and leaves the input untouched', () => {
    const tied = [
      { id: 0, a: 1, b: null },
      { id: 1, a: 0, b: null },
      { id: 2, a: 1, b: null },
      { id: 3, a: 0, b: null },
    ];
    const specs = [sortSpec<Row>((row) => row.a)];
    expect(sortRows(tied, specs).map((row) => row.id)).toEqual([1, 3, 0, 2]);
    expect(sortRows(tied, [sortSpec<Row>((row) => row.a, 'DESC')]).map((row) => row.id)).toEqual([
      0, 2, 1, 3,
    ]);
    expect(tied.map((row) => row.id)).toEqual([0, 1, 2, 3]);
  });

  it('returns nothing for take 0 and copies the rows when there is no sort', () => {
    expect(sortRows(input, [sortSpec<Row>((row) => row.a)], 0)).toEqual([]);
    expect(sortRows(input, [], 3).map((row) => row.id)).toEqual([0, 1, 2]);
  });
});
