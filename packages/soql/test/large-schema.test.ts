// A schema the size of a real org's: hundreds of fields per object and a dozen lookups between
// objects that all point at each other. Enumerating every field path five relationships deep would be
// hundreds of millions of strings; typed queries only walk the paths they name, so `tsc` stays fast
// on this file (see the README for the measured instantiation counts).
import { describe, expect, expectTypeOf, it } from 'vitest';
import { type FieldType, from, type QueryBuilder, type QueryRow } from '../src/index.js';

type Digit = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9';
type Custom<Prefix extends string, V> = { [K in `${Prefix}${Digit}${Digit}__c`]: V };
/** 400 custom fields of four types. */
type CustomFields = Custom<'Text', string | null> &
  Custom<'Amount', number | null> &
  Custom<'Flag', boolean> &
  Custom<'When', Date | null>;

interface Audited {
  Id: string;
  Name: string;
  CreatedDate: Date;
  CreatedBy: BigUser;
  LastModifiedBy: BigUser;
  Owner: BigUser;
}

interface BigUser extends Audited, CustomFields {
  Email: string;
  Manager: BigUser | null;
  Account: BigAccount | null;
  Contact: BigContact | null;
  DelegatedApprover: BigUser | null;
}

interface BigAccount extends Audited, CustomFields {
  Parent: BigAccount | null;
  MasterRecord: BigAccount | null;
  PrimaryContact__r: BigContact | null;
  Partner__r: BigAccount | null;
  Contacts: BigContact[];
  Opportunities: BigOpportunity[];
}

interface BigContact extends Audited, CustomFields {
  Account: BigAccount | null;
  ReportsTo: BigContact | null;
  MasterRecord: BigContact | null;
}

interface BigOpportunity extends Audited, CustomFields {
  Amount: number | null;
  Account: BigAccount | null;
  Campaign__r: BigAccount | null;
  Contact__r: BigContact | null;
}

type RowOf<Q> = Q extends QueryBuilder<infer T, infer S> ? QueryRow<T, S> : never;

describe('a schema with hundreds of fields and cross-references', () => {
  it('checks deep paths, operators and values, and narrows the rows', () => {
    const query = from<BigAccount>('Account')
      .find(
        {
          Text07__c: { $like: 'A%' },
          'Owner.Manager.Account.Parent.Owner.Email': { $ne: null },
          'PrimaryContact__r.ReportsTo.Flag42__c': true,
          $or: [{ Amount99__c: { $gte: 10 } }, { When00__c: null }],
        },
        ['Id', 'Name', 'Owner.Manager.Email', 'Parent.Amount12__c'],
      )
      .include('Opportunities', { 'Account.Owner.Text01__c': 'x' }, ['Amount', 'Contact__r.Name'], {
        limit: 5,
      })
      .sort('-CreatedDate Name')
      .limit(10);

    expectTypeOf<RowOf<typeof query>>().toEqualTypeOf<{
      Id: string;
      Name: string;
      Owner: { Manager: { Email: string } | null };
      Parent: { Amount12__c: number | null } | null;
      Opportunities: {
        totalSize: number;
        done: boolean;
        nextRecordsUrl?: string;
        records: { Amount: number | null; Contact__r: { Name: string } | null }[];
      } | null;
    }>();
    expectTypeOf<FieldType<BigAccount, 'Owner.Manager.Account.Parent.Owner.Email'>>().toEqualTypeOf<string>();

    // @ts-expect-error a field the schema does not have, five relationships deep
    from<BigAccount>('Account').where({ 'Owner.Manager.Account.Parent.Owner.Emial': 'x' });
    // @ts-expect-error a number field compared with a string
    from<BigAccount>('Account').where({ 'Parent.Amount12__c': 'ten' });

    expect(query.toSOQL()).toBe(
      "SELECT Id, Name, Owner.Manager.Email, Parent.Amount12__c, (SELECT Amount, Contact__r.Name FROM Opportunities WHERE Account.Owner.Text01__c = 'x' LIMIT 5) FROM Account WHERE Text07__c LIKE 'A%' AND Owner.Manager.Account.Parent.Owner.Email != null AND PrimaryContact__r.ReportsTo.Flag42__c = true AND (Amount99__c >= 10 OR When00__c = null) ORDER BY CreatedDate DESC, Name ASC LIMIT 10",
    );
  });
});
