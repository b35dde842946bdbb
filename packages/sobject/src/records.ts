import { ConfigurationError } from '@forcekit/core';
import type { UntypedRecord } from '@forcekit/soql';
import {
  NEW_FIELD,
  plainCopy,
  stateOf,
  TARGET,
  targetOf,
  trackedProxy,
  trackNew,
} from './internal/tracking.js';

/**
 * Tracked records (the "intelligent sObjects" of the `force` seed).
 *
 * Records returned by `execute()`, `first()`, `run()`, `retrieve()` and `recent()` are tracked (iterators and
 * streams hand out plain records unless asked for `tracked: true`): they read and write like plain
 * objects (`record.Name = 'Acme'`, `{ ...record }`, `Object.keys(record)`, `JSON.stringify(record)`), and
 * they also know their sObject type and Id and which fields were assigned since they were loaded or
 * last saved, so `update(record)` sends only those fields. Plain objects work everywhere too: an update
 * of a plain object sends every field it has.
 *
 * A tracked record is a `Proxy` over the record object Salesforce sent, sharing one handler with every
 * other record; the tracking state is created on the first assignment, so reading a page of records costs
 * one small allocation per record and nothing else (see the package README for the measurements).
 * Caveats of the Proxy: `structuredClone(record)` throws (use `toPlainObject(record)` or `{ ...record }`),
 * and assignments to nested relationship objects (`record.Owner.Name = ...`) are not tracked.
 */

/** Methods every tracked record answers to (not enumerable: they never show up in keys or JSON). */
// A type alias, not an interface, so tracked records stay assignable to index-signature record types.
export type TrackedRecordMethods = {
  /**
   * The record without tracking: its fields as a plain object, `attributes` left out (and left out of
   * nested relationship records) unless `options.attributes` is true. `JSON.stringify` uses it.
   */
  toJSON(options?: ToPlainOptions | string): Record<string, unknown>;
  /**
   * Sets the external-id field and its value, and makes it the key `upsert(record)` uses when no
   * external-id field is named (as in the `force` seed).
   */
  setExternalId(field: string, value: string | number): void;
};

/** A record created with `createSObject()`: its fields plus the tracked-record methods. */
export type SObjectRecord<T extends object = UntypedRecord> = T & TrackedRecordMethods;

export interface ToPlainOptions {
  /** Keep the `attributes` envelope (`{ type, url }`) of the record and its nested records. Default false. */
  readonly attributes?: boolean | undefined;
}

/** The shape Salesforce puts on every record: `{ attributes: { type, url } }`. */
interface Envelope {
  readonly attributes?: { readonly type?: string; readonly url?: string } | null;
}

const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*$/;

/**
 * A new tracked record of `type` for `create()` or `upsert()`: every field given counts as assigned.
 *
 * ```ts
 * const account = createSObject('Account', { Name: 'Acme' });
 * account.setExternalId('Ext__c', 'A-1');
 * await conn.sobject('Account').upsert(account);
 * ```
 */
export function createSObject<T extends object = UntypedRecord>(
  type: string,
  fields: NoInfer<Partial<T>> = {},
): SObjectRecord<Partial<T>> {
  if (typeof type !== 'string' || !IDENTIFIER.test(type)) {
    throw new ConfigurationError(
      [{ field: 'type', message: `must be an sObject name such as 'Account', got ${JSON.stringify(type)}` }],
      'createSObject arguments',
    );
  }
  if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) {
    throw new ConfigurationError(
      [{ field: 'fields', message: 'must be an object of field values' }],
      'createSObject arguments',
    );
  }
  const target: Record<string, unknown> = {};
  for (const key of Object.keys(fields)) {
    if (key === 'attributes') continue;
    target[key] = (fields as Record<string, unknown>)[key];
  }
  const proxy = trackedProxy(target);
  trackNew(target, type, Object.keys(target));
  return proxy as unknown as SObjectRecord<Partial<T>>;
}

/**
 * Makes a record tracked (a record object as Salesforce sent it, with `attributes`), or returns it as it
 * is when it already is. `type` names the sObject when the record has no `attributes`.
 */
export function track<R extends object>(record: R, type?: string): R {
  if (isTracked(record)) return record;
  const proxy = trackedProxy(record as Record<string, unknown>);
  if (type !== undefined && sobjectTypeOf(record) === undefined) {
    trackNew(record as Record<string, unknown>, type, []);
  }
  return proxy as R;
}

/** True for a record returned by a query, `retrieve()` or `createSObject()`. */
export function isTracked(record: unknown): boolean {
  return (
    record !== null && typeof record === 'object' && (record as { [TARGET]?: unknown })[TARGET] !== undefined
  );
}

/** The record's sObject type: `attributes.type`, or the type a tracked record was created with. */
export function sobjectTypeOf(record: object): string | undefined {
  const target = targetOf(record) ?? (record as Record<string, unknown>);
  const attributes = (target as Envelope).attributes;
  if (attributes !== null && typeof attributes === 'object' && typeof attributes.type === 'string') {
    return attributes.type;
  }
  return stateOf(target)?.type;
}

/** The record's Id: its `Id` field, or the last segment of `attributes.url` when `Id` was not selected. */
export function recordIdOf(record: object): string | undefined {
  const target = targetOf(record) ?? (record as Record<string, unknown>);
  const id = (target as { Id?: unknown }).Id;
  if (typeof id === 'string' && id !== '') return id;
  const url = (target as Envelope).attributes?.url;
  if (typeof url !== 'string') return undefined;
  const slash = url.lastIndexOf('/');
  const last = url.slice(slash + 1);
  return /^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/.test(last) ? last : undefined;
}

/**
 * The fields assigned since the record was loaded or last saved, with their current values (a field
 * assigned back to its loaded value is not a change). `undefined` for a plain object, which has no history.
 */
export function changedFields(record: object): Record<string, unknown> | undefined {
  const target = targetOf(record);
  if (target === undefined) return undefined;
  const state = stateOf(target);
  const changes: Record<string, unknown> = {};
  if (state === undefined) return changes;
  for (const [field, original] of state.originals) {
    const current = target[field];
    if (original === NEW_FIELD || !Object.is(original, current)) changes[field] = current;
  }
  return changes;
}

/** True when a tracked record has changes (or, with `field`, when that field changed). */
export function hasChanged(record: object, field?: string): boolean {
  const changes = changedFields(record);
  if (changes === undefined) return false;
  return field === undefined ? Object.keys(changes).length > 0 : Object.hasOwn(changes, field);
}

/** The external id `setExternalId()` set on a tracked record. */
export function externalIdOf(
  record: object,
): { readonly field: string; readonly value: unknown } | undefined {
  const target = targetOf(record);
  const field = target === undefined ? undefined : stateOf(target)?.externalIdField;
  return target === undefined || field === undefined ? undefined : { field, value: target[field] };
}

/** A plain copy of a record (tracked or not): `attributes` dropped at every level unless asked for. */
export function toPlainObject(record: object, options: ToPlainOptions = {}): Record<string, unknown> {
  return plainCopy(record, options.attributes === true);
}
