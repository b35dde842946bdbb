import { describe, expect, it } from 'vitest';
import {
  decodeString,
  formatDateTime,
  LiteralError,
  likePattern,
  parseDateLiteral,
  parseDateTimeLiteral,
} from './literals.js';

describe('string literals (SOQL escape rules)', () => {
  it.each([
    [String.raw`'O\'Brien'`, "O'Brien"],
    [String.raw`'a\\b'`, 'a\\b'],
    [String.raw`'say \"hi\"'`, 'say "hi"'],
    [String.raw`'line\nnext\Nthird'`, 'line\nnext\nthird'],
    [String.raw`'\r\R\t\T\f\F'`, '\r\r\t\t\f\f'],
    [String.raw`'\b\B'`, '\u0007\u0007'],
    [String.raw`'caf\u00e9 \u00E9'`, 'café é'],
    ["''", ''],
  ])('decodes %s', (quoted, expected) => {
    expect(decodeString(quoted)).toBe(expected);
  });

  it.each([String.raw`'a\qb'`, String.raw`'50\%'`, String.raw`'a\_b'`, String.raw`'\u12'`])(
    'rejects the illegal escape in %s outside LIKE',
    (quoted) => {
      expect(() => decodeString(quoted)).toThrow(LiteralError);
    },
  );

  it('names the illegal sequence in the message', () => {
    expect(() => decodeString(String.raw`'a\qb'`)).toThrow(
      String.raw`Invalid string literal 'a\qb'. Illegal character sequence '\q' in string literal.`,
    );
  });
});

describe('LIKE patterns', () => {
  it('matches % as any run and _ as one character, case-insensitively, over the whole value', () => {
    const pattern = likePattern("'ac_e%'");
    expect(pattern.test('ACME Corp')).toBe(true);
    expect(pattern.test('ace')).toBe(false);
    expect(pattern.test('xacme')).toBe(false);
  });

  it('treats \\% and \\_ as the characters themselves', () => {
    const pattern = likePattern(String.raw`'50\%\_off%'`);
    expect(pattern.test('50%_off today')).toBe(true);
    expect(pattern.test('50x_off')).toBe(false);
    expect(pattern.test('50%xoff')).toBe(false);
  });

  it('escapes regular-expression characters and spans newlines', () => {
    expect(likePattern("'a.b(c)%'").test('a.b(c)\nmore')).toBe(true);
    expect(likePattern("'a.b'").test('axb')).toBe(false);
  });
});

describe('date and dateTime literals', () => {
  it.each([
    ['2005-10-08T01:02:03Z', '2005-10-08T01:02:03.000+0000'],
    ['2005-10-08T01:02:03.5Z', '2005-10-08T01:02:03.500+0000'],
    ['2005-10-08T01:02:03+05:30', '2005-10-07T19:32:03.000+0000'],
    ['2005-10-08T23:30:00-08:00', '2005-10-09T07:30:00.000+0000'],
    ['2024-02-29T00:00:00+0100', '2024-02-28T23:00:00.000+0000'],
  ])('normalises %s to UTC %s', (literal, wire) => {
    expect(parseDateTimeLiteral(literal)).toBe(wire);
  });

  it('rejects impossible dates and times', () => {
    expect(() => parseDateLiteral('2023-02-29')).toThrow(LiteralError);
    expect(() => parseDateLiteral('2024-13-01')).toThrow(LiteralError);
    expect(() => parseDateTimeLiteral('2024-01-01T25:00:00Z')).toThrow(LiteralError);
    expect(parseDateLiteral('2024-02-29')).toBe('2024-02-29');
  });

  it('formats epoch milliseconds in the REST wire form', () => {
    expect(formatDateTime(Date.UTC(2011, 6, 7, 0, 37, 0, 5))).toBe('2011-07-07T00:37:00.005+0000');
  });
});
