/**
 * SOQL literal values turned into the stored wire form they are compared with: strings unescaped by
 * the rules of the SOQL reference (protocol 7.1), datetimes normalised to UTC
 * `YYYY-MM-DDTHH:mm:ss.SSS+0000`, dates checked, LIKE patterns compiled to regular expressions.
 */

/** A literal the engine cannot accept; the caller words it as Salesforce does and places the caret. */
export class LiteralError extends Error {}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  N: '\n',
  r: '\r',
  R: '\r',
  t: '\t',
  T: '\t',
  // The SOQL reference calls \b "bell".
  b: '\u0007',
  B: '\u0007',
  f: '\f',
  F: '\f',
  '"': '"',
  "'": "'",
  '\\': '\\',
};

/** One decoded piece of a string literal: plain text, or a LIKE-escaped `%`/`_` (literal there). */
interface Piece {
  readonly text: string;
  readonly likeEscape: boolean;
}

function decodePieces(quoted: string, allowLikeEscapes: boolean): Piece[] {
  const body = quoted.slice(1, -1);
  const pieces: Piece[] = [];
  let plain = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i] ?? '';
    if (c !== '\\') {
      plain += c;
      continue;
    }
    const next = body[i + 1] ?? '';
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined) {
      plain += simple;
      i++;
    } else if (next === 'u' || next === 'U') {
      const hex = body.slice(i + 2, i + 6);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw illegalSequence(body, `\\${next}${hex}`);
      plain += String.fromCharCode(Number.parseInt(hex, 16));
      i += 5;
    } else if ((next === '%' || next === '_') && allowLikeEscapes) {
      if (plain !== '') pieces.push({ text: plain, likeEscape: false });
      plain = '';
      pieces.push({ text: next, likeEscape: true });
      i++;
    } else {
      throw illegalSequence(body, `\\${next}`);
    }
  }
  if (plain !== '') pieces.push({ text: plain, likeEscape: false });
  return pieces;
}

function illegalSequence(body: string, sequence: string): LiteralError {
  // Wording [unverified]: the SOQL reference only says such a literal is an error.
  return new LiteralError(
    `Invalid string literal '${body}'. Illegal character sequence '${sequence}' in string literal.`,
  );
}

/** A quoted SOQL string literal (`'O\'Brien'`) as the string it stands for. */
export function decodeString(quoted: string): string {
  return decodePieces(quoted, false)
    .map((piece) => piece.text)
    .join('');
}

/**
 * A LIKE pattern as a case-insensitive, whole-value regular expression: `%` is any run of characters,
 * `_` any one character, `\%` and `\_` the characters themselves.
 */
export function likePattern(quoted: string): RegExp {
  let source = '';
  for (const piece of decodePieces(quoted, true)) {
    if (piece.likeEscape) {
      source += escapeRegExp(piece.text);
      continue;
    }
    for (const c of piece.text) {
      if (c === '%') source += '.*';
      else if (c === '_') source += '.';
      else source += escapeRegExp(c);
    }
  }
  return new RegExp(`^${source}$`, 'is');
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?(Z|[+-]\d{2}:?\d{2})$/i;

/** A `YYYY-MM-DD` literal, checked to be a real calendar date. */
export function parseDateLiteral(text: string): string {
  const m = DATE.exec(text);
  if (m === null) throw new LiteralError(`invalid date: ${text}`);
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(year, month - 1, day);
  if (formatDate(ms) !== text) throw new LiteralError(`invalid date: ${text}`);
  return text;
}

/** A dateTime literal in any accepted offset as the stored UTC wire form. */
export function parseDateTimeLiteral(text: string): string {
  const m = DATETIME.exec(text);
  if (m === null) throw new LiteralError(`invalid dateTime: ${text}`);
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i]));
  const millis = Number((m[7] ?? '0').padEnd(3, '0'));
  const local = Date.UTC(year ?? 0, (month ?? 1) - 1, day ?? 1, hour ?? 0, minute ?? 0, second ?? 0, millis);
  const check = new Date(local);
  if (check.getUTCDate() !== day || check.getUTCHours() !== hour || check.getUTCMinutes() !== minute) {
    throw new LiteralError(`invalid dateTime: ${text}`);
  }
  const zone = (m[8] ?? 'Z').toUpperCase();
  let offsetMinutes = 0;
  if (zone !== 'Z') {
    const digits = zone.replace(':', '');
    const sign = digits.startsWith('-') ? -1 : 1;
    offsetMinutes = sign * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
  }
  return formatDateTime(local - offsetMinutes * 60_000);
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** Epoch milliseconds as a `YYYY-MM-DD` date (UTC). */
export function formatDate(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getUTCFullYear()).padStart(4, '0')}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

/** Epoch milliseconds as the REST wire dateTime `YYYY-MM-DDTHH:mm:ss.SSS+0000`. */
export function formatDateTime(ms: number): string {
  const d = new Date(ms);
  return (
    `${formatDate(ms)}T${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}.` +
    `${String(d.getUTCMilliseconds()).padStart(3, '0')}+0000`
  );
}
