import { describe, expect, it } from 'vitest';
import type { OrgData } from '../schema/types.js';
import { executeSoql } from './execute.js';
import type { SoqlOptions } from './options.js';
import type { QueryResultSet, RenderContext } from './result-set.js';
import { recordUrl, seedOrg, TEST_OPTIONS, TestOrgData } from './test-support.js';

const { data, ids } = seedOrg();
const id = (name: string): string => ids[name] ?? '';

/** Child results in these tests fit one child page; a locator request would be a bug. */
const noLocator: RenderContext = {
  childLocator: () => {
    throw new Error('no child result here should need a locator');
  },
};

function records(soql: string, options: SoqlOptions = TEST_OPTIONS): Record<string, unknown>[] {
  const result = executeSoql(soql, data, options);
  return result.page(0, result.size, noLocator);
}

const account = (name: string): { type: string; url: string } => ({
  type: 'Account',
  url: recordUrl('Account', id(name)),
});
const user = (name: string): { type: string; url: string } => ({
  type: 'User',
  url: recordUrl('User', id(name)),
});

describe('field lists', () => {
  it('renders attributes first, then the fields in SELECT order with their canonical names', () => {
    const [acme] = records("select industry, NAME, id from account where name = 'Acme'");
    expect(acme).toEqual({ attributes: account('acme'), Industry: 'Energy', Name: 'Acme', Id: id('acme') });
    expect(Object.keys(acme ?? {})).toEqual(['attributes', 'Industry', 'Name', 'Id']);
  });

  it('renders null for empty fields, including fields the store never set', () => {
    expect(records("SELECT Website, Industry, AnnualRevenue FROM Account WHERE Name = 'initech'")).toEqual([
      { attributes: account('initech'), Website: null, Industry: null, AnnualRevenue: null },
    ]);
  });

  it('renders every value in its stored wire form', () => {
    expect(
      records(
        "SELECT Amount, CloseDate, IsWon, Probability, CreatedDate FROM Opportunity WHERE Name = 'Big Deal'",
      ),
    ).toEqual([
      {
        attributes: { type: 'Opportunity', url: recordUrl('Opportunity', id('bigDeal')) },
        Amount: 100000,
        CloseDate: '2024-03-31',
        IsWon: true,
        Probability: 100,
        CreatedDate: '2024-01-15T10:00:00.000+0000',
      },
    ]);
  });

  it('assembles a compound address from its component fields', () => {
    expect(
      records("SELECT BillingAddress FROM Account WHERE Name IN ('Acme', 'initech') ORDER BY Name"),
    ).toEqual([
      {
        attributes: account('acme'),
        BillingAddress: { city: 'Paris', country: 'France', postalCode: null, street: null },
      },
      { attributes: account('initech'), BillingAddress: null },
    ]);
  });

  it('accepts the object alias and the object name as a field prefix', () => {
    expect(records("SELECT a.Name FROM Account a WHERE a.Name = 'Acme'")).toEqual([
      { attributes: account('acme'), Name: 'Acme' },
    ]);
    expect(records("SELECT Account.Name FROM Account WHERE Name = 'Acme'")).toEqual([
      { attributes: account('acme'), Name: 'Acme' },
    ]);
  });

  it('passes toLabel(), FORMAT() and convertCurrency() through under the field name or alias', () => {
    expect(
      records(
        "SELECT toLabel(Industry), FORMAT(AnnualRevenue) rev, convertCurrency(AnnualRevenue) FROM Account WHERE Name = 'Acme'",
      ),
    ).toEqual([{ attributes: account('acme'), Industry: 'Energy', rev: 5000, AnnualRevenue: 5000 }]);
  });

  it('lists the selected paths as columns and reads flat rows in that order', () => {
    const result = executeSoql(
      "SELECT Id, Account.Name, Name FROM Contact WHERE Name LIKE '%o%' ORDER BY Name",
      data,
      TEST_OPTIONS,
    );
    expect(result.columns).toEqual(['Id', 'Account.Name', 'Name']);
    expect(result.rows(0, 10)).toEqual([
      [id('jo'), 'Acme', 'Jo Smith'],
      [id('max'), 'Globex', 'Max Power'],
      [id('orphan'), null, 'Orphan'],
    ]);
    expect(result.rows(1, 2)).toEqual([[id('max'), 'Globex', 'Max Power']]);
  });
});

describe('parent relationships', () => {
  it('nests each parent as an object with its own attributes, several levels deep', () => {
    expect(
      records(
        "SELECT Name, Account.Name, Account.Owner.Name, Account.Owner.Manager.Name FROM Contact WHERE Name = 'Max Power'",
      ),
    ).toEqual([
      {
        attributes: { type: 'Contact', url: recordUrl('Contact', id('max')) },
        Name: 'Max Power',
        Account: {
          attributes: account('globex'),
          Name: 'Globex',
          Owner: {
            attributes: user('second'),
            Name: 'Second User',
            Manager: { attributes: user('admin'), Name: 'Admin User' },
          },
        },
      },
    ]);
  });

  it('renders null for an empty lookup at any depth', () => {
    expect(
      records(
        "SELECT Account.Name, Account.Owner.Manager.Name FROM Contact WHERE Name IN ('Orphan', 'Jo Smith') ORDER BY Name",
      ),
    ).toEqual([
      {
        attributes: { type: 'Contact', url: recordUrl('Contact', id('jo')) },
        Account: {
          attributes: account('acme'),
          Name: 'Acme',
          Owner: { attributes: user('admin'), Manager: null },
        },
      },
      { attributes: { type: 'Contact', url: recordUrl('Contact', id('orphan')) }, Account: null },
    ]);
  });

  it('keeps one nested object per relationship, placed where the relationship first appears', () => {
    const [jo] = records("SELECT Account.Name, Name, Account.Industry FROM Contact WHERE Name = 'Jo Smith'");
    expect(jo).toEqual({
      attributes: { type: 'Contact', url: recordUrl('Contact', id('jo')) },
      Account: { attributes: account('acme'), Name: 'Acme', Industry: 'Energy' },
      Name: 'Jo Smith',
    });
    expect(Object.keys(jo ?? {})).toEqual(['attributes', 'Account', 'Name']);
  });

  it('follows custom relationships (__r) and self references', () => {
    expect(records("SELECT Name, Account__r.Name FROM Gadget__c WHERE Name = 'Green'")).toEqual([
      {
        attributes: { type: 'Gadget__c', url: recordUrl('Gadget__c', id('green')) },
        Name: 'Green',
        Account__r: { attributes: account('acme'), Name: 'Acme' },
      },
    ]);
    expect(records("SELECT Parent.Name FROM Account WHERE Name = 'Globex'")).toEqual([
      { attributes: account('globex'), Parent: { attributes: account('acme'), Name: 'Acme' } },
    ]);
  });

  it('gives polymorphic parents the concrete type in attributes, with What.Type', () => {
    expect(records('SELECT Subject, What.Name, What.Type FROM Task ORDER BY Subject')).toEqual([
      {
        attributes: { type: 'Task', url: recordUrl('Task', id('call')) },
        Subject: 'Call Acme',
        What: { attributes: account('acme'), Name: 'Acme', Type: 'Account' },
      },
      {
        attributes: { type: 'Task', url: recordUrl('Task', id('followUp')) },
        Subject: 'Follow up deal',
        What: {
          attributes: { type: 'Opportunity', url: recordUrl('Opportunity', id('bigDeal')) },
          Name: 'Big Deal',
          Type: 'Opportunity',
        },
      },
      { attributes: { type: 'Task', url: recordUrl('Task', id('loose')) }, Subject: 'Loose end', What: null },
    ]);
  });

  it('renders TYPEOF with the fields of the branch that matches the parent type', () => {
    const soql =
      'SELECT Subject, TYPEOF What WHEN Account THEN Name, Industry WHEN Opportunity THEN Name, Amount END FROM Task ORDER BY Subject';
    expect(records(soql)).toEqual([
      {
        attributes: { type: 'Task', url: recordUrl('Task', id('call')) },
        Subject: 'Call Acme',
        What: { attributes: account('acme'), Name: 'Acme', Industry: 'Energy' },
      },
      {
        attributes: { type: 'Task', url: recordUrl('Task', id('followUp')) },
        Subject: 'Follow up deal',
        What: {
          attributes: { type: 'Opportunity', url: recordUrl('Opportunity', id('bigDeal')) },
          Name: 'Big Deal',
          Amount: 100000,
        },
      },
      { attributes: { type: 'Task', url: recordUrl('Task', id('loose')) }, Subject: 'Loose end', What: null },
    ]);
    expect(executeSoql(soql, data, TEST_OPTIONS).columns).toEqual([
      'Subject',
      'What.Name',
      'What.Industry',
      'What.Amount',
    ]);
  });

  it('uses the ELSE fields for parent types without a WHEN branch', () => {
    expect(
      records(
        'SELECT TYPEOF What WHEN Account THEN Industry ELSE Name END FROM Task WHERE WhatId != null ORDER BY Subject',
      ),
    ).toEqual([
      {
        attributes: { type: 'Task', url: recordUrl('Task', id('call')) },
        What: { attributes: account('acme'), Industry: 'Energy' },
      },
      {
        attributes: { type: 'Task', url: recordUrl('Task', id('followUp')) },
        What: {
          attributes: { type: 'Opportunity', url: recordUrl('Opportunity', id('bigDeal')) },
          Name: 'Big Deal',
        },
      },
    ]);
  });
});

describe('child subqueries', () => {
  it('renders children as a nested query result, and null when there are none', () => {
    expect(
      records('SELECT Name, (SELECT LastName FROM Contacts ORDER BY LastName) FROM Account ORDER BY Name'),
    ).toEqual([
      {
        attributes: account('acme'),
        Name: 'Acme',
        Contacts: {
          totalSize: 2,
          done: true,
          records: [
            { attributes: { type: 'Contact', url: recordUrl('Contact', id('ann')) }, LastName: 'Lee' },
            { attributes: { type: 'Contact', url: recordUrl('Contact', id('jo')) }, LastName: 'Smith' },
          ],
        },
      },
      {
        attributes: account('globex'),
        Name: 'Globex',
        Contacts: {
          totalSize: 1,
          done: true,
          records: [
            { attributes: { type: 'Contact', url: recordUrl('Contact', id('max')) }, LastName: 'Power' },
          ],
        },
      },
      { attributes: account('initech'), Name: 'initech', Contacts: null },
    ]);
  });

  it('applies the subquery WHERE, ORDER BY and LIMIT per parent, with parent fields of the child', () => {
    const [acme] = records(
      "SELECT (SELECT Name, Account.Name FROM Opportunities WHERE Amount > 100 ORDER BY Amount DESC LIMIT 1), (SELECT Name FROM Gadgets__r WHERE Colors__c INCLUDES ('Green')) FROM Account WHERE Name = 'Acme'",
    );
    expect(acme).toEqual({
      attributes: account('acme'),
      Opportunities: {
        totalSize: 1,
        done: true,
        records: [
          {
            attributes: { type: 'Opportunity', url: recordUrl('Opportunity', id('bigDeal')) },
            Name: 'Big Deal',
            Account: { attributes: account('acme'), Name: 'Acme' },
          },
        ],
      },
      Gadgets__r: {
        totalSize: 1,
        done: true,
        records: [
          { attributes: { type: 'Gadget__c', url: recordUrl('Gadget__c', id('green')) }, Name: 'Green' },
        ],
      },
    });
  });

  it('gives a child result bigger than one child page done:false and a nextRecordsUrl for the rest', () => {
    const org = new TestOrgData();
    const parent = org.insert('Account', { Name: 'Big' });
    for (let i = 0; i < 250; i++) {
      org.insert('Contact', { LastName: `C${String(i).padStart(3, '0')}`, AccountId: parent });
    }
    const registered: { rest: QueryResultSet; nextOffset: number }[] = [];
    const ctx: RenderContext = {
      childLocator: (rest, nextOffset) => {
        registered.push({ rest, nextOffset });
        return '/services/data/v62.0/query/01gEM0000000001AAA-200';
      },
    };
    const result = executeSoql(
      'SELECT Name, (SELECT LastName FROM Contacts ORDER BY LastName) FROM Account',
      org,
      TEST_OPTIONS,
    );
    const [big] = result.page(0, 1, ctx) as [{ Contacts: Record<string, unknown> }];
    expect(Object.keys(big.Contacts)).toEqual(['totalSize', 'done', 'nextRecordsUrl', 'records']);
    expect(big.Contacts).toMatchObject({
      totalSize: 250,
      done: false,
      nextRecordsUrl: '/services/data/v62.0/query/01gEM0000000001AAA-200',
    });
    const firstPage = big.Contacts.records as { LastName: string }[];
    expect(firstPage).toHaveLength(200);
    expect(firstPage[199]?.LastName).toBe('C199');
    expect(registered).toHaveLength(1);
    const [{ rest, nextOffset }] = registered as [{ rest: QueryResultSet; nextOffset: number }];
    expect(nextOffset).toBe(200);
    expect(rest.totalSize).toBe(250);
    const remaining = rest.page(200, 400, ctx) as { attributes: { type: string }; LastName: string }[];
    expect(remaining.map((record) => record.LastName)).toEqual(
      Array.from({ length: 50 }, (_, i) => `C${String(200 + i).padStart(3, '0')}`),
    );
    expect(remaining[0]?.attributes.type).toBe('Contact');
  });

  it('indexes children once per query, not once per parent', () => {
    const org = new TestOrgData();
    const parents = Array.from({ length: 50 }, (_, i) => org.insert('Account', { Name: `P${i}` }));
    for (let i = 0; i < 500; i++)
      org.insert('Contact', { LastName: `C${i}`, AccountId: parents[i % 50] ?? null });
    let scans = 0;
    const counting: OrgData = {
      userId: org.userId,
      object: (name) => org.object(name),
      objects: () => org.objects(),
      byId: (recordId) => org.byId(recordId),
      records: (name) => {
        if (name === 'Contact') scans++;
        return org.records(name);
      },
    };
    const result = executeSoql('SELECT Name, (SELECT Id FROM Contacts) FROM Account', counting, TEST_OPTIONS);
    const page = result.page(0, 50, noLocator) as { Contacts: { totalSize: number } }[];
    expect(page.every((parent) => parent.Contacts.totalSize === 10)).toBe(true);
    result.page(0, 50, noLocator);
    expect(scans).toBe(1);
  });
});

describe('FIELDS()', () => {
  it('expands FIELDS(STANDARD) to the standard fields in schema order, without a LIMIT', () => {
    const result = executeSoql(
      "SELECT FIELDS(STANDARD) FROM Gadget__c WHERE Name = 'Green'",
      data,
      TEST_OPTIONS,
    );
    expect(result.columns).toEqual([
      'Id',
      'IsDeleted',
      'CreatedDate',
      'CreatedById',
      'LastModifiedDate',
      'SystemModstamp',
      'OwnerId',
      'Name',
    ]);
  });

  it('expands FIELDS(CUSTOM) and FIELDS(ALL) when LIMIT is at most 200', () => {
    const custom = executeSoql(
      "SELECT FIELDS(CUSTOM) FROM Gadget__c WHERE Name = 'Green' LIMIT 200",
      data,
      TEST_OPTIONS,
    );
    expect(custom.columns).toEqual(['Colors__c', 'Price__c', 'Launch__c', 'Notes__c', 'Account__c']);
    expect(custom.page(0, 1, noLocator)).toEqual([
      {
        attributes: { type: 'Gadget__c', url: recordUrl('Gadget__c', id('green')) },
        Colors__c: 'Green',
        Price__c: 99,
        Launch__c: null,
        Notes__c: null,
        Account__c: id('acme'),
      },
    ]);
    const all = executeSoql('SELECT FIELDS(ALL) FROM Gadget__c LIMIT 1', data, TEST_OPTIONS);
    expect(all.columns).toHaveLength(13);
    expect(all.size).toBe(1);
  });
});

describe('queryAll', () => {
  it('includes soft-deleted rows only when includeDeleted is set', () => {
    const soql = "SELECT Name, IsDeleted FROM Account WHERE Industry = 'Energy' ORDER BY Name";
    expect(records(soql)).toEqual([{ attributes: account('acme'), Name: 'Acme', IsDeleted: false }]);
    expect(records(soql, { ...TEST_OPTIONS, includeDeleted: true })).toEqual([
      { attributes: account('acme'), Name: 'Acme', IsDeleted: false },
      { attributes: account('gone'), Name: 'Gone Corp', IsDeleted: true },
    ]);
  });
});
