import type { Query } from '@jetstreamapp/soql-parser-js';
import { describe, expect, it } from 'vitest';
import { SoqlError } from './errors.js';
import { executeSoql } from './execute.js';
import { parseSoql } from './parse.js';
import { SourceText } from './source.js';
import { seedOrg, TEST_OPTIONS } from './test-support.js';

const { data } = seedOrg();

function parse(soql: string): Query {
  return parseSoql(new SourceText(soql));
}

function column(soql: string, name = 'Name'): unknown[] {
  const result = executeSoql(soql, data, TEST_OPTIONS);
  return result.rows(0, result.size).map((row) => row[result.columns.indexOf(name)]);
}

function failure(soql: string): { errorCode: string; message: string } {
  try {
    parse(soql);
  } catch (error) {
    if (!(error instanceof SoqlError)) throw error;
    return { errorCode: error.errorCode, message: error.message };
  }
  throw new Error(`expected ${soql} to fail`);
}

/**
 * The clauses of the documented SELECT syntax, in their documented order, each optional (HAVING only
 * after GROUP BY): `SELECT ... FROM x [USING SCOPE] [WHERE] [WITH] [GROUP BY [HAVING]] [ORDER BY]
 * [LIMIT] [OFFSET] [FOR VIEW | FOR REFERENCE] [UPDATE TRACKING | VIEWSTAT] [FOR UPDATE]`. One spelling
 * of each trailing clause keeps the product small; the others are the same tokens to the workaround.
 */
const SLOTS: ReadonlyArray<readonly string[]> = [
  ['USING SCOPE mine'],
  [
    "WHERE Name = 'x'",
    'WHERE CreatedDate = LAST_N_DAYS:3',
    'WHERE (Industry = null OR Active__c = TRUE)',
    'WHERE Id IN (SELECT AccountId FROM Contact)',
  ],
  ['WITH SECURITY_ENFORCED'],
  ['GROUP BY Name'],
  ['HAVING COUNT(Id) > 1'],
  ['ORDER BY Name DESC NULLS LAST'],
  ['LIMIT 5'],
  ['FOR REFERENCE'],
  ['UPDATE VIEWSTAT'],
  ['FOR UPDATE'],
];
const OFFSET_SLOT = 7;

/** Every documented clause order, as the clause lists before and after where OFFSET goes. */
function documentedOrders(): Array<{ before: string; after: string }> {
  const out: Array<{ before: string; after: string }> = [];
  const walk = (slot: number, chosen: string[], grouped: boolean): void => {
    if (slot === SLOTS.length) {
      out.push({
        before: chosen.filter((c) => clauseSlot(c) < OFFSET_SLOT).join(' '),
        after: chosen.filter((c) => clauseSlot(c) >= OFFSET_SLOT).join(' '),
      });
      return;
    }
    walk(slot + 1, chosen, grouped);
    if (SLOTS[slot]?.[0]?.startsWith('HAVING') && !grouped) return;
    for (const clause of SLOTS[slot] ?? [])
      walk(slot + 1, [...chosen, clause], grouped || clause.startsWith('GROUP'));
  };
  walk(0, [], false);
  return out;
}

function clauseSlot(clause: string): number {
  return SLOTS.findIndex((options) => options.includes(clause));
}

describe('clause orders the parser library refuses', () => {
  it('parses every documented clause order, with OFFSET landing on the query as if the parser had read it', () => {
    const orders = documentedOrders();
    expect(orders.length).toBeGreaterThan(1000);
    for (const { before, after } of orders) {
      const withoutOffset = parse(`SELECT Id FROM Account ${before} ${after}`);
      const withOffset = parse(`SELECT Id FROM Account ${before} OFFSET 2 ${after}`);
      expect(withOffset, `${before} OFFSET 2 ${after}`).toEqual({ ...withoutOffset, offset: 2 });
    }
  });

  it('keeps FOR VIEW and UPDATE TRACKING when FOR UPDATE follows them', () => {
    expect(parse('SELECT Id FROM Account FOR VIEW UPDATE TRACKING FOR UPDATE')).toMatchObject({
      for: 'VIEW',
      update: 'TRACKING',
    });
    expect(parse('SELECT Id FROM Account FOR UPDATE')).toMatchObject({ for: 'UPDATE' });
  });

  it('skips rows for an OFFSET right after a WHERE condition, in any letter case', () => {
    expect(column("SELECT Name FROM Account WHERE Name != 'Acme' OFFSET 1")).toEqual(['initech']);
    expect(column("select Name from Account where Name != 'Acme' offset 1 for view")).toEqual(['initech']);
    expect(column('SELECT Name FROM Account WHERE AnnualRevenue = null OFFSET 0')).toEqual(['initech']);
  });

  it('skips groups for an OFFSET right after a HAVING condition', () => {
    const soql = 'SELECT Industry, COUNT(Id) FROM Account GROUP BY Industry HAVING COUNT(Id) > 0';
    expect(column(soql, 'Industry')).toHaveLength(3);
    expect(column(`${soql} OFFSET 1`, 'Industry')).toEqual(column(soql, 'Industry').slice(1));
  });

  it('puts an OFFSET after a WHERE in a child subquery on that subquery, not on the outer query', () => {
    const result = executeSoql(
      "SELECT Name, (SELECT LastName FROM Contacts WHERE LastName != 'x' OFFSET 1) FROM Account WHERE Name = 'Acme' LIMIT 1",
      data,
      TEST_OPTIONS,
    );
    const [acme] = result.page(0, 1, { childLocator: () => '' }) as [{ Contacts: { records: unknown[] } }];
    expect(acme.Contacts.records).toHaveLength(1);
    const outer = parse(
      "SELECT Name, (SELECT LastName FROM Contacts WHERE LastName != 'x' OFFSET 1) FROM Account WHERE Name = 'Acme' OFFSET 3",
    );
    expect(outer.offset).toBe(3);
    expect(outer.fields?.[1]).toMatchObject({ type: 'FieldSubquery', subquery: { offset: 1 } });
  });

  it('puts an OFFSET after a semi-join WHERE on the semi-join subquery', () => {
    const query = parse(
      "SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Contact WHERE LastName = 'x' OFFSET 4) AND Name = 'y' OFFSET 5",
    );
    expect(query.offset).toBe(5);
    expect(query.where?.left).toMatchObject({ valueQuery: { offset: 4 } });
  });
});

describe('clause orders that stay refused', () => {
  it.each([
    "SELECT Id FROM Account WHERE Name = 'x' OFFSET 2 LIMIT 5",
    "SELECT Id FROM Account WHERE Name = 'x' FOR VIEW OFFSET 2",
    "SELECT Id FROM Account WHERE Name = 'x' AND OFFSET 2",
    'SELECT Id FROM Account WHERE OFFSET 2',
    'SELECT Id FROM Account ORDER BY OFFSET 2',
    'SELECT Id FROM Account LIMIT 1 OFFSET 1 OFFSET 2',
    "SELECT Id FROM Account WHERE Name = 'x' OFFSET x",
    'SELECT Id FROM Account FOR UPDATE FOR VIEW',
    'SELECT Id FROM Account UPDATE TRACKING FOR VIEW',
    'SELECT Id FROM Account FOR VIEW FOR VIEW',
  ])('refuses %s as MALFORMED_QUERY', (soql) => {
    expect(failure(soql).errorCode).toBe('MALFORMED_QUERY');
  });

  it("still points the caret into the caller's text when the workaround cannot help", () => {
    expect(failure("SELECT Id FROM Account WHERE Name = 'x' OFFSET 2 LIMIT 5").message).toContain(
      "Account WHERE Name = 'x' OFFSET 2 LIMIT 5\n",
    );
  });
});
