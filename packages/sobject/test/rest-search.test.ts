import { BadRequestError } from '@forcekit/core';
import { from } from '@forcekit/soql';
import { describe, expect, test } from 'vitest';
import { search } from '../src/rest/search.js';
import { escapeSosl } from '../src/rest/sosl.js';
import { useEmulator } from './rest-support.js';

const env = useEmulator();

describe('search against the emulator', () => {
  test('runs SOSL text and returns searchRecords with their attributes', async () => {
    env.emulator.org.insert('Account', [{ Name: 'Acme Corp' }, { Name: 'Globex' }]);
    env.emulator.org.insert('Contact', [{ LastName: 'Acme' }]);
    const result = await search(env.client, 'FIND {Acme} RETURNING Account(Id, Name), Contact(Id, LastName)');
    const byType = result.searchRecords.map((r) => [r.attributes.type, r.Name ?? r.LastName]);
    expect(byType).toEqual(
      expect.arrayContaining([
        ['Account', 'Acme Corp'],
        ['Contact', 'Acme'],
      ]),
    );
    expect(byType).toHaveLength(2);
  });

  test('a SoslSpec escapes user input and narrows with a soql builder', async () => {
    env.emulator.org.insert('Account', [
      { Name: 'AT&T Wireless', Industry: 'Communications' },
      { Name: 'AT&T Retail', Industry: 'Retail' },
    ]);
    const result = await search(env.client, {
      find: 'AT&T',
      in: 'NAME',
      returning: [from('Account').find({ Industry: 'Communications' }, ['Id', 'Name'])],
    });
    expect(result.searchRecords.map((r) => r.Name)).toEqual(['AT&T Wireless']);
  });

  test('escaped reserved characters find nothing rather than break the query', async () => {
    env.emulator.org.insert('Account', [{ Name: 'Plain' }]);
    const term = escapeSosl('x} RETURNING User(Id');
    const result = await search(env.client, `FIND {${term}} RETURNING Account(Id)`);
    expect(result.searchRecords).toEqual([]);
  });

  test('a search term without braces is a BadRequestError with MALFORMED_SEARCH', async () => {
    const error = await search(env.client, 'FIND Acme').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).code).toBe('MALFORMED_SEARCH');
  });
});
