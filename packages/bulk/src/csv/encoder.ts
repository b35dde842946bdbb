import { checkDelimiter } from './decoder.js';
import type { CsvDialect } from './dialect.js';

export interface CsvEncoderOptions extends CsvDialect {
  /** Quote every field, as Salesforce's result files do. Default false: only fields that need it. */
  readonly quoteAll?: boolean | undefined;
}

/**
 * Writes rows as RFC 4180 CSV. A field is quoted when it holds the delimiter, a quote, CR or LF, or
 * starts with a byte-order mark (quotes doubled inside), or always with `quoteAll`. A row of one empty field is written `""`, so the
 * decoder (which skips blank lines) reads it back as a row.
 */
export class CsvEncoder {
  readonly delimiter: string;
  readonly newline: string;
  readonly #quoteAll: boolean;
  readonly #needsQuotes: RegExp;

  constructor(options: CsvEncoderOptions = {}) {
    const delimiter = options.delimiter ?? ',';
    checkDelimiter(delimiter);
    const newline = options.newline ?? '\n';
    if (newline !== '\n' && newline !== '\r\n') {
      throw new TypeError(`Invalid CSV newline ${JSON.stringify(newline)}: use "\\n" or "\\r\\n"`);
    }
    this.delimiter = delimiter;
    this.newline = newline;
    this.#quoteAll = options.quoteAll ?? false;
    // Inside a character class only \ ] ^ - are special. A leading BOM is quoted: a decoder drops
    // an unquoted one at the start of the text.
    const escaped = delimiter.replace(/[\\\]^-]/, '\\$&');
    this.#needsQuotes = new RegExp(`["\\r\\n${escaped}]|^\uFEFF`);
  }

  /** One field as it appears in the file. */
  field(value: string): string {
    if (this.#quoteAll || this.#needsQuotes.test(value)) {
      return `"${value.includes('"') ? value.replaceAll('"', '""') : value}"`;
    }
    return value;
  }

  /** One row with its line end. */
  row(fields: readonly string[]): string {
    const count = fields.length;
    if (count === 1 && fields[0] === '') return `""${this.newline}`;
    let out = '';
    for (let i = 0; i < count; i++) {
      if (i > 0) out += this.delimiter;
      out += this.field(fields[i] as string);
    }
    return out + this.newline;
  }

  /** Several rows as one text. */
  rows(rows: Iterable<readonly string[]>): string {
    let out = '';
    for (const row of rows) out += this.row(row);
    return out;
  }
}

/** Encodes rows as one CSV text (see `CsvEncoder`). */
export function encodeCsv(rows: Iterable<readonly string[]>, options: CsvEncoderOptions = {}): string {
  return new CsvEncoder(options).rows(rows);
}
