import type { LiteralType, Operator } from '@jetstreamapp/soql-parser-js';
import { isId, to18 } from '../ids.js';
import type { StoredValue } from '../schema/types.js';
import { dateLiteralRange } from './date-literals.js';
import type { SoqlError } from './errors.js';
import {
  decodeString,
  LiteralError,
  likePattern,
  parseDateLiteral,
  parseDateTimeLiteral,
} from './literals.js';
import type { ValueKind } from './schema-index.js';
import type { ConditionTree, LeafCondition } from './where-tree.js';

/**
 * Comparisons compiled once into closures: the operand's accessor, the literal already converted to
 * the stored wire form, and the comparison chosen by operator and type. Evaluating a row is then a
 * field read and a primitive comparison, with Salesforce's null rules: `= null` and `!= null` test for
 * null, `!=` and `NOT IN` are true for null values, every other comparison is false for them.
 */
export type Predicate<R> = (row: R) => boolean;

/** What a condition compares: a field, a date function of a field, an aggregate in HAVING. */
export interface Operand<R> {
  /** As written, to find it in the query text. */
  readonly raw: string;
  /** The name used in messages (`AnnualRevenue`). */
  readonly label: string;
  readonly kind: ValueKind;
  /** The type named in "must be of type ..." messages. */
  readonly typeName: string;
  readonly filterable: boolean;
  readonly get: (row: R) => StoredValue;
}

/** The literal side of a condition, as the parser gives it. */
export interface LiteralSide {
  readonly operator: Operator;
  readonly value: string | string[];
  readonly literalType?: LiteralType | LiteralType[] | undefined;
  readonly dateLiteralVariable?: number | number[] | undefined;
}

export interface ComparisonContext {
  readonly now: Date;
  /** An error in caret form pointing at the operand. */
  error(errorCode: string, text: string): SoqlError;
  /** An error in caret form pointing at a literal (its text as written). */
  literalError(literal: string, errorCode: string, text: string): SoqlError;
}

type Primitive = string | number | boolean;

type Literal =
  | { readonly t: 'null' }
  | { readonly t: 'string'; readonly v: string; readonly raw: string }
  | { readonly t: 'number'; readonly v: number }
  | { readonly t: 'boolean'; readonly v: boolean }
  | { readonly t: 'date' | 'datetime'; readonly v: string }
  | { readonly t: 'range'; readonly start: string; readonly end: string };

/** A literal converted for comparison with one operand kind. */
type Coerced =
  | { readonly t: 'null' }
  | { readonly t: 'value'; readonly v: Primitive }
  | { readonly t: 'range'; readonly lo: string; readonly hi: string };

export function compileComparison<R>(
  operand: Operand<R>,
  side: LiteralSide,
  ctx: ComparisonContext,
): Predicate<R> {
  if (!operand.filterable) {
    throw ctx.error('INVALID_FIELD', `field '${operand.label}' can not be filtered in query call`);
  }
  // `<>` is SOQL's other spelling of `!=`.
  const written = side.operator.toUpperCase();
  const operator = (written === '<>' ? '!=' : written) as Operator;
  const get = operand.get;
  const norm = normalizer(operand.kind);

  if (operator === 'INCLUDES' || operator === 'EXCLUDES') {
    if (operand.kind !== 'multipicklist') {
      // Wording [unverified].
      throw ctx.error(
        'INVALID_QUERY_FILTER_OPERATOR',
        'includes or excludes operator only valid on multipicklist field',
      );
    }
    const groups = literals(side, ctx).map((literal) => {
      if (literal.t !== 'string') throw mustBe(operand, 'string', true, ctx);
      return splitPicklist(literal.v);
    });
    const includes = (row: R): boolean => {
      const value = get(row);
      if (typeof value !== 'string') return false;
      const selected = new Set(splitPicklist(value));
      return groups.some((group) => group.every((item) => selected.has(item)));
    };
    return operator === 'INCLUDES' ? includes : (row) => !includes(row);
  }

  if (operand.kind === 'multipicklist' && !['=', '!=', 'IN', 'NOT IN'].includes(operator)) {
    throw ctx.error('INVALID_QUERY_FILTER_OPERATOR', 'invalid operator on multipicklist field');
  }

  if (operator === 'LIKE') {
    if (operand.kind !== 'text' && operand.kind !== 'id') {
      // Wording [unverified], after the real "invalid operator on multipicklist field".
      throw ctx.error('INVALID_QUERY_FILTER_OPERATOR', `invalid operator on ${operand.typeName} field`);
    }
    const [literal] = literals(side, ctx, true);
    if (literal === undefined || literal.t === 'null') return () => false;
    if (literal.t !== 'string') throw mustBe(operand, operand.typeName, true, ctx);
    let pattern: RegExp;
    try {
      pattern = likePattern(literal.raw);
    } catch (error) {
      throw asLiteralError(error, literal.raw, ctx);
    }
    return (row) => {
      const value = get(row);
      return typeof value === 'string' && pattern.test(value);
    };
  }

  if (operator === 'IN' || operator === 'NOT IN') {
    const coerced = literals(side, ctx).map((literal) => coerce(literal, operand, ctx));
    const hasNull = coerced.some((c) => c.t === 'null');
    const values = new Set<Primitive>();
    const ranges: { lo: string; hi: string }[] = [];
    for (const c of coerced) {
      if (c.t === 'value') values.add(c.v);
      else if (c.t === 'range') ranges.push(c);
    }
    const isIn = (row: R): boolean => {
      const value = norm(get(row));
      if (value === null) return hasNull;
      if (values.has(value)) return true;
      for (const range of ranges) if (value >= range.lo && value < range.hi) return true;
      return false;
    };
    return operator === 'IN' ? isIn : (row) => !isIn(row);
  }

  const [literal] = literals(side, ctx);
  if (literal === undefined) throw ctx.error('MALFORMED_QUERY', 'unexpected token: <EOF>');
  const c = coerce(literal, operand, ctx);
  switch (operator) {
    case '=':
      if (c.t === 'null') return (row) => get(row) === null;
      if (c.t === 'range') return inRange(get, c);
      return equals(get, norm, c.v);
    case '!=': {
      if (c.t === 'null') return (row) => get(row) !== null;
      const eq = c.t === 'range' ? inRange(get, c) : equals(get, norm, c.v);
      return (row) => !eq(row);
    }
    case '<':
    case '<=':
    case '>':
    case '>=':
      if (c.t === 'null') return () => false;
      return ordered(get, norm, operator, c);
    default:
      throw ctx.error('MALFORMED_QUERY', `unexpected token: '${side.operator}'`);
  }
}

function equals<R>(
  get: (row: R) => StoredValue,
  norm: (value: StoredValue) => Primitive | null,
  literal: Primitive,
): Predicate<R> {
  return (row) => norm(get(row)) === literal;
}

function inRange<R>(get: (row: R) => StoredValue, range: { lo: string; hi: string }): Predicate<R> {
  const { lo, hi } = range;
  return (row) => {
    const value = get(row);
    return typeof value === 'string' && value >= lo && value < hi;
  };
}

function ordered<R>(
  get: (row: R) => StoredValue,
  norm: (value: StoredValue) => Primitive | null,
  operator: '<' | '<=' | '>' | '>=',
  c: Exclude<Coerced, { t: 'null' }>,
): Predicate<R> {
  if (c.t === 'range') {
    // A date literal is a range: `> THIS_MONTH` is after its end, `<= THIS_MONTH` before its end.
    const bound = operator === '<' || operator === '>=' ? c.lo : c.hi;
    const below = operator === '<' || operator === '<=';
    return (row) => {
      const value = get(row);
      if (typeof value !== 'string') return false;
      return below ? value < bound : value >= bound;
    };
  }
  const literal = c.v;
  switch (operator) {
    case '<':
      return (row) => {
        const value = norm(get(row));
        return value !== null && value < literal;
      };
    case '<=':
      return (row) => {
        const value = norm(get(row));
        return value !== null && value <= literal;
      };
    case '>':
      return (row) => {
        const value = norm(get(row));
        return value !== null && value > literal;
      };
    default:
      return (row) => {
        const value = norm(get(row));
        return value !== null && value >= literal;
      };
  }
}

/** How a stored value of a kind is put in comparable form (text case-insensitive, ids 18 characters). */
export function normalizer(kind: ValueKind): (value: StoredValue) => Primitive | null {
  switch (kind) {
    case 'text':
      return (value) =>
        value === null ? null : typeof value === 'string' ? value.toLowerCase() : String(value);
    case 'id':
      return (value) =>
        typeof value !== 'string' ? null : value.length === 15 ? (to18(value) ?? value) : value;
    case 'multipicklist':
      return (value) => (typeof value === 'string' ? splitPicklist(value).sort().join(';') : null);
    default:
      return (value) =>
        typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : null;
  }
}

function splitPicklist(value: string): string[] {
  return value
    .split(';')
    .map((item) => item.trim().toLowerCase())
    .filter((item) => item !== '');
}

function literals(side: LiteralSide, ctx: ComparisonContext, like = false): Literal[] {
  const values = Array.isArray(side.value) ? side.value : [side.value];
  const types = Array.isArray(side.literalType) ? side.literalType : values.map(() => side.literalType);
  const variables = Array.isArray(side.dateLiteralVariable)
    ? side.dateLiteralVariable
    : values.map(() => side.dateLiteralVariable);
  return values.map((value, i) =>
    literal(value, types[i] as LiteralType | undefined, variables[i] as number | undefined, ctx, like),
  );
}

function literal(
  value: string,
  type: LiteralType | undefined,
  variable: number | undefined,
  ctx: ComparisonContext,
  like: boolean,
): Literal {
  try {
    switch (type) {
      case 'STRING':
        // LIKE patterns are decoded by the pattern compiler (\% and \_ mean something there).
        return { t: 'string', v: like ? value : decodeString(value), raw: value };
      case 'INTEGER':
      case 'DECIMAL':
        return { t: 'number', v: Number(value) };
      case 'INTEGER_WITH_CURRENCY_PREFIX':
      case 'DECIMAL_WITH_CURRENCY_PREFIX':
        return { t: 'number', v: Number(value.replace(/^[A-Za-z]{3}/, '')) };
      case 'BOOLEAN':
        return { t: 'boolean', v: value.toUpperCase() === 'TRUE' };
      case 'NULL':
        return { t: 'null' };
      case 'DATE':
        return { t: 'date', v: parseDateLiteral(value) };
      case 'DATETIME':
        return { t: 'datetime', v: parseDateTimeLiteral(value) };
      case 'DATE_LITERAL':
      case 'DATE_N_LITERAL': {
        const [name = '', n] = value.toUpperCase().split(':');
        const range = dateLiteralRange(name, n === undefined ? variable : Number(n), ctx.now);
        if (range === undefined) throw new LiteralError(`unexpected token: '${value}'`);
        return { t: 'range', start: range.start, end: range.end };
      }
      default:
        throw new LiteralError(`unexpected token: '${value}'`);
    }
  } catch (error) {
    throw asLiteralError(error, value, ctx);
  }
}

function asLiteralError(error: unknown, raw: string, ctx: ComparisonContext): unknown {
  return error instanceof LiteralError ? ctx.literalError(raw, 'MALFORMED_QUERY', error.message) : error;
}

function mustBe<R>(operand: Operand<R>, type: string, quoted: boolean, ctx: ComparisonContext): SoqlError {
  return ctx.error(
    'INVALID_FIELD',
    `value of filter criterion for field '${operand.label}' must be of type ${type} and should${quoted ? '' : ' not'} be enclosed in quotes`,
  );
}

function coerce<R>(literal: Literal, operand: Operand<R>, ctx: ComparisonContext): Coerced {
  if (literal.t === 'null') return literal;
  switch (operand.kind) {
    case 'text':
      if (literal.t !== 'string') throw mustBe(operand, 'string', true, ctx);
      return { t: 'value', v: literal.v.toLowerCase() };
    case 'id': {
      if (literal.t !== 'string') throw mustBe(operand, 'id', true, ctx);
      if (literal.v === '') return { t: 'value', v: '' };
      if (!isId(literal.v)) {
        throw ctx.literalError(
          literal.raw,
          'INVALID_QUERY_FILTER_OPERATOR',
          `invalid ID field: ${literal.v}`,
        );
      }
      return { t: 'value', v: to18(literal.v) ?? literal.v };
    }
    case 'multipicklist':
      if (literal.t !== 'string') throw mustBe(operand, 'string', true, ctx);
      return { t: 'value', v: splitPicklist(literal.v).sort().join(';') };
    case 'number':
      if (literal.t !== 'number') throw mustBe(operand, operand.typeName, false, ctx);
      return { t: 'value', v: literal.v };
    case 'boolean':
      if (literal.t !== 'boolean') throw mustBe(operand, 'boolean', false, ctx);
      return { t: 'value', v: literal.v };
    case 'date':
      if (literal.t === 'range') return { t: 'range', lo: literal.start, hi: literal.end };
      if (literal.t !== 'date') throw mustBe(operand, 'date', false, ctx);
      return { t: 'value', v: literal.v };
    case 'datetime':
      if (literal.t === 'range') {
        return {
          t: 'range',
          lo: `${literal.start}T00:00:00.000+0000`,
          hi: `${literal.end}T00:00:00.000+0000`,
        };
      }
      if (literal.t !== 'datetime') throw mustBe(operand, 'dateTime', false, ctx);
      return { t: 'value', v: literal.v };
    case 'time':
      if (literal.t !== 'string') throw mustBe(operand, 'time', false, ctx);
      return { t: 'value', v: literal.v };
    default:
      throw ctx.error('INVALID_FIELD', `field '${operand.label}' can not be filtered in query call`);
  }
}

/**
 * A condition tree as one predicate. `leaf` compiles each comparison and learns whether it sits at the
 * top level (the whole clause, or an operand of a top-level AND), where semi-joins are allowed.
 */
export function compileTree<R>(
  tree: ConditionTree,
  leaf: (condition: LeafCondition, topLevel: boolean) => Predicate<R>,
  topLevel = true,
): Predicate<R> {
  switch (tree.kind) {
    case 'leaf':
      return leaf(tree.condition, topLevel);
    case 'not': {
      const inner = compileTree(tree.item, leaf, false);
      return (row) => !inner(row);
    }
    case 'and': {
      const items = tree.items.map((item) => compileTree(item, leaf, topLevel));
      return (row) => {
        for (const item of items) if (!item(row)) return false;
        return true;
      };
    }
    case 'or': {
      const items = tree.items.map((item) => compileTree(item, leaf, false));
      return (row) => {
        for (const item of items) if (item(row)) return true;
        return false;
      };
    }
  }
}
