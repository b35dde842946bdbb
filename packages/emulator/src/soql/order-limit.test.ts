import { describe, expect, it } from 'vitest';
import type { OrgData } from '../schema/types.js';
import { executeSoql } from './execute.js';
import type { SoqlOptions } from './options.js';
import { seedOrg, TEST_OPTIONS, TestOrgData } from './test-support.js';

const { data } = seedOrg();

function names(soql: string, org: OrgData = data, options: SoqlOptions = TEST_OPTIONS): unknown[] {
  const result = executeSoql(soql, org, options);
  return result.rows(0, result.size).map((row) => row[result.columns.indexOf('Name')]);
}

describe('ORDER BY', () => {
  it('orders text case-insensitively', () => {
    const org = new TestOrgData();
    for (const name of ['beta', 'Charlie', 'alpha2', 'Alpha']) org.insert('Account', { Name: name });
    expect(names('SELECT Name FROM Account ORDER BY Name', org)).toEqual([
      'Alpha',
      'alpha2',
      'beta',
      'Charlie',
    ]);
    expect(names('SELECT Name FROM Account ORDER BY Name DESC', org)).toEqual([
      'Charlie',
      'beta',
      'alpha2',
      'Alpha',
    ]);
  });

  it.each([
    ['Industry', ['initech', 'Acme', 'Globex']],
    ['Industry ASC', ['initech', 'Acme', 'Globex']],
    ['Industry DESC', ['Globex', 'Acme', 'initech']],
    ['Industry ASC NULLS LAST', ['Acme', 'Globex', 'initech']],
    ['Industry DESC NULLS FIRST', ['initech', 'Globex', 'Acme']],
    ['Industry NULLS LAST', ['Acme', 'Globex', 'initech']],
    ['AnnualRevenue DESC', ['Acme', 'Globex', 'initech']],
    ['Active__c', ['initech', 'Globex', 'Acme']],
    ['CreatedDate DESC', ['Acme', 'Globex', 'initech']],
  ])('ORDER BY %s puts nulls first ascending and last descending unless told: %j', (orderBy, expected) => {
    expect(names(`SELECT Name FROM Account ORDER BY ${orderBy}`)).toEqual(expected);
  });

  it('orders by several fields, each with its own direction and null rule', () => {
    expect(names('SELECT Name FROM Opportunity ORDER BY StageName DESC, Amount ASC NULLS LAST')).toEqual([
      'Small Deal',
      'No Amount',
      'Big Deal',
      'Media Deal',
    ]);
    expect(names('SELECT Name FROM Opportunity ORDER BY StageName DESC, Amount ASC')).toEqual([
      'No Amount',
      'Small Deal',
      'Big Deal',
      'Media Deal',
    ]);
  });

  it('orders by parent fields', () => {
    expect(names('SELECT Name FROM Contact ORDER BY Account.Name DESC NULLS LAST, Name')).toEqual([
      'Max Power',
      'Ann Lee',
      'Jo Smith',
      'Orphan',
    ]);
  });

  it('keeps rows that tie in the order they were stored', () => {
    const org = new TestOrgData();
    for (const name of ['first', 'second', 'third'])
      org.insert('Account', { Name: name, Industry: 'Energy' });
    expect(names('SELECT Name FROM Account ORDER BY Industry', org)).toEqual(['first', 'second', 'third']);
    expect(names('SELECT Name FROM Account ORDER BY Industry DESC', org)).toEqual([
      'first',
      'second',
      'third',
    ]);
  });
});

describe('LIMIT and OFFSET', () => {
  it.each([
    ['LIMIT 2', ['Acme', 'Globex']],
    ['OFFSET 1', ['Globex', 'initech']],
    ['LIMIT 1 OFFSET 1', ['Globex']],
    ['LIMIT 0', []],
    ['OFFSET 5', []],
    ['LIMIT 10 OFFSET 2000', []],
  ])('ORDER BY Name %s returns %j, and totalSize counts what is returned', (clause, expected) => {
    const result = executeSoql(`SELECT Name FROM Account ORDER BY Name ${clause}`, data, TEST_OPTIONS);
    expect(result.rows(0, result.size).map((row) => row[0])).toEqual(expected);
    expect(result.totalSize).toBe(expected.length);
    expect(result.size).toBe(expected.length);
  });

  it('takes the first rows in stored order without ORDER BY', () => {
    expect(names('SELECT Name FROM Account LIMIT 2')).toEqual(['Acme', 'Globex']);
  });
});

describe('SELECT COUNT()', () => {
  it('returns the count as totalSize and no rows', () => {
    const result = executeSoql('SELECT COUNT() FROM Account', data, TEST_OPTIONS);
    expect(result.totalSize).toBe(3);
    expect(result.size).toBe(0);
    expect(result.columns).toEqual([]);
    expect(result.page(0, 2000, { childLocator: () => '' })).toEqual([]);
    expect(result.rows(0, 2000)).toEqual([]);
  });

  it('counts with WHERE, LIMIT, OFFSET and queryAll', () => {
    const count = (soql: string, options: SoqlOptions = TEST_OPTIONS): number =>
      executeSoql(soql, data, options).totalSize;
    expect(count("SELECT COUNT() FROM Contact WHERE Account.Name = 'Acme'")).toBe(2);
    expect(count('SELECT COUNT() FROM Contact LIMIT 3')).toBe(3);
    expect(count('SELECT COUNT() FROM Contact LIMIT 10 OFFSET 3')).toBe(1);
    expect(count('SELECT COUNT() FROM Account', { ...TEST_OPTIONS, includeDeleted: true })).toBe(4);
    expect(count('SELECT COUNT() FROM Opportunity GROUP BY StageName')).toBe(3);
  });
});
