import { createHash } from 'node:crypto';
import type { ObjectSchema, StoredValue } from '../schema/types.js';

/**
 * Event payloads write datetimes as ISO-8601 UTC with a `Z` (`2024-02-25T02:27:17.000Z`), where REST
 * records write `+0000`; stored values are in the REST form.
 */
export function zuluDateTime(restDateTime: string): string {
  return restDateTime.endsWith('+0000') ? `${restDateTime.slice(0, -5)}Z` : restDateTime;
}

/** A stored value as an event payload carries it: datetimes in the `Z` form, the rest unchanged. */
export function eventValue(type: string, value: StoredValue): StoredValue {
  return type === 'datetime' && typeof value === 'string' ? zuluDateTime(value) : value;
}

/** An epoch-ms time as `2017-05-16T23:05:50.173Z` (event `createdDate`). */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * The id of an event's schema: 22 URL-safe base64 characters, like `R5zq92JfedyvzEcBx9bE6g`. It is a
 * digest of the object's field list, so it changes when a field is added, as Salesforce's does.
 */
export function schemaIdOf(def: ObjectSchema, kind: 'event' | 'change'): string {
  const cache = kind === 'event' ? eventSchemaIds : changeSchemaIds;
  let schemaId = cache.get(def);
  if (schemaId === undefined) {
    schemaId = digestSchema(def, kind);
    cache.set(def, schemaId);
  }
  return schemaId;
}

// Definitions are immutable values (adding a field replaces the object's definition), so a digest
// per definition stays right.
const eventSchemaIds = new WeakMap<ObjectSchema, string>();
const changeSchemaIds = new WeakMap<ObjectSchema, string>();

function digestSchema(def: ObjectSchema, kind: 'event' | 'change'): string {
  const hash = createHash('sha256').update(`${kind}:${def.name}`);
  for (const field of def.fields) hash.update(`|${field.name}:${field.type}`);
  return hash.digest('base64url').slice(0, 22);
}
