/**
 * CSV as the Bulk APIs speak it: an incremental parser for uploads (fed chunk by chunk, so a 100 MB
 * upload is never one string) and a writer that quotes every value, as Salesforce's result files do.
 */

export type LineEnding = 'LF' | 'CRLF';

export type ColumnDelimiter = 'BACKQUOTE' | 'CARET' | 'COMMA' | 'PIPE' | 'SEMICOLON' | 'TAB';

export const COLUMN_DELIMITERS: Readonly<Record<ColumnDelimiter, string>> = {
  BACKQUOTE: '`',
  CARET: '^',
  COMMA: ',',
  PIPE: '|',
  SEMICOLON: ';',
  TAB: '\t',
};

export const LINE_ENDINGS: Readonly<Record<LineEnding, string>> = { LF: '\n', CRLF: '\r\n' };

export interface CsvDialect {
  readonly delimiter: string;
  readonly lineEnding: LineEnding;
}

/** Where a record ended: its terminator, or the end of the input. */
export type RecordEnd = LineEnding | 'EOF';

export interface CsvRecordSink {
  /**
   * One record's fields. `raw` is the record's text as uploaded (without its terminator), given for the
   * first record only: the header that result files echo verbatim.
   */
  record(fields: string[], end: RecordEnd, raw: string | undefined): void;
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

/**
 * Parses CSV text pushed in pieces of any size (a piece may end inside a field, a quote pair or a CRLF).
 * Fields may be quoted (`"a ""b"" c"`, with delimiters and newlines inside); blank lines are skipped.
 * A record's terminator is reported so the caller can check it against the job's `lineEnding`.
 * `problem` is set (and parsing goes on) when the text is not well-formed CSV.
 */
export class CsvParser {
  readonly #delimiter: number;
  readonly #sink: CsvRecordSink;
  #fields: string[] = [];
  #field = '';
  /** The current field started with a quote and the closing quote has not been seen. */
  #quoted = false;
  /** A quote inside a quoted field ended the last piece: the next character decides what it was. */
  #quotePending = false;
  /** A CR outside quotes ended the last piece: a following LF makes it a CRLF terminator. */
  #crPending = false;
  /** The current record has at least one character (blank lines are skipped). */
  #started = false;
  /** The current field has content or quotes (so a quote now is a literal, not an opening quote). */
  #fieldStarted = false;
  #records = 0;
  #raw: string | undefined = '';
  #problem: string | undefined;

  constructor(delimiter: string, sink: CsvRecordSink) {
    if (delimiter.length !== 1) throw new Error(`a CSV delimiter is one character, got "${delimiter}"`);
    this.#delimiter = delimiter.charCodeAt(0);
    this.#sink = sink;
  }

  /** The first well-formedness problem found, worded for a job's `errorMessage`. */
  get problem(): string | undefined {
    return this.#problem;
  }

  /** Records emitted so far (the header included). */
  get records(): number {
    return this.#records;
  }

  push(text: string): void {
    let i = 0;
    const n = text.length;
    let rawFrom = 0;
    if (this.#quotePending && n > 0) {
      this.#quotePending = false;
      if (text.charCodeAt(0) === QUOTE) {
        this.#field += '"';
        i = 1;
      } else this.#quoted = false;
    }
    if (this.#crPending && n > 0) {
      this.#crPending = false;
      if (text.charCodeAt(0) === LF) {
        this.#endRecord('CRLF', text, rawFrom, 0);
        i = 1;
        rawFrom = 1;
      } else {
        this.#field += '\r';
        this.#fieldStarted = true;
      }
    }
    while (i < n) {
      if (this.#quoted) {
        const close = text.indexOf('"', i);
        if (close < 0) {
          this.#field += text.slice(i);
          i = n;
          break;
        }
        this.#field += text.slice(i, close);
        if (close + 1 >= n) {
          this.#quotePending = true;
          i = n;
          break;
        }
        if (text.charCodeAt(close + 1) === QUOTE) {
          this.#field += '"';
          i = close + 2;
        } else {
          this.#quoted = false;
          i = close + 1;
        }
        continue;
      }
      // Unquoted: copy up to the next special character.
      let j = i;
      while (j < n) {
        const c = text.charCodeAt(j);
        if (c === this.#delimiter || c === LF || c === CR || c === QUOTE) break;
        j++;
      }
      if (j > i) {
        this.#field += text.slice(i, j);
        this.#fieldStarted = true;
        this.#started = true;
      }
      if (j >= n) {
        i = n;
        break;
      }
      const c = text.charCodeAt(j);
      if (c === this.#delimiter) {
        this.#fields.push(this.#field);
        this.#field = '';
        this.#fieldStarted = false;
        this.#started = true;
        i = j + 1;
      } else if (c === QUOTE) {
        this.#started = true;
        if (this.#fieldStarted) {
          this.#problemOnce(`a quote inside an unquoted field at record ${this.#records + 1}`);
          this.#field += '"';
        } else this.#quoted = true;
        this.#fieldStarted = true;
        i = j + 1;
      } else if (c === LF) {
        this.#endRecord('LF', text, rawFrom, j);
        i = j + 1;
        rawFrom = i;
      } else {
        // CR: a CRLF terminator, or a lone CR that is data.
        if (j + 1 >= n) {
          this.#captureRaw(text, rawFrom, j);
          this.#crPending = true;
          return;
        }
        if (text.charCodeAt(j + 1) === LF) {
          this.#endRecord('CRLF', text, rawFrom, j);
          i = j + 2;
          rawFrom = i;
        } else {
          this.#field += '\r';
          this.#fieldStarted = true;
          this.#started = true;
          i = j + 1;
        }
      }
    }
    this.#captureRaw(text, rawFrom, n);
  }

  /** Ends the input: emits the last record (a file need not end with a line break). */
  end(): void {
    if (this.#crPending) {
      this.#crPending = false;
      this.#field += '\r';
      this.#started = true;
    }
    if (this.#quotePending) {
      this.#quotePending = false;
      this.#quoted = false;
    }
    if (this.#quoted) {
      this.#problemOnce(`an unterminated quoted field in record ${this.#records + 1}`);
      this.#quoted = false;
    }
    if (this.#started || this.#fields.length > 0) this.#emit('EOF');
  }

  #captureRaw(text: string, from: number, to: number): void {
    if (this.#records === 0 && this.#raw !== undefined) this.#raw += text.slice(from, to);
  }

  #endRecord(end: LineEnding, text: string, rawFrom: number, at: number): void {
    if (!this.#started && this.#fields.length === 0 && !this.#fieldStarted) {
      // A blank line.
      if (this.#records === 0) this.#raw = '';
      return;
    }
    this.#captureRaw(text, rawFrom, at);
    this.#emit(end);
  }

  #emit(end: RecordEnd): void {
    this.#fields.push(this.#field);
    const fields = this.#fields;
    const raw = this.#records === 0 ? (this.#raw ?? '') : undefined;
    this.#fields = [];
    this.#field = '';
    this.#fieldStarted = false;
    this.#started = false;
    this.#records += 1;
    if (this.#records === 1) this.#raw = undefined;
    this.#sink.record(fields, end, raw);
  }

  #problemOnce(problem: string): void {
    this.#problem ??= problem;
  }
}

/** Parses a whole CSV text (for small bodies such as classic batches). */
export function parseCsv(
  text: string,
  delimiter = ',',
): { header: string[]; rows: string[][]; problem?: string } {
  const records: string[][] = [];
  const parser = new CsvParser(delimiter, { record: (fields) => records.push(fields) });
  parser.push(stripBom(text));
  parser.end();
  const [header = [], ...rows] = records;
  return parser.problem === undefined ? { header, rows } : { header, rows, problem: parser.problem };
}

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** A value as Salesforce writes it in result files: always quoted, quotes doubled. */
export function quoteCsv(value: string): string {
  return value.includes('"') ? `"${value.replaceAll('"', '""')}"` : `"${value}"`;
}

/** One fully quoted row with its line ending. */
export function csvRow(values: readonly string[], dialect: CsvDialect): string {
  let out = '';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += dialect.delimiter;
    out += quoteCsv(values[i] as string);
  }
  return out + LINE_ENDINGS[dialect.lineEnding];
}
