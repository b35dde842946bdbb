import { ConfigurationError } from '@forcekit/core';

/** What Bulk API uploads write for a null: the field is cleared. (An empty field leaves it alone.) */
export const CSV_NULL = '#N/A';

/** A record to load: field API names to values; relationships by external id as nested objects. */
export type BulkRecord = Readonly<Record<string, unknown>>;

/** How one column reads its value from a record: a plain key, or `Relationship.Field` in two steps. */
interface ColumnReader {
  readonly name: string;
  readonly parent: string | undefined;
  readonly child: string | undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Collects the column set of records in first-seen order: every key, with nested objects (a
 * relationship set by external id, `{ Account: { Ext__c: 'A-1' } }`) giving dotted columns
 * (`Account.Ext__c`). The REST `attributes` member is skipped.
 */
export class ColumnCollector {
  readonly #columns = new Set<string>();

  get columns(): string[] {
    return [...this.#columns];
  }

  get size(): number {
    return this.#columns.size;
  }

  /** Adds the record's columns; returns true when it brought a new one. */
  add(record: BulkRecord): boolean {
    const before = this.#columns.size;
    for (const key of Object.keys(record)) {
      if (key === 'attributes') continue;
      const value = record[key];
      if (isPlainObject(value)) {
        for (const child of Object.keys(value)) {
          if (child !== 'attributes') this.#columns.add(`${key}.${child}`);
        }
      } else if (value !== undefined) {
        this.#columns.add(key);
      }
    }
    return this.#columns.size > before;
  }
}

/** Formats a finite number without exponent notation (Salesforce reads `1e21` as text, not a number). */
export function formatNumber(value: number): string {
  const text = String(value);
  const e = text.indexOf('e');
  if (e < 0) return text;
  // Move the decimal point of the shortest round-trip digits by the exponent.
  const negative = text.startsWith('-');
  const mantissa = text.slice(negative ? 1 : 0, e);
  const exponent = Number(text.slice(e + 1));
  const dot = mantissa.indexOf('.');
  const digits = mantissa.replace('.', '');
  const point = (dot < 0 ? mantissa.length : dot) + exponent;
  let out: string;
  if (point <= 0) out = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
  else out = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return negative ? `-${out}` : out;
}

/**
 * Turns records into CSV fields for a fixed column list, the way Bulk uploads expect values: strings as
 * they are, numbers without exponents, booleans `true`/`false`, `Date`s as ISO 8601 UTC datetimes
 * (`2024-05-01T10:00:00.000Z`; pass a `'2024-05-01'` string for a date field), arrays joined with `;`
 * (multi-select picklists), `null` as `#N/A` (clears the field) and a missing or undefined value as an
 * empty field (leaves it alone). Anything else is a `ConfigurationError` naming the record and field.
 */
export class RecordCells {
  readonly #readers: readonly ColumnReader[];

  constructor(columns: readonly string[]) {
    this.#readers = columns.map((name) => {
      const dot = name.indexOf('.');
      return dot < 0
        ? { name, parent: undefined, child: undefined }
        : { name, parent: name.slice(0, dot), child: name.slice(dot + 1) };
    });
  }

  /** The fields of one record, in column order. `index` names the record in errors. */
  cells(record: BulkRecord, index: number): string[] {
    const readers = this.#readers;
    const out = new Array<string>(readers.length);
    for (let i = 0; i < readers.length; i++) {
      const reader = readers[i] as ColumnReader;
      let value = record[reader.name];
      if (value === undefined && reader.parent !== undefined) {
        const parent = record[reader.parent];
        if (isPlainObject(parent)) value = parent[reader.child as string];
        else if (parent === null) value = null;
      }
      out[i] = cellOf(value, reader.name, index);
    }
    return out;
  }
}

function invalid(index: number, column: string, message: string): ConfigurationError {
  return new ConfigurationError([{ field: `records[${index}].${column}`, message }], 'bulk records');
}

function cellOf(value: unknown, column: string, index: number): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'undefined':
      return '';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw invalid(index, column, `${value} is not a finite number`);
      return formatNumber(value);
    case 'bigint':
      return value.toString();
    case 'object': {
      if (value === null) return CSV_NULL;
      if (value instanceof Date) {
        if (Number.isNaN(value.getTime())) throw invalid(index, column, 'is an invalid Date');
        return value.toISOString();
      }
      if (Array.isArray(value)) {
        return value.map((item) => cellOf(item, column, index)).join(';');
      }
      throw invalid(
        index,
        column,
        isPlainObject(value)
          ? 'a nested object goes one level deep only (Relationship.ExternalIdField)'
          : `cannot be written to CSV (${Object.prototype.toString.call(value)})`,
      );
    }
    default:
      throw invalid(index, column, `cannot be written to CSV (${typeof value})`);
  }
}
