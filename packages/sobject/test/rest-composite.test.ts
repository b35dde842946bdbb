import { ApiError, ConfigurationError } from '@forcekit/core';
import { describe, expect, test } from 'vitest';
import { composite, compositeBatch } from '../src/rest/composite.js';
import { reference } from '../src/rest/references.js';
import { subrequest } from '../src/rest/subrequest.js';
import { compositeTree } from '../src/rest/tree.js';
import { useEmulator } from './rest-support.js';

const env = useEmulator();

describe('composite against the emulator', () => {
  test('creates an account and a contact that refers to it in one round trip', async () => {
    const acct = reference('acct');
    const result = await composite(
      env.client,
      {
        acct: subrequest.create('Account', { Name: 'Acme' }),
        contact: subrequest.create('Contact', { LastName: 'Ng', AccountId: acct.id }),
        read: subrequest.retrieve('Account', acct.id, ['Name']),
      },
      { allOrNone: true },
    );
    expect(result.success).toBe(true);
    expect(result.compositeResponse.map((r) => [r.referenceId, r.httpStatusCode])).toEqual([
      ['acct', 201],
      ['contact', 201],
      ['read', 200],
    ]);
    const accountId = (result.responses.acct.body as { id: string }).id;
    expect(result.responses.acct.httpHeaders.Location).toBe(
      `/services/data/v62.0/sobjects/Account/${accountId}`,
    );
    expect((result.responses.read.body as { Name: string }).Name).toBe('Acme');
    const [contact] = env.emulator.org.records('Contact');
    expect(contact?.AccountId).toBe(accountId);
  });

  test('refers to a query row with a path reference', async () => {
    env.emulator.org.insert('Account', [{ Name: 'Initech' }]);
    const q = reference('q');
    const result = await composite(env.client, [
      { referenceId: 'q', ...subrequest.query("SELECT Id FROM Account WHERE Name = 'Initech'") },
      { referenceId: 'upd', ...subrequest.update('Account', q.field('records[0].Id'), { Name: 'Initrode' }) },
    ]);
    expect(result.compositeResponse.map((r) => r.httpStatusCode)).toEqual([200, 204]);
    expect(env.emulator.org.records('Account').map((r) => r.Name)).toEqual(['Initrode']);
  });

  test('with allOrNone a failure rolls back the rest and is returned, not thrown', async () => {
    const result = await composite(
      env.client,
      {
        good: subrequest.create('Account', { Name: 'Kept?' }),
        bad: subrequest.create('Contact', { FirstName: 'no last name' }),
      },
      { allOrNone: true },
    );
    expect(result.success).toBe(false);
    expect(result.responses.bad.httpStatusCode).toBe(400);
    expect((result.responses.bad.body as { errorCode: string }[])[0]?.errorCode).toBe(
      'REQUIRED_FIELD_MISSING',
    );
    expect((result.responses.good.body as { errorCode: string }[])[0]?.errorCode).toBe('PROCESSING_HALTED');
    expect(env.emulator.org.records('Account')).toEqual([]);
  });

  test('refuses a reference to a later subrequest before sending anything', async () => {
    const before = env.emulator.org.limits.snapshot().DailyApiRequests?.Remaining;
    await expect(
      composite(env.client, {
        contact: subrequest.create('Contact', { LastName: 'x', AccountId: reference('acct').id }),
        acct: subrequest.create('Account', { Name: 'late' }),
      }),
    ).rejects.toThrow(/subrequests\[0\]: refers to "acct", which no earlier subrequest defines/);
    expect(env.emulator.org.limits.snapshot().DailyApiRequests?.Remaining).toBe(before);
  });

  test('refuses duplicate referenceIds and more than 25 subrequests', async () => {
    const twice = [
      { referenceId: 'a', ...subrequest.create('Account', { Name: '1' }) },
      { referenceId: 'a', ...subrequest.create('Account', { Name: '2' }) },
    ];
    await expect(composite(env.client, twice)).rejects.toThrow(/"a" is used twice/);
    const many = Object.fromEntries(
      Array.from({ length: 26 }, (_, i) => [`r${i}`, subrequest.create('Account', { Name: `n${i}` })]),
    );
    await expect(composite(env.client, many)).rejects.toBeInstanceOf(ConfigurationError);
  });
});

describe('compositeBatch against the emulator', () => {
  test('runs independent subrequests and reports each failure in its result', async () => {
    const [account] = env.emulator.org.insert('Account', [{ Name: 'Batch Co' }]);
    const id = account?.Id as string;
    const result = await compositeBatch(env.client, [
      subrequest.update('Account', id, { Name: 'Batch Renamed' }),
      subrequest.retrieve('Account', id, ['Name']),
      subrequest.retrieve('Account', '001000000000000AAA', ['Name']),
    ]);
    expect(result.hasErrors).toBe(true);
    expect(result.results.map((r) => r.statusCode)).toEqual([204, 200, 404]);
    expect(result.results[1]?.result).toMatchObject({ Name: 'Batch Renamed' });
  });

  test('refuses references, which only composite resolves', async () => {
    await expect(
      compositeBatch(env.client, [subrequest.delete('Account', reference('x').id)]),
    ).rejects.toThrow(/cannot use references/);
  });
});

describe('compositeTree against the emulator', () => {
  test('creates accounts with their contacts and returns the ids by referenceId', async () => {
    const result = await compositeTree(env.client, 'Account', [
      {
        attributes: { referenceId: 'acme' },
        Name: 'Acme',
        Contacts: {
          records: [
            { attributes: { type: 'Contact' }, LastName: 'Smith' },
            { attributes: { type: 'Contact', referenceId: 'jones' }, LastName: 'Jones' },
          ],
        },
      },
      { Name: 'Globex' },
    ]);
    expect(result.hasErrors).toBe(false);
    expect(Object.keys(result.ids).sort()).toEqual(['acme', 'jones', 'ref1', 'ref2']);
    const contacts = env.emulator.org.records('Contact');
    expect(contacts.map((c) => c.AccountId)).toEqual([result.ids.acme, result.ids.acme]);
    expect(
      env.emulator.org
        .records('Account')
        .map((a) => a.Id)
        .sort(),
    ).toEqual([result.ids.acme, result.ids.ref2].sort());
  });

  test('a failing record saves nothing and throws', async () => {
    const error = await compositeTree(env.client, 'Account', [
      {
        Name: 'Doomed',
        Contacts: { records: [{ attributes: { type: 'Contact' }, FirstName: 'no last name' }] },
      },
    ]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(400);
    expect(env.emulator.org.records('Account')).toEqual([]);
  });

  test('names a child record that does not say its type', async () => {
    await expect(
      compositeTree(env.client, 'Account', [{ Name: 'a', Contacts: { records: [{ LastName: 'x' }] } }]),
    ).rejects.toThrow(/records\[0\]\.Contacts\.records\[0\]\.attributes\.type/);
  });
});
