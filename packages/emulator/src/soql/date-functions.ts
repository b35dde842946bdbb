import type { StoredValue } from '../schema/types.js';

/**
 * SOQL date functions (`CALENDAR_YEAR(CloseDate)`, `DAY_ONLY(CreatedDate)`...) over stored date and
 * dateTime values, in UTC (the emulator's users all live in UTC). Fiscal functions follow the calendar
 * because the emulated org's fiscal year is the calendar year.
 */
export type DateFunction = (value: StoredValue) => StoredValue;

const DAY_MS = 86_400_000;

function parts(value: StoredValue): Date | null {
  if (typeof value !== 'string' || value.length < 10) return null;
  const ms = Date.UTC(Number(value.slice(0, 4)), Number(value.slice(5, 7)) - 1, Number(value.slice(8, 10)));
  const hour = value.length >= 13 ? Number(value.slice(11, 13)) : 0;
  return Number.isNaN(ms) ? null : new Date(ms + hour * 3_600_000);
}

function dayOfYear(d: Date): number {
  return (
    Math.floor(
      (Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - Date.UTC(d.getUTCFullYear(), 0, 1)) /
        DAY_MS,
    ) + 1
  );
}

const numeric =
  (fn: (d: Date) => number): DateFunction =>
  (value) => {
    const d = parts(value);
    return d === null ? null : fn(d);
  };

const FUNCTIONS: Readonly<Record<string, DateFunction>> = {
  CALENDAR_MONTH: numeric((d) => d.getUTCMonth() + 1),
  CALENDAR_QUARTER: numeric((d) => Math.floor(d.getUTCMonth() / 3) + 1),
  CALENDAR_YEAR: numeric((d) => d.getUTCFullYear()),
  DAY_IN_MONTH: numeric((d) => d.getUTCDate()),
  DAY_IN_WEEK: numeric((d) => d.getUTCDay() + 1),
  DAY_IN_YEAR: numeric(dayOfYear),
  FISCAL_MONTH: numeric((d) => d.getUTCMonth() + 1),
  FISCAL_QUARTER: numeric((d) => Math.floor(d.getUTCMonth() / 3) + 1),
  FISCAL_YEAR: numeric((d) => d.getUTCFullYear()),
  HOUR_IN_DAY: numeric((d) => d.getUTCHours()),
  WEEK_IN_MONTH: numeric((d) => Math.floor((d.getUTCDate() - 1) / 7) + 1),
  WEEK_IN_YEAR: numeric((d) => Math.floor((dayOfYear(d) - 1) / 7) + 1),
  DAY_ONLY: (value) => (typeof value === 'string' && value.length >= 10 ? value.slice(0, 10) : null),
};

/** The function by its (case-insensitive) SOQL name, or undefined. */
export function dateFunction(name: string): DateFunction | undefined {
  return FUNCTIONS[name.toUpperCase()];
}

/** Functions that only apply to dateTime fields. */
export function requiresDateTime(name: string): boolean {
  const upper = name.toUpperCase();
  return upper === 'DAY_ONLY' || upper === 'HOUR_IN_DAY';
}
