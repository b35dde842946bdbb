import { describe, expect, it } from 'vitest';
import { from, SoqlBuildError, SoqlDate, SoqlLike } from '../src/index.js';
import { expectSoql } from './helpers.js';

const account = from('Account');
const where = (conditions: Parameters<typeof account.where>[0]) => account.where(conditions);

describe('field operators', () => {
  it.each([
    [{ Name: 'Acme' }, "Name = 'Acme'"],
    [{ Name: { $eq: 'Acme' } }, "Name = 'Acme'"],
    [{ Name: { $ne: 'Acme' } }, "Name != 'Acme'"],
    [{ Amount: { $gt: 10 } }, 'Amount > 10'],
    [{ Amount: { $gte: 10 } }, 'Amount >= 10'],
    [{ Amount: { $lt: 10 } }, 'Amount < 10'],
    [{ Amount: { $lte: 10 } }, 'Amount <= 10'],
    [{ Name: { $like: 'A%_' } }, "Name LIKE 'A%_'"],
    [{ Name: { $nlike: 'Test%' } }, "NOT Name LIKE 'Test%'"],
    [{ Id: { $in: ['a', 'b'] } }, "Id IN ('a', 'b')"],
    [{ Id: ['a', 'b'] }, "Id IN ('a', 'b')"],
    [{ Id: { $nin: ['a', 'b'] } }, "Id NOT IN ('a', 'b')"],
    [{ Tags__c: { $includes: ['a;b', 'c'] } }, "Tags__c INCLUDES ('a;b', 'c')"],
    [{ Tags__c: { $excludes: ['a'] } }, "Tags__c EXCLUDES ('a')"],
    [{ Email: { $exists: true } }, 'Email != null'],
    [{ Email: { $exists: false } }, 'Email = null'],
    [{ Email: null }, 'Email = null'],
    [{ Email: { $ne: null } }, 'Email != null'],
    [{ IsDeleted: false, IsActive: true }, 'IsDeleted = false AND IsActive = true'],
    [{ Name: { $not: { $like: 'A%' } } }, "NOT Name LIKE 'A%'"],
    [{ Amount: { $not: { $gt: 1, $lt: 5 } } }, 'NOT (Amount > 1 AND Amount < 5)'],
    [{ 'Account.Owner.Name': 'Jo' }, "Account.Owner.Name = 'Jo'"],
  ] as const)('%j compiles to %s', (conditions, expected) => {
    expectSoql(where(conditions), `SELECT Id FROM Account WHERE ${expected}`);
  });

  it('ANDs several operators on one field, in the order written', () => {
    expectSoql(
      where({ Amount: { $gte: 1000, $lt: 5000 } }),
      'SELECT Id FROM Account WHERE Amount >= 1000 AND Amount < 5000',
    );
  });

  it('renders numbers in plain decimal notation, never with an exponent', () => {
    expectSoql(
      where({ A: -1.5, B: 1e21, C: 1.5e-7, D: -0, E: 0.1 }),
      'SELECT Id FROM Account WHERE A = -1.5 AND B = 1000000000000000000000 AND C = 0.00000015 AND D = 0 AND E = 0.1',
    );
  });

  it('renders a JS Date as a UTC dateTime literal to the second', () => {
    expectSoql(
      where({ CreatedDate: { $gte: new Date(Date.UTC(2010, 10, 1, 19, 45, 4, 987)) } }),
      'SELECT Id FROM Account WHERE CreatedDate >= 2010-11-01T19:45:04Z',
    );
  });

  it('takes SoqlDate values in IN lists', () => {
    expectSoql(
      where({ CloseDate: { $in: [SoqlDate.TODAY, SoqlDate.date('2024-02-29')] } }),
      'SELECT Id FROM Account WHERE CloseDate IN (TODAY, 2024-02-29)',
    );
  });

  it('matches LIKE text literally through SoqlLike', () => {
    expectSoql(
      where({ A: { $like: SoqlLike.contains('50%_off') }, B: { $like: SoqlLike.startsWith('x') } }),
      "SELECT Id FROM Account WHERE A LIKE '%50\\%\\_off%' AND B LIKE 'x%'",
    );
    expectSoql(
      where({ A: { $nlike: SoqlLike.endsWith('_') }, B: { $like: SoqlLike.exactly('a%') } }),
      "SELECT Id FROM Account WHERE (NOT A LIKE '%\\_') AND B LIKE 'a\\%'",
    );
  });

  it('refuses a SoqlLike pattern outside LIKE', () => {
    expect(() => where({ Name: { $eq: SoqlLike.contains('x') } } as never).toSOQL()).toThrow(
      /only be used with \$like/,
    );
  });
});

describe('logic and parentheses', () => {
  it('parenthesises an OR inside an AND, and nothing else', () => {
    expectSoql(
      where({ Type: 'Partner', $or: [{ Id: 'a' }, { Id: 'b' }] }),
      "SELECT Id FROM Account WHERE Type = 'Partner' AND (Id = 'a' OR Id = 'b')",
    );
  });

  it('parenthesises a NOT inside an AND', () => {
    expectSoql(
      where({ Name: { $nlike: 'Test%' }, Amount: { $gte: 1000 } }),
      "SELECT Id FROM Account WHERE (NOT Name LIKE 'Test%') AND Amount >= 1000",
    );
  });

  it('parenthesises an AND inside an OR', () => {
    expectSoql(
      where({ $or: [{ A: 1, B: 2 }, { C: 3 }] }),
      'SELECT Id FROM Account WHERE (A = 1 AND B = 2) OR C = 3',
    );
  });

  it('parenthesises the operand of NOT only when it is compound', () => {
    expectSoql(where({ $not: { A: 1 } }), 'SELECT Id FROM Account WHERE NOT A = 1');
    expectSoql(where({ $not: { A: 1, B: 2 } }), 'SELECT Id FROM Account WHERE NOT (A = 1 AND B = 2)');
    expectSoql(where({ $not: { $not: { A: 1 } } }), 'SELECT Id FROM Account WHERE NOT (NOT A = 1)');
  });

  it('flattens an AND inside an AND and an OR inside an OR', () => {
    expectSoql(
      where({ $and: [{ A: 1 }, { $and: [{ B: 2 }, { C: 3 }] }] }),
      'SELECT Id FROM Account WHERE A = 1 AND B = 2 AND C = 3',
    );
    expectSoql(
      where({ $or: [{ A: 1 }, { $or: [{ B: 2 }, { C: 3 }] }] }),
      'SELECT Id FROM Account WHERE A = 1 OR B = 2 OR C = 3',
    );
  });

  it('nests to any depth', () => {
    expectSoql(
      where({ A: 1, $or: [{ B: 2 }, { C: 3, $or: [{ D: 4 }, { E: { $nin: [5, 6] } }] }] }),
      'SELECT Id FROM Account WHERE A = 1 AND (B = 2 OR (C = 3 AND (D = 4 OR E NOT IN (5, 6))))',
    );
    expectSoql(
      where({ $or: [{ $and: [{ $or: [{ A: 1 }, { B: 2 }] }, { C: 3 }] }, { D: 4 }] }),
      'SELECT Id FROM Account WHERE ((A = 1 OR B = 2) AND C = 3) OR D = 4',
    );
  });

  it('treats a one-element $or or $and as its element', () => {
    expectSoql(
      where({ A: 1, $or: [{ B: 2, C: 3 }] }),
      'SELECT Id FROM Account WHERE A = 1 AND B = 2 AND C = 3',
    );
    expectSoql(
      where({ $or: [{ A: 1 }, { $and: [{ B: 2 }] }] }),
      'SELECT Id FROM Account WHERE A = 1 OR B = 2',
    );
  });

  it('ANDs successive where() calls', () => {
    expectSoql(
      account.where({ $or: [{ A: 1 }, { B: 2 }] }).where({ C: 3 }),
      'SELECT Id FROM Account WHERE (A = 1 OR B = 2) AND C = 3',
    );
  });
});

describe('undefined and empty input', () => {
  it('skips undefined keys and undefined operators', () => {
    const filter: { name?: string; min?: number } = {};
    expectSoql(
      where({ Name: filter.name, Amount: { $gte: filter.min, $lt: 10 }, Type: 'x' }),
      "SELECT Id FROM Account WHERE Amount < 10 AND Type = 'x'",
    );
  });

  it('adds no WHERE for an empty or all-undefined conditions object, or for null', () => {
    expectSoql(where({}), 'SELECT Id FROM Account');
    expectSoql(where({ Name: undefined }), 'SELECT Id FROM Account');
    expectSoql(account.find(null), 'SELECT Id FROM Account');
    expectSoql(where({ $and: [] }), 'SELECT Id FROM Account');
  });

  it('refuses an $or operand that constrains nothing, because it would match every row', () => {
    expect(() => where({ $or: [{ Name: undefined }, { Type: 'x' }] })).toThrow(/\$or\[0\] has no conditions/);
    expect(() => where({ $not: {} })).toThrow(/\$not has no conditions/);
  });
});

describe('empty lists never widen the query', () => {
  it('compiles $in: [] to a condition no row satisfies', () => {
    expectSoql(where({ Id: { $in: [] } }), 'SELECT Id FROM Account WHERE Id = null');
    expectSoql(where({ Id: [] }), 'SELECT Id FROM Account WHERE Id = null');
    expectSoql(where({ Tags__c: { $includes: [] } }), 'SELECT Id FROM Account WHERE Id = null');
  });

  it('compiles $or: [] to a condition no row satisfies', () => {
    expectSoql(where({ Type: 'x', $or: [] }), "SELECT Id FROM Account WHERE Type = 'x' AND Id = null");
  });

  it('keeps the no-row condition inside OR and NOT, where it means what it should', () => {
    expectSoql(
      where({ $or: [{ Id: { $in: [] } }, { Name: 'x' }] }),
      "SELECT Id FROM Account WHERE Id = null OR Name = 'x'",
    );
    expectSoql(where({ $not: { Id: { $in: [] } } }), 'SELECT Id FROM Account WHERE NOT Id = null');
  });

  it('compiles $nin: [] and $excludes: [] to a condition every row satisfies', () => {
    expectSoql(
      where({ Id: { $nin: [] }, Type: 'x' }),
      "SELECT Id FROM Account WHERE Id != null AND Type = 'x'",
    );
    expectSoql(where({ Tags__c: { $excludes: [] } }), 'SELECT Id FROM Account WHERE Id != null');
  });
});

describe('semi-joins', () => {
  it('compiles a query given to $in or $nin as a subquery', () => {
    const won = from('Opportunity').select('AccountId').where({ StageName: 'Closed Won' });
    expectSoql(
      where({ Id: { $in: won } }),
      "SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Opportunity WHERE StageName = 'Closed Won')",
    );
    expectSoql(
      where({ Id: { $nin: from('Case').select(['AccountId']) } }),
      'SELECT Id FROM Account WHERE Id NOT IN (SELECT AccountId FROM Case)',
    );
  });

  it('requires the subquery to select exactly one field', () => {
    expect(() => where({ Id: { $in: from('Opportunity').select('AccountId, Name') } }).toSOQL()).toThrow(
      /must select exactly one field/,
    );
    expect(() => where({ Id: { $in: from('Opportunity') } }).toSOQL()).toThrow(
      /must select exactly one field/,
    );
  });
});

describe('bad input', () => {
  it('names the valid operators when given an unknown one', () => {
    const error = catchError(() => where({ Name: { $regex: 'A.*' } } as never));
    expect(error).toBeInstanceOf(SoqlBuildError);
    expect(error.code).toBe('UNKNOWN_OPERATOR');
    expect(error.field).toBe('Name');
    expect(error.message).toContain('"$regex"');
    expect(error.message).toContain(
      '$eq, $ne, $gt, $gte, $lt, $lte, $like, $nlike, $in, $nin, $includes, $excludes, $exists, $not',
    );
  });

  it('refuses an unknown logical operator', () => {
    expect(() => where({ $nor: [{ A: 1 }] } as never)).toThrow(/Unknown logical operator "\$nor"/);
  });

  it.each([
    ['NaN', { Amount: Number.NaN }, /numbers must be finite/],
    ['Infinity', { Amount: { $gt: Number.POSITIVE_INFINITY } }, /numbers must be finite/],
    ['an invalid Date', { CreatedDate: new Date('nope') }, /Invalid Date for CreatedDate/],
    ['a year past 9999', { CreatedDate: new Date(Date.UTC(10000, 0, 1)) }, /outside the years 0000-9999/],
    ['a nested plain object', { Owner: { Name: 'x' } }, /Unknown operator "Name" on Owner/],
    ['a function', { Name: () => 'x' }, /got a function/],
    ['a bigint', { Amount: 10n }, /got a bigint/],
    ['a symbol', { Name: Symbol('x') }, /got a symbol/],
    ['a class instance', { Name: new Map() }, /got a object/],
    ['$like with a number', { Name: { $like: 5 } }, /\$like\/\$nlike on Name takes a string/],
    ['$in with a string', { Id: { $in: 'abc' } }, /\$in on Id takes an array/],
    ['$in with undefined inside', { Id: { $in: ['a', undefined] } }, /undefined at index 1/],
    ['$includes with a number', { Tags: { $includes: [1] } }, /\$includes on Tags takes strings/],
    ['$exists with a string', { Email: { $exists: 'yes' } }, /\$exists on Email takes true or false/],
    ['$and with an object', { $and: { A: 1 } }, /\$and takes an array/],
    ['$or entry that is not an object', { $or: ['A = 1'] }, /\$or\[0\] must be a plain object/],
  ])('refuses %s, naming the field', (_name, conditions, message) => {
    expect(() => where(conditions as never).toSOQL()).toThrow(message);
  });

  it('refuses a conditions argument that is not an object', () => {
    expect(() => account.where("Name = 'x'" as never)).toThrow(/conditions must be a plain object/);
  });
});

function catchError(run: () => unknown): SoqlBuildError {
  try {
    run();
  } catch (error) {
    return error as SoqlBuildError;
  }
  throw new Error('expected an error');
}
