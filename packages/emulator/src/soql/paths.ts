import type { Field, FieldRelationship } from '@jetstreamapp/soql-parser-js';
import type { FieldSchema, StoredRecord, StoredValue } from '../schema/types.js';
import { type Engine, storedValue } from './context.js';
import { noSuchColumnText, type SoqlError, unknownParentRelationshipText } from './errors.js';
import { type SchemaIndex, schemaIndex, type ValueKind, valueKind } from './schema-index.js';

/** One child-to-parent step of a path: `Account` in `Account.Name`, through `Contact.AccountId`. */
export interface ParentHop {
  /** Canonical relationship name, the key of the nested object in a rendered record. */
  readonly relationshipName: string;
  /** Canonical name of the reference field that holds the parent's id. */
  readonly referenceField: string;
  /** The objects the reference can point to: one, or several for polymorphic fields (`What`). */
  readonly targets: readonly SchemaIndex[];
}

/** A resolved field path: the hops to walk, the field at the end, and a precompiled accessor. */
export interface FieldRef {
  /** As written in the query. */
  readonly raw: string;
  readonly hops: readonly ParentHop[];
  readonly field: FieldSchema;
  /** Canonical field name at the end of the path (`Name`). */
  readonly name: string;
  /** Canonical dotted path (`Account.Owner.Name`). */
  readonly path: string;
  readonly kind: ValueKind;
  /** The value for a record of the scope's object; null when any lookup on the way is empty. */
  readonly get: (record: StoredRecord) => StoredValue;
}

/** A selected field as written: `Name`, `Account.Owner.Name` (with any object alias prefix). */
export function writtenPath(field: Field | FieldRelationship): string {
  return field.type === 'Field'
    ? field.field
    : (field.rawValue ?? [...field.relationships, field.field].join('.'));
}

/** The pseudo-field `Type` of a polymorphic relationship (`What.Type`): the parent's object name. */
const TYPE_FIELD: FieldSchema = {
  name: 'Type',
  label: 'Type',
  type: 'picklist',
  length: 255,
  precision: 0,
  scale: 0,
  digits: 0,
  nillable: true,
  createable: false,
  updateable: false,
  filterable: true,
  sortable: true,
  groupable: true,
  defaultedOnCreate: false,
  custom: false,
  calculated: false,
  externalId: false,
  unique: false,
  idLookup: false,
  caseSensitive: false,
  nameField: false,
  autoNumber: false,
  picklistValues: [],
  restrictedPicklist: false,
  referenceTo: [],
  relationshipName: null,
  cascadeDelete: false,
  compoundFieldName: null,
  defaultValue: null,
};

/**
 * One (sub)query's object as field paths resolve against it. `start` is where the (sub)query's text
 * begins, so errors point at the right occurrence of a name.
 */
export class QueryScope {
  readonly engine: Engine;
  readonly index: SchemaIndex;
  readonly start: number;
  readonly alias: string | undefined;

  constructor(engine: Engine, index: SchemaIndex, start: number, alias?: string) {
    this.engine = engine;
    this.index = index;
    this.start = start;
    this.alias = alias;
  }

  get objectName(): string {
    return this.index.schema.name;
  }

  /** A SoqlError in caret form pointing at the first occurrence of `raw` in this (sub)query. */
  errorAt(raw: string, errorCode: string, text: string): SoqlError {
    return this.engine.errorAt(errorCode, this.engine.src.findPath(raw, this.start), text);
  }

  /** `Name`, `Account.Owner.Name`, `a.Name` (object alias) or `Account.Name` on Account itself. */
  resolveField(raw: string): FieldRef {
    const segments = this.withoutObjectPrefix(raw.split('.'));
    const fieldName = segments[segments.length - 1] ?? '';
    const hops = this.resolveHops(raw, segments.slice(0, -1));
    const last = hops[hops.length - 1];
    if (last === undefined) {
      const field = this.index.field(fieldName);
      if (field === undefined)
        throw this.errorAt(raw, 'INVALID_FIELD', noSuchColumnText(fieldName, this.objectName));
      return this.ref(raw, hops, field, fieldGetter(this.index, field));
    }
    const field = this.fieldOnTargets(raw, last, fieldName);
    const engine = this.engine;
    const finalGetters = new Map<SchemaIndex, (record: StoredRecord) => StoredValue>();
    for (const target of last.targets) {
      const own = field === TYPE_FIELD ? undefined : target.field(fieldName);
      finalGetters.set(
        target,
        field === TYPE_FIELD
          ? () => target.schema.name
          : own === undefined
            ? () => null
            : fieldGetter(target, own),
      );
    }
    const get = (record: StoredRecord): StoredValue => {
      let current: { record: StoredRecord; index: SchemaIndex } | null = { record, index: this.index };
      for (const hop of hops) {
        current = engine.parent(current.record, hop.referenceField, hop.targets);
        if (current === null) return null;
      }
      return finalGetters.get(current.index)?.(current.record) ?? null;
    };
    return this.ref(raw, hops, field, get);
  }

  /** A path made only of relationships (`What` in `TYPEOF What`, `Account.Owner`). */
  resolveRelationship(raw: string): ParentHop[] {
    return this.resolveHops(raw, this.withoutObjectPrefix(raw.split('.')));
  }

  private ref(raw: string, hops: readonly ParentHop[], field: FieldSchema, get: FieldRef['get']): FieldRef {
    const path = [...hops.map((hop) => hop.relationshipName), field.name].join('.');
    return { raw, hops, field, name: field.name, path, kind: valueKind(field), get };
  }

  private withoutObjectPrefix(segments: string[]): string[] {
    const first = segments[0];
    if (segments.length < 2 || first === undefined || this.index.parentRelationship(first) !== undefined) {
      return segments;
    }
    const lower = first.toLowerCase();
    if (lower === this.alias?.toLowerCase() || lower === this.objectName.toLowerCase())
      return segments.slice(1);
    return segments;
  }

  private resolveHops(raw: string, names: readonly string[]): ParentHop[] {
    const hops: ParentHop[] = [];
    let targets: readonly SchemaIndex[] = [this.index];
    for (const name of names) {
      // Past a polymorphic hop, only relationships common to the targets resolve; we take the first.
      const reference = targets
        .map((target) => target.parentRelationship(name))
        .find((field) => field !== undefined);
      if (reference === undefined || reference.relationshipName === null) {
        throw this.errorAt(raw, 'INVALID_FIELD', unknownParentRelationshipText(name));
      }
      const next = reference.referenceTo
        .map((objectName) => this.engine.data.object(objectName))
        .filter((schema) => schema !== undefined)
        .map((schema) => schemaIndex(schema));
      if (next.length === 0) throw this.errorAt(raw, 'INVALID_FIELD', unknownParentRelationshipText(name));
      hops.push({
        relationshipName: reference.relationshipName,
        referenceField: reference.name,
        targets: next,
      });
      targets = next;
    }
    return hops;
  }

  private fieldOnTargets(raw: string, hop: ParentHop, fieldName: string): FieldSchema {
    const polymorphic = hop.targets.length > 1;
    if (polymorphic && fieldName.toLowerCase() === 'type') return TYPE_FIELD;
    for (const target of hop.targets) {
      const field = target.field(fieldName);
      if (field !== undefined) return field;
    }
    // Polymorphic relationships resolve against Salesforce's `Name` pseudo-object.
    const entity = polymorphic ? 'Name' : (hop.targets[0]?.schema.name ?? hop.relationshipName);
    throw this.errorAt(raw, 'INVALID_FIELD', noSuchColumnText(fieldName, entity));
  }
}

/**
 * How to read one field of a record. Compound fields (`BillingAddress`, geolocations) are assembled
 * from their component fields when the store keeps only the components.
 */
export function fieldGetter(index: SchemaIndex, field: FieldSchema): (record: StoredRecord) => StoredValue {
  const name = field.name;
  if (field.type !== 'address' && field.type !== 'location') return (record) => storedValue(record, name);
  const prefix = name.endsWith('__c') ? `${name.slice(0, -3)}__` : name.replace(/Address$/, '');
  const components = index.schema.fields
    .filter((component) => component.compoundFieldName === name && component.name !== name)
    .map((component) => {
      const suffix = component.name.slice(prefix.length).replace(/__s$/, '');
      return { key: suffix.charAt(0).toLowerCase() + suffix.slice(1), field: component.name };
    })
    .sort((a, b) => (a.key < b.key ? -1 : 1));
  return (record) => {
    const stored = record[name];
    if (stored !== undefined) return stored;
    const value: Record<string, StoredValue> = {};
    let any = false;
    for (const component of components) {
      const part = storedValue(record, component.field);
      if (part !== null) any = true;
      value[component.key] = part;
    }
    return any ? value : null;
  };
}
