import { CsvError } from '../errors.js';
import type { CsvDialect } from './dialect.js';

const QUOTE = 34;
const LF = 10;
const CR = 13;
const BOM = 0xfeff;

/** Where the decoder stands inside the current field. */
const START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
const AFTER_QUOTE = 3;

/** Checks a dialect's delimiter: one character that cannot be confused with quoting or line ends. */
export function checkDelimiter(delimiter: string): void {
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\r' || delimiter === '\n') {
    throw new CsvError(
      `Invalid CSV delimiter ${JSON.stringify(delimiter)}: it must be one character other than a quote or a line end`,
      undefined,
    );
  }
}

/**
 * A streaming RFC 4180 decoder. Text goes in piece by piece (a piece may end anywhere: inside a quoted
 * field, between a doubled quote, between CR and LF) and every completed row comes out as an array of
 * strings, so memory stays at one row however large the input.
 *
 * - Fields may be quoted; inside quotes the delimiter, CR and LF are data and `""` is one quote.
 * - Rows end with LF, CRLF or a lone CR; the last row needs no line end.
 * - A byte-order mark at the very start is dropped; blank lines (no character at all) are skipped, so
 *   a trailing line end adds no row. A row holding one empty field is written `""` by the encoder.
 * - A quote inside an unquoted field is kept as a literal character (as Salesforce's own parser does);
 *   text after a closing quote, or a quote left open at the end, is a `CsvError` naming the row.
 */
export class CsvDecoder {
  readonly #delimiter: number;
  #row: string[] = [];
  #field = '';
  #state = START;
  /** The current row has consumed at least one character (a blank line has not). */
  #rowStarted = false;
  /** A quote ended the last piece while inside quotes: the next character says what it was. */
  #quotePending = false;
  /** A CR ended the last piece as a row end: an LF starting the next piece belongs to it. */
  #crPending = false;
  #atStart = true;
  #rows = 0;

  constructor(dialect: CsvDialect = {}) {
    const delimiter = dialect.delimiter ?? ',';
    checkDelimiter(delimiter);
    this.#delimiter = delimiter.charCodeAt(0);
  }

  /** Rows completed so far. */
  get rowCount(): number {
    return this.#rows;
  }

  /** Decodes one piece of text; returns the rows it completed, in order. */
  write(text: string): string[][] {
    const out: string[][] = [];
    let s = text;
    if (this.#atStart) {
      if (s.length === 0) return out;
      this.#atStart = false;
      if (s.charCodeAt(0) === BOM) s = s.slice(1);
    }
    const n = s.length;
    let i = 0;
    if (this.#crPending && n > 0) {
      this.#crPending = false;
      if (s.charCodeAt(0) === LF) i = 1;
    }
    if (this.#quotePending && i < n) {
      this.#quotePending = false;
      if (s.charCodeAt(i) === QUOTE) {
        this.#field += '"';
        i++;
      } else {
        this.#state = AFTER_QUOTE;
      }
    }
    const delimiter = this.#delimiter;
    const delimiterChar = String.fromCharCode(delimiter);
    // Next positions of each special character at or after i (n when there is none), refreshed lazily.
    let nextDelimiter = -1;
    let nextLf = -1;
    let nextCr = -1;
    while (i < n) {
      const state = this.#state;
      if (state === QUOTED) {
        const q = s.indexOf('"', i);
        if (q === -1) {
          this.#field += s.slice(i);
          return out;
        }
        this.#field += s.slice(i, q);
        if (q + 1 === n) {
          this.#quotePending = true;
          return out;
        }
        if (s.charCodeAt(q + 1) === QUOTE) {
          this.#field += '"';
          i = q + 2;
        } else {
          this.#state = AFTER_QUOTE;
          i = q + 1;
        }
        continue;
      }
      const c = s.charCodeAt(i);
      if (state === AFTER_QUOTE) {
        if (c === delimiter) {
          this.#row.push(this.#field);
          this.#field = '';
          this.#state = START;
          i++;
        } else if (c === LF || c === CR) {
          i = this.#endRow(s, i, out);
        } else {
          throw new CsvError(
            `CSV row ${this.#rows + 1}: a closing quote must be followed by the delimiter or a line end, found ${JSON.stringify(s[i])}`,
            this.#rows + 1,
          );
        }
        continue;
      }
      if (state === START && c === QUOTE) {
        this.#state = QUOTED;
        this.#rowStarted = true;
        i++;
        continue;
      }
      // An unquoted field (or the rest of one): it runs to the next delimiter or line end.
      if (nextDelimiter < i) nextDelimiter = indexOrEnd(s, delimiterChar, i);
      if (nextLf < i) nextLf = indexOrEnd(s, '\n', i);
      if (nextCr < i) nextCr = indexOrEnd(s, '\r', i);
      const end = Math.min(nextDelimiter, nextLf, nextCr);
      if (end === n) {
        this.#field += s.slice(i);
        this.#state = UNQUOTED;
        this.#rowStarted = true;
        return out;
      }
      if (end > i) {
        this.#field += s.slice(i, end);
        this.#rowStarted = true;
      }
      if (end === nextDelimiter) {
        this.#row.push(this.#field);
        this.#field = '';
        this.#state = START;
        this.#rowStarted = true;
        i = end + 1;
      } else {
        i = this.#endRow(s, end, out);
      }
    }
    return out;
  }

  /** Ends the input; returns the last row when it had no line end. */
  end(): string[][] {
    if (this.#quotePending) {
      this.#quotePending = false;
      this.#state = AFTER_QUOTE;
    }
    if (this.#state === QUOTED) {
      throw new CsvError(`CSV row ${this.#rows + 1}: a quoted field is not closed`, this.#rows + 1);
    }
    const out: string[][] = [];
    this.#finishRow(out);
    this.#state = START;
    return out;
  }

  /** Moves the row in progress, if one was started, to `out`. (An unstarted row is empty.) */
  #finishRow(out: string[][]): void {
    if (!this.#rowStarted) return;
    this.#row.push(this.#field);
    out.push(this.#row);
    this.#rows++;
    this.#row = [];
    this.#field = '';
    this.#rowStarted = false;
  }

  /** Completes the row at the line end at `at` (blank lines are dropped); returns where to go on. */
  #endRow(s: string, at: number, out: string[][]): number {
    this.#finishRow(out);
    this.#state = START;
    if (s.charCodeAt(at) === CR) {
      if (at + 1 === s.length) {
        this.#crPending = true;
        return at + 1;
      }
      if (s.charCodeAt(at + 1) === LF) return at + 2;
    }
    return at + 1;
  }
}

function indexOrEnd(s: string, char: string, from: number): number {
  const at = s.indexOf(char, from);
  return at === -1 ? s.length : at;
}

/** Decodes a whole CSV text into rows (see `CsvDecoder` for the rules). */
export function decodeCsv(text: string, dialect: CsvDialect = {}): string[][] {
  const decoder = new CsvDecoder(dialect);
  const rows = decoder.write(text);
  for (const row of decoder.end()) rows.push(row);
  return rows;
}
