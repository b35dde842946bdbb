import type { FieldDef, ObjectDef } from './field.js';
import { standardObjects } from './standard/index.js';
import type { ChildRelationshipSchema } from './types.js';

/** Reference fields whose target list grows with every custom object (any record can own attachments). */
const OPEN_POLYMORPHIC: readonly (readonly [string, string])[] = [['attachment', 'parentid']];

/**
 * Every object the org knows, looked up case-insensitively, with child relationships derived from the
 * reference fields that point at each object. Definitions are immutable values: adding a field or an
 * object replaces the affected definitions, so a definition read earlier stays consistent.
 */
export class SchemaRegistry {
  readonly #objects = new Map<string, ObjectDef>();
  readonly #fields = new Map<string, Map<string, FieldDef>>();
  readonly #byPrefix = new Map<string, ObjectDef>();
  readonly #modified = new Map<string, number>();
  #globalModified: number;

  constructor(now: number = Date.now()) {
    this.#globalModified = now;
    for (const def of standardObjects()) this.#put(def, now);
    this.#relink(now);
  }

  object(name: string): ObjectDef | undefined {
    return this.#objects.get(name.toLowerCase());
  }

  /** Every object, sorted by name as describe global lists them. */
  objects(): ObjectDef[] {
    return [...this.#objects.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  field(objectName: string, fieldName: string): FieldDef | undefined {
    return this.#fields.get(objectName.toLowerCase())?.get(fieldName.toLowerCase());
  }

  byKeyPrefix(prefix: string): ObjectDef | undefined {
    return this.#byPrefix.get(prefix);
  }

  /** When the object's describe last changed (ms, whole seconds), for If-Modified-Since. */
  modifiedAt(objectName: string): number {
    return this.#modified.get(objectName.toLowerCase()) ?? this.#globalModified;
  }

  /** When any describe last changed (an object added or changed). */
  get globalModifiedAt(): number {
    return this.#globalModified;
  }

  /** Adds a new object (custom object or platform event). */
  addObject(def: ObjectDef, now: number = Date.now()): ObjectDef {
    if (this.#objects.has(def.name.toLowerCase())) throw new Error(`object ${def.name} already exists`);
    if (this.#byPrefix.has(def.keyPrefix)) throw new Error(`key prefix ${def.keyPrefix} is already used`);
    this.#put(def, now);
    if (def.custom && !def.eventObject) {
      for (const [objectKey, fieldKey] of OPEN_POLYMORPHIC)
        this.#extendTargets(objectKey, fieldKey, def.name, now);
    }
    this.#relink(now);
    return this.object(def.name) as ObjectDef;
  }

  /** Adds a field to an existing object. */
  addField(objectName: string, field: FieldDef, now: number = Date.now()): FieldDef {
    const def = this.object(objectName);
    if (def === undefined) throw new Error(`no such object ${objectName}`);
    if (this.field(def.name, field.name) !== undefined) {
      throw new Error(`field ${field.name} already exists on ${def.name}`);
    }
    this.#put({ ...def, fields: [...def.fields, field] }, now);
    this.#relink(now);
    return field;
  }

  /** Key prefixes in use, for picking a new one. */
  hasKeyPrefix(prefix: string): boolean {
    return this.#byPrefix.has(prefix);
  }

  #extendTargets(objectKey: string, fieldKey: string, target: string, now: number): void {
    const def = this.#objects.get(objectKey);
    if (def === undefined) return;
    const fields = def.fields.map((f) =>
      f.name.toLowerCase() === fieldKey && !f.referenceTo.includes(target)
        ? { ...f, referenceTo: [...f.referenceTo, target] }
        : f,
    );
    this.#put({ ...def, fields }, now);
  }

  #put(def: ObjectDef, now: number): void {
    const key = def.name.toLowerCase();
    this.#objects.set(key, def);
    this.#byPrefix.set(def.keyPrefix, def);
    this.#fields.set(key, new Map(def.fields.map((f) => [f.name.toLowerCase(), f])));
    const stamp = Math.floor(now / 1000) * 1000;
    this.#modified.set(key, stamp);
    this.#globalModified = Math.max(this.#globalModified, stamp);
  }

  /** Recomputes every object's child relationships from the reference fields pointing at it. */
  #relink(now: number): void {
    const children = new Map<string, ChildRelationshipSchema[]>();
    for (const child of this.#objects.values()) {
      for (const field of child.fields) {
        if (field.type !== 'reference') continue;
        for (const target of field.referenceTo) {
          const key = target.toLowerCase();
          const list = children.get(key) ?? [];
          list.push({
            childSObject: child.name,
            field: field.name,
            relationshipName: field.childRelationshipName,
            cascadeDelete: field.cascadeDelete,
          });
          children.set(key, list);
        }
      }
    }
    for (const [key, def] of this.#objects) {
      const list = (children.get(key) ?? []).sort((a, b) =>
        a.childSObject === b.childSObject
          ? compare(a.field, b.field)
          : compare(a.childSObject, b.childSObject),
      );
      if (!sameRelationships(def.childRelationships, list)) {
        this.#objects.set(key, { ...def, childRelationships: list });
        this.#byPrefix.set(def.keyPrefix, this.#objects.get(key) as ObjectDef);
        const stamp = Math.floor(now / 1000) * 1000;
        this.#modified.set(key, stamp);
      }
    }
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sameRelationships(
  a: readonly ChildRelationshipSchema[],
  b: readonly ChildRelationshipSchema[],
): boolean {
  if (a.length !== b.length) return false;
  return a.every(
    (x, i) =>
      x.childSObject === b[i]?.childSObject &&
      x.field === b[i]?.field &&
      x.relationshipName === b[i]?.relationshipName &&
      x.cascadeDelete === b[i]?.cascadeDelete,
  );
}
