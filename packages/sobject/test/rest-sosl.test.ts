import { ConfigurationError } from '@forcekit/core';
import { from } from '@forcekit/soql';
import { describe, expect, test } from 'vitest';
import { buildSosl, escapeSosl } from '../src/rest/sosl.js';

describe('escapeSosl', () => {
  test('escapes every reserved character with a backslash', () => {
    const reserved = `?&|!{}[]()^~*:\\"'+-`;
    expect(escapeSosl(reserved)).toBe([...reserved].map((c) => `\\${c}`).join(''));
  });

  test('leaves letters, digits, spaces and other punctuation alone', () => {
    expect(escapeSosl('Acme Corp. 42 @ #1 ; %')).toBe('Acme Corp. 42 @ #1 ; %');
  });

  test('escapes a term that tries to close the braces and add a clause', () => {
    expect(escapeSosl('x} RETURNING User(Id')).toBe('x\\} RETURNING User\\(Id');
  });

  test('rejects a value that is not a string', () => {
    expect(() => escapeSosl(42 as unknown as string)).toThrow(ConfigurationError);
  });
});

describe('buildSosl', () => {
  test('escapes a literal search term', () => {
    expect(buildSosl({ find: 'AT&T (US)' })).toBe('FIND {AT\\&T \\(US\\)}');
  });

  test('keeps a raw term with wildcards and operators as written', () => {
    expect(buildSosl({ find: { raw: 'Acm* OR "Global Media"' } })).toBe('FIND {Acm* OR "Global Media"}');
  });

  test('adds the search group, RETURNING items and the overall limit', () => {
    expect(buildSosl({ find: 'acme', in: 'NAME', returning: ['Account', 'Contact'], limit: 20 })).toBe(
      'FIND {acme} IN NAME FIELDS RETURNING Account, Contact LIMIT 20',
    );
  });

  test('turns a soql builder into a RETURNING item with fields, WHERE, ORDER BY, LIMIT and OFFSET', () => {
    const accounts = from('Account')
      .find({ Name: { $like: "O'Brien%" }, Industry: 'Energy' }, ['Id', 'Name'])
      .sort('-CreatedDate')
      .limit(5)
      .skip(10);
    expect(buildSosl({ find: 'obrien', returning: [accounts, 'Contact'] })).toBe(
      "FIND {obrien} RETURNING Account(Id, Name WHERE Name LIKE 'O\\'Brien%' AND Industry = 'Energy' ORDER BY CreatedDate DESC LIMIT 5 OFFSET 10), Contact",
    );
  });

  test('a builder with no select list returns Ids', () => {
    expect(buildSosl({ find: 'x', returning: [from('Lead')] })).toBe('FIND {x} RETURNING Lead(Id)');
  });

  test('refuses clauses SOSL RETURNING cannot take', () => {
    const grouped = from('Account').select(['Industry']).groupBy(['Industry']);
    expect(() => buildSosl({ find: 'x', returning: [grouped] })).toThrow(/returning\[0\].*GROUP BY/);
  });

  test.each([
    [{ find: '' }, /find: must not be empty/],
    [{ find: '   ' }, /find: must not be empty/],
    [{ find: 'a', in: 'BODY' as 'ALL' }, /in: must be one of/],
    [{ find: 'a', returning: [] }, /returning: must be a non-empty array/],
    [{ find: 'a', returning: ['Account; DROP'] }, /returning\[0\]: .* is not an object name/],
    [{ find: 'a', limit: 0 }, /limit: must be a positive integer/],
    [{ find: 3 as unknown as string }, /find: must be a string/],
  ])('names the bad field of %j', (spec, message) => {
    expect(() => buildSosl(spec)).toThrow(message);
  });
});
