import { describe, expect, it } from 'vitest';
import { CsvParser, csvRow, parseCsv, quoteCsv, type RecordEnd } from './csv.js';

interface Parsed {
  records: string[][];
  ends: RecordEnd[];
  header: string | undefined;
  problem: string | undefined;
}

/** Feeds `text` in pieces of `size` characters (1 = every possible split point). */
function parse(text: string, size = text.length || 1, delimiter = ','): Parsed {
  const out: Parsed = { records: [], ends: [], header: undefined, problem: undefined };
  const parser = new CsvParser(delimiter, {
    record(fields, end, raw) {
      out.records.push(fields);
      out.ends.push(end);
      if (raw !== undefined) out.header = raw;
    },
  });
  for (let i = 0; i < text.length; i += size) parser.push(text.slice(i, i + size));
  parser.end();
  out.problem = parser.problem;
  return out;
}

describe('CsvParser', () => {
  const sample = 'Name,Description\n"Acme, Inc.","says ""hi""\nand bye"\nPlain,\r\n';

  it('reads quoted fields with delimiters, doubled quotes and line breaks inside', () => {
    expect(parse(sample).records).toEqual([
      ['Name', 'Description'],
      ['Acme, Inc.', 'says "hi"\nand bye'],
      ['Plain', ''],
    ]);
  });

  it('gives the same records whatever the piece boundaries', () => {
    const whole = parse(sample);
    for (const size of [1, 2, 3, 5, 7]) expect(parse(sample, size)).toEqual(whole);
  });

  it('reports each record terminator, so a job can check its lineEnding', () => {
    expect(parse(sample, 1).ends).toEqual(['LF', 'LF', 'CRLF']);
    expect(parse('a\r\nb').ends).toEqual(['CRLF', 'EOF']);
  });

  it('hands over the header exactly as uploaded, quotes and all, without its terminator', () => {
    expect(parse('"Name",Phone\r\nx,y\r\n', 1).header).toBe('"Name",Phone');
    expect(parse('\n\nName|Phone\n', 1, '|').header).toBe('Name|Phone');
  });

  it('skips blank lines and reads a last record without a line break', () => {
    expect(parse('a,b\n\n1,2\n\n3,4').records).toEqual([
      ['a', 'b'],
      ['1', '2'],
      ['3', '4'],
    ]);
  });

  it('keeps a lone CR inside a value', () => {
    expect(parse('a\rb,c\n', 1).records).toEqual([['a\rb', 'c']]);
  });

  it('honours any one-character delimiter (TAB, PIPE, BACKQUOTE...)', () => {
    expect(parse('a\tb\n"x\ty"\tz\n', 2, '\t').records).toEqual([
      ['a', 'b'],
      ['x\ty', 'z'],
    ]);
    expect(parse('a`b\n1`2\n', 1, '`').records).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('flags an unterminated quoted field', () => {
    expect(parse('a,b\n"open,1\n').problem).toMatch(/unterminated quoted field in record 2/);
  });

  it('flags a quote in the middle of an unquoted field', () => {
    expect(parse('a,b\nx"y,1\n').problem).toMatch(/quote inside an unquoted field/);
  });

  it('refuses a delimiter longer than one character', () => {
    expect(() => new CsvParser('||', { record() {} })).toThrow(/one character/);
  });
});

describe('parseCsv', () => {
  it('splits the header from the rows and drops a byte-order mark', () => {
    expect(parseCsv('\uFEFFId,Name\n1,A\n')).toEqual({ header: ['Id', 'Name'], rows: [['1', 'A']] });
  });
});

describe('CSV writing', () => {
  it('quotes every value and doubles quotes inside', () => {
    expect(quoteCsv('say "x"')).toBe('"say ""x"""');
    expect(quoteCsv('')).toBe('""');
  });

  it('writes a row with the dialect delimiter and line ending', () => {
    expect(csvRow(['a', 'b;c', ''], { delimiter: ';', lineEnding: 'CRLF' })).toBe('"a";"b;c";""\r\n');
  });

  it('round-trips values through the parser', () => {
    const values = ['plain', 'with "quotes"', 'multi\nline', 'comma, here', ''];
    expect(parse(csvRow(values, { delimiter: ',', lineEnding: 'LF' })).records).toEqual([values]);
  });
});
