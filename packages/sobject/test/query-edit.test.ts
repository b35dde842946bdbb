import { NetworkError, ServerError } from '@forcekit/core';
import { describe, expect, it } from 'vitest';
import { PartialSaveError, query } from '../src/index.js';
import { rejectionOf, sentTo, useOrg } from './support.js';

const org = useOrg();

function seed(n: number): void {
  org.emulator.org.generate('Account', n, {
    Name: (i: number) => `A${String(i).padStart(4, '0')}`,
    Industry: (i: number) => (i % 2 === 0 ? 'Energy' : 'Banking'),
  });
}

describe('query.update()', () => {
  it('sets the same fields on every record the query returns, through collections', async () => {
    seed(2000);
    const results = await query(org.client, "SELECT Id FROM Account WHERE Industry = 'Energy'").update({
      Description: 'energy company',
    });
    expect(results).toHaveLength(1000);
    expect(results.every((result) => result.success)).toBe(true);
    const hot = org.emulator.org
      .records('Account')
      .filter((record) => record.Description === 'energy company');
    expect(hot).toHaveLength(1000);
    expect(hot.every((record) => record.Industry === 'Energy')).toBe(true);
    // Groups of 800 while paging: 4 + 1 requests.
    expect(sentTo(org.sent, 'PATCH', 'composite/sobjects')).toHaveLength(5);
  });

  it('takes a function: returned fields are sent, null skips the record, assignments are sent as changes', async () => {
    seed(6);
    const results = await query(org.client, 'SELECT Id, Name FROM Account ORDER BY Name').update((record) => {
      const name = record.Name as string;
      if (name === 'A0000') return null;
      if (name === 'A0001') {
        record.Name = 'Renamed by assignment';
        return undefined;
      }
      return { Description: `was ${name}` };
    });
    expect(results).toHaveLength(5);
    const byName = new Map(org.emulator.org.records('Account').map((r) => [r.Name, r]));
    expect(byName.get('A0000')?.Description ?? null).toBeNull();
    expect(byName.has('Renamed by assignment')).toBe(true);
    expect(byName.get('A0005')?.Description).toBe('was A0005');
  });

  it('reports failures per record without throwing', async () => {
    seed(3);
    const results = await query(org.client, 'SELECT Id, Name FROM Account ORDER BY Name').update((record) =>
      record.Name === 'A0001' ? { Name: '' } : { Description: 'ok' },
    );
    expect(results.map((result) => result.success)).toEqual([true, false, true]);
    expect(results[1]?.errors[0]?.statusCode).toBe('REQUIRED_FIELD_MISSING');
  });
});

describe('query.destroy()', () => {
  it('deletes every record the query returns and returns one result per record', async () => {
    seed(1000);
    const results = await query(org.client, "SELECT Id FROM Account WHERE Industry = 'Banking'").destroy();
    expect(results).toHaveLength(500);
    expect(results.every((result) => result.success)).toBe(true);
    const left = org.emulator.org.records('Account');
    expect(left).toHaveLength(500);
    expect(left.every((record) => record.Industry === 'Energy')).toBe(true);
    expect(sentTo(org.sent, 'DELETE', 'composite/sobjects')).toHaveLength(3);
  });

  it('deletes nothing when the query matches nothing', async () => {
    seed(5);
    await expect(query(org.client, "SELECT Id FROM Account WHERE Name = 'none'").destroy()).resolves.toEqual(
      [],
    );
    expect(org.emulator.org.records('Account')).toHaveLength(5);
    expect(sentTo(org.sent, 'DELETE', 'composite/sobjects')).toHaveLength(0);
  });
});

describe('a bulk edit that fails part way', () => {
  it('throws PartialSaveError with the results of the groups already saved', async () => {
    seed(1000);
    let patches = 0;
    org.recorder.onRequest = (request) => {
      if (request.method === 'PATCH' && request.path.endsWith('/composite/sobjects') && ++patches === 5) {
        org.emulator.org.faults.dropConnection({ path: '/services/data/*/composite/sobjects', times: 1 });
      }
    };
    const error = await rejectionOf(
      query(org.client, 'SELECT Id FROM Account').update({ Description: 'x' }, { concurrency: 1 }),
    );
    expect(error).toBeInstanceOf(PartialSaveError);
    const { results, cause } = error as PartialSaveError;
    expect(cause).toBeInstanceOf(NetworkError);
    expect(results).toHaveLength(1000);
    expect(results.slice(0, 800).every((result) => result?.success === true)).toBe(true);
    expect(results.slice(800).every((result) => result === undefined)).toBe(true);
  });

  it('throws the failure itself when nothing was saved yet', async () => {
    seed(10);
    org.emulator.org.faults.error({
      method: 'DELETE',
      path: '/services/data/*/composite/sobjects',
      status: 500,
    });
    const error = await rejectionOf(query(org.client, 'SELECT Id FROM Account').destroy());
    expect(error).toBeInstanceOf(ServerError);
  });
});
