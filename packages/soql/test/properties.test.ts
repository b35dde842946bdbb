// Property tests: for random condition trees and hostile values, the compiled SOQL parses with a real
// SOQL parser and every literal reads back as the value that went in; and the parentheses the compiler
// writes give the compiled WHERE clause the same meaning as the conditions object.
import { parseQuery } from '@jetstreamapp/soql-parser-js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { from, SoqlBuildError, type UntypedConditions } from '../src/index.js';
import { decodeSoqlString } from './helpers.js';

// ---- random condition trees ----

type Scalar = string | number | boolean | null | Date;
type Tree =
  | { kind: 'leaf'; field: string; operator: string; value: Scalar | Scalar[] }
  | { kind: 'and' | 'or'; children: Tree[] }
  | { kind: 'not'; child: Tree };

const FIELDS = ['Name', 'Amount', 'Owner.Name', 'Account.Owner.Manager.Email', 'Custom__c'];

const hostileString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.string({
    unit: fc.constantFrom(
      "'",
      '\\',
      '"',
      '\n',
      '\r',
      '\t',
      '%',
      '_',
      'a',
      ' ',
      '\u0000',
      '\ud800',
      '\udc00',
      '😀',
      ')',
      '(',
    ),
    maxLength: 20,
  }),
);
const finiteNumber = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }));
const date = fc.date({
  min: new Date('0001-01-01T00:00:00Z'),
  max: new Date('9999-12-31T23:59:59Z'),
  noInvalidDate: true,
});
const scalar: fc.Arbitrary<Scalar> = fc.oneof(
  hostileString,
  finiteNumber,
  fc.boolean(),
  fc.constant(null),
  date,
);

const leaf: fc.Arbitrary<Tree> = fc.oneof(
  fc.record({
    kind: fc.constant('leaf' as const),
    field: fc.constantFrom(...FIELDS),
    operator: fc.constantFrom('$eq', '$ne', '$gt', '$gte', '$lt', '$lte'),
    value: scalar,
  }),
  fc.record({
    kind: fc.constant('leaf' as const),
    field: fc.constantFrom(...FIELDS),
    operator: fc.constantFrom('$like', '$nlike'),
    value: hostileString,
  }),
  fc.record({
    kind: fc.constant('leaf' as const),
    field: fc.constantFrom(...FIELDS),
    operator: fc.constantFrom('$in', '$nin'),
    value: fc.array(scalar, { maxLength: 4 }),
  }),
);

const { tree } = fc.letrec<{ tree: Tree }>((self) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.record({
      kind: fc.constantFrom('and' as const, 'or' as const),
      children: fc.array(self('tree'), { minLength: 1, maxLength: 3 }),
    }),
    fc.record({ kind: fc.constant('not' as const), child: self('tree') }),
  ),
}));

function toConditions(node: Tree): UntypedConditions {
  switch (node.kind) {
    case 'leaf':
      return { [node.field]: { [node.operator]: node.value } } as UntypedConditions;
    case 'and':
      return { $and: node.children.map(toConditions) };
    case 'or':
      return { $or: node.children.map(toConditions) };
    case 'not':
      return { $not: toConditions(node.child) };
  }
}

/** The literals the compiled query should hold, in the order the compiler writes them. */
function expectedLiterals(node: Tree): Scalar[] {
  switch (node.kind) {
    case 'leaf':
      if (Array.isArray(node.value)) return node.value.length === 0 ? [null] : node.value; // Id = null / Id != null
      return [node.value];
    case 'and':
    case 'or':
      return node.children.flatMap(expectedLiterals);
    case 'not':
      return expectedLiterals(node.child);
  }
}

// ---- reading the parser's output back ----

interface ParsedCondition {
  value?: string | string[];
  literalType?: string | string[];
}
interface ParsedWhere {
  left?: ParsedCondition | null;
  right?: ParsedWhere;
}

function parsedLiterals(where: ParsedWhere | undefined): { text: string; type: string }[] {
  const out: { text: string; type: string }[] = [];
  for (let node = where; node !== undefined; node = node.right) {
    const condition = node.left;
    if (condition?.value === undefined) continue;
    const values = Array.isArray(condition.value) ? condition.value : [condition.value];
    values.forEach((text, index) => {
      const type = Array.isArray(condition.literalType)
        ? condition.literalType[index]
        : condition.literalType;
      out.push({ text, type: String(type) });
    });
  }
  return out;
}

/** A parsed literal as the JS value it stands for (dates as epoch milliseconds). */
function readLiteral({ text, type }: { text: string; type: string }): unknown {
  switch (type) {
    case 'STRING':
      return decodeSoqlString(text, false);
    case 'INTEGER':
    case 'DECIMAL':
      return Number(text);
    case 'BOOLEAN':
      return text.toUpperCase() === 'TRUE';
    case 'NULL':
      return null;
    case 'DATETIME':
      return Date.parse(text);
    default:
      throw new Error(`unexpected literal type ${type} for ${text}`);
  }
}

/** An input value as it should read back: LIKE patterns keep `%`/`_` raw, Dates lose milliseconds. */
function normalise(value: Scalar): unknown {
  if (value instanceof Date) return Math.floor(value.getTime() / 1000) * 1000;
  if (typeof value === 'number' && Object.is(value, -0)) return 0;
  return value;
}

describe('compiled condition trees', () => {
  it('parse with a real SOQL parser, and every literal reads back as its input', () => {
    fc.assert(
      fc.property(tree, (node) => {
        const soql = from('Account').where(toConditions(node)).toSOQL();
        const parsed = parseQuery(soql);
        const literals = parsedLiterals(parsed.where as ParsedWhere).map(readLiteral);
        expect(literals).toEqual(expectedLiterals(node).map(normalise));
      }),
      { numRuns: 300 },
    );
  });

  it('keep any string intact in an equality, an IN list and a LIKE pattern', () => {
    fc.assert(
      fc.property(hostileString, hostileString, (a, b) => {
        const soql = from('Account')
          .where({ Name: a, Id: { $in: [a, b] }, Other: { $like: b } })
          .toSOQL();
        const literals = parsedLiterals(parseQuery(soql).where as ParsedWhere).map(readLiteral);
        expect(literals).toEqual([a, a, b, b]);
      }),
      { numRuns: 300 },
    );
  });
});

// ---- meaning: the compiled WHERE evaluates like the conditions object ----

type NumericTree =
  | { kind: 'leaf'; field: string; operator: string; value: number | number[] }
  | { kind: 'and' | 'or'; children: NumericTree[] }
  | { kind: 'not'; child: NumericTree };

const NUMERIC_FIELDS = ['A', 'B', 'C', 'D'];
const small = fc.integer({ min: 0, max: 3 });
const numericLeaf: fc.Arbitrary<NumericTree> = fc.oneof(
  fc.record({
    kind: fc.constant('leaf' as const),
    field: fc.constantFrom(...NUMERIC_FIELDS),
    operator: fc.constantFrom('$eq', '$ne', '$gt', '$gte', '$lt', '$lte'),
    value: small,
  }),
  fc.record({
    kind: fc.constant('leaf' as const),
    field: fc.constantFrom(...NUMERIC_FIELDS),
    operator: fc.constantFrom('$in', '$nin'),
    value: fc.array(small, { maxLength: 3 }),
  }),
);
const { numericTree } = fc.letrec<{ numericTree: NumericTree }>((self) => ({
  numericTree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    numericLeaf,
    fc.record({
      kind: fc.constantFrom('and' as const, 'or' as const),
      children: fc.array(self('numericTree'), { minLength: 0, maxLength: 3 }),
    }),
    fc.record({ kind: fc.constant('not' as const), child: self('numericTree') }),
  ),
}));
const numericRecord = fc.record({ A: small, B: small, C: small, D: small });

type Row = Record<string, number>;

/** What the conditions object means, evaluated directly (MongoDB semantics, empty lists included). */
function evaluateTree(node: NumericTree, row: Row): boolean {
  switch (node.kind) {
    case 'and':
      return node.children.every((child) => evaluateTree(child, row));
    case 'or':
      return node.children.some((child) => evaluateTree(child, row));
    case 'not':
      return !evaluateTree(node.child, row);
    case 'leaf': {
      const actual = row[node.field] as number;
      const value = node.value;
      if (Array.isArray(value))
        return node.operator === '$in' ? value.includes(actual) : !value.includes(actual);
      return compare(
        actual,
        { $eq: '=', $ne: '!=', $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' }[node.operator] as string,
        value,
      );
    }
  }
}

function compare(actual: number, operator: string, value: number): boolean {
  switch (operator) {
    case '=':
      return actual === value;
    case '!=':
      return actual !== value;
    case '>':
      return actual > value;
    case '>=':
      return actual >= value;
    case '<':
      return actual < value;
    default:
      return actual <= value;
  }
}

function toNumericConditions(node: NumericTree): UntypedConditions {
  switch (node.kind) {
    case 'leaf':
      return { [node.field]: { [node.operator]: node.value } } as UntypedConditions;
    case 'and':
      return { $and: node.children.map(toNumericConditions) };
    case 'or':
      return { $or: node.children.map(toNumericConditions) };
    case 'not':
      return { $not: toNumericConditions(node.child) };
  }
}

/** An `$and` of nothing (or of such `$and`s) constrains nothing. */
function unconstrained(node: NumericTree): boolean {
  return node.kind === 'and' && node.children.every(unconstrained);
}

/** The documented refusal: an operand of `$or` / `$not` that constrains nothing. */
function refused(node: NumericTree): boolean {
  switch (node.kind) {
    case 'leaf':
      return false;
    case 'and':
      return node.children.some(refused);
    case 'or':
      return node.children.some((child) => refused(child) || unconstrained(child));
    case 'not':
      return refused(node.child) || unconstrained(node.child);
  }
}

/**
 * A strict reader for the WHERE text the compiler produces (comparisons of fields with integers or
 * null, IN lists, AND, OR, NOT, parentheses) that refuses what SOQL refuses or leaves ambiguous: AND
 * and OR side by side without parentheses, and a bare NOT as an operand of AND/OR. It returns a
 * predicate over rows (every row has a non-null `Id`).
 */
function readWhere(text: string): (row: Row) => boolean {
  const tokens = text.match(/\(|\)|,|!=|<=|>=|=|<|>|[A-Za-z_]+|\d+/g) ?? [];
  let position = 0;
  const peek = () => tokens[position];
  const take = (expected?: string) => {
    const token = tokens[position++];
    if (token === undefined || (expected !== undefined && token !== expected)) {
      throw new Error(`expected ${expected ?? 'a token'} at ${position - 1} in ${text}`);
    }
    return token;
  };

  type Predicate = (row: Row) => boolean;
  const junction = (): Predicate => {
    const first = operand();
    const operator = peek();
    if (operator !== 'AND' && operator !== 'OR') return first.predicate;
    if (first.bareNot) throw new Error(`bare NOT before ${operator} in ${text}`);
    const parts = [first.predicate];
    while (peek() === 'AND' || peek() === 'OR') {
      if (take() !== operator) throw new Error(`AND and OR mixed without parentheses in ${text}`);
      const next = operand();
      if (next.bareNot) throw new Error(`bare NOT after ${operator} in ${text}`);
      parts.push(next.predicate);
    }
    return operator === 'AND'
      ? (row) => parts.every((part) => part(row))
      : (row) => parts.some((part) => part(row));
  };
  const operand = (): { predicate: Predicate; bareNot: boolean } => {
    if (peek() === 'NOT') {
      take();
      const negated = primary();
      return { predicate: (row) => !negated(row), bareNot: true };
    }
    return { predicate: primary(), bareNot: false };
  };
  const primary = (): Predicate => {
    if (peek() === '(') {
      take('(');
      const inner = junction();
      take(')');
      return inner;
    }
    const field = take();
    let operator = take();
    if (operator === 'NOT') operator = `NOT ${take('IN')}`;
    if (operator === 'IN' || operator === 'NOT IN') {
      take('(');
      const values = [Number(take())];
      while (peek() === ',') {
        take(',');
        values.push(Number(take()));
      }
      take(')');
      return (row) => values.includes(row[field] as number) === (operator === 'IN');
    }
    const literal = take();
    if (literal === 'null') {
      if (field !== 'Id') throw new Error(`unexpected null comparison on ${field}`);
      return () => operator === '!='; // every row has an Id
    }
    const value = Number(literal);
    return (row) => compare(row[field] as number, operator, value);
  };

  const predicate = junction();
  if (position !== tokens.length) throw new Error(`trailing tokens in ${text}`);
  return predicate;
}

describe('parentheses', () => {
  it('give the compiled WHERE clause the meaning of the conditions object, or it is refused as documented', () => {
    fc.assert(
      fc.property(numericTree, fc.array(numericRecord, { minLength: 1, maxLength: 8 }), (node, rows) => {
        const build = () => from('T').where(toNumericConditions(node)).toSOQL();
        if (refused(node)) {
          expect(build).toThrow(SoqlBuildError);
          return;
        }
        const soql = build();
        const prefix = 'SELECT Id FROM T WHERE ';
        // An $and of nothing constrains nothing: no WHERE at all, every row matches.
        const matches = soql === 'SELECT Id FROM T' ? () => true : readWhere(soql.slice(prefix.length));
        expect(soql === 'SELECT Id FROM T' || soql.startsWith(prefix)).toBe(true);
        for (const row of rows) expect(matches(row)).toBe(evaluateTree(node, row));
      }),
      { numRuns: 500 },
    );
  });
});
