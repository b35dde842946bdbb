import { describe, expect, it } from 'vitest';
import { CsvWriter, csvCell } from './csv.js';

describe('csvCell', () => {
  it('quotes only what RFC 4180 requires, doubling quotes', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\r')).toBe('"cr\r"');
    expect(csvCell(' spaced ')).toBe(' spaced ');
  });

  it('writes null and undefined as empty, numbers and booleans as text, objects as JSON', () => {
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(12.5)).toBe('12.5');
    expect(csvCell(false)).toBe('false');
    expect(csvCell({ city: 'Paris', street: '1, rue' })).toBe('"{""city"":""Paris"",""street"":""1, rue""}"');
  });
});

describe('CsvWriter', () => {
  const rec = (fields: Record<string, unknown>) => ({ attributes: { type: 'Contact' }, ...fields });

  it('writes the header with the records spelling, then rows; flattens parents; empty cells for null parents', () => {
    const writer = new CsvWriter('SELECT id, Account.name FROM Contact');
    const first = writer.write([
      rec({ Id: '1', Account: { attributes: { type: 'Account' }, Name: 'A, Inc' } }),
    ]);
    expect(first).toBe('Id,Account.Name\r\n1,"A, Inc"\r\n');
    expect(writer.write([rec({ Id: '2', Account: null })])).toBe('2,\r\n');
  });

  it('takes columns from the first record when the select list cannot be read', () => {
    const writer = new CsvWriter('SELECT FIELDS(STANDARD) FROM Contact');
    expect(
      writer.write([
        rec({
          Id: '1',
          Owner: { attributes: { type: 'User' }, Name: 'Jo' },
          Contacts: { totalSize: 0, done: true, records: [] },
        }),
      ]),
    ).toBe('Id,Owner.Name\r\n1,Jo\r\n');
  });

  it('writes only the header for no records', () => {
    expect(new CsvWriter('SELECT Id, Name FROM Account').write([])).toBe('Id,Name\r\n');
  });
});
