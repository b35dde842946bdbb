import { PARAMETERIZED_DATE_LITERALS, RELATIVE_DATE_LITERALS } from '../date-literals.js';
import { SoqlBuildError } from '../errors.js';
import type { ValueNode } from '../nodes.js';
import { isDateOnly, isDateTime } from './dates.js';

// The one place a value becomes SOQL text. SOQL over REST has no bind parameters, so every literal
// in every query is rendered here, and nothing else writes quotes or values into a query.

const RELATIVE = new Set<string>(RELATIVE_DATE_LITERALS);
const PARAMETERIZED = new Set<string>(PARAMETERIZED_DATE_LITERALS);

// Characters that cannot appear raw inside a quoted literal: backslash, both quotes, every control
// character, and lone UTF-16 surrogates (they cannot be URL-encoded). One pass, so each character is
// escaped exactly once and the escape of one can never be re-escaped by the next.
const CONTROL = '\\u0000-\\u001f\\u007f';
const LONE_SURROGATE = '[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]';
const NEEDS_ESCAPE = new RegExp(`[\\\\'"${CONTROL}]|${LONE_SURROGATE}`, 'g');
const NEEDS_ESCAPE_OR_WILDCARD = new RegExp(`[\\\\'"%_${CONTROL}]|${LONE_SURROGATE}`, 'g');

function escapeChar(char: string): string {
  switch (char) {
    case '\\':
      return '\\\\';
    case "'":
      return "\\'";
    case '"':
      return '\\"';
    case '\n':
      return '\\n';
    case '\r':
      return '\\r';
    case '\t':
      return '\\t';
    case '%':
      return '\\%';
    case '_':
      return '\\_';
    default:
      // Other control characters and lone surrogates as \uXXXX, which SOQL documents; the short
      // forms \b and \f are avoided because Salesforce's docs disagree on what \b means.
      return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
  }
}

/**
 * The body of a quoted string literal. `%` and `_` are left alone (in LIKE they are wildcards, and
 * elsewhere they are plain characters); `likeLiteral` escapes them too, for text matched literally
 * inside a LIKE pattern.
 */
export function escapeString(value: string, likeLiteral = false): string {
  return value.replace(likeLiteral ? NEEDS_ESCAPE_OR_WILDCARD : NEEDS_ESCAPE, escapeChar);
}

/**
 * A finite number in plain decimal notation. SOQL has no exponent form, so `1e21` is written out in
 * full and `1.5e-7` as `0.00000015`; the digits are those of JS's shortest round-trip form, so
 * `Number(formatNumber(n)) === n`.
 */
export function formatNumber(value: number): string {
  const text = String(value);
  const e = text.indexOf('e');
  if (e === -1) return text;
  const negative = text.startsWith('-');
  const mantissa = text.slice(negative ? 1 : 0, e);
  const exponent = Number(text.slice(e + 1));
  const dot = mantissa.indexOf('.');
  const digits = dot === -1 ? mantissa : mantissa.slice(0, dot) + mantissa.slice(dot + 1);
  const point = (dot === -1 ? mantissa.length : dot) + exponent;
  let plain: string;
  if (point <= 0) plain = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) plain = digits + '0'.repeat(point - digits.length);
  else plain = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return negative ? `-${plain}` : plain;
}

function invalid(field: string, message: string): never {
  throw new SoqlBuildError('INVALID_VALUE', `Invalid value for ${field}: ${message}`, field);
}

/**
 * Render one value node for `field` (used only in error messages). `inLike` says whether the value is
 * the right side of LIKE, the only place a `likePattern` node is allowed.
 */
export function renderValue(node: ValueNode, field: string, inLike: boolean): string {
  switch (node.kind) {
    case 'string':
      if (typeof node.value !== 'string') invalid(field, 'a string node needs a string value');
      return `'${escapeString(node.value)}'`;
    case 'likePattern':
      if (!inLike) invalid(field, 'a LIKE pattern can only be used with $like or $nlike');
      if (typeof node.text !== 'string') invalid(field, 'a LIKE pattern needs a string text');
      return `'${node.anyBefore ? '%' : ''}${escapeString(node.text, true)}${node.anyAfter ? '%' : ''}'`;
    case 'number':
      if (typeof node.value !== 'number' || !Number.isFinite(node.value)) {
        invalid(field, `numbers must be finite, got ${String(node.value)}`);
      }
      return formatNumber(node.value);
    case 'boolean':
      if (typeof node.value !== 'boolean') invalid(field, 'a boolean node needs a boolean value');
      return node.value ? 'true' : 'false';
    case 'null':
      return 'null';
    case 'date':
      if (typeof node.value !== 'string' || !isDateOnly(node.value)) {
        invalid(field, 'a date must be a real calendar day written YYYY-MM-DD');
      }
      return node.value;
    case 'dateTime':
      if (typeof node.value !== 'string' || !isDateTime(node.value)) {
        invalid(field, 'a dateTime must be written YYYY-MM-DDThh:mm:ssZ or YYYY-MM-DDThh:mm:ss±hh:mm');
      }
      return node.value;
    case 'dateLiteral':
      return renderDateLiteral(node.name, node.n, field);
    default:
      return invalid(field, `unknown value node kind ${JSON.stringify((node as { kind: unknown }).kind)}`);
  }
}

function renderDateLiteral(name: string, n: number | undefined, field: string): string {
  if (RELATIVE.has(name)) {
    if (n !== undefined) invalid(field, `${name} takes no parameter`);
    return name;
  }
  if (PARAMETERIZED.has(name)) {
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
      invalid(field, `${name} needs a non-negative integer parameter`);
    }
    return `${name}:${n}`;
  }
  return invalid(field, `unknown date literal ${JSON.stringify(String(name).slice(0, 40))}`);
}
