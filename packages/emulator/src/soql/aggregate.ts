import type {
  FieldType,
  FunctionExp,
  GroupByClause,
  OrderByClause,
  Query,
} from '@jetstreamapp/soql-parser-js';
import type { StoredRecord, StoredValue } from '../schema/types.js';
import { compileComparison, compileTree, normalizer, type Operand, type Predicate } from './conditions.js';
import { SoqlError } from './errors.js';
import { type SortKey, type SortSpec, sortKeyOf, sortRows, sortSpec } from './order.js';
import { type FieldRef, type QueryScope, writtenPath } from './paths.js';
import { type Column, type QueryResultSet, RowResultSet } from './result-set.js';
import { soapTypeName, type ValueKind } from './schema-index.js';
import { comparisonContext, conditionTree, functionOperand } from './where.js';
import type { LeafCondition } from './where-tree.js';

/**
 * GROUP BY, aggregate functions and HAVING. Rows become `AggregateResult` records: grouped fields under
 * their field name (`Name` for `Account.Name`), aggregates under their alias or `expr0`, `expr1`...
 * in SELECT order. Without GROUP BY there is exactly one row, even over no records.
 */
interface Group {
  readonly values: StoredValue[];
  readonly accumulators: Accumulator[];
}

interface Accumulator {
  add(record: StoredRecord): void;
  value(): StoredValue;
}

interface AggregateSpec {
  readonly id: string;
  readonly kind: ValueKind;
  create(): Accumulator;
}

interface GroupKey {
  /** Normalised identity for matching SELECT, HAVING and ORDER BY references. */
  readonly id: string;
  readonly name: string;
  readonly kind: ValueKind;
  readonly get: (record: StoredRecord) => StoredValue;
}

/** The aggregate functions, upper case; a query that selects one is an aggregate query. */
export const AGGREGATES: ReadonlySet<string> = new Set([
  'COUNT',
  'COUNT_DISTINCT',
  'SUM',
  'AVG',
  'MIN',
  'MAX',
]);

const functionId = (raw: string): string => raw.replace(/\s+/g, '').toLowerCase();

export function runAggregate(
  scope: QueryScope,
  query: Query,
  filter: Predicate<StoredRecord>,
): QueryResultSet {
  const keys = groupKeys(scope, query.groupBy);
  const specs: AggregateSpec[] = [];
  const aggregateIndex = (fn: FunctionExp, raw: string): number => {
    const spec = aggregateSpec(scope, fn, raw);
    const existing = specs.findIndex((candidate) => candidate.id === spec.id);
    if (existing !== -1) return existing;
    specs.push(spec);
    return specs.length - 1;
  };
  const keyIndex = (id: string, raw: string): number => {
    const index = keys.findIndex((key) => key.id === id);
    if (index === -1)
      throw scope.errorAt(raw, 'MALFORMED_QUERY', `Field must be grouped or aggregated: ${raw}`);
    return index;
  };

  const columns = outputs(scope, query.fields ?? [], aggregateIndex, keyIndex);
  const having =
    query.having === undefined ? undefined : havingPredicate(scope, query, keys, aggregateIndex, keyIndex);
  const order = groupOrder(scope, query.orderBy, keys, specs, aggregateIndex, keyIndex);

  const groups = new Map<string, Group>();
  const records = scope.engine.data.records(scope.objectName);
  const norms = keys.map((key) => normalizer(key.kind));
  for (let r = 0; r < records.length; r++) {
    const record = records[r] as StoredRecord;
    if (!filter(record)) continue;
    const values = keys.map((key) => key.get(record));
    const id = values.map((value, i) => JSON.stringify(norms[i]?.(value) ?? null)).join('\u0000');
    let group = groups.get(id);
    if (group === undefined) {
      group = { values, accumulators: specs.map((spec) => spec.create()) };
      groups.set(id, group);
    }
    for (const accumulator of group.accumulators) accumulator.add(record);
  }
  if (keys.length === 0 && groups.size === 0) {
    groups.set('', { values: [], accumulators: specs.map((spec) => spec.create()) });
  }

  let rows = [...groups.values()];
  if (having !== undefined) rows = rows.filter(having);
  if (order.length > 0) rows = sortRows(rows, order);
  const offset = query.offset ?? 0;
  if (offset > 0 || query.limit !== undefined) {
    rows = rows.slice(offset, query.limit === undefined ? undefined : offset + query.limit);
  }
  const render = (group: Group): Record<string, unknown> => {
    const out: Record<string, unknown> = { attributes: { type: 'AggregateResult' } };
    for (const column of columns) out[column.name] = column.get(group);
    return out;
  };
  return new RowResultSet(rows, render, columns);
}

function groupKeys(scope: QueryScope, groupBy: GroupByClause | GroupByClause[] | undefined): GroupKey[] {
  if (groupBy === undefined) return [];
  return (Array.isArray(groupBy) ? groupBy : [groupBy]).map((clause): GroupKey => {
    if ('field' in clause) {
      const ref = scope.resolveField(clause.field);
      if (!ref.field.groupable) {
        throw scope.errorAt(
          clause.field,
          'INVALID_FIELD',
          `field '${ref.name}' can not be grouped in a query call`,
        );
      }
      return { id: ref.path.toLowerCase(), name: ref.name, kind: ref.kind, get: ref.get };
    }
    const name = clause.fn.functionName?.toUpperCase() ?? '';
    if (name === 'ROLLUP' || name === 'CUBE') {
      throw scope.errorAt(name, 'MALFORMED_QUERY', `GROUP BY ${name} is not supported by the emulator`);
    }
    const operand = functionOperand(scope, clause.fn);
    return { id: functionId(operand.raw), name: operand.raw, kind: operand.kind, get: operand.get };
  });
}

function outputs(
  scope: QueryScope,
  fields: readonly FieldType[],
  aggregateIndex: (fn: FunctionExp, raw: string) => number,
  keyIndex: (id: string, raw: string) => number,
): Column<Group>[] {
  let expr = 0;
  const columns: Column<Group>[] = [];
  for (const field of fields) {
    switch (field.type) {
      case 'Field':
      case 'FieldRelationship': {
        const raw = writtenPath(field);
        const ref: FieldRef = scope.resolveField(raw);
        const i = keyIndex(ref.path.toLowerCase(), raw);
        const alias = 'alias' in field && typeof field.alias === 'string' ? field.alias : undefined;
        columns.push({ name: alias ?? ref.name, get: (group) => group.values[i] ?? null });
        break;
      }
      case 'FieldFunctionExpression': {
        const raw = field.rawValue ?? field.functionName;
        const name = field.alias ?? `expr${expr++}`;
        if (AGGREGATES.has(field.functionName.toUpperCase())) {
          const i = aggregateIndex(field, raw);
          columns.push({ name, get: (group) => group.accumulators[i]?.value() ?? null });
        } else {
          const i = keyIndex(functionId(raw), raw);
          columns.push({ name, get: (group) => group.values[i] ?? null });
        }
        break;
      }
      default:
        // Wording [unverified].
        throw new SoqlError(
          'MALFORMED_QUERY',
          'Only grouped fields and aggregate functions can be selected in an aggregate query',
        );
    }
  }
  return columns;
}

function aggregateSpec(scope: QueryScope, fn: FunctionExp, raw: string): AggregateSpec {
  const name = (fn.functionName ?? '').toUpperCase();
  const parameter = fn.parameters?.[0];
  const id = functionId(raw);
  if (parameter === undefined) {
    if (name !== 'COUNT') throw scope.errorAt(name, 'MALFORMED_QUERY', `unexpected token: ')'`);
    return {
      id,
      kind: 'number',
      create: () => {
        let count = 0;
        return { add: () => void count++, value: () => count };
      },
    };
  }
  if (typeof parameter !== 'string')
    throw scope.errorAt(name, 'MALFORMED_QUERY', `unexpected token: '${raw}'`);
  const ref = scope.resolveField(parameter);
  const get = ref.get;
  const unsupported = (): SoqlError =>
    scope.errorAt(
      parameter,
      'INVALID_FIELD',
      `field ${ref.name} does not support aggregate operator ${name}`,
    );
  switch (name) {
    case 'COUNT':
      return {
        id,
        kind: 'number',
        create: () => {
          let count = 0;
          return {
            add: (record) => {
              if (get(record) !== null) count++;
            },
            value: () => count,
          };
        },
      };
    case 'COUNT_DISTINCT': {
      const norm = normalizer(ref.kind);
      return {
        id,
        kind: 'number',
        create: () => {
          const seen = new Set<unknown>();
          return {
            add: (record) => {
              const value = norm(get(record));
              if (value !== null) seen.add(value);
            },
            value: () => seen.size,
          };
        },
      };
    }
    case 'SUM':
    case 'AVG': {
      if (ref.kind !== 'number') throw unsupported();
      const average = name === 'AVG';
      return {
        id,
        kind: 'number',
        create: () => {
          let sum = 0;
          let count = 0;
          return {
            add: (record) => {
              const value = get(record);
              if (typeof value === 'number') {
                sum += value;
                count++;
              }
            },
            value: () => (count === 0 ? null : average ? sum / count : sum),
          };
        },
      };
    }
    default: {
      if (ref.kind === 'boolean' || ref.kind === 'multipicklist' || ref.kind === 'other') throw unsupported();
      const key = sortKeyOf(ref.kind);
      const wantMax = name === 'MAX';
      return {
        id,
        kind: ref.kind,
        create: () => {
          let best: StoredValue = null;
          let bestKey: SortKey = null;
          return {
            add: (record) => {
              const value = get(record);
              const k = key(value);
              if (k === null) return;
              if (bestKey === null || (wantMax ? k > bestKey : k < bestKey)) {
                best = value;
                bestKey = k;
              }
            },
            value: () => best,
          };
        },
      };
    }
  }
}

function havingPredicate(
  scope: QueryScope,
  query: Query,
  keys: readonly GroupKey[],
  aggregateIndex: (fn: FunctionExp, raw: string) => number,
  keyIndex: (id: string, raw: string) => number,
): Predicate<Group> {
  const tree = conditionTree(scope, query.having as NonNullable<Query['having']>, 'having');
  return compileTree<Group>(tree, (condition) => {
    if ('valueQuery' in condition) {
      throw scope.errorAt(
        condition.field,
        'MALFORMED_QUERY',
        'Semi join sub-selects are not allowed in HAVING',
      );
    }
    const operand = groupOperand(scope, condition, keys, aggregateIndex, keyIndex);
    return compileComparison(operand, condition, comparisonContext(scope, operand.raw));
  });
}

function groupOperand(
  scope: QueryScope,
  condition: Exclude<LeafCondition, { valueQuery: unknown }>,
  keys: readonly GroupKey[],
  aggregateIndex: (fn: FunctionExp, raw: string) => number,
  keyIndex: (id: string, raw: string) => number,
): Operand<Group> {
  if ('fn' in condition) {
    const raw = condition.fn.rawValue ?? condition.fn.functionName ?? '';
    if (AGGREGATES.has((condition.fn.functionName ?? '').toUpperCase())) {
      const i = aggregateIndex(condition.fn, raw);
      return {
        raw,
        label: raw,
        kind: 'number',
        typeName: 'double',
        filterable: true,
        get: (group) => group.accumulators[i]?.value() ?? null,
      };
    }
    const i = keyIndex(functionId(raw), raw);
    const key = keys[i] as GroupKey;
    return {
      raw,
      label: raw,
      kind: key.kind,
      typeName: 'int',
      filterable: true,
      get: (group) => group.values[i] ?? null,
    };
  }
  if (!('field' in condition)) throw new SoqlError('MALFORMED_QUERY', "unexpected token: 'NOT'");
  const ref = scope.resolveField(condition.field);
  const i = keyIndex(ref.path.toLowerCase(), condition.field);
  return {
    raw: condition.field,
    label: ref.name,
    kind: ref.kind,
    typeName: soapTypeName(ref.field),
    filterable: true,
    get: (group) => group.values[i] ?? null,
  };
}

function groupOrder(
  scope: QueryScope,
  orderBy: OrderByClause | OrderByClause[] | undefined,
  keys: readonly GroupKey[],
  specs: readonly AggregateSpec[],
  aggregateIndex: (fn: FunctionExp, raw: string) => number,
  keyIndex: (id: string, raw: string) => number,
): SortSpec<Group>[] {
  if (orderBy === undefined) return [];
  return (Array.isArray(orderBy) ? orderBy : [orderBy]).map((clause) => {
    if ('field' in clause) {
      const ref = scope.resolveField(clause.field);
      const index = keys.findIndex((key) => key.id === ref.path.toLowerCase());
      if (index === -1) {
        throw scope.errorAt(
          clause.field,
          'MALFORMED_QUERY',
          `Ordered field must be grouped or aggregated: ${clause.field}`,
        );
      }
      const key = sortKeyOf(ref.kind);
      return sortSpec<Group>((group) => key(group.values[index] ?? null), clause.order, clause.nulls);
    }
    const raw = clause.fn.rawValue ?? clause.fn.functionName ?? '';
    if (AGGREGATES.has((clause.fn.functionName ?? '').toUpperCase())) {
      const i = aggregateIndex(clause.fn, raw);
      const key = sortKeyOf(specs[i]?.kind ?? 'number');
      return sortSpec<Group>(
        (group) => key(group.accumulators[i]?.value() ?? null),
        clause.order,
        clause.nulls,
      );
    }
    const i = keyIndex(functionId(raw), raw);
    const key = sortKeyOf(keys[i]?.kind ?? 'number');
    return sortSpec<Group>((group) => key(group.values[i] ?? null), clause.order, clause.nulls);
  });
}
