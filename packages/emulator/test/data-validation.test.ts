import { describe, expect, it } from 'vitest';
import type { DmlError } from '../src/data/errors.js';
import { DataStore } from '../src/data/store.js';
import { coerceValue } from '../src/data/validate.js';
import { IdFactory } from '../src/ids.js';
import { ApexRoutes } from '../src/rest/apex.js';
import { QueryCursors } from '../src/rest/cursors.js';
import { multipartBoundary, parseMultipart } from '../src/rest/multipart.js';
import { fieldDef } from '../src/schema/field.js';
import type { QueryResultSet } from '../src/soql/index.js';

const data = new DataStore({ ids: new IdFactory(), userId: '005EM0000000001AAA', apiVersion: '62.0' });
const code = (value: unknown) => (value as DmlError).statusCode;

describe('coerceValue', () => {
  it('converts text, trims nothing, turns "" into null and checks the length', () => {
    const f = fieldDef({ name: 'Code__c', label: 'Code', type: 'string', length: 5 });
    expect(coerceValue(f, 'ab c', data.lookup)).toBe('ab c');
    expect(coerceValue(f, 12, data.lookup)).toBe('12');
    expect(coerceValue(f, '', data.lookup)).toBeNull();
    expect(code(coerceValue(f, '123456', data.lookup))).toBe('STRING_TOO_LONG');
    expect(code(coerceValue(f, ['a'], data.lookup))).toBe('INVALID_TYPE_ON_FIELD_IN_RECORD');
  });

  it('joins and de-duplicates multi-select values, checking restricted ones', () => {
    const f = fieldDef({
      name: 'Tags__c',
      label: 'Tags',
      type: 'multipicklist',
      picklistValues: ['a', 'b', 'c'],
      restrictedPicklist: true,
    });
    expect(coerceValue(f, 'a; b;a', data.lookup)).toBe('a;b');
    expect(coerceValue(f, ['c', 'a'], data.lookup)).toBe('c;a');
    expect(code(coerceValue(f, 'a;z', data.lookup))).toBe('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
  });

  it('reads booleans from JSON and from "true"/"false"; null is false', () => {
    const f = fieldDef({ name: 'Flag__c', type: 'boolean' });
    expect(coerceValue(f, 'TRUE', data.lookup)).toBe(true);
    expect(coerceValue(f, null, data.lookup)).toBe(false);
    expect(code(coerceValue(f, 1, data.lookup))).toBe('INVALID_TYPE_ON_FIELD_IN_RECORD');
  });

  it('rounds decimals to the scale and checks integer digits', () => {
    const money = fieldDef({ name: 'Amt__c', type: 'currency', precision: 5, scale: 2 });
    expect(coerceValue(money, 1.005, data.lookup)).toBe(1.01);
    expect(coerceValue(money, '-2.5', data.lookup)).toBe(-2.5);
    expect(code(coerceValue(money, 1000, data.lookup))).toBe('NUMBER_OUTSIDE_VALID_RANGE');
    const int = fieldDef({ name: 'N__c', type: 'int', digits: 3 });
    expect(coerceValue(int, '42', data.lookup)).toBe(42);
    expect(code(coerceValue(int, 4.2, data.lookup))).toBe('INVALID_TYPE_ON_FIELD_IN_RECORD');
    expect(code(coerceValue(int, 1000, data.lookup))).toBe('NUMBER_OUTSIDE_VALID_RANGE');
  });

  it('normalizes dates, datetimes and times', () => {
    expect(coerceValue(fieldDef({ name: 'D__c', type: 'date' }), '2024-01-02T23:00:00Z', data.lookup)).toBe(
      '2024-01-02',
    );
    expect(
      coerceValue(fieldDef({ name: 'T__c', type: 'datetime' }), '2024-01-02T10:00:00+01:00', data.lookup),
    ).toBe('2024-01-02T09:00:00.000+0000');
    expect(coerceValue(fieldDef({ name: 'H__c', type: 'time' }), '08:30', data.lookup)).toBe('08:30:00.000Z');
    expect(
      code(coerceValue(fieldDef({ name: 'D__c', label: 'D', type: 'date' }), 20240102, data.lookup)),
    ).toBe('INVALID_TYPE_ON_FIELD_IN_RECORD');
  });

  it('checks references by syntax, target object and existence', () => {
    const ref = fieldDef({ name: 'Acct__c', label: 'Acct', type: 'reference', referenceTo: ['Account'] });
    const id = data.transaction((dml) => dml.create('Account', { Name: 'x' }));
    expect(coerceValue(ref, id.slice(0, 15), data.lookup)).toBe(id);
    expect(code(coerceValue(ref, 'nope', data.lookup))).toBe('MALFORMED_ID');
    expect(code(coerceValue(ref, '003000000000000AAA', data.lookup))).toBe('FIELD_INTEGRITY_EXCEPTION');
    expect(code(coerceValue(ref, '001000000000000AAA', data.lookup))).toBe('INVALID_CROSS_REFERENCE_KEY');
    data.transaction((dml) => dml.delete(id));
    expect(code(coerceValue(ref, id, data.lookup))).toBe('ENTITY_IS_DELETED');
  });
});

describe('multipart bodies', () => {
  it('reads the boundary and splits parts, keeping binary bytes (CRLF included) intact', () => {
    expect(multipartBoundary('multipart/form-data; boundary="a b"')).toBe('a b');
    expect(multipartBoundary('application/json')).toBeUndefined();
    const binary = Buffer.from([13, 10, 45, 45, 0, 255]);
    const body = Buffer.concat([
      Buffer.from(
        '--X\r\nContent-Disposition: form-data; name="entity_content"\r\nContent-Type: application/json\r\n\r\n{"a":1}\r\n',
      ),
      Buffer.from('--X\r\nContent-Disposition: form-data; name="VersionData"; filename="f.bin"\r\n\r\n'),
      binary,
      Buffer.from('\r\n--X--\r\n'),
    ]);
    const parts = parseMultipart(body, 'X');
    expect(parts.map((p) => [p.name, p.filename, p.contentType])).toEqual([
      ['entity_content', undefined, 'application/json'],
      ['VersionData', 'f.bin', undefined],
    ]);
    expect(parts[1]?.bytes.equals(binary)).toBe(true);
    expect(() =>
      parseMultipart(Buffer.from('--X\r\nContent-Disposition: form-data; name="a"\r\n\r\nno end'), 'X'),
    ).toThrow(/not terminated/);
  });
});

describe('Apex route matching', () => {
  it('matches methods, literal segments case-insensitively, :params and a trailing *', () => {
    const routes = new ApexRoutes();
    const a = () => ({ status: 200 });
    const b = () => ({ status: 201 });
    routes.add('GET', '/Accounts/:id', a);
    routes.add('post', '/files/*', b);
    expect(routes.match('GET', '/accounts/001%20x')).toEqual({ handler: a, params: { id: '001 x' } });
    expect(routes.match('POST', '/files/a/b')?.handler).toBe(b);
    expect(routes.match('GET', '/accounts')).toBeUndefined();
    expect(routes.match('DELETE', '/accounts/1')).toBeUndefined();
    expect(() => routes.add('GET', '/a/*/b', a)).toThrow(/last segment/);
  });
});

describe('query cursors', () => {
  const result = { totalSize: 0, size: 0, columns: [], page: () => [], rows: () => [] } as QueryResultSet;

  it('expires after the idle time and keeps at most the cap per user, least recently used first', () => {
    let now = 0;
    const cursors = new QueryCursors(new IdFactory(), () => now, { idleMs: 1000, maxOpenPerUser: 2 });
    const a = cursors.open(result, 'u1', 2000);
    const b = cursors.open(result, 'u1', 2000);
    expect(a).toMatch(/^01g[A-Za-z0-9]{15}$/);
    now = 500;
    expect(cursors.use(a, 'u1')).toBeDefined();
    cursors.open(result, 'u1', 2000);
    expect(cursors.use(b, 'u1')).toBeUndefined();
    expect(cursors.use(a, 'u1')).toBeDefined();
    expect(cursors.use(a, 'someone else')).toBeUndefined();
    cursors.open(result, 'u2', 2000);
    expect(cursors.use(a, 'u1')).toBeDefined();
    now = 2000;
    expect(cursors.use(a, 'u1')).toBeUndefined();
  });

  it('refuses nonsense options', () => {
    expect(() => new QueryCursors(new IdFactory(), () => 0, { idleMs: 0 })).toThrow(/queryLocatorIdleMs/);
    expect(() => new QueryCursors(new IdFactory(), () => 0, { maxOpenPerUser: 0 })).toThrow(
      /maxQueryCursors/,
    );
  });
});
