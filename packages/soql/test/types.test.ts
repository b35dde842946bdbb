// Compile-time behaviour of typed queries. `tsc -p tsconfig.json` checks this file: every
// `@ts-expect-error` line must fail to type-check and every `expectTypeOf` must hold. The runtime
// assertions only confirm the same builders compile.
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  type ChildQueryResult,
  type FieldType,
  from,
  type QueryBuilder,
  type QueryEvents,
  type QueryResult,
  type QueryRow,
  SoqlBuildError,
  SoqlDate,
  SoqlLike,
  type UntypedRecord,
} from '../src/index.js';
import type { Account, Contact, User } from './schema.js';

type RowOf<Q> = Q extends QueryBuilder<infer T, infer S> ? QueryRow<T, S> : never;

describe('typed field paths', () => {
  it('resolves scalar fields and parent paths up to five relationships deep, and nothing else', () => {
    expectTypeOf<FieldType<Account, 'Name'>>().toEqualTypeOf<string>();
    expectTypeOf<FieldType<Account, 'Owner.Name'>>().toEqualTypeOf<string>();
    expectTypeOf<FieldType<Account, 'Parent.AnnualRevenue'>>().toEqualTypeOf<number | null>();
    expectTypeOf<FieldType<Account, 'Owner.Manager.Manager.Manager.Manager.Name'>>().toEqualTypeOf<string>();
    expectTypeOf<FieldType<Account, 'Owner.Manager.Manager.Manager.Manager.Manager.Name'>>().toBeNever();
    expectTypeOf<FieldType<Account, 'Owner'>>().toBeNever();
    expectTypeOf<FieldType<Account, 'Contacts'>>().toBeNever();
    expectTypeOf<FieldType<Account, 'Name.Length'>>().toBeNever();
    expectTypeOf<FieldType<Account, 'Nmae'>>().toBeNever();
  });

  it('rejects unknown fields in select, where, sort, groupBy and include', () => {
    const accounts = from<Account>('Account');
    // @ts-expect-error unknown field in an array select
    accounts.select(['Id', 'Nmae']);
    // @ts-expect-error unknown field in a comma-separated select
    accounts.select('Id, Nmae');
    // @ts-expect-error unknown field in a projection
    accounts.select({ Id: 1, Nmae: 1 });
    // @ts-expect-error unknown relationship path
    accounts.select(['Owner.Nmae']);
    // @ts-expect-error unknown field in where
    accounts.where({ Nmae: 'Acme' });
    // @ts-expect-error unknown field inside $or
    accounts.where({ $or: [{ Name: 'a' }, { Nmae: 'b' }] });
    // @ts-expect-error unknown field in a sort string
    accounts.sort('-CreatedDate Nmae');
    // @ts-expect-error unknown field in a sort object
    accounts.sort({ Nmae: -1 });
    // @ts-expect-error unknown field in groupBy
    accounts.groupBy(['Nmae']);
    // @ts-expect-error unknown child relationship
    accounts.include('Contactz');
    // @ts-expect-error unknown field of the child object
    accounts.include('Contacts', { Nmae: 'x' });
    // @ts-expect-error unknown field in the child select
    accounts.include('Contacts', null, ['LastNmae']);
    expect(accounts.select(['Id', 'Owner.Manager.Name']).toSOQL()).toBe(
      'SELECT Id, Owner.Manager.Name FROM Account',
    );
  });

  it('accepts the valid forms of every clause', () => {
    const soql = from<Account>('Account')
      .find({ Name: { $like: 'A%' }, 'Owner.IsActive': true }, 'Id, Name, Owner.Email')
      .sort('-CreatedDate Name')
      .sort({ 'Owner.Name': 'desc' })
      .sort([['AnnualRevenue', -1, 'last']])
      .include('Contacts', { LastName: { $ne: null } }, ['Id', 'Account.Name'], {
        sort: '-LastName',
        limit: 5,
      })
      .toSOQL();
    expect(soql).toContain('FROM Account');
  });
});

describe('typed operators and values', () => {
  const accounts = from<Account>('Account');

  it('offers $like on strings only', () => {
    accounts.where({ Name: { $like: 'A%' } });
    accounts.where({ Name: { $nlike: SoqlLike.contains('50%') } });
    // @ts-expect-error $like on a number field
    accounts.where({ AnnualRevenue: { $like: '1%' } });
    // @ts-expect-error $like on a boolean field
    accounts.where({ IsDeleted: { $like: 't%' } });
  });

  it('offers $includes / $excludes on multi-select picklists only', () => {
    accounts.where({ Interests__c: { $includes: ['Golf;Chess', 'Sailing'] } });
    accounts.where({ Interests__c: { $excludes: ['Golf'] } });
    // @ts-expect-error $includes on a plain string field
    accounts.where({ Name: { $includes: ['a'] } });
    // @ts-expect-error $like on a multi-select picklist
    accounts.where({ Interests__c: { $like: 'G%' } });
  });

  it('checks values against the field type', () => {
    accounts.where({ AnnualRevenue: { $gte: 1000, $lt: 5000 }, IsDeleted: false, Type: 'Partner' });
    accounts.where({ Type: { $in: ['Customer', 'Partner'] }, Industry: null });
    accounts.where({ CreatedDate: { $gte: SoqlDate.LAST_N_DAYS(30) }, 'Owner.Manager.IsActive': true });
    accounts.where({ CreatedDate: new Date() });
    // @ts-expect-error a string for a number field
    accounts.where({ AnnualRevenue: '1000' });
    // @ts-expect-error a picklist value that does not exist
    accounts.where({ Type: 'Reseller' });
    // @ts-expect-error a range operator on a boolean
    accounts.where({ IsDeleted: { $gt: false } });
    // The runtime refuses it too.
    // @ts-expect-error an unknown operator
    expect(() => accounts.where({ Name: { $regex: 'A.*' } })).toThrow(SoqlBuildError);
  });

  it('lets undefined values through, since they are skipped', () => {
    const filter: { name?: string | undefined } = {};
    accounts.where({ Name: filter.name, AnnualRevenue: { $gt: undefined } });
  });

  it('takes a query as a semi-join source for $in', () => {
    const soql = from<Contact>('Contact')
      .where({
        'Account.Id': { $in: from('Opportunity').select('AccountId').where({ StageName: 'Closed Won' }) },
      })
      .toSOQL();
    expect(soql).toContain('IN (SELECT AccountId FROM Opportunity');
  });
});

describe('typed results', () => {
  const accounts = from<Account>('Account');

  it('is { Id } when nothing is selected', () => {
    expectTypeOf<RowOf<typeof accounts>>().toEqualTypeOf<{ Id: string }>();
  });

  it('narrows to the selected fields, nesting relationship paths and keeping nullability', () => {
    const query = accounts.select(['Id', 'Name', 'Owner.Name', 'Owner.Manager.Email', 'Parent.Name']);
    expectTypeOf<RowOf<typeof query>>().toEqualTypeOf<{
      Id: string;
      Name: string;
      Owner: { Name: string; Manager: { Email: string } | null };
      Parent: { Name: string } | null;
    }>();
  });

  it('narrows the same way from a comma string, a projection, and find()', () => {
    const expected = {} as { Name: string; Owner: { Email: string } };
    expectTypeOf<RowOf<ReturnType<typeof accounts.select<'Name, Owner.Email'>>>>().toEqualTypeOf(expected);
    const projected = accounts.select({ Name: 1, 'Owner.Email': true });
    expectTypeOf<RowOf<typeof projected>>().toEqualTypeOf(expected);
    const found = accounts.find({ Name: 'x' }, ['Name', 'Owner.Email']);
    expectTypeOf<RowOf<typeof found>>().toEqualTypeOf(expected);
  });

  it('accumulates across select calls and keeps the selection through other methods', () => {
    const query = accounts
      .select(['Name'])
      .where({ Name: 'x' })
      .sort('Name')
      .limit(5)
      .select('AnnualRevenue');
    expectTypeOf<RowOf<typeof query>>().toEqualTypeOf<{ Name: string; AnnualRevenue: number | null }>();
  });

  it('adds included children as nested query results or null', () => {
    const query = accounts.select(['Name']).include('Contacts', null, ['LastName', 'Owner.Name']);
    expectTypeOf<RowOf<typeof query>>().toEqualTypeOf<{
      Name: string;
      Contacts: ChildQueryResult<{ LastName: string; Owner: { Name: string } }> | null;
    }>();
    const bare = accounts.include('Opportunities');
    expectTypeOf<RowOf<typeof bare>>().toEqualTypeOf<{
      Id: string;
      Opportunities: ChildQueryResult<{ Id: string }> | null;
    }>();
  });

  it('types aggregate columns by alias, and exprN for unaliased ones', () => {
    const grouped = from<Account>('Account').select(['Type', 'SUM(AnnualRevenue) revenue']).groupBy('Type');
    expectTypeOf<RowOf<typeof grouped>>().toEqualTypeOf<{
      Type: 'Customer' | 'Partner' | 'Prospect' | null;
      revenue: number | string | null;
    }>();
    const unaliased = from<Account>('Account').select(['COUNT(Id)']);
    expectTypeOf<RowOf<typeof unaliased>>().toHaveProperty('expr0');
  });

  it('resolves execute(), first(), events, edits and for await to the row type', () => {
    const query = accounts.select(['Name']);
    type Row = { Name: string };
    expectTypeOf(query.execute).returns.toEqualTypeOf<Promise<QueryResult<Row>>>();
    expectTypeOf(query.first).returns.toEqualTypeOf<Promise<Row | undefined>>();
    expectTypeOf(query.count).returns.toEqualTypeOf<Promise<number>>();
    expectTypeOf(query.run).returns.toEqualTypeOf<QueryEvents<Row>>();
    expectTypeOf(query[Symbol.asyncIterator]).returns.toEqualTypeOf<AsyncIterator<Row>>();
    // Type-checked only (the builder is unbound, so running these would reject).
    const typeChecks = (q: typeof query) => {
      q.on('record', (record) => expectTypeOf(record).toEqualTypeOf<Row>());
      // update() takes the schema's fields, checked, or a function of the row.
      void q.update({ Industry: 'Energy' });
      void q.update((row) => ({ Name: `${row.Name} (old)` }));
      // @ts-expect-error unknown field in an update
      void q.update({ Nmae: 'x' });
    };
    expect(typeof typeChecks).toBe('function');
  });

  it('is not thenable, so awaiting a builder is a type-level no-op, not a query', () => {
    expectTypeOf(accounts).not.toHaveProperty('then');
  });
});

describe('untyped queries', () => {
  it('accept any field name and any operator, and return UntypedRecord rows', () => {
    const query = from('Anything__c')
      .find({ Whatever__c: { $like: 'x%' }, Other: { $includes: ['a'] } }, ['Id', 'A.B.C.D.E'])
      .sort('-Whatever__c')
      .include('Children__r', { X: 1 });
    expectTypeOf<RowOf<typeof query>>().toEqualTypeOf<UntypedRecord>();
    expect(query.toSOQL()).toBe(
      "SELECT Id, A.B.C.D.E, (SELECT Id FROM Children__r WHERE X = 1) FROM Anything__c WHERE Whatever__c LIKE 'x%' AND Other INCLUDES ('a') ORDER BY Whatever__c DESC",
    );
  });
});

describe('child record types', () => {
  it('type-checks include conditions against the child schema', () => {
    const query = from<Account>('Account').include('Contacts', { 'Owner.Manager.IsActive': true });
    expectTypeOf(query.toSOQL()).toBeString();
    // @ts-expect-error wrong value type for a child field
    from<Account>('Account').include('Contacts', { LastName: 3 });
    // @ts-expect-error User has no child relationships in this schema
    from<User>('User').include('Contacts');
  });
});
