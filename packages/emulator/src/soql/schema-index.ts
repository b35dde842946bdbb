import type { ChildRelationshipSchema, FieldSchema, ObjectSchema } from '../schema/types.js';

/**
 * Case-insensitive look-ups into one object's schema, built once per schema object and cached (a
 * schema that changes is a new object, so the cache never goes stale).
 */
export interface SchemaIndex {
  readonly schema: ObjectSchema;
  field(name: string): FieldSchema | undefined;
  /** The reference field whose relationship name (`Account`, `Owner`, `Foo__r`) is `name`. */
  parentRelationship(name: string): FieldSchema | undefined;
  childRelationship(name: string): ChildRelationshipSchema | undefined;
}

const cache = new WeakMap<ObjectSchema, SchemaIndex>();

export function schemaIndex(schema: ObjectSchema): SchemaIndex {
  const cached = cache.get(schema);
  if (cached !== undefined) return cached;
  const fields = new Map<string, FieldSchema>();
  const parents = new Map<string, FieldSchema>();
  for (const field of schema.fields) {
    fields.set(field.name.toLowerCase(), field);
    if (field.type === 'reference' && field.relationshipName !== null) {
      parents.set(field.relationshipName.toLowerCase(), field);
    }
  }
  const children = new Map<string, ChildRelationshipSchema>();
  for (const child of schema.childRelationships) {
    if (child.relationshipName !== null) children.set(child.relationshipName.toLowerCase(), child);
  }
  const index: SchemaIndex = {
    schema,
    field: (name) => fields.get(name.toLowerCase()),
    parentRelationship: (name) => parents.get(name.toLowerCase()),
    childRelationship: (name) => children.get(name.toLowerCase()),
  };
  cache.set(schema, index);
  return index;
}

/** How values of a field type compare and sort. */
export type ValueKind =
  | 'text'
  | 'id'
  | 'number'
  | 'boolean'
  | 'date'
  | 'datetime'
  | 'time'
  | 'multipicklist'
  | 'other';

export function valueKind(field: FieldSchema): ValueKind {
  switch (field.type) {
    case 'string':
    case 'textarea':
    case 'picklist':
    case 'combobox':
    case 'email':
    case 'phone':
    case 'url':
    case 'encryptedstring':
      return 'text';
    case 'id':
    case 'reference':
      return 'id';
    case 'currency':
    case 'double':
    case 'percent':
    case 'int':
    case 'long':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'date':
      return 'date';
    case 'datetime':
      return 'datetime';
    case 'time':
      return 'time';
    case 'multipicklist':
      return 'multipicklist';
    default:
      return 'other';
  }
}

/** The type name Salesforce uses in "must be of type ..." messages. */
export function soapTypeName(field: FieldSchema): string {
  switch (field.type) {
    case 'datetime':
      return 'dateTime';
    case 'currency':
    case 'percent':
      return 'double';
    case 'reference':
      return 'id';
    case 'picklist':
    case 'multipicklist':
    case 'combobox':
    case 'textarea':
    case 'email':
    case 'phone':
    case 'url':
    case 'encryptedstring':
      return 'string';
    default:
      return field.type;
  }
}
