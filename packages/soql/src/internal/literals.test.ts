import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeString, formatNumber } from './literals.js';

describe('formatNumber', () => {
  it.each([
    [0, '0'],
    [-0, '0'],
    [42, '42'],
    [-1.5, '-1.5'],
    [1e21, '1000000000000000000000'],
    [1.2345e25, '12345000000000000000000000'],
    [1.5e-7, '0.00000015'],
    [-2.5e-10, '-0.00000000025'],
    [Number.MAX_SAFE_INTEGER, '9007199254740991'],
    [Number.MIN_VALUE, `0.${'0'.repeat(323)}5`],
  ])('writes %s as %s', (value, expected) => {
    expect(formatNumber(value)).toBe(expected);
  });

  it('writes every finite number in plain decimal notation that reads back as the same number', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => {
        const text = formatNumber(value);
        expect(text).toMatch(/^-?\d+(\.\d+)?$/);
        expect(Number(text)).toBe(Object.is(value, -0) ? 0 : value);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('escapeString', () => {
  it('escapes backslash, quotes and control characters in one pass', () => {
    expect(escapeString(`a\\b'c"d\ne\rf\tg\u0000h\u001fi\u007fj`)).toBe(
      'a\\\\b\\\'c\\"d\\ne\\rf\\tg\\u0000h\\u001fi\\u007fj',
    );
  });

  it('leaves % and _ alone unless they are to be matched literally in LIKE', () => {
    expect(escapeString('50%_off')).toBe('50%_off');
    expect(escapeString('50%_off', true)).toBe('50\\%\\_off');
  });

  it('escapes lone surrogates but keeps surrogate pairs', () => {
    expect(escapeString('\ud83d\ude00 \ud800 \udc00')).toBe('\ud83d\ude00 \\ud800 \\udc00');
  });

  it('never leaves an unescaped quote or a dangling backslash', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.boolean(), (value, like) => {
        const escaped = escapeString(value, like);
        // Remove every escape sequence; what is left must hold no quote, backslash or control character.
        const rest = escaped.replace(/\\u[0-9a-f]{4}|\\[\\'"nrt%_]/g, '');
        const raw = [...rest].filter((char) => `'"\\`.includes(char) || char < ' ' || char === '\u007f');
        expect(raw).toEqual([]);
        expect(rest).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
      }),
      { numRuns: 1000 },
    );
  });
});
