import { SoqlBuildError } from '../errors.js';
import type { AggregateNode, ConditionNode, FieldNode, QueryNode, ValueNode } from '../nodes.js';
import { parseTarget } from './fields.js';
import { isPlainObject, isValueNode, parseValue } from './values.js';

/** The operators a field condition may use. Anything else starting with `$` throws. */
export const FIELD_OPERATORS = [
  '$eq',
  '$ne',
  '$gt',
  '$gte',
  '$lt',
  '$lte',
  '$like',
  '$nlike',
  '$in',
  '$nin',
  '$includes',
  '$excludes',
  '$exists',
  '$not',
] as const;
export const LOGICAL_OPERATORS = ['$and', '$or', '$not'] as const;

const COMPARISONS = { $eq: '=', $ne: '!=', $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' } as const;

type Clause = 'WHERE' | 'HAVING';
type Left = FieldNode | AggregateNode;

function and(conditions: ConditionNode[]): ConditionNode | undefined {
  if (conditions.length <= 1) return conditions[0];
  return Object.freeze({ kind: 'and', conditions: Object.freeze(conditions) });
}

function not(condition: ConditionNode): ConditionNode {
  return Object.freeze({ kind: 'not', condition });
}

function constant(matches: 'none' | 'all'): ConditionNode {
  return Object.freeze({ kind: 'constant', matches });
}

function leftName(left: Left): string {
  if (left.kind === 'field') return left.path;
  return `${left.fn}(${left.field?.path ?? ''})`;
}

function fail(
  code: 'INVALID_VALUE' | 'UNKNOWN_OPERATOR' | 'INVALID_ARGUMENT',
  message: string,
  at: string,
): never {
  throw new SoqlBuildError(code, message, at);
}

/**
 * Parse a MongoDB-style conditions object into a condition node; `undefined` when it constrains
 * nothing (no keys, or every key `undefined`). Keys are ANDed in their insertion order.
 */
export function parseConditions(input: unknown, clause: Clause): ConditionNode | undefined {
  if (input === undefined || input === null) return undefined;
  return parseObject(input, clause, 'conditions');
}

function parseObject(input: unknown, clause: Clause, at: string): ConditionNode | undefined {
  if (!isPlainObject(input)) {
    fail('INVALID_ARGUMENT', `${at} must be a plain object like { Name: 'Acme' }`, at);
  }
  const parts: ConditionNode[] = [];
  for (const key of Object.keys(input)) {
    const value = input[key];
    if (value === undefined) continue; // documented: undefined keys are skipped
    let node: ConditionNode | undefined;
    if (key === '$and') node = parseAnd(value, clause);
    else if (key === '$or') node = parseOr(value, clause);
    else if (key === '$not') node = not(parseOperand(value, clause, '$not'));
    else if (key.startsWith('$')) {
      fail(
        'UNKNOWN_OPERATOR',
        `Unknown logical operator ${JSON.stringify(key)} in ${at}; valid at this level: ${LOGICAL_OPERATORS.join(', ')} (field operators go inside a field: { Name: { $like: 'A%' } })`,
        key,
      );
    } else node = parseField(parseTarget(key, clause === 'HAVING'), value, clause);
    if (node !== undefined) parts.push(node);
  }
  return and(parts);
}

/**
 * An operand of `$or` or `$not` must constrain something: an empty one would make `$or` match every
 * row (or `$not` match none), which is almost always a filter whose keys were all `undefined`.
 */
function parseOperand(value: unknown, clause: Clause, at: string): ConditionNode {
  const node = parseObject(value, clause, at);
  if (node === undefined) {
    fail(
      'INVALID_ARGUMENT',
      `${at} has no conditions (empty, or every key undefined); refused because an empty $or operand would match every row and an empty $not would match none`,
      at,
    );
  }
  return node;
}

function parseList(value: unknown, operator: '$and' | '$or'): unknown[] {
  if (!Array.isArray(value))
    fail('INVALID_ARGUMENT', `${operator} takes an array of conditions objects`, operator);
  return value;
}

function parseAnd(value: unknown, clause: Clause): ConditionNode | undefined {
  const parts: ConditionNode[] = [];
  parseList(value, '$and').forEach((item, index) => {
    const node = parseObject(item, clause, `$and[${index}]`);
    if (node !== undefined) parts.push(node);
  });
  return and(parts);
}

function parseOr(value: unknown, clause: Clause): ConditionNode {
  const items = parseList(value, '$or');
  // OR of nothing is false: like an empty $in, an empty $or never widens the query.
  if (items.length === 0) return constant('none');
  const parts = items.map((item, index) => parseOperand(item, clause, `$or[${index}]`));
  return parts.length === 1
    ? (parts[0] as ConditionNode)
    : Object.freeze({ kind: 'or', conditions: Object.freeze(parts) });
}

function parseField(left: Left, value: unknown, clause: Clause): ConditionNode | undefined {
  const name = leftName(left);
  if (Array.isArray(value)) return parseSet(left, 'IN', value, name);
  if (isPlainObject(value)) return parseOperators(left, value, clause, name);
  return comparison(left, '=', parseValue(value, name));
}

function comparison(
  left: Left,
  operator: '=' | '!=' | '<' | '<=' | '>' | '>=' | 'LIKE',
  value: ValueNode,
): ConditionNode {
  return Object.freeze({ kind: 'comparison', left, operator, value });
}

function parseOperators(
  left: Left,
  operators: Record<string, unknown>,
  clause: Clause,
  name: string,
): ConditionNode | undefined {
  const parts: ConditionNode[] = [];
  for (const operator of Object.keys(operators)) {
    const value = operators[operator];
    if (value === undefined) continue;
    const node = parseOperator(left, operator, value, clause, name);
    if (node !== undefined) parts.push(node);
  }
  return and(parts);
}

function parseOperator(
  left: Left,
  operator: string,
  value: unknown,
  clause: Clause,
  name: string,
): ConditionNode | undefined {
  switch (operator) {
    case '$eq':
    case '$ne':
    case '$gt':
    case '$gte':
    case '$lt':
    case '$lte':
      return comparison(left, COMPARISONS[operator], parseValue(value, name));
    case '$like':
      return comparison(left, 'LIKE', parseLike(value, name));
    case '$nlike':
      return not(comparison(left, 'LIKE', parseLike(value, name)));
    case '$in':
    case '$nin':
      if (isSubquery(value)) return semiJoin(left, operator === '$in' ? 'IN' : 'NOT IN', value, name);
      return parseSet(left, operator === '$in' ? 'IN' : 'NOT IN', expectArray(value, operator, name), name);
    case '$includes':
    case '$excludes':
      return parseSet(
        left,
        operator === '$includes' ? 'INCLUDES' : 'EXCLUDES',
        expectArray(value, operator, name).map((item) => {
          if (typeof item !== 'string') fail('INVALID_VALUE', `${operator} on ${name} takes strings`, name);
          return item;
        }),
        name,
      );
    case '$exists':
      if (typeof value !== 'boolean') fail('INVALID_VALUE', `$exists on ${name} takes true or false`, name);
      return comparison(left, value ? '!=' : '=', { kind: 'null' });
    case '$not': {
      if (!isPlainObject(value)) fail('INVALID_ARGUMENT', `$not on ${name} takes an operators object`, name);
      const inner = parseOperators(left, value, clause, name);
      if (inner === undefined) fail('INVALID_ARGUMENT', `$not on ${name} has no operators`, name);
      return not(inner);
    }
    default:
      return fail(
        'UNKNOWN_OPERATOR',
        `Unknown operator ${JSON.stringify(operator)} on ${name}; valid operators: ${FIELD_OPERATORS.join(', ')}`,
        name,
      );
  }
}

function parseLike(value: unknown, name: string): ValueNode {
  if (typeof value === 'string') return Object.freeze({ kind: 'string', value });
  if (isValueNode(value) && value.kind === 'likePattern') return value;
  return fail('INVALID_VALUE', `$like/$nlike on ${name} takes a string pattern or a SoqlLike pattern`, name);
}

function expectArray(value: unknown, operator: string, name: string): readonly unknown[] {
  if (!Array.isArray(value)) fail('INVALID_VALUE', `${operator} on ${name} takes an array`, name);
  return value;
}

/**
 * An empty list never widens the query: `IN ()` is not SOQL, and dropping the condition (what jsforce
 * does) would match every row. `$in: []` and `$includes: []` match no row; `$nin: []` and
 * `$excludes: []` exclude nothing, so they match every row.
 */
function parseSet(
  left: Left,
  operator: 'IN' | 'NOT IN' | 'INCLUDES' | 'EXCLUDES',
  values: readonly unknown[],
  name: string,
): ConditionNode {
  if (values.length === 0) return constant(operator === 'IN' || operator === 'INCLUDES' ? 'none' : 'all');
  const nodes = values.map((item, index) => {
    if (item === undefined)
      fail('INVALID_VALUE', `${operator} list for ${name} has undefined at index ${index}`, name);
    return parseValue(item, name);
  });
  return Object.freeze({ kind: 'set', left, operator, values: Object.freeze(nodes) });
}

interface Subquery {
  toNode(): QueryNode;
}

function isSubquery(value: unknown): value is Subquery {
  return (
    typeof value === 'object' && value !== null && typeof (value as Partial<Subquery>).toNode === 'function'
  );
}

function semiJoin(left: Left, operator: 'IN' | 'NOT IN', subquery: Subquery, name: string): ConditionNode {
  if (left.kind !== 'field')
    fail('INVALID_ARGUMENT', `A semi-join needs a field on the left, not ${name}`, name);
  const query = subquery.toNode();
  if (query?.kind !== 'query')
    fail('INVALID_ARGUMENT', `The $in/$nin subquery for ${name} is not a query`, name);
  return Object.freeze({ kind: 'semiJoin', left, operator, query });
}
