import { text } from 'node:stream/consumers';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  isTracked,
  type QueryEditResult,
  type QueryResult,
  type QueryRunSummary,
  type SaveResult,
  SObject,
} from '../src/index.js';
import { sentTo, useOrg } from './support.js';

const org = useOrg();

interface User {
  Id: string;
  Name: string;
}
interface Contact {
  Id: string;
  LastName: string;
  Email: string | null;
  Account: Account | null;
}
interface Account {
  Id: string;
  Name: string;
  Industry: string | null;
  AnnualRevenue: number | null;
  Owner: User;
  Contacts: Contact[];
}

const accounts = () => new SObject<Account>(org.client, 'Account');

function seed(n: number): void {
  org.emulator.org.generate('Account', n, {
    Name: (i: number) => `A${String(i).padStart(4, '0')}`,
    Industry: (i: number) => (i % 2 === 0 ? 'Energy' : 'Banking'),
  });
}

/** The SOQL of the query requests the client sent. */
const soqlSent = () =>
  sentTo(org.sent, 'GET', 'query?').map((request) => new URL(request.path, 'http://x').searchParams.get('q'));

describe('bound builders: conn.sobject(type).find(...)', () => {
  it('compiles the conditions and runs the query: execute() resolves to the page', async () => {
    seed(10);
    const query = accounts().find({ Industry: 'Energy' }, ['Id', 'Name']).sort('-Name').limit(3);
    const result = await query.execute();
    expectTypeOf(result).toEqualTypeOf<QueryResult<{ Id: string; Name: string }>>();
    expect(result.totalSize).toBe(3);
    expect(result.done).toBe(true);
    expect(result.records.map((record) => record.Name)).toEqual(['A0008', 'A0006', 'A0004']);
    expect(result.records.every(isTracked)).toBe(true);
    expect(soqlSent()).toEqual([
      "SELECT Id, Name FROM Account WHERE Industry = 'Energy' ORDER BY Name DESC LIMIT 3",
    ]);
  });

  it('takes the executor options: autoFetch, maxFetch, batchSize', async () => {
    seed(2500);
    const all = await accounts().select(['Id']).execute({ autoFetch: true, batchSize: 1000 });
    expect(all.records).toHaveLength(2500);
    expect(sentTo(org.sent, 'GET', 'query')).toHaveLength(3);
  });

  it('findOne(), count() and first()', async () => {
    seed(6);
    const one = await accounts().findOne({ Name: 'A0003' }, ['Id', 'Name', 'Industry']);
    expectTypeOf(one).toEqualTypeOf<{ Id: string; Name: string; Industry: string | null } | undefined>();
    expect(one?.Industry).toBe('Banking');
    await expect(accounts().findOne({ Name: 'none' })).resolves.toBeUndefined();
    await expect(accounts().count({ Industry: 'Energy' })).resolves.toBe(3);
    await expect(accounts().count()).resolves.toBe(6);
    const first = await accounts().select(['Name']).sort('Name').first();
    expect(first?.Name).toBe('A0000');
    expect(soqlSent()).toContain('SELECT Name FROM Account ORDER BY Name ASC LIMIT 1');
  });

  it('relationship fields and child subqueries come back nested, children complete', async () => {
    const [acme] = org.emulator.org.insert('Account', [{ Name: 'Acme' }]);
    org.emulator.org.insert(
      'Contact',
      Array.from({ length: 230 }, (_, i) => ({ LastName: `C${i}`, AccountId: acme?.Id })),
    );
    const [row] = (
      await accounts()
        .find({ Name: 'Acme' }, ['Name', 'Owner.Name'])
        .include('Contacts', null, ['LastName'], { sort: 'LastName' })
        .execute()
    ).records;
    expect(row?.Owner.Name).toBe('Admin User');
    expect(row?.Contacts?.done).toBe(true);
    expect(row?.Contacts?.records).toHaveLength(230);
  });

  it('for await, stream() and toCSV() page through a builder', async () => {
    seed(2100);
    let n = 0;
    for await (const record of accounts().select(['Name'])) {
      expectTypeOf(record).toEqualTypeOf<{ Name: string }>();
      n++;
    }
    expect(n).toBe(2100);
    const streamed = await accounts().find({ Industry: 'Banking' }).stream().toArray();
    expect(streamed).toHaveLength(1050);
    const csv = await text(accounts().select(['Name', 'Industry']).sort('Name').limit(2).toCSV());
    expect(csv).toBe('Name,Industry\r\nA0000,Energy\r\nA0001,Banking\r\n');
  });

  it('runs in event style', async () => {
    seed(5);
    const names: string[] = [];
    const summary = await new Promise<QueryRunSummary>((resolve, reject) => {
      accounts()
        .select(['Name'])
        .sort('Name')
        .on('record', (record) => names.push(record.Name))
        .on('error', reject)
        .on('end', resolve)
        .run({ autoFetch: true });
    });
    expect(names).toEqual(['A0000', 'A0001', 'A0002', 'A0003', 'A0004']);
    expect(summary).toEqual({ totalSize: 5, totalFetched: 5 });
  });

  it('update() and destroy() edit what the query matches', async () => {
    seed(8);
    const updated = await accounts()
      .find({ Industry: 'Energy' }, ['Id', 'Name'])
      .update((row) => ({ Name: `${row.Name} (energy)` }));
    expectTypeOf(updated).toEqualTypeOf<QueryEditResult[]>();
    expect(updated.map((result) => result.success)).toEqual([true, true, true, true]);
    const names = org.emulator.org.records('Account').map((record) => record.Name);
    expect(names.filter((name) => String(name).endsWith('(energy)'))).toHaveLength(4);
    const destroyed: SaveResult[] = await accounts()
      .find({ Industry: 'Banking' })
      .destroy({ allOrNone: true });
    expect(destroyed).toHaveLength(4);
    expect(org.emulator.org.records('Account')).toHaveLength(4);
  });

  it('explain() returns the plans', async () => {
    seed(3);
    const explanation = await accounts().find({ Name: 'A0001' }).explain();
    expect(explanation.plans[0]?.sobjectType).toBe('Account');
  });
});

describe('typed repositories', () => {
  it('check field names and values of saves at compile time', () => {
    const typeChecks = (repo: SObject<Account>) => {
      void repo.create({ Name: 'ok', AnnualRevenue: 5, Industry: null });
      // @ts-expect-error unknown field
      void repo.create({ Nmae: 'typo' });
      // @ts-expect-error wrong value type
      void repo.create({ Name: 42 });
      void repo.update([{ Id: '001000000000001AAA', Name: 'ok' }]);
      // @ts-expect-error unknown field in a where
      void repo.find({ Nmae: 'x' });
    };
    expect(typeof typeChecks).toBe('function');
  });
});
