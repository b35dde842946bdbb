import { formatDate } from './literals.js';

/**
 * Relative date literals (`TODAY`, `LAST_N_DAYS:30`, `THIS_FISCAL_QUARTER`...) as half-open day ranges
 * `[start, end)`, computed from `now` in UTC. The emulator's documented simplifications: every user is
 * in UTC, weeks start on Sunday (the en_US locale) and the fiscal year is the calendar year, so the
 * FISCAL literals equal their calendar twins.
 */
export interface DayRange {
  /** First day in the range, `YYYY-MM-DD`. */
  readonly start: string;
  /** First day after the range, `YYYY-MM-DD`. */
  readonly end: string;
}

type Unit = 'day' | 'week' | 'month' | 'quarter' | 'year';

const DAY_MS = 86_400_000;

const FIXED: Readonly<Record<string, readonly [Unit, number, number]>> = {
  // [unit, offset of the first unit from the current one, number of units]
  YESTERDAY: ['day', -1, 1],
  TODAY: ['day', 0, 1],
  TOMORROW: ['day', 1, 1],
  LAST_WEEK: ['week', -1, 1],
  THIS_WEEK: ['week', 0, 1],
  NEXT_WEEK: ['week', 1, 1],
  LAST_MONTH: ['month', -1, 1],
  THIS_MONTH: ['month', 0, 1],
  NEXT_MONTH: ['month', 1, 1],
  // LAST_90_DAYS includes today: 91 days in all. NEXT_90_DAYS starts tomorrow.
  LAST_90_DAYS: ['day', -90, 91],
  NEXT_90_DAYS: ['day', 1, 90],
  LAST_QUARTER: ['quarter', -1, 1],
  THIS_QUARTER: ['quarter', 0, 1],
  NEXT_QUARTER: ['quarter', 1, 1],
  LAST_YEAR: ['year', -1, 1],
  THIS_YEAR: ['year', 0, 1],
  NEXT_YEAR: ['year', 1, 1],
  LAST_FISCAL_QUARTER: ['quarter', -1, 1],
  THIS_FISCAL_QUARTER: ['quarter', 0, 1],
  NEXT_FISCAL_QUARTER: ['quarter', 1, 1],
  LAST_FISCAL_YEAR: ['year', -1, 1],
  THIS_FISCAL_YEAR: ['year', 0, 1],
  NEXT_FISCAL_YEAR: ['year', 1, 1],
};

const PARAMETERISED =
  /^(LAST_N|NEXT_N|N)_(DAYS|WEEKS|MONTHS|QUARTERS|YEARS|FISCAL_QUARTERS|FISCAL_YEARS)(_AGO)?$/;

const UNITS: Readonly<Record<string, Unit>> = {
  DAYS: 'day',
  WEEKS: 'week',
  MONTHS: 'month',
  QUARTERS: 'quarter',
  YEARS: 'year',
  FISCAL_QUARTERS: 'quarter',
  FISCAL_YEARS: 'year',
};

/** True when `name` (upper case, without `:n`) is a date literal that takes a number. */
export function isParameterisedDateLiteral(name: string): boolean {
  const m = PARAMETERISED.exec(name);
  return m !== null && (m[1] === 'N') === (m[3] === '_AGO');
}

/** True when `name` (upper case) is a date literal without a number. */
export function isFixedDateLiteral(name: string): boolean {
  return FIXED[name] !== undefined;
}

/**
 * The day range of a date literal. `name` is upper case without the `:n` suffix; `n` is required for
 * the parameterised literals. Returns undefined for an unknown literal.
 */
export function dateLiteralRange(name: string, n: number | undefined, now: Date): DayRange | undefined {
  const fixed = FIXED[name];
  if (fixed !== undefined) return unitRange(now, fixed[0], fixed[1], fixed[2]);
  const m = PARAMETERISED.exec(name);
  if (m === null || n === undefined || !isParameterisedDateLiteral(name)) return undefined;
  const unit = UNITS[m[2] ?? ''] ?? 'day';
  const direction = m[1];
  if (unit === 'day') {
    // LAST_N_DAYS:n includes today; NEXT_N_DAYS:n starts tomorrow; N_DAYS_AGO:n is that one day.
    if (direction === 'LAST_N') return unitRange(now, 'day', -n, n + 1);
    if (direction === 'NEXT_N') return unitRange(now, 'day', 1, n);
    return unitRange(now, 'day', -n, 1);
  }
  // Weeks, months, quarters and years: LAST_N excludes the current unit, NEXT_N starts at the next one.
  if (direction === 'LAST_N') return unitRange(now, unit, -n, n);
  if (direction === 'NEXT_N') return unitRange(now, unit, 1, n);
  return unitRange(now, unit, -n, 1);
}

/** `count` units starting `offset` units away from the unit that contains `now`. */
function unitRange(now: Date, unit: Unit, offset: number, count: number): DayRange {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  const today = Date.UTC(year, month, now.getUTCDate());
  switch (unit) {
    case 'day':
      return days(today + offset * DAY_MS, count);
    case 'week': {
      const weekStart = today - now.getUTCDay() * DAY_MS;
      return days(weekStart + offset * 7 * DAY_MS, count * 7);
    }
    case 'month':
      return months(year, month + offset, count);
    case 'quarter':
      return months(year, Math.floor(month / 3) * 3 + offset * 3, count * 3);
    case 'year':
      return months(year + offset, 0, count * 12);
  }
}

function days(startMs: number, count: number): DayRange {
  return { start: formatDate(startMs), end: formatDate(startMs + count * DAY_MS) };
}

function months(year: number, firstMonth: number, count: number): DayRange {
  return {
    start: formatDate(Date.UTC(year, firstMonth, 1)),
    end: formatDate(Date.UTC(year, firstMonth + count, 1)),
  };
}
