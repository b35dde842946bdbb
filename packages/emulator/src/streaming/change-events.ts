import type { ChangeEvent } from '../data/events.js';
import type { FieldDef, ObjectDef } from '../schema/field.js';
import type { StoredRecord, StoredValue } from '../schema/types.js';
import type { EventData } from './event-stream.js';
import { eventValue } from './wire-values.js';

/**
 * Change Data Capture: which objects publish change events, the channel names
 * (`/data/AccountChangeEvent`, `/data/Foo__ChangeEvent`), and the JSON a CometD client receives.
 *
 * The JSON form (not the Pub/Sub Avro one) has no `nulledFields`/`diffFields` in its header and
 * leaves out null and unchanged fields: CREATE and UNDELETE carry every populated field, UPDATE the
 * changed ones plus `LastModifiedDate`, DELETE none. The record id is only in `recordIds`.
 */

/** Setup objects and files that Change Data Capture does not cover. */
const NOT_CAPTURED = new Set([
  'pushtopic',
  'streamingchannel',
  'recordtype',
  'profile',
  'folder',
  'attachment',
  'document',
]);

export function supportsChangeEvents(def: ObjectDef): boolean {
  return !def.eventObject && !NOT_CAPTURED.has(def.name.toLowerCase());
}

/** `Account` -> `AccountChangeEvent`; `Foo__c` -> `Foo__ChangeEvent`. */
export function changeEventName(objectName: string): string {
  return /__c$/i.test(objectName) ? `${objectName.slice(0, -1)}ChangeEvent` : `${objectName}ChangeEvent`;
}

/** The object name a change-event name stands for (`Foo__ChangeEvent` -> `Foo__c`), or undefined. */
export function objectOfChangeEvent(eventName: string): string | undefined {
  if (/__ChangeEvent$/.test(eventName)) return `${eventName.slice(0, -'ChangeEvent'.length)}c`;
  if (/ChangeEvent$/.test(eventName) && eventName.length > 'ChangeEvent'.length) {
    return eventName.slice(0, -'ChangeEvent'.length);
  }
  return undefined;
}

const CHANGE_TYPES = {
  created: 'CREATE',
  updated: 'UPDATE',
  deleted: 'DELETE',
  undeleted: 'UNDELETE',
} as const;

/** Fields a change event never carries. */
const SKIPPED = new Set(['id', 'isdeleted', 'systemmodstamp', 'lastvieweddate', 'lastreferenceddate']);

/** How an object's fields map onto change-event members, worked out once per definition. */
interface Layout {
  /** Top-level members in order: plain fields, and compound fields with their components. */
  readonly members: readonly Member[];
  /** Canonical field name -> the member and, for a component, its key inside the compound. */
  readonly byField: ReadonlyMap<string, { readonly member: Member; readonly key: string | undefined }>;
}

type Member =
  | { readonly kind: 'field'; readonly name: string; readonly field: FieldDef }
  | {
      readonly kind: 'compound';
      readonly name: string;
      readonly parts: readonly { readonly key: string; readonly field: FieldDef }[];
    };

const layouts = new WeakMap<ObjectDef, Layout>();

function layoutOf(def: ObjectDef): Layout {
  const cached = layouts.get(def);
  if (cached !== undefined) return cached;
  // Account.Name names itself as its compound (a switchable person name): it stays a plain field.
  const compoundOf = (f: FieldDef) =>
    f.compoundFieldName && f.compoundFieldName !== f.name ? f.compoundFieldName : undefined;
  const compounds = new Set(def.fields.flatMap((f) => compoundOf(f) ?? []));
  const members: Member[] = [];
  const byField = new Map<string, { member: Member; key: string | undefined }>();
  const compoundMembers = new Map<string, { key: string; field: FieldDef }[]>();
  for (const field of def.fields) {
    if (SKIPPED.has(field.name.toLowerCase()) || field.calculated || field.type === 'base64') continue;
    if (compounds.has(field.name)) continue;
    const compound = compoundOf(field);
    if (compound) {
      let parts = compoundMembers.get(compound);
      if (parts === undefined) {
        parts = [];
        compoundMembers.set(compound, parts);
        members.push({ kind: 'compound', name: compound, parts });
      }
      // `BillingCity` sits in `BillingAddress` as `City`; `FirstName` sits in `Name` as `FirstName`.
      const prefix = compound.endsWith('Address') ? compound.slice(0, -'Address'.length) : '';
      const key = prefix && field.name.startsWith(prefix) ? field.name.slice(prefix.length) : field.name;
      parts.push({ key, field });
      byField.set(field.name, { member: members[members.length - 1] as Member, key });
    } else {
      const member: Member = { kind: 'field', name: field.name, field };
      members.push(member);
      byField.set(field.name, { member, key: undefined });
    }
  }
  const layout = { members, byField };
  layouts.set(def, layout);
  return layout;
}

export interface ChangeEventContext {
  readonly schemaId: string;
  readonly commitNumber: number;
  /** `com/salesforce/api/rest/62.0`. */
  readonly changeOrigin: string;
}

/** The `data` of a change-event message. */
export function changeEventData(
  def: ObjectDef,
  event: ChangeEvent,
  context: ChangeEventContext,
  replayId: number,
): EventData {
  const changeType = CHANGE_TYPES[event.type];
  const layout = layoutOf(def);
  let body: Record<string, unknown> = {};
  let changedFields: string[] = [];
  if (event.type === 'created' || event.type === 'undeleted') {
    body = populated(layout, event.record);
  } else if (event.type === 'updated') {
    ({ body, changedFields } = changes(layout, event));
  }
  return {
    schema: context.schemaId,
    payload: {
      ChangeEventHeader: {
        commitNumber: context.commitNumber,
        commitUser: event.userId,
        sequenceNumber: event.sequenceNumber,
        entityName: def.name,
        changeType,
        changedFields,
        changeOrigin: context.changeOrigin,
        transactionKey: event.transactionKey,
        commitTimestamp: event.commitTimestamp,
        recordIds: [event.id],
      },
      ...body,
    },
    event: { replayId },
  };
}

/** Every populated field (compound fields with their populated components). */
function populated(layout: Layout, record: StoredRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const member of layout.members) {
    if (member.kind === 'field') {
      const value = record[member.name];
      if (value !== null && value !== undefined) out[member.name] = eventValue(member.field.type, value);
      continue;
    }
    const parts: Record<string, StoredValue> = {};
    for (const { key, field } of member.parts) {
      const value = record[field.name];
      if (value !== null && value !== undefined) parts[key] = eventValue(field.type, value);
    }
    if (Object.keys(parts).length > 0) out[member.name] = parts;
  }
  return out;
}

/** The changed fields (nulls included) plus `LastModifiedDate`, and their names for the header. */
function changes(
  layout: Layout,
  event: ChangeEvent,
): { body: Record<string, unknown>; changedFields: string[] } {
  const changed = new Set(event.changedFields);
  if (layout.byField.has('LastModifiedDate')) changed.add('LastModifiedDate');
  const body: Record<string, unknown> = {};
  const changedFields: string[] = [];
  for (const member of layout.members) {
    if (member.kind === 'field') {
      if (!changed.has(member.name)) continue;
      body[member.name] = eventValue(member.field.type, event.record[member.name] ?? null);
      changedFields.push(member.name);
      continue;
    }
    const parts: Record<string, StoredValue> = {};
    for (const { key, field } of member.parts) {
      if (!changed.has(field.name)) continue;
      parts[key] = eventValue(field.type, event.record[field.name] ?? null);
      changedFields.push(`${member.name}.${key}`);
    }
    if (Object.keys(parts).length > 0) body[member.name] = parts;
  }
  return { body, changedFields };
}
