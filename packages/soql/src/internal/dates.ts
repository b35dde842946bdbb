import { SoqlBuildError } from '../errors.js';

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
// The documented dateTime forms: `Z` or a `+hh:mm` / `-hh:mm` offset, whole seconds.
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:Z|[+-](\d{2}):(\d{2}))$/;

function isCalendarDay(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  // Day 0 of the next month is the last day of this one (UTC, so no DST surprises).
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= lastDay;
}

/** `YYYY-MM-DD` naming a real calendar day. */
export function isDateOnly(value: string): boolean {
  const match = DATE_ONLY.exec(value);
  return match !== null && isCalendarDay(Number(match[1]), Number(match[2]), Number(match[3]));
}

/** One of the documented dateTime forms, with every part in range. */
export function isDateTime(value: string): boolean {
  const match = DATE_TIME.exec(value);
  if (match === null) return false;
  const [, year, month, day, hour, minute, second, offsetHour, offsetMinute] = match;
  return (
    isCalendarDay(Number(year), Number(month), Number(day)) &&
    Number(hour) <= 23 &&
    Number(minute) <= 59 &&
    Number(second) <= 59 &&
    (offsetHour === undefined || (Number(offsetHour) <= 14 && Number(offsetMinute) <= 59))
  );
}

function isoOf(date: Date, field: string): string {
  const time = date.getTime();
  if (Number.isNaN(time)) {
    throw new SoqlBuildError('INVALID_VALUE', `Invalid Date for ${field}`, field);
  }
  const iso = date.toISOString();
  // Years outside 0000-9999 come out as `+012345-...`, which SOQL cannot express.
  if (!/^\d{4}-/.test(iso)) {
    throw new SoqlBuildError('INVALID_VALUE', `Date for ${field} is outside the years 0000-9999`, field);
  }
  return iso;
}

/**
 * A `Date` as a dateTime literal in UTC. Salesforce documents no fractional-seconds form and stores
 * dateTimes to the second, so milliseconds are dropped.
 */
export function dateTimeFromDate(date: Date, field: string): string {
  return `${isoOf(date, field).slice(0, 19)}Z`;
}

/** A `Date`'s UTC calendar day as a date-only literal. */
export function dateOnlyFromDate(date: Date, field: string): string {
  return isoOf(date, field).slice(0, 10);
}
