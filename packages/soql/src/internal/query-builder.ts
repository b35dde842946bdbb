import type { Readable } from 'node:stream';
import { checkCount, compileSoql } from '../compile.js';
import { SoqlBuildError } from '../errors.js';
import type {
  CompiledQuery,
  QueryEditOptions,
  QueryEditResult,
  QueryEvents,
  QueryExecutor,
  QueryExplanation,
  QueryRecordChange,
  QueryResult,
  QueryRunOptions,
} from '../executor.js';
import type { AccessClause, ConditionNode, ForClause, QueryNode, SubqueryNode } from '../nodes.js';
import { parseConditions } from './conditions.js';
import { field, splitList } from './fields.js';
import { assertIdentifier } from './identifiers.js';
import { mergeSelect, parseSelect } from './select.js';
import { parseSort } from './sort.js';

// The implementation behind the public `QueryBuilder` interface. Its methods take loose input
// (`unknown`); the interface carries the types. State is one frozen `QueryNode` plus the executor,
// both in private fields, and every method returns a new instance.

function andConditions(current: ConditionNode | undefined, added: ConditionNode): ConditionNode {
  if (current === undefined) return added;
  return Object.freeze({ kind: 'and', conditions: Object.freeze([current, added]) });
}

function notExecutable(method: string): SoqlBuildError {
  return new SoqlBuildError(
    'NOT_EXECUTABLE',
    `${method}() needs a builder bound to a QueryExecutor (from(name, executor), or conn.sobject(name).find(...)); this one can only compile: use toSOQL()`,
    method,
  );
}

const EMPTY: readonly never[] = Object.freeze([]);

class QueryBuilderImpl {
  readonly #node: QueryNode;
  readonly #executor: QueryExecutor | undefined;

  constructor(node: QueryNode, executor: QueryExecutor | undefined) {
    this.#node = node;
    this.#executor = executor;
    Object.freeze(this);
  }

  get objectName(): string {
    return this.#node.object;
  }

  #with(changes: Partial<QueryNode>): QueryBuilderImpl {
    return new QueryBuilderImpl(Object.freeze({ ...this.#node, ...changes }), this.#executor);
  }

  find(conditions?: unknown, fields?: unknown): QueryBuilderImpl {
    const found = this.where(conditions);
    return fields === undefined ? found : found.select(fields);
  }

  select(fields: unknown): QueryBuilderImpl {
    return this.#with({ select: mergeSelect(this.#node.select, parseSelect(fields)) });
  }

  where(conditions: unknown): QueryBuilderImpl {
    const added = parseConditions(conditions, 'WHERE');
    return added === undefined ? this : this.#with({ where: andConditions(this.#node.where, added) });
  }

  sort(spec: unknown, options?: { nulls?: string }): QueryBuilderImpl {
    return this.#with({ orderBy: Object.freeze([...this.#node.orderBy, ...parseSort(spec, options)]) });
  }

  limit(count: unknown): QueryBuilderImpl {
    return this.#with({ limit: checkCount(count, 'limit') });
  }

  skip(count: unknown): QueryBuilderImpl {
    return this.#with({ offset: checkCount(count, 'offset') });
  }

  offset(count: unknown): QueryBuilderImpl {
    return this.skip(count);
  }

  include(
    relationship: unknown,
    conditions?: unknown,
    fields?: unknown,
    options?: { sort?: unknown; limit?: unknown; offset?: unknown },
  ): QueryBuilderImpl {
    const where = parseConditions(conditions, 'WHERE');
    const subquery: SubqueryNode = Object.freeze({
      kind: 'subquery',
      relationship: assertIdentifier(relationship, 'relationship'),
      select:
        fields === undefined ? EMPTY : Object.freeze(parseSelect(fields, `include(${String(relationship)})`)),
      orderBy: options?.sort === undefined ? EMPTY : Object.freeze(parseSort(options.sort)),
      ...(where === undefined ? {} : { where }),
      ...(options?.limit === undefined ? {} : { limit: checkCount(options.limit, 'limit') }),
      ...(options?.offset === undefined ? {} : { offset: checkCount(options.offset, 'offset') }),
    });
    return this.#with({ select: mergeSelect(this.#node.select, [subquery]) });
  }

  groupBy(fields: unknown): QueryBuilderImpl {
    const list = typeof fields === 'string' ? splitList(fields) : fields;
    if (!Array.isArray(list)) {
      throw new SoqlBuildError(
        'INVALID_ARGUMENT',
        'groupBy takes a field, a comma-separated string or an array',
        'groupBy',
      );
    }
    const added = list.map((entry) => field(entry));
    return this.#with({ groupBy: Object.freeze([...this.#node.groupBy, ...added]) });
  }

  having(conditions: unknown): QueryBuilderImpl {
    const added = parseConditions(conditions, 'HAVING');
    return added === undefined ? this : this.#with({ having: andConditions(this.#node.having, added) });
  }

  scope(scope: unknown): QueryBuilderImpl {
    return this.#with({ scope: assertIdentifier(scope, 'scope') });
  }

  #access(access: AccessClause): QueryBuilderImpl {
    return this.#with({ access });
  }

  withSecurityEnforced(): QueryBuilderImpl {
    return this.#access('SECURITY_ENFORCED');
  }

  withUserMode(): QueryBuilderImpl {
    return this.#access('USER_MODE');
  }

  withSystemMode(): QueryBuilderImpl {
    return this.#access('SYSTEM_MODE');
  }

  #for(clause: ForClause): QueryBuilderImpl {
    return this.#with({ for: clause });
  }

  forView(): QueryBuilderImpl {
    return this.#for('VIEW');
  }

  forReference(): QueryBuilderImpl {
    return this.#for('REFERENCE');
  }

  forUpdate(): QueryBuilderImpl {
    return this.#for('UPDATE');
  }

  toNode(): QueryNode {
    return this.#node;
  }

  toSOQL(): string {
    return compileSoql(this.#node);
  }

  #compiled(node: QueryNode): CompiledQuery {
    return Object.freeze({ soql: compileSoql(node), node });
  }

  #executorFor(method: string): QueryExecutor {
    if (this.#executor === undefined) throw notExecutable(method);
    return this.#executor;
  }

  async execute(options?: QueryRunOptions): Promise<QueryResult<unknown>> {
    const executor = this.#executorFor('execute');
    return executor.execute(this.#compiled(this.#node), options ?? {});
  }

  async first(options?: QueryRunOptions): Promise<unknown> {
    const executor = this.#executorFor('first');
    const result = await executor.execute(this.#compiled({ ...this.#node, limit: 1 }), options ?? {});
    return result.records[0];
  }

  /** `SELECT COUNT()` with this query's FROM, scope, WHERE and WITH; ORDER BY, LIMIT and OFFSET do not apply. */
  async count(options?: QueryRunOptions): Promise<number> {
    const executor = this.#executorFor('count');
    const { object, scope, where, access, groupBy } = this.#node;
    if (groupBy.length > 0) {
      throw new SoqlBuildError('INVALID_ARGUMENT', 'count() is not available on a grouped query', 'count');
    }
    const node: QueryNode = Object.freeze({
      kind: 'query',
      object,
      select: Object.freeze([Object.freeze({ kind: 'aggregate', fn: 'COUNT' })]),
      groupBy: EMPTY,
      orderBy: EMPTY,
      ...(scope === undefined ? {} : { scope }),
      ...(where === undefined ? {} : { where }),
      ...(access === undefined ? {} : { access }),
    });
    return executor.count(this.#compiled(node), options ?? {});
  }

  stream(options?: QueryRunOptions): Readable {
    return this.#executorFor('stream').stream(this.#compiled(this.#node), options ?? {});
  }

  toCSV(options?: QueryRunOptions): Readable {
    return this.#executorFor('toCSV').csv(this.#compiled(this.#node), options ?? {});
  }

  on(event: 'record', listener: (record: unknown, index: number) => void): QueryEvents<unknown> {
    return this.#executorFor('on').events(this.#compiled(this.#node)).on(event, listener);
  }

  run(options?: QueryRunOptions): QueryEvents<unknown> {
    return this.#executorFor('run').events(this.#compiled(this.#node)).run(options);
  }

  async explain(options?: QueryRunOptions): Promise<QueryExplanation> {
    const executor = this.#executorFor('explain');
    return executor.explain(this.#compiled(this.#node), options ?? {});
  }

  async update(change: unknown, options?: QueryEditOptions): Promise<QueryEditResult[]> {
    const executor = this.#executorFor('update');
    if (
      change === null ||
      (typeof change !== 'object' && typeof change !== 'function') ||
      Array.isArray(change)
    ) {
      throw new SoqlBuildError(
        'INVALID_ARGUMENT',
        'update() takes an object of field values or a function of the row that returns them',
        'update',
      );
    }
    return executor.update(
      this.#compiled(this.#node),
      change as QueryRecordChange<unknown, Record<string, unknown>>,
      options ?? {},
    );
  }

  async destroy(options?: QueryEditOptions): Promise<QueryEditResult[]> {
    const executor = this.#executorFor('destroy');
    return executor.destroy(this.#compiled(this.#node), options ?? {});
  }

  [Symbol.asyncIterator](): AsyncIterator<unknown> {
    const executor = this.#executorFor('for await');
    return executor.iterate(this.#compiled(this.#node), {})[Symbol.asyncIterator]();
  }
}

export function createQueryBuilder(
  objectName: unknown,
  executor: QueryExecutor | undefined,
): QueryBuilderImpl {
  const node: QueryNode = Object.freeze({
    kind: 'query',
    object: assertIdentifier(objectName, 'object'),
    select: EMPTY,
    groupBy: EMPTY,
    orderBy: EMPTY,
  });
  return new QueryBuilderImpl(node, executor);
}
