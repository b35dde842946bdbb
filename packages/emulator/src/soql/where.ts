import type { FunctionExp, HavingClause, Query, WhereClause } from '@jetstreamapp/soql-parser-js';
import type { StoredRecord } from '../schema/types.js';
import {
  type ComparisonContext,
  compileComparison,
  compileTree,
  normalizer,
  type Operand,
  type Predicate,
} from './conditions.js';
import { dateFunction, requiresDateTime } from './date-functions.js';
import type { QueryScope } from './paths.js';
import { soapTypeName } from './schema-index.js';
import { buildConditionTree, type ConditionTree, type LeafCondition } from './where-tree.js';

/** Evaluates a semi-join's inner query (`Id IN (SELECT AccountId FROM Contact ...)`) to its id set. */
export type SemiJoin = (query: Query, start: number) => ReadonlySet<string>;

/** The WHERE (or HAVING) clause as a condition tree, with Salesforce's `unexpected token` on bad logic. */
export function conditionTree(
  scope: QueryScope,
  clause: WhereClause | HavingClause,
  keyword: 'where' | 'having',
): ConditionTree {
  const src = scope.engine.src;
  return buildConditionTree(clause, (word, nth) => {
    const clauseStart = src.findKeyword(keyword, scope.start, scope.start) ?? scope.start;
    if (word === '(' || word === ')') {
      throw scope.engine.errorAt('MALFORMED_QUERY', clauseStart, `unexpected token: '${word}'`);
    }
    const at = src.findKeyword(word, scope.start, clauseStart, nth) ?? clauseStart;
    const written = src.text.slice(at).match(/^[A-Za-z0-9_]+/)?.[0] ?? word;
    throw scope.engine.errorAt('MALFORMED_QUERY', at, `unexpected token: '${written}'`);
  });
}

/** Errors of one comparison, placed at its field (or literal) in this scope's text. */
export function comparisonContext(scope: QueryScope, raw: string): ComparisonContext {
  const engine = scope.engine;
  return {
    now: engine.now,
    error: (errorCode, text) => scope.errorAt(raw, errorCode, text),
    literalError: (literal, errorCode, text) =>
      engine.errorAt(errorCode, engine.src.findToken(literal, scope.start) ?? scope.start, text),
  };
}

/** A record predicate for a WHERE clause; semi-joins only where Salesforce allows them. */
export function compileWhere(
  scope: QueryScope,
  where: WhereClause,
  semiJoin: SemiJoin,
): Predicate<StoredRecord> {
  const tree = conditionTree(scope, where, 'where');
  return compileTree<StoredRecord>(tree, (condition, topLevel) =>
    compileLeaf(scope, condition, topLevel, semiJoin),
  );
}

function compileLeaf(
  scope: QueryScope,
  condition: LeafCondition,
  topLevel: boolean,
  semiJoin: SemiJoin,
): Predicate<StoredRecord> {
  const operand =
    'fn' in condition ? functionOperand(scope, condition.fn) : fieldOperand(scope, condition.field);
  if ('valueQuery' in condition) {
    const start = scope.engine.nextSubqueryStart();
    if (!topLevel) {
      throw scope.engine.errorAt(
        'MALFORMED_QUERY',
        start,
        'Semi join sub-selects are only allowed at the top level WHERE expressions and not in nested WHERE expressions.',
      );
    }
    const ids = semiJoin(condition.valueQuery, start);
    const norm = normalizer('id');
    const get = operand.get;
    const isIn = (record: StoredRecord): boolean => {
      const value = norm(get(record));
      return typeof value === 'string' && ids.has(value);
    };
    return condition.operator.toUpperCase() === 'NOT IN' ? (record) => !isIn(record) : isIn;
  }
  return compileComparison(operand, condition, comparisonContext(scope, operand.raw));
}

export function fieldOperand(scope: QueryScope, raw: string): Operand<StoredRecord> {
  const ref = scope.resolveField(raw);
  return {
    raw,
    label: ref.name,
    kind: ref.kind,
    typeName: soapTypeName(ref.field),
    filterable: ref.field.filterable,
    get: ref.get,
  };
}

/** `CALENDAR_YEAR(CreatedDate)` and the other date functions, also around `convertTimezone()`. */
export function functionOperand(scope: QueryScope, fn: FunctionExp): Operand<StoredRecord> {
  const name = fn.functionName ?? '';
  const raw = fn.rawValue ?? name;
  const apply = dateFunction(name);
  let parameter = fn.parameters?.[0];
  if (typeof parameter === 'object' && parameter.functionName?.toLowerCase() === 'converttimezone') {
    parameter = parameter.parameters?.[0];
  }
  if (apply === undefined || typeof parameter !== 'string') {
    throw scope.errorAt(name, 'MALFORMED_QUERY', `unexpected token: '${raw}'`);
  }
  const ref = scope.resolveField(parameter);
  const dateTimeOnly = requiresDateTime(name);
  if (ref.kind !== 'datetime' && (dateTimeOnly || ref.kind !== 'date')) {
    // Wording [unverified].
    throw scope.errorAt(
      parameter,
      'MALFORMED_QUERY',
      `${name.toUpperCase()} only supported on ${dateTimeOnly ? 'dateTime' : 'date and dateTime'} fields`,
    );
  }
  const get = ref.get;
  const isDayOnly = name.toUpperCase() === 'DAY_ONLY';
  return {
    raw,
    label: raw,
    kind: isDayOnly ? 'date' : 'number',
    typeName: isDayOnly ? 'date' : 'int',
    filterable: ref.field.filterable,
    get: (record) => apply(get(record)),
  };
}
