import { ConfigurationError } from '@forcekit/core';
import { describe, expect, it } from 'vitest';
import { ColumnCollector, CSV_NULL, formatNumber, RecordCells } from './cells.js';

describe('ColumnCollector', () => {
  it('collects the union of keys in first-seen order, relationships as dotted columns', () => {
    const collector = new ColumnCollector();
    collector.add({ attributes: { type: 'Contact' }, LastName: 'a', Account: { Ext__c: 'A-1' } });
    expect(collector.add({ LastName: 'b', Email: 'b@x.test' })).toBe(true);
    expect(collector.add({ Email: 'c@x.test' })).toBe(false);
    collector.add({ 'Owner.Ext__c': 'U-1', Skipped: undefined });
    expect(collector.columns).toEqual(['LastName', 'Account.Ext__c', 'Email', 'Owner.Ext__c']);
  });

  it('keeps a key whose value is null (it clears the field)', () => {
    const collector = new ColumnCollector();
    collector.add({ Phone: null });
    expect(collector.columns).toEqual(['Phone']);
  });
});

describe('RecordCells', () => {
  it('writes values the way Bulk uploads expect them', () => {
    const cells = new RecordCells(['S', 'N', 'B', 'D', 'Nul', 'Missing', 'Multi', 'Big', 'Day']);
    expect(
      cells.cells(
        {
          S: 'text, "quoted"\nnext line',
          N: 12.5,
          B: false,
          D: new Date(Date.UTC(2024, 4, 1, 10, 0, 0)),
          Nul: null,
          Multi: ['Red', 'Blue'],
          Big: 12345678901234567890n,
          Day: '2024-05-01',
        },
        0,
      ),
    ).toEqual([
      'text, "quoted"\nnext line',
      '12.5',
      'false',
      '2024-05-01T10:00:00.000Z',
      CSV_NULL,
      '',
      'Red;Blue',
      '12345678901234567890',
      '2024-05-01',
    ]);
  });

  it('reads relationship columns from nested objects or flat dotted keys', () => {
    const cells = new RecordCells(['LastName', 'Account.Ext__c']);
    expect(cells.cells({ LastName: 'a', Account: { Ext__c: 'A-1' } }, 0)).toEqual(['a', 'A-1']);
    expect(cells.cells({ LastName: 'b', 'Account.Ext__c': 'A-2' }, 1)).toEqual(['b', 'A-2']);
    expect(cells.cells({ LastName: 'c', Account: null }, 2)).toEqual(['c', CSV_NULL]);
    expect(cells.cells({ LastName: 'd' }, 3)).toEqual(['d', '']);
  });

  it('names the record and field of a value it cannot write', () => {
    const cells = new RecordCells(['Amount']);
    const error = (() => {
      try {
        cells.cells({ Amount: Number.NaN }, 7);
      } catch (caught) {
        return caught as ConfigurationError;
      }
      throw new Error('expected a throw');
    })();
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.issues).toEqual([{ field: 'records[7].Amount', message: 'NaN is not a finite number' }]);
    expect(() => cells.cells({ Amount: { a: { b: 1 } } }, 0)).toThrow(/records\[0\]\.Amount/);
    expect(() => new RecordCells(['X']).cells({ X: new Date('nope') }, 2)).toThrow(
      /records\[2\]\.X: is an invalid Date/,
    );
    expect(() => new RecordCells(['X']).cells({ X: () => 1 }, 0)).toThrow(/function/);
    expect(() => new RecordCells(['X']).cells({ X: new Map() }, 0)).toThrow(/Map/);
  });
});

describe('formatNumber', () => {
  it('never uses exponent notation', () => {
    expect(formatNumber(1e21)).toBe('1000000000000000000000');
    expect(formatNumber(1e-7)).toBe('0.0000001');
    expect(formatNumber(-1.5e-10)).toBe('-0.00000000015');
    expect(formatNumber(1.2345e25)).toBe('12345000000000000000000000');
    expect(formatNumber(5e-324)).toBe(`0.${'0'.repeat(323)}5`);
    expect(formatNumber(-42)).toBe('-42');
    expect(formatNumber(0.1 + 0.2)).toBe('0.30000000000000004');
  });
});
