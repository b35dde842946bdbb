/**
 * Wire forms of date and time values, as Salesforce writes them in REST JSON:
 * datetime `2011-07-07T00:37:00.000+0000`, date `2010-01-01`, time `13:00:00.000Z`.
 */

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** A Date (or epoch ms) as a REST datetime: UTC, milliseconds, `+0000`. */
export function formatDateTime(value: Date | number): string {
  const d = typeof value === 'number' ? new Date(value) : value;
  const year = d.getUTCFullYear();
  if (year < 0 || year > 9999) throw new RangeError(`datetime out of range: ${year}`);
  // toISOString is `YYYY-MM-DDTHH:mm:ss.sssZ` for years 0..9999; join() yields one flat string, which
  // matters when a million records each keep theirs.
  return [d.toISOString().slice(0, 23), '+0000'].join('');
}

const DAY_MS = 86_400_000;
/** `HH:mm:00.000+0000` for each minute of a day. */
const MINUTE_SUFFIXES = Array.from(
  { length: 1440 },
  (_, m) => `${pad(Math.floor(m / 60))}:${pad(m % 60)}:00.000+0000`,
);
const dayPrefixes = new Map<number, string>();

/**
 * A whole-minute instant as a REST datetime, built from two shared strings (the day's
 * `YYYY-MM-DDT` and the minute's `HH:mm:00.000+0000`): for bulk generation, where a million records
 * each keep one and formatting them one by one dominated the time.
 */
export function formatMinute(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    if (dayPrefixes.size > 20_000) dayPrefixes.clear();
    prefix = `${formatDate(day * DAY_MS)}T`;
    dayPrefixes.set(day, prefix);
  }
  return prefix + (MINUTE_SUFFIXES[Math.floor((ms - day * DAY_MS) / 60_000)] as string);
}

/** A Date (or epoch ms) as a REST date in UTC. */
export function formatDate(value: Date | number): string {
  const d = typeof value === 'number' ? new Date(value) : value;
  return [pad(d.getUTCFullYear(), 4), pad(d.getUTCMonth() + 1), pad(d.getUTCDate())].join('-');
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const TIME = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z)?$/i;

function validDay(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= last;
}

/** Parses an ISO 8601 datetime (`Z`, `+hh:mm`, `+hhmm` or no zone = UTC) to epoch ms; undefined if invalid. */
export function parseDateTime(text: string): number | undefined {
  const date = DATE.exec(text);
  if (date) {
    const [y, m, d] = [Number(date[1]), Number(date[2]), Number(date[3])];
    return validDay(y, m, d) ? Date.UTC(y, m - 1, d) : undefined;
  }
  const match = DATETIME.exec(text.trim());
  if (!match) return undefined;
  const [y, mo, d, h, mi] = [1, 2, 3, 4, 5].map((i) => Number(match[i])) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const s = Number(match[6] ?? '0');
  const ms = Number((match[7] ?? '0').slice(0, 3).padEnd(3, '0'));
  if (!validDay(y, mo, d) || h > 23 || mi > 59 || s > 59) return undefined;
  let offset = 0;
  const zone = match[8];
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    offset = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
  }
  return Date.UTC(y, mo - 1, d, h, mi, s, ms) - offset * 60_000;
}

/** Normalizes a date input (`2024-01-31`, or a datetime whose date part is taken) to `YYYY-MM-DD`. */
export function normalizeDate(text: string): string | undefined {
  const date = DATE.exec(text);
  if (date) return validDay(Number(date[1]), Number(date[2]), Number(date[3])) ? text : undefined;
  const ms = parseDateTime(text);
  return ms === undefined ? undefined : formatDate(ms);
}

/** Normalizes a datetime input to the REST wire form. */
export function normalizeDateTime(text: string): string | undefined {
  const ms = parseDateTime(text);
  return ms === undefined ? undefined : formatDateTime(ms);
}

/** Normalizes a time input (`13:00`, `13:00:00`, `13:00:00.000Z`) to `HH:mm:ss.SSSZ`. */
export function normalizeTime(text: string): string | undefined {
  const match = TIME.exec(text.trim());
  if (!match) return undefined;
  const [h, m, s] = [Number(match[1]), Number(match[2]), Number(match[3] ?? '0')];
  if (h > 23 || m > 59 || s > 59) return undefined;
  return `${pad(h)}:${pad(m)}:${pad(s)}.${(match[4] ?? '0').padEnd(3, '0')}Z`;
}

/** Parses a REST datetime back to epoch ms (the stored form is always valid). */
export function dateTimeMs(wire: string): number {
  return parseDateTime(wire.replace(/\+0000$/, 'Z')) ?? Number.NaN;
}
