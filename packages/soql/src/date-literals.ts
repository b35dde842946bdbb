import { SoqlBuildError } from './errors.js';
import { dateOnlyFromDate, dateTimeFromDate, isDateOnly, isDateTime } from './internal/dates.js';
import type { DateLiteralNode, DateNode, DateTimeNode } from './nodes.js';

/** The relative date literals that take no parameter (`WHERE CloseDate = THIS_FISCAL_QUARTER`). */
export const RELATIVE_DATE_LITERALS = [
  'YESTERDAY',
  'TODAY',
  'TOMORROW',
  'LAST_WEEK',
  'THIS_WEEK',
  'NEXT_WEEK',
  'LAST_MONTH',
  'THIS_MONTH',
  'NEXT_MONTH',
  'LAST_90_DAYS',
  'NEXT_90_DAYS',
  'THIS_QUARTER',
  'LAST_QUARTER',
  'NEXT_QUARTER',
  'THIS_YEAR',
  'LAST_YEAR',
  'NEXT_YEAR',
  'THIS_FISCAL_QUARTER',
  'LAST_FISCAL_QUARTER',
  'NEXT_FISCAL_QUARTER',
  'THIS_FISCAL_YEAR',
  'LAST_FISCAL_YEAR',
  'NEXT_FISCAL_YEAR',
] as const;

/** The date literals that take a count (`WHERE CreatedDate = LAST_N_DAYS:30`). */
export const PARAMETERIZED_DATE_LITERALS = [
  'LAST_N_DAYS',
  'NEXT_N_DAYS',
  'N_DAYS_AGO',
  'LAST_N_WEEKS',
  'NEXT_N_WEEKS',
  'N_WEEKS_AGO',
  'LAST_N_MONTHS',
  'NEXT_N_MONTHS',
  'N_MONTHS_AGO',
  'LAST_N_QUARTERS',
  'NEXT_N_QUARTERS',
  'N_QUARTERS_AGO',
  'LAST_N_YEARS',
  'NEXT_N_YEARS',
  'N_YEARS_AGO',
  'LAST_N_FISCAL_QUARTERS',
  'NEXT_N_FISCAL_QUARTERS',
  'N_FISCAL_QUARTERS_AGO',
  'LAST_N_FISCAL_YEARS',
  'NEXT_N_FISCAL_YEARS',
  'N_FISCAL_YEARS_AGO',
] as const;

export type RelativeDateLiteral = (typeof RELATIVE_DATE_LITERALS)[number];
export type ParameterizedDateLiteral = (typeof PARAMETERIZED_DATE_LITERALS)[number];

/** Any value `SoqlDate` produces. */
export type SoqlDateValue = DateLiteralNode | DateNode | DateTimeNode;

/**
 * Salesforce date values for conditions. Every relative literal is a property (`SoqlDate.TODAY`),
 * every parameterised one a function (`SoqlDate.LAST_N_DAYS(10)` -> `LAST_N_DAYS:10`), plus
 * `date()` for a date-only literal and `dateTime()` for a dateTime literal. A plain JS `Date` used as a
 * condition value is a dateTime too.
 */
export type SoqlDateFactory = {
  readonly [K in RelativeDateLiteral]: DateLiteralNode;
} & {
  readonly [K in ParameterizedDateLiteral]: (n: number) => DateLiteralNode;
} & {
  /**
   * A date-only literal (`2010-11-05`), for date fields. Takes a `YYYY-MM-DD` string or a `Date`, whose
   * UTC calendar day is used (`new Date('2010-11-05')` is that day; a local-midnight `Date` east of
   * UTC is the day before, so prefer strings).
   */
  date(value: Date | string): DateNode;
  /**
   * A dateTime literal, for dateTime fields. Takes a `Date` (rendered in UTC, `2010-11-01T19:45:04Z`,
   * whole seconds) or a string in one of the documented forms: `YYYY-MM-DDThh:mm:ssZ`,
   * `YYYY-MM-DDThh:mm:ss+hh:mm`, `YYYY-MM-DDThh:mm:ss-hh:mm`.
   */
  dateTime(value: Date | string): DateTimeNode;
};

function relative(name: RelativeDateLiteral): DateLiteralNode {
  return Object.freeze({ kind: 'dateLiteral', name });
}

function parameterized(name: ParameterizedDateLiteral): (n: number) => DateLiteralNode {
  return (n: number) => {
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new SoqlBuildError(
        'INVALID_VALUE',
        `${name} needs a non-negative integer, got ${typeof n === 'number' ? String(n) : typeof n}`,
        name,
      );
    }
    return Object.freeze({ kind: 'dateLiteral', name, n });
  };
}

function date(value: Date | string): DateNode {
  if (value instanceof Date)
    return Object.freeze({ kind: 'date', value: dateOnlyFromDate(value, 'SoqlDate.date') });
  if (typeof value === 'string' && isDateOnly(value)) return Object.freeze({ kind: 'date', value });
  throw new SoqlBuildError(
    'INVALID_VALUE',
    'SoqlDate.date() takes a Date or a real calendar day written YYYY-MM-DD',
    'SoqlDate.date',
  );
}

function dateTime(value: Date | string): DateTimeNode {
  if (value instanceof Date) {
    return Object.freeze({ kind: 'dateTime', value: dateTimeFromDate(value, 'SoqlDate.dateTime') });
  }
  if (typeof value === 'string' && isDateTime(value)) return Object.freeze({ kind: 'dateTime', value });
  throw new SoqlBuildError(
    'INVALID_VALUE',
    'SoqlDate.dateTime() takes a Date or a string YYYY-MM-DDThh:mm:ssZ, YYYY-MM-DDThh:mm:ss+hh:mm or YYYY-MM-DDThh:mm:ss-hh:mm',
    'SoqlDate.dateTime',
  );
}

export const SoqlDate: SoqlDateFactory = Object.freeze({
  ...(Object.fromEntries(RELATIVE_DATE_LITERALS.map((name) => [name, relative(name)])) as {
    [K in RelativeDateLiteral]: DateLiteralNode;
  }),
  ...(Object.fromEntries(PARAMETERIZED_DATE_LITERALS.map((name) => [name, parameterized(name)])) as {
    [K in ParameterizedDateLiteral]: (n: number) => DateLiteralNode;
  }),
  date,
  dateTime,
});
