import { selectColumns } from './select-columns.js';
import { isQueryResult } from './tracking.js';

// CSV for `toCSV()`: RFC 4180 (comma separator, CRLF line ends, fields holding a quote, comma, CR or LF
// quoted with quotes doubled), one column per selected field, parent relationship fields flattened as
// `Account.Owner.Name`. A null relationship gives empty cells.

const NEEDS_QUOTES = /[",\r\n]/;

/** One CSV cell. Objects (compound address or location fields) are written as JSON. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text: string;
  switch (typeof value) {
    case 'string':
      text = value;
      break;
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    default:
      text = value instanceof Date ? value.toISOString() : JSON.stringify(value);
  }
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A column: a field path read from each record, matching key case the way Salesforce spells it. */
class Column {
  readonly #segments: string[];

  constructor(path: string) {
    this.#segments = path.split('.');
  }

  /** The path as the records spell it (once a record has shown it), else as written in the query. */
  get name(): string {
    return this.#segments.join('.');
  }

  read(record: unknown): unknown {
    let value = record;
    const segments = this.#segments;
    for (let i = 0; i < segments.length; i++) {
      if (value === null || typeof value !== 'object') return undefined;
      const segment = segments[i] as string;
      let next = (value as Record<string, unknown>)[segment];
      if (next === undefined && !(segment in value)) {
        // The query may say `name` where the JSON says `Name`: adopt the record's spelling once.
        const lower = segment.toLowerCase();
        const actual = Object.keys(value).find((key) => key.toLowerCase() === lower);
        if (actual !== undefined) {
          segments[i] = actual;
          next = (value as Record<string, unknown>)[actual];
        }
      }
      value = next;
    }
    return value;
  }
}

/** Columns from a record's own fields, relationships flattened; for select lists the text cannot give. */
function columnsOf(record: unknown, prefix = ''): string[] {
  if (record === null || typeof record !== 'object') return [];
  const columns: string[] = [];
  for (const key of Object.keys(record)) {
    if (key === 'attributes') continue;
    const value = (record as Record<string, unknown>)[key];
    if (isQueryResult(value)) continue;
    if (value !== null && typeof value === 'object' && 'attributes' in value) {
      columns.push(...columnsOf(value, `${prefix}${key}.`));
    } else {
      columns.push(prefix + key);
    }
  }
  return columns;
}

/** Writes the CSV of one query: the header comes with the first rows. */
export class CsvWriter {
  readonly #fromText: string[] | undefined;
  #columns: Column[] | undefined;

  constructor(soql: string) {
    this.#fromText = selectColumns(soql);
  }

  /** The CSV text of `records`, preceded by the header the first time (also when there are no records). */
  write(records: readonly unknown[]): string {
    let out = '';
    let columns = this.#columns;
    const first = columns === undefined;
    if (columns === undefined) {
      columns = (this.#fromText ?? columnsOf(records[0])).map((path) => new Column(path));
      this.#columns = columns;
    }
    const rows: string[] = [];
    for (const record of records) {
      let line = '';
      for (let c = 0; c < columns.length; c++) {
        if (c > 0) line += ',';
        line += csvCell((columns[c] as Column).read(record));
      }
      rows.push(line);
    }
    // The header goes out after the first rows were read, so it spells names as the records do.
    if (first) out += `${columns.map((column) => csvCell(column.name)).join(',')}\r\n`;
    if (rows.length > 0) out += `${rows.join('\r\n')}\r\n`;
    return out;
  }
}
