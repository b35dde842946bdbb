import { describe, expect, it } from 'vitest';
import { CsvError } from '../errors.js';
import { COLUMN_DELIMITERS } from './dialect.js';
import { CsvEncoder, encodeCsv } from './encoder.js';

describe('CsvEncoder', () => {
  it('quotes only fields that need it and doubles quotes inside', () => {
    const encoder = new CsvEncoder();
    expect(encoder.row(['plain', 'a,b', 'say "hi"', 'two\nlines', 'cr\r', ''])).toBe(
      'plain,"a,b","say ""hi""","two\nlines","cr\r",\n',
    );
  });

  it('quotes every field with quoteAll, as Salesforce result files do', () => {
    expect(new CsvEncoder({ quoteAll: true }).row(['a', '', 'b"c'])).toBe('"a","","b""c"\n');
  });

  it('writes a row of one empty field as "" so it is not a blank line', () => {
    expect(new CsvEncoder().row([''])).toBe('""\n');
    expect(new CsvEncoder().row(['', ''])).toBe(',\n');
  });

  it('ends rows with CRLF when asked', () => {
    expect(encodeCsv([['a'], ['b']], { newline: '\r\n' })).toBe('a\r\nb\r\n');
  });

  it.each(Object.entries(COLUMN_DELIMITERS))('quotes fields holding the %s delimiter', (_name, delimiter) => {
    const encoder = new CsvEncoder({ delimiter });
    expect(encoder.row(['a', `b${delimiter}c`, 'd,e'])).toBe(
      `a${delimiter}"b${delimiter}c"${delimiter}${delimiter === ',' ? '"d,e"' : 'd,e'}\n`,
    );
  });

  it('quotes a field holding a character that is special in a regular-expression class', () => {
    expect(new CsvEncoder({ delimiter: ']' }).row(['a]b', 'c'])).toBe('"a]b"]c\n');
    expect(new CsvEncoder({ delimiter: '-' }).row(['a-b', 'c'])).toBe('"a-b"-c\n');
    expect(new CsvEncoder({ delimiter: '\\' }).row(['a\\b', 'c'])).toBe('"a\\b"\\c\n');
  });

  it('refuses a bad delimiter or newline', () => {
    expect(() => new CsvEncoder({ delimiter: '"' })).toThrow(CsvError);
    expect(() => new CsvEncoder({ newline: '\r' })).toThrow(/newline/);
  });
});
