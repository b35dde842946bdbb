import type { Query, WhereClause } from '@jetstreamapp/soql-parser-js';
import { type DmlError, dmlError } from '../data/errors.js';
import type { ChangeEvent, ChangeType } from '../data/events.js';
import type { SaveRule } from '../data/store.js';
import type { OrgData, StoredRecord } from '../schema/types.js';
import { executeSoql, parseSoqlText, SoqlError } from '../soql/index.js';

/**
 * PushTopics: a `PushTopic` record defines `/topic/<Name>`; each committed record change is checked
 * against the topics on its object with the `NotifyForOperation*` flags, the `NotifyForFields` rule
 * and the query's WHERE clause (evaluated by the emulator's SOQL engine on that one record), and a
 * notification carries the query's SELECT fields. Deleted records carry only their `Id`.
 */

export type NotifyForFields = 'All' | 'Referenced' | 'Select' | 'Where';

export interface CompiledTopic {
  readonly id: string;
  readonly name: string;
  readonly query: string;
  readonly apiVersion: string;
  /** The FROM object, lower case. */
  readonly object: string;
  /** SELECT fields, lower case. */
  readonly selectFields: ReadonlySet<string>;
  /** Fields the WHERE clause reads, lower case. */
  readonly whereFields: ReadonlySet<string>;
  readonly notifyForFields: NotifyForFields;
  readonly operations: Readonly<Record<ChangeType, boolean>>;
  readonly active: boolean;
}

export interface TopicNotification {
  readonly type: ChangeType;
  readonly sobject: Record<string, unknown>;
}

/** A topic from its record; undefined when its query cannot be read (it then notifies nobody). */
export function compileTopic(record: StoredRecord): CompiledTopic | undefined {
  const query = typeof record.Query === 'string' ? record.Query : '';
  let parsed: Query;
  try {
    parsed = parseSoqlText(query);
  } catch {
    return undefined;
  }
  if (typeof parsed.sObject !== 'string') return undefined;
  const selectFields = new Set<string>();
  for (const field of parsed.fields ?? []) {
    if (field.type === 'Field') selectFields.add(field.field.toLowerCase());
    else if (field.type === 'FieldRelationship') selectFields.add(field.rawValue?.toLowerCase() ?? '');
  }
  const whereFields = new Set<string>();
  collectWhereFields(parsed.where, whereFields);
  const notify = String(record.NotifyForFields ?? 'Referenced');
  const apiVersion = typeof record.ApiVersion === 'number' ? record.ApiVersion.toFixed(1) : '62.0';
  return {
    id: String(record.Id),
    name: String(record.Name),
    query,
    apiVersion,
    object: parsed.sObject.toLowerCase(),
    selectFields,
    whereFields,
    notifyForFields: (['All', 'Referenced', 'Select', 'Where'].includes(notify)
      ? notify
      : 'Referenced') as NotifyForFields,
    operations: {
      created: record.NotifyForOperationCreate !== false,
      updated: record.NotifyForOperationUpdate !== false,
      deleted: record.NotifyForOperationDelete !== false,
      undeleted: record.NotifyForOperationUndelete !== false,
    },
    active: record.IsActive !== false,
  };
}

function collectWhereFields(where: WhereClause | undefined, out: Set<string>): void {
  if (where === undefined || where === null) return;
  const left = where.left as { field?: unknown; fn?: { parameters?: unknown[] } } | null;
  if (left) {
    if (typeof left.field === 'string') out.add(left.field.toLowerCase());
    for (const parameter of left.fn?.parameters ?? []) {
      if (typeof parameter === 'string') out.add(parameter.toLowerCase());
    }
  }
  if ('right' in where) collectWhereFields(where.right, out);
}

/**
 * The notification a change produces on a topic, or undefined when it produces none. Evaluation
 * errors (a query the engine rejects) produce none, as an invalid topic cannot match.
 */
export function notificationFor(
  topic: CompiledTopic,
  event: ChangeEvent,
  data: OrgData,
): TopicNotification | undefined {
  if (!topic.active || !topic.operations[event.type]) return undefined;
  if (event.type === 'updated' && !watchesAChangedField(topic, event.changedFields)) return undefined;
  const evaluated = event.type === 'deleted' ? (event.previous ?? event.record) : event.record;
  const row = matchingRow(topic, event.object, evaluated, data);
  if (row === undefined) return undefined;
  if (event.type === 'deleted') return { type: event.type, sobject: { Id: event.id } };
  return { type: event.type, sobject: row };
}

function watchesAChangedField(topic: CompiledTopic, changedFields: readonly string[]): boolean {
  if (topic.notifyForFields === 'All') return true;
  for (const name of changedFields) {
    const field = name.toLowerCase();
    if (field === 'id') continue;
    const inSelect = topic.selectFields.has(field);
    const inWhere = topic.whereFields.has(field);
    if (topic.notifyForFields === 'Select' && inSelect) return true;
    if (topic.notifyForFields === 'Where' && inWhere) return true;
    if (topic.notifyForFields === 'Referenced' && (inSelect || inWhere)) return true;
  }
  return false;
}

/** The record rendered with the topic's SELECT fields when it satisfies the WHERE clause. */
function matchingRow(
  topic: CompiledTopic,
  objectName: string,
  record: StoredRecord,
  data: OrgData,
): Record<string, unknown> | undefined {
  let rows: Record<string, unknown>[];
  try {
    const result = executeSoql(topic.query, oneRecordView(data, objectName, record), {
      includeDeleted: true,
      apiVersion: topic.apiVersion,
      userId: data.userId,
    });
    rows = result.page(0, 1, NO_CHILD_PAGES);
  } catch {
    return undefined;
  }
  const row = rows[0];
  if (row === undefined) return undefined;
  const { attributes: _attributes, ...fields } = row;
  return fields;
}

const NO_CHILD_PAGES = {
  childLocator(): string {
    throw new Error('PushTopic queries have no child subqueries');
  },
};

/** The org's data with one object's table replaced by a single record: the engine then judges that record. */
function oneRecordView(data: OrgData, objectName: string, record: StoredRecord): OrgData {
  const key = objectName.toLowerCase();
  const only = [record];
  return {
    object: (name) => data.object(name),
    objects: () => data.objects(),
    records: (name) => (name.toLowerCase() === key ? only : data.records(name)),
    byId: (id) => data.byId(id),
    userId: data.userId,
  };
}

// ---- what Salesforce refuses at insert ------------------------------------------------------------

/**
 * The save rule of `PushTopic` records: Salesforce refuses a topic whose query it cannot run as a
 * PushTopic, at insert and update, so a topic never sits there notifying nobody. Checked: the query's
 * SOQL (the engine's own `MALFORMED_QUERY` / `INVALID_FIELD` / `INVALID_TYPE`, run against the org's
 * schema at the topic's `ApiVersion`) and the statements the Streaming API does not support.
 */
export function pushTopicSaveRule(data: OrgData): SaveRule {
  return (record) => {
    const error = pushTopicQueryError(
      typeof record.Query === 'string' ? record.Query : '',
      typeof record.ApiVersion === 'number' ? record.ApiVersion.toFixed(1) : '62.0',
      data,
    );
    return error === undefined ? undefined : [error];
  };
}

/**
 * Why Salesforce would refuse this PushTopic query, or undefined when it takes it. The unsupported
 * statements and their messages are the ones listed in the Streaming API guide ("Unsupported PushTopic
 * Queries"), all `INVALID_FIELD`; the guide gives no message for a query without `Id` or with OFFSET,
 * so those two are worded by us [unverified].
 */
export function pushTopicQueryError(query: string, apiVersion: string, data: OrgData): DmlError | undefined {
  let parsed: Query | undefined;
  try {
    parsed = parseSoqlText(query);
  } catch {
    // Unparseable: the engine words the MALFORMED_QUERY below.
  }
  if (parsed !== undefined) {
    const unsupported = unsupportedStatement(parsed);
    if (unsupported !== undefined) return dmlError('INVALID_FIELD', unsupported);
  }
  try {
    executeSoql(query, schemaOnly(data), { includeDeleted: false, apiVersion, userId: data.userId });
  } catch (error) {
    if (error instanceof SoqlError) return dmlError(error.errorCode, error.message);
    throw error;
  }
  if (parsed !== undefined && !selectsId(parsed)) {
    return dmlError('INVALID_FIELD', 'PushTopic queries must select the Id field');
  }
  return undefined;
}

/** The message for the first statement PushTopic queries do not support, in the guide's order. */
function unsupportedStatement(query: Query): string | undefined {
  if (hasSemiJoin(query.where)) return 'semi/anti join sub-selects are not supported';
  const fields = query.fields ?? [];
  const aggregate = fields.some((f) => f.type === 'FieldFunctionExpression' && isAggregate(f.functionName));
  if (aggregate || query.groupBy !== undefined || query.having !== undefined) {
    return 'Aggregate queries are not supported';
  }
  if (query.limit !== undefined) return "'LIMIT' is not allowed";
  const relationship = fields.some(
    (f) =>
      f.type === 'FieldRelationship' ||
      f.type === 'FieldSubquery' ||
      f.type === 'FieldTypeof' ||
      (f.type === 'Field' && f.field.includes('.')),
  );
  if (relationship || hasRelationshipFilter(query.where)) return 'relationships are not supported';
  if (query.orderBy !== undefined) return "'ORDER BY' clause is not allowed";
  if (hasNot(query.where)) return "'NOT' is not supported";
  if (query.offset !== undefined) return "'OFFSET' clause is not allowed";
  return undefined;
}

const AGGREGATE_FUNCTIONS = new Set(['avg', 'count', 'count_distinct', 'max', 'min', 'sum']);

function isAggregate(name: string): boolean {
  return AGGREGATE_FUNCTIONS.has(name.toLowerCase());
}

/** Every condition of a WHERE clause (its logical operators and negations left out). */
function* conditionsOf(where: WhereClause | undefined): Generator<Record<string, unknown>> {
  for (let clause = where; clause !== undefined && clause !== null; ) {
    if (clause.left !== null) yield clause.left as unknown as Record<string, unknown>;
    clause = 'right' in clause ? clause.right : undefined;
  }
}

function hasSemiJoin(where: WhereClause | undefined): boolean {
  for (const condition of conditionsOf(where)) if ('valueQuery' in condition) return true;
  return false;
}

function hasRelationshipFilter(where: WhereClause | undefined): boolean {
  for (const condition of conditionsOf(where)) {
    if (typeof condition.field === 'string' && condition.field.includes('.')) return true;
  }
  return false;
}

function hasNot(where: WhereClause | undefined): boolean {
  for (let clause = where; clause !== undefined && clause !== null; ) {
    if ('operator' in clause && clause.operator === 'NOT') return true;
    clause = 'right' in clause ? clause.right : undefined;
  }
  return false;
}

function selectsId(query: Query): boolean {
  return (query.fields ?? []).some((f) => f.type === 'Field' && f.field.toLowerCase() === 'id');
}

/** The org's schema with no records: the engine then checks a query without evaluating anything. */
function schemaOnly(data: OrgData): OrgData {
  return {
    object: (name) => data.object(name),
    objects: () => data.objects(),
    records: () => [],
    byId: () => undefined,
    userId: data.userId,
  };
}
