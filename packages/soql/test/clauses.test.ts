import { describe, expect, it } from 'vitest';
import { from, MAX_OFFSET, SoqlBuildError } from '../src/index.js';
import { expectSoql } from './helpers.js';

const account = from('Account');

describe('select', () => {
  it('selects Id when nothing is selected', () => {
    expectSoql(account, 'SELECT Id FROM Account');
  });

  it('takes an array, a comma-separated string or a projection object', () => {
    expectSoql(account.select(['Id', 'Owner.Name']), 'SELECT Id, Owner.Name FROM Account');
    expectSoql(account.select(' Id ,Owner.Name, '), 'SELECT Id, Owner.Name FROM Account');
    expectSoql(
      account.select({ Id: 1, 'Owner.Name': true, Skipped: undefined }),
      'SELECT Id, Owner.Name FROM Account',
    );
  });

  it('appends across calls and drops repeats, ignoring case as SOQL does', () => {
    expectSoql(
      account.select('Id, Name').select(['name', 'Type', 'ID']),
      'SELECT Id, Name, Type FROM Account',
    );
  });

  it('find() is where() plus select()', () => {
    expectSoql(account.find({ Name: 'x' }, 'Id, Name'), "SELECT Id, Name FROM Account WHERE Name = 'x'");
    expectSoql(account.find(), 'SELECT Id FROM Account');
  });

  it('refuses exclusion projections and other projection values', () => {
    expect(() => account.select({ Name: 0 } as never)).toThrow(/exclusion projections/);
    expect(() => account.select({ Name: 2 } as never)).toThrow(/projection values must be 1 or true/);
    expect(() => account.select([1] as never)).toThrow(/entries must be strings/);
    expect(() => account.select(5 as never)).toThrow(/select takes an array/);
  });
});

describe('aggregates, GROUP BY and HAVING', () => {
  it('selects COUNT() alone', () => {
    expectSoql(account.select('count()'), 'SELECT COUNT() FROM Account');
  });

  it('selects aggregate calls with and without alias, upper-casing the function', () => {
    expectSoql(
      from('Opportunity')
        .select(['StageName', 'sum(Amount) total', 'COUNT(Id)', 'COUNT_DISTINCT(AccountId) accounts'])
        .groupBy('StageName'),
      'SELECT StageName, SUM(Amount) total, COUNT(Id), COUNT_DISTINCT(AccountId) accounts FROM Opportunity GROUP BY StageName',
    );
    expectSoql(
      from('Opportunity').select('MIN(CloseDate) earliest, MAX(CloseDate) latest, AVG(Amount)'),
      'SELECT MIN(CloseDate) earliest, MAX(CloseDate) latest, AVG(Amount) FROM Opportunity',
    );
  });

  it('groups by several fields and filters groups with HAVING', () => {
    expectSoql(
      from('Opportunity')
        .select(['StageName', 'Type', 'SUM(Amount) total'])
        .groupBy(['StageName', 'Type'])
        .having({ 'SUM(Amount)': { $gt: 1000 }, 'COUNT(Id)': { $gte: 2 }, StageName: { $ne: 'Closed Lost' } })
        .sort({ 'SUM(Amount)': -1 }),
      "SELECT StageName, Type, SUM(Amount) total FROM Opportunity GROUP BY StageName, Type HAVING SUM(Amount) > 1000 AND COUNT(Id) >= 2 AND StageName != 'Closed Lost' ORDER BY SUM(Amount) DESC",
    );
    expectSoql(
      from('Opportunity')
        .select('StageName')
        .groupBy('StageName, Type')
        .having({ $or: [{ 'MAX(Amount)': 5 }, { 'MIN(Amount)': 1 }] }),
      'SELECT StageName FROM Opportunity GROUP BY StageName, Type HAVING MAX(Amount) = 5 OR MIN(Amount) = 1',
    );
  });

  it('refuses unknown functions, reserved aliases, aliases outside the select list, and HAVING without GROUP BY', () => {
    expect(() => account.select('MIN(CloseDate) first')).toThrow(
      /Invalid alias "first": it is a SOQL reserved word/,
    );
    expect(() => account.select('TOTAL(Amount)')).toThrow(
      /Unknown function "TOTAL".*supported: COUNT, COUNT_DISTINCT, SUM, AVG, MIN, MAX/,
    );
    expect(() => account.select('SUM()')).toThrow(/SUM\(\) needs a field/);
    expect(() => account.groupBy('Type').having({ 'SUM(Amount) total': 1 })).toThrow(
      /alias is not allowed here/,
    );
    expect(() => account.having({ 'SUM(Amount)': 1 }).toSOQL()).toThrow(/HAVING needs a GROUP BY/);
    expect(() => account.where({ 'SUM(Amount)': 1 })).toThrow(SoqlBuildError);
    expect(() => account.groupBy(5 as never)).toThrow(/groupBy takes/);
  });

  it('refuses an empty $in in HAVING, where the no-row condition (Id = null) cannot be written', () => {
    expect(() =>
      account
        .groupBy('Type')
        .having({ Type: { $in: [] } })
        .toSOQL(),
    ).toThrow(/only be used in WHERE/);
  });
});

describe('sort', () => {
  it('reads - as descending and + or nothing as ascending', () => {
    expectSoql(
      account.sort('-CreatedDate Name +Type'),
      'SELECT Id FROM Account ORDER BY CreatedDate DESC, Name ASC, Type ASC',
    );
  });

  it('accepts a direction word after a field in a string', () => {
    expectSoql(
      account.sort('CreatedDate desc, Name'),
      'SELECT Id FROM Account ORDER BY CreatedDate DESC, Name ASC',
    );
  });

  it('takes an object of 1/-1 or direction words', () => {
    expectSoql(
      account.sort({ A: 1, B: -1, C: 'asc', D: 'desc', E: 'ascending', F: 'DESCENDING', G: undefined }),
      'SELECT Id FROM Account ORDER BY A ASC, B DESC, C ASC, D DESC, E ASC, F DESC',
    );
  });

  it('takes [field, direction] and [field, direction, nulls] tuples', () => {
    expectSoql(
      account.sort([['CreatedDate', 'desc'], ['Name', 1, 'last'], 'Type']),
      'SELECT Id FROM Account ORDER BY CreatedDate DESC, Name ASC NULLS LAST, Type ASC',
    );
  });

  it('applies a NULLS option to every field of the call that sets none', () => {
    expectSoql(
      account.sort('-Amount', { nulls: 'first' }).sort(
        [
          ['Name', 'asc', 'last'],
          ['Type', -1],
        ],
        { nulls: 'FIRST' },
      ),
      'SELECT Id FROM Account ORDER BY Amount DESC NULLS FIRST, Name ASC NULLS LAST, Type DESC NULLS FIRST',
    );
  });

  it('appends keys across calls', () => {
    expectSoql(account.sort('Name').sort({ Id: -1 }), 'SELECT Id FROM Account ORDER BY Name ASC, Id DESC');
  });

  it('refuses unknown directions and placements, naming the field', () => {
    expect(() => account.sort({ Name: 'up' } as never)).toThrow(/Invalid sort direction for Name/);
    expect(() => account.sort({ Name: 2 } as never)).toThrow(/Invalid sort direction for Name/);
    expect(() => account.sort('Name', { nulls: 'middle' } as never)).toThrow(/Invalid nulls placement/);
    expect(() => account.sort([['Name']] as never)).toThrow(/sort array entries/);
    expect(() => account.sort(5 as never)).toThrow(/sort takes a string/);
  });
});

describe('limit and offset', () => {
  it('writes LIMIT and OFFSET, the later call winning', () => {
    expectSoql(account.limit(5).limit(10).skip(20), 'SELECT Id FROM Account LIMIT 10 OFFSET 20');
    expectSoql(account.offset(0).limit(0), 'SELECT Id FROM Account LIMIT 0 OFFSET 0');
    expectSoql(account.offset(MAX_OFFSET), 'SELECT Id FROM Account OFFSET 2000');
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '10'])(
    'refuses %s as a limit or offset',
    (value) => {
      expect(() => account.limit(value as number)).toThrow(/limit must be a non-negative integer/);
      expect(() => account.skip(value as number)).toThrow(/offset must be a non-negative integer/);
    },
  );

  it('refuses an OFFSET above 2000', () => {
    expect(() => account.offset(2001)).toThrow(/offset must be at most 2000/);
  });
});

describe('child subqueries', () => {
  it('includes a child relationship with its own where, sort, limit and offset', () => {
    expectSoql(
      account.select(['Id', 'Name']).include('Contacts', { Email: { $ne: null } }, ['Id', 'LastName'], {
        sort: '-CreatedDate',
        limit: 5,
        offset: 2,
      }),
      'SELECT Id, Name, (SELECT Id, LastName FROM Contacts WHERE Email != null ORDER BY CreatedDate DESC LIMIT 5 OFFSET 2) FROM Account',
    );
  });

  it('selects Id in the subquery, and in the parent, when no fields are given', () => {
    expectSoql(account.include('Contacts'), 'SELECT Id, (SELECT Id FROM Contacts) FROM Account');
  });

  it('puts subqueries after the fields whatever the call order', () => {
    expectSoql(
      account.include('Cases').select('Name').include('Contacts', null, 'LastName'),
      'SELECT Name, (SELECT Id FROM Cases), (SELECT LastName FROM Contacts) FROM Account',
    );
  });

  it('replaces an earlier include of the same relationship', () => {
    expectSoql(
      account.include('Contacts', { A: 1 }).include('contacts', { B: 2 }),
      'SELECT Id, (SELECT Id FROM contacts WHERE B = 2) FROM Account',
    );
  });

  it('refuses a bad relationship name and a bad child limit', () => {
    expect(() => account.include('Contacts WHERE')).toThrow(/Invalid relationship name/);
    expect(() => account.include('Contacts', null, undefined, { limit: -1 })).toThrow(/limit must be/);
  });
});

describe('scope, WITH and FOR clauses', () => {
  it('writes every clause in SOQL order', () => {
    expectSoql(
      from('Opportunity')
        .forView()
        .limit(10)
        .withSecurityEnforced()
        .sort('Name')
        .scope('mine')
        .offset(5)
        .where({ Amount: { $gt: 0 } })
        .select('Id'),
      'SELECT Id FROM Opportunity USING SCOPE mine WHERE Amount > 0 WITH SECURITY_ENFORCED ORDER BY Name ASC LIMIT 10 OFFSET 5 FOR VIEW',
    );
  });

  it('writes user mode, system mode, FOR REFERENCE and FOR UPDATE, the later call winning', () => {
    expectSoql(account.withSecurityEnforced().withUserMode(), 'SELECT Id FROM Account WITH USER_MODE');
    expectSoql(account.withSystemMode(), 'SELECT Id FROM Account WITH SYSTEM_MODE');
    expectSoql(account.forView().forReference(), 'SELECT Id FROM Account FOR REFERENCE');
    expect(account.limit(1).forUpdate().toSOQL()).toBe('SELECT Id FROM Account LIMIT 1 FOR UPDATE');
  });

  it('refuses a scope that is not an identifier', () => {
    expect(() => account.scope('mine WHERE')).toThrow(/Invalid scope name/);
  });
});

describe('immutability', () => {
  it('returns a new builder from every method and never changes the old one', () => {
    const base = account.select('Id').where({ Type: 'x' });
    const a = base.limit(10).sort('Name').select('Name').where({ B: 1 }).include('Contacts');
    const b = base.sort('-Id').withUserMode();
    expectSoql(base, "SELECT Id FROM Account WHERE Type = 'x'");
    expectSoql(
      a,
      "SELECT Id, Name, (SELECT Id FROM Contacts) FROM Account WHERE Type = 'x' AND B = 1 ORDER BY Name ASC LIMIT 10",
    );
    expectSoql(b, "SELECT Id FROM Account WHERE Type = 'x' WITH USER_MODE ORDER BY Id DESC");
  });

  it('freezes the builder and its node tree', () => {
    const query = account.where({ A: [1, 2] }).sort('Name');
    expect(Object.isFrozen(query)).toBe(true);
    const node = query.toNode();
    expect(Object.isFrozen(node)).toBe(true);
    expect(Object.isFrozen(node.orderBy)).toBe(true);
    expect(Object.isFrozen(node.where)).toBe(true);
    expect(() => {
      (node as { limit?: number }).limit = 5;
    }).toThrow(TypeError);
  });

  it('is not thenable, so awaiting it yields the builder instead of running a query', async () => {
    const query = account.limit(1);
    expect('then' in query).toBe(false);
    expect(await query).toBe(query);
  });

  it('reports its object name', () => {
    expect(from('Contact').objectName).toBe('Contact');
  });
});
