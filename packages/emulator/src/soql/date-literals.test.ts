import { describe, expect, it } from 'vitest';
import { dateLiteralRange, isFixedDateLiteral, isParameterisedDateLiteral } from './date-literals.js';

function range(literal: string, now: string): [string, string] {
  const [name = '', n] = literal.split(':');
  const result = dateLiteralRange(name, n === undefined ? undefined : Number(n), new Date(now));
  if (result === undefined) throw new Error(`no range for ${literal}`);
  return [result.start, result.end];
}

describe('relative date literals on a leap day (Thursday 2024-02-29, UTC)', () => {
  const now = '2024-02-29T15:00:00.000Z';
  it.each([
    ['YESTERDAY', '2024-02-28', '2024-02-29'],
    ['TODAY', '2024-02-29', '2024-03-01'],
    ['TOMORROW', '2024-03-01', '2024-03-02'],
    ['LAST_WEEK', '2024-02-18', '2024-02-25'],
    ['THIS_WEEK', '2024-02-25', '2024-03-03'],
    ['NEXT_WEEK', '2024-03-03', '2024-03-10'],
    ['LAST_MONTH', '2024-01-01', '2024-02-01'],
    ['THIS_MONTH', '2024-02-01', '2024-03-01'],
    ['NEXT_MONTH', '2024-03-01', '2024-04-01'],
    ['LAST_90_DAYS', '2023-12-01', '2024-03-01'],
    ['NEXT_90_DAYS', '2024-03-01', '2024-05-30'],
    ['LAST_QUARTER', '2023-10-01', '2024-01-01'],
    ['THIS_QUARTER', '2024-01-01', '2024-04-01'],
    ['NEXT_QUARTER', '2024-04-01', '2024-07-01'],
    ['LAST_YEAR', '2023-01-01', '2024-01-01'],
    ['THIS_YEAR', '2024-01-01', '2025-01-01'],
    ['NEXT_YEAR', '2025-01-01', '2026-01-01'],
    ['LAST_FISCAL_QUARTER', '2023-10-01', '2024-01-01'],
    ['THIS_FISCAL_QUARTER', '2024-01-01', '2024-04-01'],
    ['NEXT_FISCAL_QUARTER', '2024-04-01', '2024-07-01'],
    ['LAST_FISCAL_YEAR', '2023-01-01', '2024-01-01'],
    ['THIS_FISCAL_YEAR', '2024-01-01', '2025-01-01'],
    ['NEXT_FISCAL_YEAR', '2025-01-01', '2026-01-01'],
    ['LAST_N_DAYS:1', '2024-02-28', '2024-03-01'],
    ['LAST_N_DAYS:30', '2024-01-30', '2024-03-01'],
    ['NEXT_N_DAYS:1', '2024-03-01', '2024-03-02'],
    ['NEXT_N_DAYS:7', '2024-03-01', '2024-03-08'],
    ['N_DAYS_AGO:1', '2024-02-28', '2024-02-29'],
    ['N_DAYS_AGO:365', '2023-03-01', '2023-03-02'],
    ['LAST_N_WEEKS:2', '2024-02-11', '2024-02-25'],
    ['NEXT_N_WEEKS:1', '2024-03-03', '2024-03-10'],
    ['N_WEEKS_AGO:1', '2024-02-18', '2024-02-25'],
    ['LAST_N_MONTHS:2', '2023-12-01', '2024-02-01'],
    ['NEXT_N_MONTHS:2', '2024-03-01', '2024-05-01'],
    ['N_MONTHS_AGO:1', '2024-01-01', '2024-02-01'],
    ['N_MONTHS_AGO:12', '2023-02-01', '2023-03-01'],
    ['LAST_N_QUARTERS:2', '2023-07-01', '2024-01-01'],
    ['NEXT_N_QUARTERS:1', '2024-04-01', '2024-07-01'],
    ['N_QUARTERS_AGO:4', '2023-01-01', '2023-04-01'],
    ['LAST_N_YEARS:1', '2023-01-01', '2024-01-01'],
    ['NEXT_N_YEARS:2', '2025-01-01', '2027-01-01'],
    ['N_YEARS_AGO:4', '2020-01-01', '2021-01-01'],
    ['LAST_N_FISCAL_QUARTERS:1', '2023-10-01', '2024-01-01'],
    ['NEXT_N_FISCAL_QUARTERS:2', '2024-04-01', '2024-10-01'],
    ['N_FISCAL_QUARTERS_AGO:1', '2023-10-01', '2024-01-01'],
    ['LAST_N_FISCAL_YEARS:2', '2022-01-01', '2024-01-01'],
    ['NEXT_N_FISCAL_YEARS:1', '2025-01-01', '2026-01-01'],
    ['N_FISCAL_YEARS_AGO:1', '2023-01-01', '2024-01-01'],
  ])('%s spans %s up to %s', (literal, start, end) => {
    expect(range(literal, now)).toEqual([start, end]);
  });
});

describe('relative date literals at boundaries', () => {
  it('rolls TOMORROW, NEXT_MONTH, NEXT_QUARTER and NEXT_YEAR over on the last instant of a year', () => {
    const now = '2024-12-31T23:59:59.999Z';
    expect(range('TODAY', now)).toEqual(['2024-12-31', '2025-01-01']);
    expect(range('TOMORROW', now)).toEqual(['2025-01-01', '2025-01-02']);
    expect(range('NEXT_MONTH', now)).toEqual(['2025-01-01', '2025-02-01']);
    expect(range('NEXT_QUARTER', now)).toEqual(['2025-01-01', '2025-04-01']);
    expect(range('THIS_WEEK', now)).toEqual(['2024-12-29', '2025-01-05']);
  });

  it('reaches back into the previous year on the first instant of a year', () => {
    const now = '2024-01-01T00:00:00.000Z';
    expect(range('YESTERDAY', now)).toEqual(['2023-12-31', '2024-01-01']);
    expect(range('LAST_MONTH', now)).toEqual(['2023-12-01', '2024-01-01']);
    expect(range('LAST_QUARTER', now)).toEqual(['2023-10-01', '2024-01-01']);
    expect(range('THIS_WEEK', now)).toEqual(['2023-12-31', '2024-01-07']);
  });

  it('uses 28 days for February in a common year', () => {
    const now = '2023-03-01T08:00:00.000Z';
    expect(range('YESTERDAY', now)).toEqual(['2023-02-28', '2023-03-01']);
    expect(range('LAST_MONTH', now)).toEqual(['2023-02-01', '2023-03-01']);
    expect(range('LAST_N_DAYS:1', now)).toEqual(['2023-02-28', '2023-03-02']);
  });

  it('counts months, not days, from the end of a long month', () => {
    expect(range('N_MONTHS_AGO:1', '2024-03-31T12:00:00.000Z')).toEqual(['2024-02-01', '2024-03-01']);
    expect(range('LAST_N_MONTHS:1', '2024-05-31T12:00:00.000Z')).toEqual(['2024-04-01', '2024-05-01']);
  });

  it('starts weeks on Sunday', () => {
    expect(range('THIS_WEEK', '2024-03-03T00:00:00.000Z')).toEqual(['2024-03-03', '2024-03-10']);
    expect(range('THIS_WEEK', '2024-03-09T23:59:59.000Z')).toEqual(['2024-03-03', '2024-03-10']);
  });

  it('takes the quarter from the month: the first day of a quarter opens it', () => {
    expect(range('THIS_QUARTER', '2024-07-01T00:00:00.000Z')).toEqual(['2024-07-01', '2024-10-01']);
    expect(range('THIS_QUARTER', '2024-09-30T23:00:00.000Z')).toEqual(['2024-07-01', '2024-10-01']);
  });
});

describe('date literal names', () => {
  it('tells fixed and parameterised literals apart and rejects malformed names', () => {
    expect(isFixedDateLiteral('LAST_90_DAYS')).toBe(true);
    expect(isParameterisedDateLiteral('N_DAYS_AGO')).toBe(true);
    expect(isParameterisedDateLiteral('LAST_N_FISCAL_YEARS')).toBe(true);
    expect(isParameterisedDateLiteral('LAST_N_DAYS_AGO')).toBe(false);
    expect(isParameterisedDateLiteral('N_DAYS')).toBe(false);
    expect(dateLiteralRange('LAST_N_DAYS', undefined, new Date())).toBeUndefined();
    expect(dateLiteralRange('SOMETIME', undefined, new Date())).toBeUndefined();
  });
});
