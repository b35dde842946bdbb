import { keyPrefixOf, to18 } from '../ids.js';
import type { FieldDef, ObjectDef } from '../schema/field.js';
import type { StoredRecord, StoredValue } from '../schema/types.js';
import { canonicalId } from './canonical-id.js';
import { type DmlError, DmlException, dmlError, invalidField, malformedId, notWritable } from './errors.js';
import { normalizeDate, normalizeDateTime, normalizeTime } from './values.js';

/**
 * Turns a REST record body into stored wire values, checking each value the way Salesforce does:
 * unknown fields, read-only fields, types, lengths, picklists, emails, numeric ranges and references.
 */

/** What validation needs to know about the rest of the org. */
export interface ReferenceLookup {
  /** The record with this 18-character id and its object name, deleted ones included. */
  record(id18: string): { readonly object: string; readonly record: StoredRecord } | undefined;
  objectByPrefix(prefix: string): ObjectDef | undefined;
  object(name: string): ObjectDef | undefined;
  /** Live records of the object whose field equals the value (case-insensitive unless caseSensitive). */
  findByField(objectName: string, field: FieldDef, value: StoredValue): readonly string[];
}

/** A base64 body to store beside the record. */
export interface BlobInput {
  readonly field: FieldDef;
  readonly bytes: Buffer;
}

export interface ParsedWrite {
  /** Field values in wire form, keyed by canonical field name. */
  readonly values: Map<string, StoredValue>;
  readonly blobs: readonly BlobInput[];
  /** Canonical names of the fields the input set explicitly (for `changedFields` and defaults). */
  readonly explicit: ReadonlySet<string>;
}

const EMAIL =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;
const BASE64 = /^[A-Za-z0-9+/\r\n]*={0,2}\s*$/;
const NUMERIC = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function display(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function wrongType(field: FieldDef, value: unknown): DmlError {
  return dmlError(
    'INVALID_TYPE_ON_FIELD_IN_RECORD',
    `${field.label}: value not of required type: ${display(value)}`,
    [field.name],
  );
}

function toNumber(field: FieldDef, value: unknown): number | DmlError {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && NUMERIC.test(value.trim())) return Number(value.trim());
  return wrongType(field, value);
}

function outOfRange(field: FieldDef, value: unknown): DmlError {
  return dmlError(
    'NUMBER_OUTSIDE_VALID_RANGE',
    `${field.label}: value outside of valid range on numeric field: ${display(value)}`,
    [field.name],
  );
}

function roundTo(value: number, scale: number): number {
  const factor = 10 ** scale;
  return Math.round((value + Number.EPSILON * Math.sign(value)) * factor) / factor;
}

/** Converts one input value to its stored wire form, or returns the error Salesforce would give. */
export function coerceValue(
  field: FieldDef,
  value: unknown,
  lookup: ReferenceLookup,
): StoredValue | DmlError {
  if (value === null || value === undefined) return field.type === 'boolean' ? false : null;
  switch (field.type) {
    case 'boolean': {
      if (typeof value === 'boolean') return value;
      if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
      return wrongType(field, value);
    }
    case 'int':
    case 'long': {
      const n = toNumber(field, value);
      if (typeof n !== 'number') return n;
      if (!Number.isInteger(n)) return wrongType(field, value);
      const digits = field.digits || (field.type === 'int' ? 9 : 18);
      if (Math.abs(n) >= 10 ** digits) return outOfRange(field, value);
      return n;
    }
    case 'double':
    case 'currency':
    case 'percent': {
      const n = toNumber(field, value);
      if (typeof n !== 'number') return n;
      const rounded = roundTo(n, field.scale);
      if (field.precision > 0 && Math.abs(rounded) >= 10 ** (field.precision - field.scale)) {
        return outOfRange(field, value);
      }
      return rounded;
    }
    case 'date': {
      const text = typeof value === 'string' ? normalizeDate(value.trim()) : undefined;
      return text ?? wrongType(field, value);
    }
    case 'datetime': {
      const text = typeof value === 'string' ? normalizeDateTime(value.trim()) : undefined;
      return text ?? wrongType(field, value);
    }
    case 'time': {
      const text = typeof value === 'string' ? normalizeTime(value) : undefined;
      return text ?? wrongType(field, value);
    }
    case 'reference':
      return coerceReference(field, value, lookup);
    case 'id':
    case 'address':
    case 'location':
    case 'anyType':
    case 'base64':
      return wrongType(field, value);
    default:
      return coerceText(field, value);
  }
}

function coerceText(field: FieldDef, value: unknown): StoredValue | DmlError {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number' || typeof value === 'boolean') text = String(value);
  else if (
    field.type === 'multipicklist' &&
    Array.isArray(value) &&
    value.every((v) => typeof v === 'string')
  ) {
    text = value.join(';');
  } else return wrongType(field, value);
  if (text === '') return null;
  if (field.type === 'multipicklist') {
    const items = [
      ...new Set(
        text
          .split(';')
          .map((s) => s.trim())
          .filter((s) => s !== ''),
      ),
    ];
    if (field.restrictedPicklist) {
      const bad = items.find((item) => !field.picklistValues.includes(item));
      if (bad !== undefined) return restrictedPicklist(field, bad);
    }
    text = items.join(';');
  }
  if (field.length > 0 && text.length > field.length) {
    return dmlError(
      'STRING_TOO_LONG',
      `${field.label}: data value too large: ${text} (max length=${field.length})`,
      [field.name],
    );
  }
  if (field.type === 'picklist' && field.restrictedPicklist && !field.picklistValues.includes(text)) {
    return restrictedPicklist(field, text);
  }
  if (field.type === 'email' && !EMAIL.test(text)) {
    return dmlError('INVALID_EMAIL_ADDRESS', `${field.label}: invalid email address: ${text}`, [field.name]);
  }
  return text;
}

function restrictedPicklist(field: FieldDef, value: string): DmlError {
  return dmlError(
    'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
    `${field.label}: bad value for restricted picklist field: ${value}`,
    [field.name],
  );
}

function coerceReference(field: FieldDef, value: unknown, lookup: ReferenceLookup): StoredValue | DmlError {
  if (typeof value !== 'string') return wrongType(field, value);
  if (value === '') return null;
  const id = canonicalId(value);
  if (id === undefined) return malformedId(field.label, value, field.name);
  const target = lookup.objectByPrefix(keyPrefixOf(id));
  if (target === undefined || !field.referenceTo.some((t) => t.toLowerCase() === target.name.toLowerCase())) {
    return dmlError('FIELD_INTEGRITY_EXCEPTION', `${field.label}: id value of incorrect type: ${value}`, [
      field.name,
    ]);
  }
  const found = lookup.record(id);
  if (found === undefined) {
    return dmlError('INVALID_CROSS_REFERENCE_KEY', `${field.label}: invalid cross reference id`, [
      field.name,
    ]);
  }
  if (found.record.IsDeleted === true) {
    return dmlError('ENTITY_IS_DELETED', 'entity is deleted', [field.name]);
  }
  return id;
}

function decodeBase64(field: FieldDef, value: unknown): Buffer | DmlError {
  if (typeof value !== 'string' || !BASE64.test(value)) return wrongType(field, value);
  return Buffer.from(value, 'base64');
}

/** Resolves `"Account": {"Ext__c": "A1"}` to the parent's id through its external-id field. */
function resolveRelationship(
  def: ObjectDef,
  field: FieldDef,
  key: string,
  value: unknown,
  lookup: ReferenceLookup,
): StoredValue | DmlError {
  if (value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) return wrongType(field, value);
  const entries = Object.entries(value as Record<string, unknown>).filter(([k]) => k !== 'attributes');
  const attributes = (value as { attributes?: { type?: unknown } }).attributes;
  const typeName =
    typeof attributes?.type === 'string'
      ? attributes.type
      : field.referenceTo.length === 1
        ? field.referenceTo[0]
        : undefined;
  const target = typeName === undefined ? undefined : lookup.object(typeName);
  if (target === undefined || entries.length !== 1) {
    return dmlError(
      'INVALID_FIELD',
      `The ${key} relationship on ${def.name} requires exactly one external ID field and, for polymorphic relationships, attributes.type`,
      [field.name],
    );
  }
  const [extName, extValue] = entries[0] as [string, unknown];
  const extField = fieldNamed(target, extName);
  if (extField === undefined || !(extField.externalId || extField.idLookup)) {
    return dmlError(
      'INVALID_FIELD',
      `Field ${extName} is not an External ID or Id field for ${target.name}`,
      [field.name],
    );
  }
  const coerced =
    extField.type === 'id'
      ? typeof extValue === 'string'
        ? (to18(extValue) ?? extValue)
        : extValue
      : coerceValue(extField, extValue, lookup);
  if (coerced !== null && typeof coerced === 'object' && 'statusCode' in coerced) return coerced as DmlError;
  const ids = lookup.findByField(target.name, extField, coerced as StoredValue);
  if (ids.length === 0) {
    return dmlError(
      'INVALID_FIELD',
      `Foreign key external ID: ${display(extValue)} not found for field ${extField.name} in entity ${target.name}`,
      [field.name],
    );
  }
  if (ids.length > 1) {
    return dmlError(
      'INVALID_FIELD',
      `Foreign key external ID: ${display(extValue)} matched more than one record for field ${extField.name} in entity ${target.name}`,
      [field.name],
    );
  }
  return ids[0] as string;
}

function isDmlError(value: unknown): value is DmlError {
  return typeof value === 'object' && value !== null && 'statusCode' in value && 'message' in value;
}

export type WriteMode = 'create' | 'update';

/** An object's fields by lower-case name and its reference fields by lower-case relationship name. */
interface FieldNames {
  readonly fieldsByName: ReadonlyMap<string, FieldDef>;
  /** By canonical name: what bodies almost always use, found without lower-casing the key. */
  readonly exactNames: ReadonlyMap<string, FieldDef>;
  readonly relationships: ReadonlyMap<string, FieldDef>;
}

// Definitions are immutable values (a schema change replaces them), so the maps are built once per
// definition rather than once per saved record: a 100,000-row bulk job saves 100,000 records.
const names = new WeakMap<ObjectDef, FieldNames>();

function namesOf(def: ObjectDef): FieldNames {
  let found = names.get(def);
  if (found === undefined) {
    found = {
      fieldsByName: new Map(def.fields.map((f) => [f.name.toLowerCase(), f])),
      exactNames: new Map(def.fields.map((f) => [f.name, f])),
      relationships: new Map(
        def.fields
          .filter((f) => f.relationshipName !== null && f.type === 'reference')
          .map((f) => [(f.relationshipName as string).toLowerCase(), f]),
      ),
    };
    names.set(def, found);
  }
  return found;
}

/** The field of an object with this name, in any case. */
export function fieldNamed(def: ObjectDef, name: string): FieldDef | undefined {
  const { exactNames, fieldsByName } = namesOf(def);
  return exactNames.get(name) ?? fieldsByName.get(name.toLowerCase());
}

/**
 * Parses a record body for create or update. Throws `DmlException` with every error found; the first
 * pass (unknown fields) fails alone, as Salesforce rejects the body before looking at values.
 */
export function parseWrite(
  def: ObjectDef,
  input: Readonly<Record<string, unknown>>,
  mode: WriteMode,
  lookup: ReferenceLookup,
): ParsedWrite {
  const { fieldsByName, exactNames, relationships } = namesOf(def);
  // One entry per assigned key, in parallel arrays (a bulk job parses a body per row).
  const fields: FieldDef[] = [];
  const raws: unknown[] = [];
  const keys: string[] = [];
  /** Whether the key named a relationship (`"Account": {"Ext__c": "A1"}`) rather than a field. */
  const viaRelationship: boolean[] = [];
  for (const key of Object.keys(input)) {
    if (key === 'attributes') continue;
    const value = input[key];
    const lower = exactNames.has(key) ? undefined : key.toLowerCase();
    const field = lower === undefined ? exactNames.get(key) : fieldsByName.get(lower);
    if (field !== undefined) {
      fields.push(field);
      raws.push(value);
      keys.push(key);
      viaRelationship.push(false);
      continue;
    }
    const reference = relationships.get(lower ?? key.toLowerCase());
    if (reference !== undefined && (value === null || typeof value === 'object')) {
      fields.push(reference);
      raws.push(value);
      keys.push(key);
      viaRelationship.push(true);
      continue;
    }
    throw new DmlException([invalidField(key, def.name)]);
  }

  const errors: DmlError[] = [];
  const readOnly: string[] = [];
  let idAssigned = false;
  for (const field of fields) {
    if (field.type === 'id') {
      idAssigned = true;
      continue;
    }
    const writable = mode === 'create' ? field.createable : field.updateable;
    if (!writable) readOnly.push(field.name);
  }
  if (idAssigned && mode === 'create') {
    errors.push(
      dmlError('INVALID_FIELD_FOR_INSERT_UPDATE', 'Id: cannot specify Id in an insert call', ['Id']),
    );
  }
  if (readOnly.length > 0) errors.push(notWritable(readOnly));
  if (errors.length > 0) throw new DmlException(errors);

  const values = new Map<string, StoredValue>();
  const blobs: BlobInput[] = [];
  const explicit = new Set<string>();
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i] as FieldDef;
    if (field.type === 'id') continue;
    const raw = raws[i];
    let value: StoredValue | DmlError;
    if (viaRelationship[i] === true) {
      value = resolveRelationship(def, field, keys[i] as string, raw, lookup);
    } else if (field.type === 'base64') {
      if (raw === null) {
        value = null;
      } else {
        const bytes = decodeBase64(field, raw);
        if (isDmlError(bytes)) value = bytes;
        else {
          blobs.push({ field, bytes });
          value = null;
        }
      }
    } else {
      value = coerceValue(field, raw, lookup);
    }
    if (isDmlError(value)) {
      errors.push(value);
      continue;
    }
    values.set(field.name, value);
    explicit.add(field.name);
  }
  if (errors.length > 0) throw new DmlException(errors);
  return { values, blobs, explicit };
}
