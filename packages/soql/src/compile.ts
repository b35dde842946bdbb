import { SoqlBuildError } from './errors.js';
import { assertFieldPath, assertIdentifier } from './internal/identifiers.js';
import { renderValue } from './internal/literals.js';
import type {
  AggregateFunction,
  AggregateNode,
  ConditionNode,
  FieldNode,
  OrderByNode,
  QueryNode,
  SelectItemNode,
  SubqueryNode,
} from './nodes.js';

/** Salesforce refuses an OFFSET above this. */
export const MAX_OFFSET = 2000;

const AGGREGATE_FUNCTIONS: ReadonlySet<string> = new Set<AggregateFunction>([
  'COUNT',
  'COUNT_DISTINCT',
  'SUM',
  'AVG',
  'MIN',
  'MAX',
]);
const ACCESS = new Set(['SECURITY_ENFORCED', 'USER_MODE', 'SYSTEM_MODE']);
const FOR = new Set(['VIEW', 'REFERENCE', 'UPDATE']);
const COMPARISON = new Set(['=', '!=', '<', '<=', '>', '>=', 'LIKE']);
const SET = new Set(['IN', 'NOT IN', 'INCLUDES', 'EXCLUDES']);

function badNode(message: string, field?: string): never {
  throw new SoqlBuildError('INVALID_ARGUMENT', message, field);
}

/** Where a condition sits: only WHERE may hold a constant (`Id = null`), HAVING has no `Id`. */
type Clause = 'WHERE' | 'HAVING';

/**
 * Compile a query node tree to SOQL text. Pure: no I/O, no state, the same tree always gives the
 * same string. Every identifier goes through one validator and every literal through one renderer,
 * so a hand-built tree is checked as strictly as one the builder made.
 */
export function compileSoql(node: QueryNode): string {
  if (node === null || typeof node !== 'object' || node.kind !== 'query') {
    badNode('compileSoql expects a query node ({ kind: "query", ... })');
  }
  return compileQuery(node);
}

function compileQuery(node: QueryNode): string {
  const object = assertIdentifier(node.object, 'object');
  let soql = `SELECT ${compileSelect(node.select)} FROM ${object}`;
  if (node.scope !== undefined) soql += ` USING SCOPE ${assertIdentifier(node.scope, 'scope')}`;
  if (node.where !== undefined) soql += ` WHERE ${compileCondition(node.where, 'WHERE')}`;
  if (node.access !== undefined) {
    if (!ACCESS.has(node.access)) badNode(`Unknown WITH clause ${JSON.stringify(node.access)}`);
    soql += ` WITH ${node.access}`;
  }
  if (node.groupBy.length > 0) soql += ` GROUP BY ${node.groupBy.map(compileField).join(', ')}`;
  if (node.having !== undefined) {
    if (node.groupBy.length === 0) badNode('HAVING needs a GROUP BY');
    soql += ` HAVING ${compileCondition(node.having, 'HAVING')}`;
  }
  soql += compileTail(node.orderBy, node.limit, node.offset);
  if (node.for !== undefined) {
    if (!FOR.has(node.for)) badNode(`Unknown FOR clause ${JSON.stringify(node.for)}`);
    soql += ` FOR ${node.for}`;
  }
  return soql;
}

function compileTail(orderBy: readonly OrderByNode[], limit?: number, offset?: number): string {
  let soql = '';
  if (orderBy.length > 0) soql += ` ORDER BY ${orderBy.map(compileOrderBy).join(', ')}`;
  if (limit !== undefined) soql += ` LIMIT ${checkCount(limit, 'limit')}`;
  if (offset !== undefined) soql += ` OFFSET ${checkCount(offset, 'offset')}`;
  return soql;
}

/** LIMIT and OFFSET: non-negative integers, OFFSET at most 2000 as Salesforce allows. */
export function checkCount(value: unknown, name: 'limit' | 'offset'): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new SoqlBuildError(
      'INVALID_ARGUMENT',
      `${name} must be a non-negative integer, got ${typeof value === 'number' ? String(value) : typeof value}`,
      name,
    );
  }
  if (name === 'offset' && value > MAX_OFFSET) {
    throw new SoqlBuildError(
      'INVALID_ARGUMENT',
      `offset must be at most ${MAX_OFFSET} (the Salesforce maximum), got ${value}`,
      name,
    );
  }
  return value;
}

/** Fields and aggregates first, then subqueries; `Id` when nothing but subqueries (or nothing) is selected. */
function compileSelect(items: readonly SelectItemNode[]): string {
  let columns = '';
  let subqueries = '';
  for (const item of items) {
    if (item?.kind === 'subquery') subqueries += `, ${compileSubquery(item)}`;
    else columns += `${columns === '' ? '' : ', '}${compileColumn(item, 'A query')}`;
  }
  return (columns === '' ? 'Id' : columns) + subqueries;
}

/** A select-list column: a field, or an aggregate with its alias. */
function compileColumn(item: FieldNode | AggregateNode, owner: string): string {
  if (item?.kind === 'field') return compileField(item);
  if (item?.kind === 'aggregate') return compileAggregate(item, true);
  return badNode(`${owner} cannot select ${JSON.stringify((item as { kind?: unknown } | null)?.kind)}`);
}

function compileField(node: FieldNode): string {
  if (node?.kind !== 'field') badNode('Expected a field node');
  return assertFieldPath(node.path);
}

function compileAggregate(node: AggregateNode, withAlias: boolean): string {
  if (!AGGREGATE_FUNCTIONS.has(node.fn)) {
    badNode(`Unknown aggregate function ${JSON.stringify(String(node.fn).slice(0, 40))}`);
  }
  if (node.field === undefined && node.fn !== 'COUNT') badNode(`${node.fn}() needs a field`);
  const text = `${node.fn}(${node.field === undefined ? '' : compileField(node.field)})`;
  if (node.alias === undefined) return text;
  if (!withAlias) badNode(`An aggregate alias (${node.alias}) is only allowed in the select list`);
  return `${text} ${assertIdentifier(node.alias, 'alias')}`;
}

function compileSubquery(node: SubqueryNode): string {
  const relationship = assertIdentifier(node.relationship, 'relationship');
  const columns = node.select.map((item) => compileColumn(item, `A subquery on ${relationship}`));
  let soql = `(SELECT ${columns.length === 0 ? 'Id' : columns.join(', ')} FROM ${relationship}`;
  if (node.where !== undefined) soql += ` WHERE ${compileCondition(node.where, 'WHERE')}`;
  return `${soql}${compileTail(node.orderBy, node.limit, node.offset)})`;
}

function compileOrderBy(node: OrderByNode): string {
  const target =
    node.target.kind === 'aggregate' ? compileAggregate(node.target, false) : compileField(node.target);
  if (node.direction !== 'ASC' && node.direction !== 'DESC') badNode(`Unknown sort direction on ${target}`);
  let soql = `${target} ${node.direction}`;
  if (node.nulls !== undefined) {
    if (node.nulls !== 'FIRST' && node.nulls !== 'LAST') badNode(`Unknown NULLS placement on ${target}`);
    soql += ` NULLS ${node.nulls}`;
  }
  return soql;
}

function compileLeft(node: FieldNode | AggregateNode, clause: Clause): string {
  if (node?.kind === 'aggregate') {
    if (clause === 'WHERE') badNode('Aggregate functions can only be compared in HAVING');
    return compileAggregate(node, false);
  }
  return compileField(node);
}

/**
 * Parenthesise exactly as SOQL needs: SOQL refuses AND and OR side by side without parentheses, and a
 * NOT inside AND/OR is wrapped so it cannot be read as applying to its neighbours. An AND inside an
 * AND (or OR inside OR) needs none, so it is flattened.
 */
function compileCondition(node: ConditionNode, clause: Clause): string {
  switch (node?.kind) {
    case 'comparison': {
      if (!COMPARISON.has(node.operator))
        badNode(`Unknown comparison operator ${JSON.stringify(node.operator)}`);
      const left = compileLeft(node.left, clause);
      return `${left} ${node.operator} ${renderValue(node.value, left, node.operator === 'LIKE')}`;
    }
    case 'set': {
      if (!SET.has(node.operator)) badNode(`Unknown set operator ${JSON.stringify(node.operator)}`);
      const left = compileLeft(node.left, clause);
      if (node.values.length === 0) badNode(`${node.operator} on ${left} needs at least one value`, left);
      return `${left} ${node.operator} (${node.values.map((value) => renderValue(value, left, false)).join(', ')})`;
    }
    case 'semiJoin': {
      if (node.operator !== 'IN' && node.operator !== 'NOT IN') badNode('A semi-join is IN or NOT IN');
      const left = compileField(node.left);
      const [only, ...rest] = node.query.select;
      if (only?.kind !== 'field' || rest.length > 0) {
        badNode(`The subquery for ${left} ${node.operator} must select exactly one field`, left);
      }
      return `${left} ${node.operator} (${compileQuery(node.query)})`;
    }
    case 'and':
    case 'or':
      if (node.conditions.length === 1) return compileCondition(unwrap(node), clause);
      return compileJunction(node.kind, node.conditions, clause);
    case 'not':
      return `NOT ${wrap(node.condition, clause)}`;
    case 'constant':
      if (clause !== 'WHERE') badNode('An empty $in/$nin list can only be used in WHERE');
      if (node.matches !== 'none' && node.matches !== 'all') badNode('A constant matches "none" or "all"');
      return node.matches === 'none' ? 'Id = null' : 'Id != null';
    default:
      return badNode(`Unknown condition kind ${JSON.stringify((node as { kind?: unknown } | null)?.kind)}`);
  }
}

function compileJunction(kind: 'and' | 'or', conditions: readonly ConditionNode[], clause: Clause): string {
  if (conditions.length === 0) badNode(`An ${kind} node needs at least one condition`);
  const parts = conditions.map((child) => {
    const inner = unwrap(child);
    // Same-kind children join the list with no parentheses: A AND (B AND C) is A AND B AND C.
    return inner.kind === kind ? compileCondition(inner, clause) : wrap(inner, clause);
  });
  return parts.join(kind === 'and' ? ' AND ' : ' OR ');
}

/** An AND/OR of a single condition is that condition. */
function unwrap(node: ConditionNode): ConditionNode {
  let current = node;
  while ((current?.kind === 'and' || current?.kind === 'or') && current.conditions.length === 1) {
    current = current.conditions[0] as ConditionNode;
  }
  return current;
}

/** An operand of AND/OR/NOT: parenthesised when it is itself an AND, OR or NOT. */
function wrap(node: ConditionNode, clause: Clause): string {
  const inner = unwrap(node);
  const text = compileCondition(inner, clause);
  return inner?.kind === 'and' || inner?.kind === 'or' || inner?.kind === 'not' ? `(${text})` : text;
}
