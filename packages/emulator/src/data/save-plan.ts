import { type FieldDef, isRequiredOnCreate, type ObjectDef } from '../schema/field.js';
import type { StoredRecord, StoredValue } from '../schema/types.js';

/**
 * What saving a record of one object needs to know about its fields, worked out once per definition
 * (definitions are immutable: a schema change replaces them). A bulk job saves 100,000 records of the
 * same object, and scanning sixty field definitions several times per record was most of its cost.
 */
export interface SavePlan {
  /** A new record with every field at its default: system fields from the arguments, the rest constant. */
  readonly defaults: (id: string, now: string, userId: string) => Record<string, StoredValue>;
  /** Fields a create must supply (base64 bodies are checked apart: they travel beside the record). */
  readonly requiredOnCreate: readonly FieldDef[];
  /** base64 fields a create must supply. */
  readonly requiredBlobs: readonly FieldDef[];
  /** Fields an update may not set to null. */
  readonly notNullable: readonly FieldDef[];
  readonly unique: readonly FieldDef[];
  /** Names of the fields whose value differs between two versions of a record, in describe order. */
  readonly changedFields: (before: StoredRecord, after: StoredRecord) => string[];
}

const plans = new WeakMap<ObjectDef, SavePlan>();

export function savePlanOf(def: ObjectDef): SavePlan {
  let plan = plans.get(def);
  if (plan === undefined) {
    plan = {
      defaults: compileDefaults(def),
      requiredOnCreate: def.fields.filter((f) => isRequiredOnCreate(f) && f.type !== 'base64'),
      requiredBlobs: def.fields.filter((f) => isRequiredOnCreate(f) && f.type === 'base64'),
      notNullable: def.fields.filter((f) => !f.nillable && f.type !== 'boolean'),
      unique: def.fields.filter((f) => f.unique),
      changedFields: compileChangedFields(def),
    };
    plans.set(def, plan);
  }
  return plan;
}

/** How a field's default is found: from the save (id, time, user) or a constant of the schema. */
type DefaultSource = 'id' | 'now' | 'user' | { readonly constant: StoredValue };

function defaultSource(field: FieldDef): DefaultSource {
  switch (field.name) {
    case 'Id':
      return 'id';
    case 'IsDeleted':
      return { constant: false };
    case 'OwnerId':
    case 'CreatedById':
    case 'LastModifiedById':
      return field.type === 'reference' ? 'user' : { constant: null };
    case 'CreatedDate':
    case 'LastModifiedDate':
    case 'SystemModstamp':
      return field.type === 'datetime' ? 'now' : { constant: null };
  }
  if (field.type === 'boolean') {
    return { constant: typeof field.defaultValue === 'boolean' ? field.defaultValue : false };
  }
  if (field.defaultPicklistValue !== null) return { constant: field.defaultPicklistValue };
  if (field.defaultValue !== null && field.custom) return { constant: field.defaultValue };
  return { constant: null };
}

/**
 * One object literal with every key, as a generated function: a literal gets one hidden class with
 * in-object properties, where assigning sixty keys one by one makes a slow dictionary object (see
 * record-factory.ts). Field names are embedded as JSON string literals, so no name can escape its
 * literal; constant defaults are read from an array, never written into the code.
 */
function compileDefaults(def: ObjectDef): SavePlan['defaults'] {
  const constants: StoredValue[] = [];
  const entries = def.fields.map((field) => {
    const source = defaultSource(field);
    let value: string;
    if (source === 'id') value = 'id';
    else if (source === 'now') value = 'now';
    else if (source === 'user') value = 'userId';
    else if (source.constant === null) value = 'null';
    else {
      value = `c[${constants.length}]`;
      constants.push(source.constant);
    }
    return `${JSON.stringify(field.name)}: ${value}`;
  });
  const make = new Function(
    'c',
    `return function defaults(id, now, userId) { return { ${entries.join(', ')} }; };`,
  ) as (c: readonly StoredValue[]) => SavePlan['defaults'];
  return make(constants);
}

/** Named property reads are monomorphic where reads by a variable key are not; names as in compileDefaults. */
function compileChangedFields(def: ObjectDef): SavePlan['changedFields'] {
  const checks = def.fields.map((field) => {
    const key = JSON.stringify(field.name);
    return `if (a[${key}] !== b[${key}] && !same(a[${key}], b[${key}])) out.push(${key});`;
  });
  const make = new Function(
    'same',
    `return function changedFields(a, b) { const out = []; ${checks.join('\n')} return out; };`,
  ) as (same: typeof sameValue) => SavePlan['changedFields'];
  return make(sameValue);
}

/** Whether two stored values are equal (compound values by content). */
export function sameValue(a: StoredValue | undefined, b: StoredValue | undefined): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return false;
  if (typeof a === 'object' && typeof b === 'object') return JSON.stringify(a) === JSON.stringify(b);
  return false;
}
