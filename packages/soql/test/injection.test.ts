// Hostile input: no value may leave its literal and no identifier may carry SOQL text. Each value test
// parses the compiled query with a real SOQL parser and checks that the WHERE clause is still the one
// condition we wrote, holding exactly the input string.
import { parseQuery, type ValueCondition } from '@jetstreamapp/soql-parser-js';
import { describe, expect, it } from 'vitest';
import { compileSoql, from, type QueryNode, SoqlBuildError, SoqlLike } from '../src/index.js';
import { decodeSoqlString } from './helpers.js';

const HOSTILE_VALUES = [
  "' OR Id != null OR Name = '",
  "\\' OR Id != null OR Name = \\'",
  "\\\\' OR Id != null --",
  'O\'Brien "the" \\ back\\slash',
  "line\nbreak\r\n' OR Name LIKE '%",
  'tab\there\u0000nul\u0007bell\b\f\u001b\u007f',
  "unicode ’ quotes ‘ and ' plain",
  'surrogates: \ud83d\ude00 lone high \ud800 lone low \udc00 end',
  'trailing backslash \\',
  "%_ wildcards %' OR Name LIKE '%",
  "') OR Id IN (SELECT Id FROM Account) OR Name IN ('",
  ' WITH SECURITY_ENFORCED LIMIT 1',
  '',
];

function whereCondition(soql: string): ValueCondition {
  const parsed = parseQuery(soql);
  const where = parsed.where as { left: ValueCondition; right?: unknown; operator?: unknown };
  expect(where.right).toBeUndefined();
  expect(where.operator).toBeUndefined();
  return where.left;
}

describe('string values cannot leave their literal', () => {
  it.each(HOSTILE_VALUES)('keeps %j inside one equality literal', (value) => {
    const soql = from('Account').where({ Name: value }).toSOQL();
    const condition = whereCondition(soql);
    expect(condition.field).toBe('Name');
    expect(condition.operator).toBe('=');
    expect(decodeSoqlString(condition.value as string)).toBe(value);
  });

  it.each(HOSTILE_VALUES)('keeps %j inside one IN list entry', (value) => {
    const soql = from('Account')
      .where({ Name: { $in: [value, 'x'] } })
      .toSOQL();
    const condition = whereCondition(soql);
    expect(condition.operator).toBe('IN');
    expect((condition.value as string[]).map((literal) => decodeSoqlString(literal))).toEqual([value, 'x']);
  });

  it.each(HOSTILE_VALUES)('keeps %j literal inside a SoqlLike pattern, wildcards included', (value) => {
    const soql = from('Account')
      .where({ Name: { $like: SoqlLike.contains(value) } })
      .toSOQL();
    const condition = whereCondition(soql);
    expect(condition.operator).toBe('LIKE');
    // decodeSoqlString keeps \% and \_ escaped in LIKE mode, so the pattern reads back as written.
    expect(decodeSoqlString(condition.value as string, true)).toBe(`%${value.replace(/[%_]/g, '\\$&')}%`);
  });

  it('escapes the backslash before the quote, so a trailing backslash cannot eat the closing quote', () => {
    expect(from('A').where({ N: "x\\' OR Id != null" }).toSOQL()).toBe(
      "SELECT Id FROM A WHERE N = 'x\\\\\\' OR Id != null'",
    );
  });

  it('escapes control characters and lone surrogates, leaving other text as it is', () => {
    expect(from('A').where({ N: 'a\nb\rc\td\u0000e\u007ff\ud800g😀' }).toSOQL()).toBe(
      "SELECT Id FROM A WHERE N = 'a\\nb\\rc\\td\\u0000e\\u007ff\\ud800g😀'",
    );
  });

  it('keeps % and _ as wildcards in a raw $like pattern, as documented', () => {
    expect(
      from('A')
        .where({ N: { $like: "50%_'" } })
        .toSOQL(),
    ).toBe("SELECT Id FROM A WHERE N LIKE '50%_\\''");
  });
});

describe('identifiers cannot carry SOQL', () => {
  const hostile = [
    "Name = 'x' OR Id",
    'Name--',
    'Na me',
    "Name'",
    'Name)',
    '1Name',
    '_Name',
    'Name;',
    'Ｎame',
    '',
  ];

  it.each(hostile)('refuses object name %j', (name) => {
    expect(() => from(name)).toThrow(SoqlBuildError);
  });

  it.each(hostile)('refuses field %j in select, where, sort, groupBy and as a path segment', (name) => {
    const account = from('Account');
    expect(() => account.select([name])).toThrow(SoqlBuildError);
    expect(() => account.where({ [name]: 1 })).toThrow(SoqlBuildError);
    expect(() => account.where({ [`Owner.${name}`]: 1 })).toThrow(SoqlBuildError);
    expect(() => account.sort({ [name]: 1 })).toThrow(SoqlBuildError);
    expect(() => account.groupBy([name])).toThrow(SoqlBuildError);
    expect(() => account.include('Contacts', { [name]: 1 })).toThrow(SoqlBuildError);
  });

  it.each(hostile.filter((name) => name !== '' && !/\s/.test(name)))(
    'refuses %j as an aggregate argument, alias, relationship or scope',
    (name) => {
      const account = from('Account');
      expect(() => account.select(`SUM(${name})`)).toThrow(SoqlBuildError);
      expect(() => account.select(`SUM(Amount) ${name}`)).toThrow(SoqlBuildError);
      expect(() => account.include(name)).toThrow(SoqlBuildError);
      expect(() => account.scope(name)).toThrow(SoqlBuildError);
    },
  );

  it('refuses an empty relationship or scope name', () => {
    expect(() => from('Account').include('')).toThrow(/Invalid relationship name ""/);
    expect(() => from('Account').scope('')).toThrow(/Invalid scope name ""/);
  });

  it('names the bad identifier and its role in the error', () => {
    try {
      from('Account').select(['Id', 'Owner.Na me']);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(SoqlBuildError);
      expect((error as SoqlBuildError).code).toBe('INVALID_IDENTIFIER');
      expect((error as SoqlBuildError).field).toBe('Owner.Na me');
      expect((error as SoqlBuildError).message).toContain('Invalid field name "Owner.Na me"');
    }
  });

  it('accepts custom, namespaced and relationship names', () => {
    expect(from('ns__Thing__c').select(['ns__Field__c', 'Parent__r.Name', 'A1_b2']).toSOQL()).toBe(
      'SELECT ns__Field__c, Parent__r.Name, A1_b2 FROM ns__Thing__c',
    );
  });
});

describe('hand-built node trees are checked as strictly as built ones', () => {
  const base: QueryNode = { kind: 'query', object: 'Account', select: [], groupBy: [], orderBy: [] };
  /** A query whose WHERE compares field A with `value` (both possibly hostile). */
  const whereA = (value: unknown, operator: unknown = '=') => ({
    ...base,
    where: { kind: 'comparison', left: { kind: 'field', path: 'A' }, operator, value },
  });

  it('escapes a hand-built string node', () => {
    const node = whereA({ kind: 'string', value: "x' OR Id != null" }) as QueryNode;
    expect(compileSoql(node)).toBe("SELECT Id FROM Account WHERE A = 'x\\' OR Id != null'");
  });

  it.each<[string, unknown]>([
    ['an object name with SOQL in it', { ...base, object: 'Account WHERE Id != null' }],
    ['a field path with SOQL in it', { ...base, select: [{ kind: 'field', path: 'Id FROM User --' }] }],
    ['a scope with SOQL in it', { ...base, scope: 'mine WHERE' }],
    [
      'an alias with SOQL in it',
      { ...base, select: [{ kind: 'aggregate', fn: 'COUNT', alias: 'n FROM User' }] },
    ],
    [
      'an unknown aggregate function',
      { ...base, select: [{ kind: 'aggregate', fn: 'SLEEP', field: { kind: 'field', path: 'Id' } }] },
    ],
    ['an unknown operator', whereA({ kind: 'number', value: 1 }, '= 1 OR 1 =')],
    ['a number node holding a string', whereA({ kind: 'number', value: '1 OR Id != null' })],
    ['a boolean node holding a string', whereA({ kind: 'boolean', value: 'true OR 1' })],
    ['a string node holding a number', whereA({ kind: 'string', value: 1 })],
    ['an unknown value kind', whereA({ kind: 'raw', value: '1' })],
    ['an unknown condition kind', { ...base, where: { kind: 'raw', text: 'Id != null' } }],
    ['an unknown select item kind', { ...base, select: [{ kind: 'raw', text: 'Id' }] }],
    [
      'an empty IN list',
      { ...base, where: { kind: 'set', left: { kind: 'field', path: 'A' }, operator: 'IN', values: [] } },
    ],
    ['an empty AND', { ...base, where: { kind: 'and', conditions: [] } }],
    ['an unknown WITH clause', { ...base, access: 'SECURITY_ENFORCED LIMIT 1' }],
    ['an unknown FOR clause', { ...base, for: 'UPDATE; DELETE' }],
    [
      'an unknown sort direction',
      {
        ...base,
        orderBy: [{ kind: 'orderBy', target: { kind: 'field', path: 'A' }, direction: 'DESC, Id' }],
      },
    ],
    ['a negative limit', { ...base, limit: -1 }],
    ['an offset past 2000', { ...base, offset: 2001 }],
    ['a non-query root', { kind: 'field', path: 'Id' }],
  ])('refuses %s', (_name, node) => {
    expect(() => compileSoql(node as QueryNode)).toThrow(SoqlBuildError);
  });
});
