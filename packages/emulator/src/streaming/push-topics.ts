import { parseQuery, type WhereClause } from '@jetstreamapp/soql-parser-js';
import type { ChangeEvent, ChangeType } from '../data/events.js';
import type { OrgData, StoredRecord } from '../schema/types.js';
import { executeSoql } from '../soql/index.js';

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
  let parsed: ReturnType<typeof parseQuery>;
  try {
    parsed = parseQuery(query);
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
