import { describe, expect, it } from 'vitest';
import type { OrgData } from '../schema/types.js';
import { executeSoql } from './execute.js';
import { seedOrg, TEST_OPTIONS, TestOrgData } from './test-support.js';

const { data, ids } = seedOrg();
const ctx = { childLocator: () => '' };

function rows(soql: string, org: OrgData = data): Record<string, unknown>[] {
  const result = executeSoql(soql, org, TEST_OPTIONS);
  return result.page(0, result.size, ctx);
}

const aggregate = { type: 'AggregateResult' };

describe('aggregate functions without GROUP BY', () => {
  it('returns one AggregateResult row, unaliased functions named expr0, expr1... in SELECT order', () => {
    expect(
      rows(
        'SELECT COUNT(Id) c, SUM(AnnualRevenue), AVG(AnnualRevenue), MIN(AnnualRevenue), MAX(AnnualRevenue) FROM Account',
      ),
    ).toEqual([{ attributes: aggregate, c: 3, expr0: 6000, expr1: 3000, expr2: 1000, expr3: 5000 }]);
  });

  it('returns one row over no records: counts 0, other aggregates null', () => {
    expect(
      rows("SELECT COUNT(Id), SUM(AnnualRevenue), MAX(Name) FROM Account WHERE Name = 'nobody'"),
    ).toEqual([{ attributes: aggregate, expr0: 0, expr1: null, expr2: null }]);
  });

  it('counts non-null values with COUNT(field) and distinct ones with COUNT_DISTINCT', () => {
    expect(rows('SELECT COUNT(Amount), COUNT_DISTINCT(StageName), COUNT(Id) FROM Opportunity')).toEqual([
      { attributes: aggregate, expr0: 3, expr1: 3, expr2: 4 },
    ]);
  });

  it('takes MIN and MAX of dates, datetimes and text in their wire form', () => {
    expect(rows('SELECT MIN(CloseDate), MAX(CloseDate) FROM Opportunity')).toEqual([
      { attributes: aggregate, expr0: '2024-01-10', expr1: '2024-04-15' },
    ]);
    expect(rows('SELECT MAX(CreatedDate), MIN(Name), MAX(Name) FROM Account')).toEqual([
      { attributes: aggregate, expr0: '2024-03-10T09:00:00.000+0000', expr1: 'Acme', expr2: 'initech' },
    ]);
  });
});

describe('GROUP BY', () => {
  it('groups rows and renders grouped fields under their own names', () => {
    expect(
      rows(
        'SELECT StageName, COUNT(Id), SUM(Amount) total FROM Opportunity GROUP BY StageName ORDER BY StageName',
      ),
    ).toEqual([
      { attributes: aggregate, StageName: 'Closed Lost', expr0: 1, total: 2500 },
      { attributes: aggregate, StageName: 'Closed Won', expr0: 1, total: 100000 },
      { attributes: aggregate, StageName: 'Prospecting', expr0: 2, total: 500 },
    ]);
  });

  it('groups by a relationship field, keyed by the field name, with a null group first', () => {
    expect(
      rows(
        'SELECT Account.Name, SUM(Amount) total FROM Opportunity GROUP BY Account.Name ORDER BY Account.Name',
      ),
    ).toEqual([
      { attributes: aggregate, Name: null, total: null },
      { attributes: aggregate, Name: 'Acme', total: 100500 },
      { attributes: aggregate, Name: 'Globex', total: 2500 },
    ]);
  });

  it('groups by several fields and by reference ids', () => {
    expect(
      rows(
        'SELECT AccountId, IsWon, COUNT(Id) FROM Opportunity WHERE AccountId != null GROUP BY AccountId, IsWon ORDER BY COUNT(Id) DESC, IsWon',
      ),
    ).toEqual([
      { attributes: aggregate, AccountId: ids.acme, IsWon: false, expr0: 1 },
      { attributes: aggregate, AccountId: ids.globex, IsWon: false, expr0: 1 },
      { attributes: aggregate, AccountId: ids.acme, IsWon: true, expr0: 1 },
    ]);
  });

  it('orders groups by an aggregate, ties in first-seen order', () => {
    expect(
      rows('SELECT AccountId, COUNT(Id) n FROM Contact GROUP BY AccountId ORDER BY COUNT(Id) DESC'),
    ).toEqual([
      { attributes: aggregate, AccountId: ids.acme, n: 2 },
      { attributes: aggregate, AccountId: ids.globex, n: 1 },
      { attributes: aggregate, AccountId: null, n: 1 },
    ]);
  });

  it('groups by date functions, aliased or named exprN', () => {
    expect(
      rows(
        'SELECT CALENDAR_MONTH(CloseDate) m, COUNT(Id) FROM Opportunity GROUP BY CALENDAR_MONTH(CloseDate) ORDER BY CALENDAR_MONTH(CloseDate)',
      ),
    ).toEqual([
      { attributes: aggregate, m: 1, expr0: 1 },
      { attributes: aggregate, m: 2, expr0: 1 },
      { attributes: aggregate, m: 3, expr0: 1 },
      { attributes: aggregate, m: 4, expr0: 1 },
    ]);
    expect(
      rows(
        'SELECT CALENDAR_YEAR(CreatedDate), COUNT(Id) FROM Account GROUP BY CALENDAR_YEAR(CreatedDate) ORDER BY CALENDAR_YEAR(CreatedDate) DESC',
      ),
    ).toEqual([
      { attributes: aggregate, expr0: 2024, expr1: 2 },
      { attributes: aggregate, expr0: 2023, expr1: 1 },
    ]);
  });

  it('groups text case-insensitively', () => {
    const org = new TestOrgData();
    for (const name of ['acme', 'ACME', 'Other']) org.insert('Account', { Name: name });
    expect(rows('SELECT Name, COUNT(Id) FROM Account GROUP BY Name', org)).toEqual([
      { attributes: aggregate, Name: 'acme', expr0: 2 },
      { attributes: aggregate, Name: 'Other', expr0: 1 },
    ]);
  });

  it('filters groups with HAVING on aggregates and grouped fields', () => {
    expect(
      rows('SELECT StageName, COUNT(Id) FROM Opportunity GROUP BY StageName HAVING COUNT(Id) > 1'),
    ).toEqual([{ attributes: aggregate, StageName: 'Prospecting', expr0: 2 }]);
    expect(
      rows(
        "SELECT StageName FROM Opportunity GROUP BY StageName HAVING StageName LIKE 'Closed%' AND MAX(Amount) > 5000",
      ),
    ).toEqual([{ attributes: aggregate, StageName: 'Closed Won' }]);
  });

  it('applies LIMIT and OFFSET to groups and lists columns for flat rows', () => {
    const result = executeSoql(
      'SELECT StageName, COUNT(Id) n FROM Opportunity GROUP BY StageName ORDER BY StageName LIMIT 1 OFFSET 1',
      data,
      TEST_OPTIONS,
    );
    expect(result.columns).toEqual(['StageName', 'n']);
    expect(result.rows(0, 10)).toEqual([['Closed Won', 1]]);
    expect(result.totalSize).toBe(1);
  });
});
