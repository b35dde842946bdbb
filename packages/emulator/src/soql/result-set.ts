import type { StoredRecord, StoredValue } from '../schema/types.js';

/**
 * What a query evaluates to, once: the matched rows in their final order. Paging only slices and
 * renders, so page 500 of a million-row result costs what page 1 costs.
 */
export interface QueryResultSet {
  /** Rows in the result; for `SELECT COUNT()`, the count. */
  readonly totalSize: number;
  /** Rows available for paging (0 for `SELECT COUNT()`). */
  readonly size: number;
  /**
   * Selected paths in SELECT order (`Id`, `Owner.Name`, `expr0`), for flat renderings such as CSV.
   * Child subqueries have no column (Bulk API queries cannot contain them).
   */
  readonly columns: readonly string[];
  /** REST JSON records `[start, end)`, `attributes` first. */
  page(start: number, end: number, ctx: RenderContext): Record<string, unknown>[];
  /** Flat wire values `[start, end)` in `columns` order. */
  rows(start: number, end: number): unknown[][];
}

export interface RenderContext {
  /** For a child subquery result bigger than one child page: registers the rest and returns its nextRecordsUrl. */
  childLocator(rest: QueryResultSet, nextOffset: number): string;
}

/** A selected column for flat rows: its path and how to read it from a row. */
export interface Column<R> {
  readonly name: string;
  readonly get: (row: R) => StoredValue;
}

/** Rows of any kind with a renderer: records, aggregate groups. */
export class RowResultSet<R> implements QueryResultSet {
  readonly totalSize: number;
  readonly size: number;
  readonly columns: readonly string[];
  readonly #rows: readonly R[];
  readonly #render: (row: R, ctx: RenderContext) => Record<string, unknown>;
  readonly #columns: readonly Column<R>[];

  constructor(
    rows: readonly R[],
    render: (row: R, ctx: RenderContext) => Record<string, unknown>,
    columns: readonly Column<R>[],
  ) {
    this.#rows = rows;
    this.#render = render;
    this.#columns = columns;
    this.totalSize = rows.length;
    this.size = rows.length;
    this.columns = columns.map((column) => column.name);
  }

  page(start: number, end: number, ctx: RenderContext): Record<string, unknown>[] {
    const out: Record<string, unknown>[] = [];
    const stop = Math.min(end, this.#rows.length);
    for (let i = Math.max(0, start); i < stop; i++) out.push(this.#render(this.#rows[i] as R, ctx));
    return out;
  }

  rows(start: number, end: number): unknown[][] {
    const out: unknown[][] = [];
    const stop = Math.min(end, this.#rows.length);
    const columns = this.#columns;
    for (let i = Math.max(0, start); i < stop; i++) {
      const row = this.#rows[i] as R;
      out.push(columns.map((column) => column.get(row)));
    }
    return out;
  }
}

/** `SELECT COUNT() ...`: a total and no rows. */
export class CountResultSet implements QueryResultSet {
  readonly totalSize: number;
  readonly size = 0;
  readonly columns: readonly string[] = [];

  constructor(count: number) {
    this.totalSize = count;
  }

  page(): Record<string, unknown>[] {
    return [];
  }

  rows(): unknown[][] {
    return [];
  }
}

export type RecordResultSet = RowResultSet<StoredRecord>;
