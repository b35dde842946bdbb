/**
 * The CSV dialects the Bulk APIs speak: six column delimiters and two line endings, named as the job's
 * `columnDelimiter` and `lineEnding` fields name them.
 */

export type ColumnDelimiter = 'BACKQUOTE' | 'CARET' | 'COMMA' | 'PIPE' | 'SEMICOLON' | 'TAB';

export type LineEnding = 'LF' | 'CRLF';

/** The character each `columnDelimiter` stands for. */
export const COLUMN_DELIMITERS: Readonly<Record<ColumnDelimiter, string>> = {
  BACKQUOTE: '`',
  CARET: '^',
  COMMA: ',',
  PIPE: '|',
  SEMICOLON: ';',
  TAB: '\t',
};

/** The characters each `lineEnding` stands for. */
export const LINE_ENDINGS: Readonly<Record<LineEnding, string>> = { LF: '\n', CRLF: '\r\n' };

/** A dialect as characters: what the encoder and the decoder work with. */
export interface CsvDialect {
  /** One character; default `,`. */
  readonly delimiter?: string | undefined;
  /** `\n` or `\r\n`, for the encoder (the decoder accepts both, and a lone CR). Default `\n`. */
  readonly newline?: string | undefined;
}

/** The characters of a named Bulk dialect. */
export function dialectOf(
  columnDelimiter: ColumnDelimiter = 'COMMA',
  lineEnding: LineEnding = 'LF',
): { delimiter: string; newline: string } {
  return { delimiter: COLUMN_DELIMITERS[columnDelimiter], newline: LINE_ENDINGS[lineEnding] };
}
