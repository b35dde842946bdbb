import { describe, expect, it } from 'vitest';
import {
  compileSoql,
  from,
  PARAMETERIZED_DATE_LITERALS,
  type QueryNode,
  RELATIVE_DATE_LITERALS,
  SoqlDate,
  type ValueNode,
} from '../src/index.js';
import { expectSoql } from './helpers.js';

const account = from('Account');

describe('relative date literals', () => {
  it('has all 23 fixed literals and all 21 parameterised ones', () => {
    expect(RELATIVE_DATE_LITERALS).toHaveLength(23);
    expect(PARAMETERIZED_DATE_LITERALS).toHaveLength(21);
  });

  it.each(RELATIVE_DATE_LITERALS)('SoqlDate.%s compiles unquoted', (name) => {
    expectSoql(
      account.where({ CreatedDate: SoqlDate[name] }),
      `SELECT Id FROM Account WHERE CreatedDate = ${name}`,
    );
  });

  it.each(PARAMETERIZED_DATE_LITERALS)('SoqlDate.%s(n) compiles to NAME:n', (name) => {
    expectSoql(
      account.where({ CloseDate: { $gte: SoqlDate[name](7) } }),
      `SELECT Id FROM Account WHERE CloseDate >= ${name}:7`,
    );
  });

  it('accepts n = 0 and refuses negative, fractional and non-number counts', () => {
    expectSoql(
      account.where({ CreatedDate: SoqlDate.LAST_N_DAYS(0) }),
      'SELECT Id FROM Account WHERE CreatedDate = LAST_N_DAYS:0',
    );
    expect(() => SoqlDate.LAST_N_DAYS(-1)).toThrow(/LAST_N_DAYS needs a non-negative integer, got -1/);
    expect(() => SoqlDate.NEXT_N_WEEKS(1.5)).toThrow(/non-negative integer/);
    expect(() => SoqlDate.N_YEARS_AGO('3' as unknown as number)).toThrow(/got string/);
  });

  it('gives frozen values', () => {
    expect(Object.isFrozen(SoqlDate)).toBe(true);
    expect(Object.isFrozen(SoqlDate.TODAY)).toBe(true);
    expect(Object.isFrozen(SoqlDate.LAST_N_DAYS(3))).toBe(true);
  });
});

describe('SoqlDate.date', () => {
  it('renders a YYYY-MM-DD string unquoted', () => {
    expectSoql(
      account.where({ CloseDate: SoqlDate.date('2010-11-05') }),
      'SELECT Id FROM Account WHERE CloseDate = 2010-11-05',
    );
  });

  it("uses a Date's UTC calendar day", () => {
    expect(SoqlDate.date(new Date(Date.UTC(2024, 1, 29, 23, 59, 59))).value).toBe('2024-02-29');
  });

  it.each(['2010-11-5', '2010-13-01', '2023-02-29', '2010-11-05T00:00:00Z', "2010-11-05' OR Id != null", ''])(
    'refuses %j',
    (value) => {
      expect(() => SoqlDate.date(value)).toThrow(/SoqlDate.date\(\) takes a Date or a real calendar day/);
    },
  );
});

describe('SoqlDate.dateTime', () => {
  it.each(['2010-11-01T19:45:04Z', '1999-01-01T23:01:01+01:00', '1999-01-01T23:01:01-08:00'])(
    'renders the documented form %s unquoted',
    (value) => {
      expectSoql(
        account.where({ CreatedDate: SoqlDate.dateTime(value) }),
        `SELECT Id FROM Account WHERE CreatedDate = ${value}`,
      );
    },
  );

  it('renders a Date in UTC to the second', () => {
    expect(SoqlDate.dateTime(new Date('2010-11-01T21:45:04.999+02:00')).value).toBe('2010-11-01T19:45:04Z');
  });

  it.each([
    '2010-11-01T19:45:04',
    '2010-11-01T19:45:04.123Z',
    '2010-11-01 19:45:04Z',
    '2010-11-01T24:00:00Z',
    '2010-11-01T19:60:00Z',
    '2010-02-30T00:00:00Z',
    '2010-11-01T19:45:04+15:00',
    '2010-11-01T19:45:04Z OR Id != null',
  ])('refuses %j', (value) => {
    expect(() => SoqlDate.dateTime(value)).toThrow(/SoqlDate.dateTime\(\) takes a Date or a string/);
  });

  it('refuses an invalid Date', () => {
    expect(() => SoqlDate.dateTime(new Date(Number.NaN))).toThrow(/Invalid Date/);
  });
});

describe('hand-built date nodes are checked when compiled', () => {
  const compileValue = (value: ValueNode) => {
    const node: QueryNode = {
      kind: 'query',
      object: 'Account',
      select: [],
      groupBy: [],
      orderBy: [],
      where: { kind: 'comparison', left: { kind: 'field', path: 'D' }, operator: '=', value },
    };
    return compileSoql(node);
  };

  it.each<[string, ValueNode, RegExp]>([
    [
      'a date with text after it',
      { kind: 'date', value: '2010-11-05 OR Id != null' },
      /a date must be a real calendar day/,
    ],
    [
      'a dateTime without zone',
      { kind: 'dateTime', value: '2010-11-05T00:00:00' },
      /a dateTime must be written/,
    ],
    ['an unknown literal', { kind: 'dateLiteral', name: 'TODAY OR Id != null' }, /unknown date literal/],
    [
      'a fixed literal with a count',
      { kind: 'dateLiteral', name: 'TODAY', n: 3 },
      /TODAY takes no parameter/,
    ],
    [
      'a parameterised literal without count',
      { kind: 'dateLiteral', name: 'LAST_N_DAYS' },
      /needs a non-negative integer/,
    ],
    ['a negative count', { kind: 'dateLiteral', name: 'LAST_N_DAYS', n: -2 }, /needs a non-negative integer/],
  ])('refuses %s', (_name, value, message) => {
    expect(() => compileValue(value)).toThrow(message);
  });

  it('compiles valid ones', () => {
    expect(compileValue({ kind: 'dateLiteral', name: 'N_FISCAL_YEARS_AGO', n: 2 })).toBe(
      'SELECT Id FROM Account WHERE D = N_FISCAL_YEARS_AGO:2',
    );
  });
});
