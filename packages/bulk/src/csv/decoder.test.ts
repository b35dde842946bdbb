import { describe, expect, it } from 'vitest';
import { CsvError } from '../errors.js';
import { CsvDecoder, decodeCsv } from './decoder.js';
import { COLUMN_DELIMITERS } from './dialect.js';

/** Decodes `text` fed in pieces cut at the given offsets. */
function decodeInPieces(text: string, cuts: readonly number[], delimiter = ','): string[][] {
  const decoder = new CsvDecoder({ delimiter });
  const rows: string[][] = [];
  let from = 0;
  for (const cut of [...cuts, text.length]) {
    rows.push(...decoder.write(text.slice(from, cut)));
    from = cut;
  }
  rows.push(...decoder.end());
  return rows;
}

describe('CsvDecoder', () => {
  it('reads plain fields and rows ending with LF, CRLF or a lone CR', () => {
    expect(decodeCsv('a,b\n1,2\r\n3,4\r5,6')).toEqual([
      ['a', 'b'],
      ['1', '2'],
      ['3', '4'],
      ['5', '6'],
    ]);
  });

  it('reads quoted fields holding delimiters, doubled quotes and line breaks', () => {
    expect(decodeCsv('"a,b","say ""hi""","line 1\nline 2\r\nline 3"\n')).toEqual([
      ['a,b', 'say "hi"', 'line 1\nline 2\r\nline 3'],
    ]);
  });

  it('keeps empty fields, including a trailing one', () => {
    expect(decodeCsv(',a,,\n"",""\n')).toEqual([
      ['', 'a', '', ''],
      ['', ''],
    ]);
  });

  it('skips blank lines but keeps a row holding one quoted empty field', () => {
    expect(decodeCsv('a\n\n""\n\r\nb\n')).toEqual([['a'], [''], ['b']]);
  });

  it('drops a byte-order mark at the start only', () => {
    expect(decodeCsv('\uFEFFId,Name\n1,\uFEFFx\n')).toEqual([
      ['Id', 'Name'],
      ['1', '\uFEFFx'],
    ]);
  });

  it('keeps a quote inside an unquoted field as a literal character', () => {
    expect(decodeCsv('5" disk,a"b"\n')).toEqual([['5" disk', 'a"b"']]);
  });

  it.each(Object.entries(COLUMN_DELIMITERS))(
    'splits on the %s delimiter and quotes it',
    (_name, delimiter) => {
      const text = `a${delimiter}"b${delimiter}c"${delimiter}d\n`;
      expect(decodeCsv(text, { delimiter })).toEqual([['a', `b${delimiter}c`, 'd']]);
    },
  );

  it('gives the same rows whatever the piece boundaries (quotes, CRLF, doubled quotes split)', () => {
    const text = '\uFEFF"x","a ""q"" b"\r\n"multi\r\nline",plain\r\n"",z\r\n';
    const whole = decodeCsv(text);
    expect(whole).toEqual([
      ['x', 'a "q" b'],
      ['multi\r\nline', 'plain'],
      ['', 'z'],
    ]);
    for (let cut = 0; cut <= text.length; cut++) {
      expect(decodeInPieces(text, [cut]), `cut at ${cut}`).toEqual(whole);
      for (let second = cut; second <= text.length; second += 3) {
        expect(decodeInPieces(text, [cut, second])).toEqual(whole);
      }
    }
  });

  it('reads a CR ending one piece and an LF starting the next as one line end', () => {
    expect(decodeInPieces('a\r\nb', [2])).toEqual([['a'], ['b']]);
    expect(decodeInPieces('a\r\n\r\nb', [2, 4])).toEqual([['a'], ['b']]);
  });

  it('returns rows as soon as their line end arrives', () => {
    const decoder = new CsvDecoder();
    expect(decoder.write('a,b\nc,')).toEqual([['a', 'b']]);
    expect(decoder.write('d\ne')).toEqual([['c', 'd']]);
    expect(decoder.end()).toEqual([['e']]);
    expect(decoder.rowCount).toBe(3);
  });

  it('names the row of a field whose closing quote is followed by text', () => {
    const error = (() => {
      try {
        decodeCsv('a\nb\n"c"x,d\n');
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(CsvError);
    expect((error as CsvError).row).toBe(3);
    expect((error as CsvError).code).toBe('INVALID_CSV');
    expect((error as CsvError).message).toMatch(/CSV row 3: a closing quote/);
  });

  it('refuses a quoted field left open at the end', () => {
    expect(() => decodeCsv('a,"b\nc')).toThrow(/row 1: a quoted field is not closed/);
  });

  it('refuses delimiters that would be ambiguous', () => {
    expect(() => new CsvDecoder({ delimiter: '"' })).toThrow(CsvError);
    expect(() => new CsvDecoder({ delimiter: ',,' })).toThrow(/one character/);
    expect(() => new CsvDecoder({ delimiter: '\n' })).toThrow(CsvError);
  });

  it('decodes 20,000 rows with quoted delimiters, quotes and line breaks', () => {
    const row = `${'x'.repeat(20)},"quoted, with ""quotes"" and\nnewline",${'y'.repeat(20)}\n`;
    const text = row.repeat(20_000);
    const rows = decodeCsv(text);
    expect(rows).toHaveLength(20_000);
    expect(rows[19_999]).toEqual(['x'.repeat(20), 'quoted, with "quotes" and\nnewline', 'y'.repeat(20)]);
  });
});
