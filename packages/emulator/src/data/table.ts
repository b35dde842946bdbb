import type { FieldDef } from '../schema/field.js';
import type { StoredRecord, StoredValue } from '../schema/types.js';

/**
 * One object's records: an insertion-ordered array (what the SOQL engine scans) plus an id index, the
 * recycle-bin log for `/deleted`, and lazily built value indexes for unique and external-id fields.
 * Records are immutable: a write replaces the object at its position, so a query result evaluated
 * earlier keeps the values it saw.
 */
export class Table {
  /** Canonical object name. */
  name: string;
  readonly rows: StoredRecord[] = [];
  /** Id -> position, built lazily up to `#indexed` rows (bulk appends do not pay for it until a lookup). */
  readonly #positions = new Map<string, number>();
  #indexed = 0;
  /** Deleted record id -> when it was deleted (ms). */
  readonly deletedAt = new Map<string, number>();
  /** Cascade-deleted record id -> the id whose delete took it along (for undelete). */
  readonly deletedWith = new Map<string, string>();
  /** Per field (lower-case name): normalized value -> ids of live records holding it. */
  readonly #valueIndexes = new Map<string, Map<string, Set<string>>>();
  /**
   * Ids purged (hard-deleted) in the open transaction: gone from every lookup at once, dropped from
   * `rows` by `compact()` when the transaction commits, so a bulk job purging thousands of rows
   * rewrites the array once, not once per row, and a rollback only forgets them.
   */
  readonly #purging = new Set<string>();
  autoNumber = 0;

  constructor(name: string) {
    this.name = name;
  }

  get(id18: string): StoredRecord | undefined {
    const position = this.position(id18);
    return position === undefined ? undefined : this.rows[position];
  }

  position(id18: string): number | undefined {
    if (this.#indexed < this.rows.length) this.#catchUp();
    if (this.#purging.size > 0 && this.#purging.has(id18)) return undefined;
    return this.#positions.get(id18);
  }

  #catchUp(): void {
    const rows = this.rows;
    for (let i = this.#indexed; i < rows.length; i++)
      this.#positions.set((rows[i] as StoredRecord).Id as string, i);
    this.#indexed = rows.length;
  }

  append(record: StoredRecord): void {
    this.rows.push(record);
    if (this.#valueIndexes.size > 0) this.#indexAdd(record);
  }

  /** Removes the last row (undo of an append). */
  pop(expectedId: string): void {
    const last = this.rows[this.rows.length - 1];
    if (last === undefined || last.Id !== expectedId) {
      throw new Error(`undo out of order: expected ${expectedId} at the end of ${this.name}`);
    }
    this.rows.pop();
    this.#positions.delete(expectedId);
    if (this.#indexed > this.rows.length) this.#indexed = this.rows.length;
    this.#indexRemove(last);
  }

  /** Purges a row: it is gone from lookups now and from `rows` at `compact()`. Returns it. */
  purge(id18: string): StoredRecord | undefined {
    const record = this.get(id18);
    if (record === undefined) return undefined;
    this.#purging.add(id18);
    this.#indexRemove(record);
    return record;
  }

  /** Undoes `purge` (before `compact`). */
  unpurge(id18: string): void {
    if (!this.#purging.delete(id18)) return;
    const record = this.get(id18);
    if (record !== undefined && this.#valueIndexes.size > 0) this.#indexAdd(record);
  }

  /** Drops the purged rows from `rows` (the same array, rewritten in place). */
  compact(): void {
    if (this.#purging.size === 0) return;
    const rows = this.rows;
    let kept = 0;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] as StoredRecord;
      if (!this.#purging.has(row.Id as string)) rows[kept++] = row;
    }
    rows.length = kept;
    this.#purging.clear();
    // Positions moved: rebuilt lazily on the next lookup.
    this.#positions.clear();
    this.#indexed = 0;
  }

  replace(position: number, record: StoredRecord): StoredRecord {
    const previous = this.rows[position] as StoredRecord;
    this.#indexRemove(previous);
    this.rows[position] = record;
    this.#indexAdd(record);
    return previous;
  }

  /** Ids of live records whose field equals the value, building the field's index on first use. */
  findByValue(field: FieldDef, value: StoredValue): readonly string[] {
    if (value === null) return [];
    const index = this.#index(field);
    const ids = index.get(indexKey(field, value));
    return ids === undefined ? [] : [...ids];
  }

  #index(field: FieldDef): Map<string, Set<string>> {
    const key = field.name.toLowerCase();
    let index = this.#valueIndexes.get(key);
    if (index !== undefined) return index;
    index = new Map();
    this.#valueIndexes.set(key, index);
    const meta = { field, index };
    for (const row of this.rows) addToIndex(meta, row);
    this.#fieldsOf.set(key, field);
    return index;
  }

  readonly #fieldsOf = new Map<string, FieldDef>();

  /** Forgets every value index (after a field definition changed). */
  resetIndexes(): void {
    this.#valueIndexes.clear();
    this.#fieldsOf.clear();
  }

  #indexAdd(record: StoredRecord): void {
    for (const [key, index] of this.#valueIndexes) {
      const field = this.#fieldsOf.get(key) as FieldDef;
      addToIndex({ field, index }, record);
    }
  }

  #indexRemove(record: StoredRecord): void {
    for (const [key, index] of this.#valueIndexes) {
      const field = this.#fieldsOf.get(key) as FieldDef;
      const value = record[field.name];
      if (value === null || value === undefined) continue;
      const k = indexKey(field, value);
      const ids = index.get(k);
      ids?.delete(record.Id as string);
      if (ids?.size === 0) index.delete(k);
    }
  }
}

function addToIndex(meta: { field: FieldDef; index: Map<string, Set<string>> }, record: StoredRecord): void {
  if (record.IsDeleted === true) return;
  const value = record[meta.field.name];
  if (value === null || value === undefined) return;
  const key = indexKey(meta.field, value);
  let ids = meta.index.get(key);
  if (ids === undefined) {
    ids = new Set();
    meta.index.set(key, ids);
  }
  ids.add(record.Id as string);
}

function indexKey(field: FieldDef, value: StoredValue): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return field.caseSensitive || field.type === 'id' || field.type === 'reference' ? text : text.toLowerCase();
}
