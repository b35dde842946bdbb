import { describe, expect, it } from 'vitest';
import { chunkQuery, chunkRanges, parsePkChunkingHeader, unchunkable } from './pk-chunking.js';

describe('Sforce-Enable-PKChunking header', () => {
  it('reads true, false and the chunkSize/startRow/parent settings', () => {
    expect(parsePkChunkingHeader(undefined)).toBeUndefined();
    expect(parsePkChunkingHeader('FALSE')).toBeUndefined();
    expect(parsePkChunkingHeader('TRUE')).toEqual({ chunkSize: 100_000, startRow: undefined });
    expect(parsePkChunkingHeader('chunkSize=50000; startRow=00130000000xEftMGH; parent=Account')).toEqual({
      chunkSize: 50_000,
      startRow: '00130000000xEft',
    });
  });

  it('names what is wrong with a bad header', () => {
    expect(parsePkChunkingHeader('chunkSize=250001')).toEqual({
      error: "chunkSize must be a whole number from 1 to 250000, got '250001'",
    });
    expect(parsePkChunkingHeader('chunkSize=abc')).toHaveProperty('error');
    expect(parsePkChunkingHeader('startRow=not-an-id')).toEqual({
      error: "startRow must be a record id, got 'not-an-id'",
    });
    expect(parsePkChunkingHeader('size=10')).toEqual({
      error: "unknown setting 'size=10': use chunkSize, startRow or parent",
    });
  });
});

describe('chunk ranges', () => {
  const rows = [
    '001EM0000000003AAA',
    '001EM0000000001AAA',
    '001EM0000000005AAA',
    '001EM0000000002AAA',
    '001EM0000000004AAA',
  ].map((Id) => ({ Id }));

  it('cuts the sorted ids into ranges of chunkSize ids, the last one open', () => {
    expect(chunkRanges(rows, { chunkSize: 2, startRow: undefined }, '001')).toEqual([
      { from: '001EM0000000001', to: '001EM0000000003' },
      { from: '001EM0000000003', to: '001EM0000000005' },
      { from: '001EM0000000005', to: undefined },
    ]);
  });

  it('starts at startRow, and gives an object without rows one chunk', () => {
    expect(chunkRanges(rows, { chunkSize: 10, startRow: '001EM0000000004' }, '001')).toEqual([
      { from: '001EM0000000004', to: undefined },
    ]);
    expect(chunkRanges([], { chunkSize: 10, startRow: undefined }, '001')).toEqual([
      { from: '001000000000000', to: undefined },
    ]);
  });
});

describe('chunk queries', () => {
  it('adds the range to the WHERE clause, keeping the original conditions together', () => {
    const range = { from: '001EM0000000001', to: '001EM0000000003' };
    expect(chunkQuery('SELECT Id, Name FROM Account', range)).toBe(
      "SELECT Id, Name FROM Account WHERE Id >= '001EM0000000001' AND Id < '001EM0000000003'",
    );
    expect(
      chunkQuery("SELECT Name FROM Account WHERE Name = 'a' OR Name = 'b'", { ...range, to: undefined }),
    ).toBe("SELECT Name FROM Account WHERE (Name = 'a' OR Name = 'b') AND Id >= '001EM0000000001'");
  });

  it('takes SELECT ... FROM ... WHERE only', () => {
    expect(unchunkable('SELECT Id FROM Account WHERE Name != null')).toBeUndefined();
    expect(unchunkable('SELECT Id FROM Account ORDER BY Name')).toBe('ORDER BY is not allowed');
    expect(unchunkable('SELECT Id FROM Account LIMIT 5')).toBe('LIMIT is not allowed');
    expect(unchunkable("SELECT Id FROM Account WHERE Name = 'x' OFFSET 5")).toBe('OFFSET is not allowed');
    expect(unchunkable('SELECT Id, (SELECT Id FROM Contacts) FROM Account')).toBe(
      'a subquery is not allowed',
    );
    expect(unchunkable('SELECT FROM')).toBe('the query cannot be parsed');
  });
});
