import type { FieldType, OrderByClause, Query, Subquery } from '@jetstreamapp/soql-parser-js';
import { to18 } from '../ids.js';
import type { StoredRecord } from '../schema/types.js';
import { AGGREGATES, runAggregate } from './aggregate.js';
import type { Predicate } from './conditions.js';
import type { Engine } from './context.js';
import { SoqlError, unknownChildRelationshipText, unsupportedTypeText } from './errors.js';
import { type SortSpec, sortKeyOf, sortRows, sortSpec } from './order.js';
import { QueryScope, writtenPath } from './paths.js';
import { type ChildRenderer, compileProjection } from './projection.js';
import { CountResultSet, type QueryResultSet, type RenderContext, RowResultSet } from './result-set.js';
import { schemaIndex } from './schema-index.js';
import { compileWhere, functionOperand } from './where.js';

/** Records per page of a child subquery's nested result; the rest is fetched through nextRecordsUrl. */
export const CHILD_PAGE_SIZE = 200;
const MAX_OFFSET = 2000;
const MAX_UNBOUNDED_FIELDS_LIMIT = 200;

/** Extra rows-level restrictions a caller adds (SOSL's search match). */
export interface QueryExtras {
  readonly filter?: Predicate<StoredRecord>;
}

/**
 * Runs one SELECT statement (the whole query, or a SOSL RETURNING clause rewritten as one) and
 * returns its result set. `start` is where the statement's text begins.
 */
export function runQuery(
  engine: Engine,
  query: Query,
  start: number,
  extras: QueryExtras = {},
): QueryResultSet {
  const index = engine.objectIndex(query.sObject ?? '', start);
  const scope = new QueryScope(engine, index, start, query.sObjectAlias);
  checkOffset(query.offset, scope);
  const fields = query.fields ?? [];

  if (isCountOnly(fields)) {
    const filter = recordFilter(scope, query, extras);
    const count =
      query.groupBy === undefined ? countMatches(scope, filter) : runAggregate(scope, query, filter).size;
    const offset = query.offset ?? 0;
    return new CountResultSet(Math.max(0, Math.min(count - offset, query.limit ?? Number.POSITIVE_INFINITY)));
  }
  if (isAggregate(query)) {
    return runAggregate(scope, query, recordFilter(scope, query, extras));
  }

  const projection = compileProjection(scope, fields, (subquery) => compileChild(scope, subquery));
  if (projection.unbounded && (query.limit === undefined || query.limit > MAX_UNBOUNDED_FIELDS_LIMIT)) {
    // Wording [unverified]; the 200-row rule for FIELDS(ALL) and FIELDS(CUSTOM) is documented.
    throw new SoqlError('MALFORMED_QUERY', 'The SOQL FIELDS function must have a LIMIT of at most 200');
  }
  const filter = recordFilter(scope, query, extras);
  const order = orderSpecs(scope, query.orderBy);
  const rows = selectRows(scope, filter, order, query.offset ?? 0, query.limit);
  return new RowResultSet(rows, projection.render, projection.columns);
}

function isCountOnly(fields: readonly FieldType[]): boolean {
  const [first] = fields;
  const countOnly =
    first?.type === 'FieldFunctionExpression' &&
    first.functionName.toUpperCase() === 'COUNT' &&
    first.parameters.length === 0;
  if (countOnly && fields.length > 1) {
    // Wording [unverified].
    throw new SoqlError('MALFORMED_QUERY', 'COUNT() cannot be selected together with other fields');
  }
  return countOnly;
}

function isAggregate(query: Query | Subquery): boolean {
  if (query.groupBy !== undefined || query.having !== undefined) return true;
  return (query.fields ?? []).some(
    (field) => field.type === 'FieldFunctionExpression' && AGGREGATES.has(field.functionName.toUpperCase()),
  );
}

function checkOffset(offset: number | undefined, scope: QueryScope): void {
  if (offset !== undefined && offset > MAX_OFFSET) {
    throw new SoqlError(
      'NUMBER_OUTSIDE_VALID_RANGE',
      `Maximum SOQL offset allowed for apiName ${scope.objectName} is ${MAX_OFFSET}`,
    );
  }
}

/**
 * Which stored rows a (sub)query sees before ORDER BY: not soft-deleted (unless queryAll), matching
 * WHERE, inside USING SCOPE, and whatever the caller adds. Compiles the WHERE clause now, so call it in
 * source order relative to other subqueries.
 */
export function recordFilter(
  scope: QueryScope,
  query: Query | Subquery,
  extras: QueryExtras = {},
): Predicate<StoredRecord> {
  const checks: Predicate<StoredRecord>[] = [];
  if (!scope.engine.options.includeDeleted) checks.push((record) => record.IsDeleted !== true);
  if (query.where !== undefined) {
    checks.push(compileWhere(scope, query.where, (inner, start) => semiJoinIds(scope.engine, inner, start)));
  }
  const owner = scope.index.field('OwnerId');
  if (query.usingScope?.toLowerCase() === 'mine' && owner !== undefined) {
    const me = to18(scope.engine.userId) ?? scope.engine.userId;
    const name = owner.name;
    checks.push((record) => {
      const value = record[name];
      return typeof value === 'string' && (value.length === 15 ? to18(value) : value) === me;
    });
  }
  if (extras.filter !== undefined) checks.push(extras.filter);
  if (checks.length === 0) return () => true;
  if (checks.length === 1) return checks[0] as Predicate<StoredRecord>;
  return (record) => {
    for (const check of checks) if (!check(record)) return false;
    return true;
  };
}

function countMatches(scope: QueryScope, filter: Predicate<StoredRecord>): number {
  const records = scope.engine.data.records(scope.objectName);
  let count = 0;
  for (let i = 0; i < records.length; i++) if (filter(records[i] as StoredRecord)) count++;
  return count;
}

/** Filter, sort, then OFFSET and LIMIT: the whole evaluation of a record query, done once. */
function selectRows(
  scope: QueryScope,
  filter: Predicate<StoredRecord>,
  order: readonly SortSpec<StoredRecord>[],
  offset: number,
  limit: number | undefined,
): StoredRecord[] {
  const records = scope.engine.data.records(scope.objectName);
  // Without ORDER BY the first offset+limit matches are the answer: stop scanning there.
  const enough = order.length === 0 && limit !== undefined ? offset + limit : Number.POSITIVE_INFINITY;
  let matched: StoredRecord[] = [];
  for (let i = 0; i < records.length && matched.length < enough; i++) {
    const record = records[i] as StoredRecord;
    if (filter(record)) matched.push(record);
  }
  if (order.length > 0) matched = sortRows(matched, order, limit === undefined ? undefined : offset + limit);
  if (offset === 0 && (limit === undefined || limit >= matched.length)) return matched;
  return matched.slice(offset, limit === undefined ? undefined : offset + limit);
}

export function orderSpecs(
  scope: QueryScope,
  orderBy: OrderByClause | OrderByClause[] | undefined,
): SortSpec<StoredRecord>[] {
  if (orderBy === undefined) return [];
  return (Array.isArray(orderBy) ? orderBy : [orderBy]).map((clause) => {
    if ('field' in clause) {
      const ref = scope.resolveField(clause.field);
      if (!ref.field.sortable) {
        throw scope.errorAt(
          clause.field,
          'INVALID_FIELD',
          `field '${ref.name}' can not be sorted in a query call`,
        );
      }
      const key = sortKeyOf(ref.kind);
      const get = ref.get;
      return sortSpec<StoredRecord>((record) => key(get(record)), clause.order, clause.nulls);
    }
    const operand = functionOperand(scope, clause.fn);
    const key = sortKeyOf(operand.kind);
    return sortSpec<StoredRecord>((record) => key(operand.get(record)), clause.order, clause.nulls);
  });
}

/** `Id IN (SELECT AccountId FROM Contact WHERE ...)`: the inner query's ids, evaluated once. */
function semiJoinIds(engine: Engine, query: Query, start: number): ReadonlySet<string> {
  const index = engine.objectIndex(query.sObject ?? '', start);
  const scope = new QueryScope(engine, index, start, query.sObjectAlias);
  const [field, ...others] = query.fields ?? [];
  const raw = field?.type === 'Field' || field?.type === 'FieldRelationship' ? writtenPath(field) : undefined;
  if (raw === undefined || others.length > 0) {
    // Wording [unverified].
    throw engine.errorAt(
      'MALFORMED_QUERY',
      start,
      'Semi join sub-selects must select exactly one Id or reference field',
    );
  }
  const ref = scope.resolveField(raw);
  if (ref.kind !== 'id') {
    throw scope.errorAt(
      raw,
      'INVALID_FIELD',
      `Semi join sub-selects can only select Id or reference fields: ${ref.name}`,
    );
  }
  const filter = recordFilter(scope, query);
  const ids = new Set<string>();
  const get = ref.get;
  for (const record of engine.data.records(scope.objectName)) {
    if (!filter(record)) continue;
    const value = get(record);
    if (typeof value === 'string' && value !== '')
      ids.add(value.length === 15 ? (to18(value) ?? value) : value);
  }
  return ids;
}

/**
 * A child subquery (`(SELECT Id FROM Contacts WHERE ... ORDER BY ... LIMIT n)`): the children are
 * filtered and sorted once, indexed by parent id on first use, and each parent's slice rendered as a
 * nested query result, or null when it has no children.
 */
function compileChild(parentScope: QueryScope, subquery: Subquery): ChildRenderer {
  const engine = parentScope.engine;
  const start = engine.nextSubqueryStart();
  const name = subquery.relationshipName;
  const relationship = parentScope.index.childRelationship(name);
  const fromAt = engine.src.findKeyword('from', start, start) ?? start;
  if (relationship === undefined || relationship.relationshipName === null) {
    throw engine.errorAt(
      'INVALID_TYPE',
      engine.src.findPath(name, fromAt),
      unknownChildRelationshipText(name),
    );
  }
  const childSchema = engine.data.object(relationship.childSObject);
  if (childSchema === undefined) {
    throw engine.errorAt(
      'INVALID_TYPE',
      engine.src.findPath(name, fromAt),
      unsupportedTypeText(relationship.childSObject),
    );
  }
  const scope = new QueryScope(engine, schemaIndex(childSchema), start);
  if (isAggregate(subquery)) {
    // Wording [unverified].
    throw engine.errorAt(
      'MALFORMED_QUERY',
      start,
      'Aggregate functions are not supported in child relationship subqueries',
    );
  }
  const projection = compileProjection(scope, subquery.fields ?? [], (nested) => compileChild(scope, nested));
  const filter = recordFilter(scope, subquery);
  const order = orderSpecs(scope, subquery.orderBy);
  const offset = subquery.offset ?? 0;
  const limit = subquery.limit;
  const referenceField = relationship.field;

  let byParent: Map<string, StoredRecord[]> | undefined;
  const buildIndex = (): Map<string, StoredRecord[]> => {
    const matched: StoredRecord[] = [];
    for (const record of engine.data.records(childSchema.name)) if (filter(record)) matched.push(record);
    const map = new Map<string, StoredRecord[]>();
    for (const record of order.length > 0 ? sortRows(matched, order) : matched) {
      const parentId = record[referenceField];
      if (typeof parentId !== 'string' || parentId === '') continue;
      const key = parentId.length === 15 ? (to18(parentId) ?? parentId) : parentId;
      const list = map.get(key);
      if (list === undefined) map.set(key, [record]);
      else list.push(record);
    }
    return map;
  };

  return {
    key: relationship.relationshipName,
    render(parent: StoredRecord, ctx: RenderContext): unknown {
      byParent ??= buildIndex();
      const id = String(parent.Id);
      let children = byParent.get(id.length === 15 ? (to18(id) ?? id) : id);
      if (children === undefined) return null;
      if (offset > 0 || (limit !== undefined && limit < children.length)) {
        children = children.slice(offset, limit === undefined ? undefined : offset + limit);
      }
      if (children.length === 0) return null;
      const set = new RowResultSet(children, projection.render, projection.columns);
      const done = children.length <= CHILD_PAGE_SIZE;
      const records = set.page(0, CHILD_PAGE_SIZE, ctx);
      return done
        ? { totalSize: set.totalSize, done, records }
        : { totalSize: set.totalSize, done, nextRecordsUrl: ctx.childLocator(set, CHILD_PAGE_SIZE), records };
    },
  };
}
