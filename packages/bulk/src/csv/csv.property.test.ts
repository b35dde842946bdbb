import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvDecoder, decodeCsv } from './decoder.js';
import { COLUMN_DELIMITERS } from './dialect.js';
import { CsvEncoder } from './encoder.js';

// Round trips over text made mostly of the characters CSV is about: every delimiter, quotes, CR, LF,
// spaces, a BOM, multi-unit characters, and any other code unit now and then.
const special = fc.constantFrom(
  ',',
  ';',
  '|',
  '^',
  '`',
  '\t',
  '"',
  '\r',
  '\n',
  ' ',
  'a',
  'Z',
  'é',
  '😀',
  '\uFEFF',
);
const field = fc.string({
  unit: fc.oneof(
    { weight: 4, arbitrary: special },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  ),
  maxLength: 12,
});
const rows = fc.array(fc.array(field, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 12 });
const delimiter = fc.constantFrom(...Object.values(COLUMN_DELIMITERS));
const newline = fc.constantFrom('\n', '\r\n');

function decodeInPieces(text: string, cuts: readonly number[], delimiterChar: string): string[][] {
  const decoder = new CsvDecoder({ delimiter: delimiterChar });
  const out: string[][] = [];
  let from = 0;
  for (const cut of [...[...cuts].sort((a, b) => a - b), text.length]) {
    out.push(...decoder.write(text.slice(from, cut)));
    from = Math.max(from, cut);
  }
  out.push(...decoder.end());
  return out;
}

describe('CSV round trips (fast-check)', () => {
  it('decode(encode(rows)) gives the rows back, in any dialect, fed in any pieces', () => {
    fc.assert(
      fc.property(
        rows,
        delimiter,
        newline,
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 6 }),
        (input, delimiterChar, eol, quoteAll, cuts) => {
          const text = new CsvEncoder({ delimiter: delimiterChar, newline: eol, quoteAll }).rows(input);
          const pieces = cuts.map((cut) => cut % (text.length + 1));
          expect(decodeInPieces(text, pieces, delimiterChar)).toEqual(input);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('re-encoding decoded text gives the same text (canonical form is stable)', () => {
    fc.assert(
      fc.property(rows, delimiter, (input, delimiterChar) => {
        const encoder = new CsvEncoder({ delimiter: delimiterChar });
        const text = encoder.rows(input);
        expect(encoder.rows(decodeCsv(text, { delimiter: delimiterChar }))).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('a BOM before the text changes nothing', () => {
    fc.assert(
      fc.property(rows, (input) => {
        const text = new CsvEncoder().rows(input);
        expect(decodeCsv(`\uFEFF${text}`)).toEqual(input);
      }),
      { numRuns: 200 },
    );
  });
});
