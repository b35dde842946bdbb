import type { StoredValue } from '../schema/types.js';
import type { ValueKind } from './schema-index.js';

/**
 * ORDER BY as Salesforce sorts: text case-insensitively, nulls first when ascending and last when
 * descending unless NULLS FIRST/LAST says otherwise, ties in the order the rows came. Sort keys are
 * extracted once per row, then an index array is sorted, so a million rows sort without re-reading
 * fields in the comparator.
 */
export type SortKey = string | number | null;

export interface SortSpec<R> {
  readonly key: (row: R) => SortKey;
  readonly descending: boolean;
  readonly nullsFirst: boolean;
}

/** The sort key of a stored value of a kind: lower-cased text, numbers, booleans as 0/1. */
export function sortKeyOf(kind: ValueKind): (value: StoredValue) => SortKey {
  switch (kind) {
    case 'text':
    case 'multipicklist':
      return (value) =>
        typeof value === 'string' ? value.toLowerCase() : value === null ? null : String(value);
    case 'boolean':
      return (value) => (value === null ? null : value === true ? 1 : 0);
    case 'number':
      return (value) => (typeof value === 'number' ? value : null);
    default:
      return (value) => (typeof value === 'string' ? value : typeof value === 'number' ? value : null);
  }
}

export function sortSpec<R>(key: (row: R) => SortKey, order?: string, nulls?: string): SortSpec<R> {
  const descending = order?.toUpperCase() === 'DESC';
  const explicit = nulls?.toUpperCase();
  return { key, descending, nullsFirst: explicit === undefined ? !descending : explicit === 'FIRST' };
}

function compareKeys(a: SortKey, b: SortKey, descending: boolean, nullsFirst: boolean): number {
  if (a === b) return 0;
  if (a === null) return nullsFirst ? -1 : 1;
  if (b === null) return nullsFirst ? 1 : -1;
  const c = a < b ? -1 : a > b ? 1 : 0;
  return descending ? -c : c;
}

/** The common case, one key: a comparator without per-comparison branching on options or nulls. */
function singleKeyComparator(
  column: SortKey[],
  descending: boolean,
  nullsFirst: boolean,
): (a: number, b: number) => number {
  if (column.includes(null)) {
    return (a, b) => compareKeys(column[a] as SortKey, column[b] as SortKey, descending, nullsFirst);
  }
  const keys = column as (string | number)[];
  if (descending) {
    return (a, b) => {
      const x = keys[a] as string | number;
      const y = keys[b] as string | number;
      return x < y ? 1 : x > y ? -1 : 0;
    };
  }
  return (a, b) => {
    const x = keys[a] as string | number;
    const y = keys[b] as string | number;
    return x < y ? -1 : x > y ? 1 : 0;
  };
}

/**
 * A new array of the rows in order; the input is not modified. With `take`, only the first `take`
 * rows of that order are returned, and when that is a small part of the input they are selected
 * without sorting everything (`ORDER BY CreatedDate DESC LIMIT 10` over a million rows).
 */
export function sortRows<R>(rows: readonly R[], specs: readonly SortSpec<R>[], take?: number): R[] {
  if (specs.length === 0) return rows.slice(0, take);
  if (take !== undefined && take * 8 < rows.length) return topRows(rows, specs, take);
  const n = rows.length;
  const keys = specs.map((spec) => {
    const column = new Array<SortKey>(n);
    for (let i = 0; i < n; i++) column[i] = spec.key(rows[i] as R);
    return column;
  });
  const order = new Array<number>(n);
  for (let i = 0; i < n; i++) order[i] = i;
  if (specs.length === 1) {
    const [column] = keys as [SortKey[]];
    const { descending, nullsFirst } = specs[0] as SortSpec<R>;
    order.sort(singleKeyComparator(column, descending, nullsFirst));
  } else {
    // Array.prototype.sort is stable: rows that tie on every key keep their input order.
    order.sort((a, b) => {
      for (let s = 0; s < specs.length; s++) {
        const spec = specs[s] as SortSpec<R>;
        const column = keys[s] as SortKey[];
        const c = compareKeys(column[a] as SortKey, column[b] as SortKey, spec.descending, spec.nullsFirst);
        if (c !== 0) return c;
      }
      return 0;
    });
  }
  const count = take === undefined ? n : Math.min(take, n);
  const sorted = new Array<R>(count);
  for (let i = 0; i < count; i++) sorted[i] = rows[order[i] as number] as R;
  return sorted;
}

/**
 * The first `take` rows in order, kept in a small sorted buffer: a row enters only when it sorts
 * before the buffer's last row, at the position after its equals, so ties keep input order.
 */
function topRows<R>(rows: readonly R[], specs: readonly SortSpec<R>[], take: number): R[] {
  if (take <= 0) return [];
  // One key per row, compared as a one-element list when there is a single ORDER BY field.
  const single = specs.length === 1 ? (specs[0] as SortSpec<R>) : undefined;
  const keyOf = (row: R): SortKey | SortKey[] =>
    single === undefined ? specs.map((spec) => spec.key(row)) : single.key(row);
  const compare = (a: SortKey | SortKey[], b: SortKey | SortKey[]): number => {
    if (single !== undefined)
      return compareKeys(a as SortKey, b as SortKey, single.descending, single.nullsFirst);
    for (let s = 0; s < specs.length; s++) {
      const spec = specs[s] as SortSpec<R>;
      const c = compareKeys(
        (a as SortKey[])[s] as SortKey,
        (b as SortKey[])[s] as SortKey,
        spec.descending,
        spec.nullsFirst,
      );
      if (c !== 0) return c;
    }
    return 0;
  };
  const keys: (SortKey | SortKey[])[] = [];
  const kept: R[] = [];
  for (const row of rows) {
    const key = keyOf(row);
    if (kept.length === take && compare(key, keys[take - 1] as SortKey | SortKey[]) >= 0) continue;
    let lo = 0;
    let hi = kept.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compare(keys[mid] as SortKey | SortKey[], key) <= 0) lo = mid + 1;
      else hi = mid;
    }
    keys.splice(lo, 0, key);
    kept.splice(lo, 0, row);
    if (kept.length > take) {
      keys.pop();
      kept.pop();
    }
  }
  return kept;
}
