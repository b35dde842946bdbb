import { changedFields, isTracked, toPlainObject } from '../records.js';
import { stateOf, targetOf } from './tracking.js';

/** Which fields a save sends. */
export type PayloadMode = 'all' | 'changes';

/**
 * The fields to send for a record, never `attributes` or `Id`. Mode `'changes'` sends a tracked record's
 * changes (`undefined` when it has none) and all of a plain object's fields; `'all'` sends every field.
 * Nested tracked records (a parent given by external id) are sent as plain objects.
 */
export function fieldsToSend(record: object, mode: PayloadMode): Record<string, unknown> | undefined {
  const changes = mode === 'changes' ? changedFields(record) : undefined;
  if (changes !== undefined && Object.keys(changes).length === 0) return undefined;
  const source = changes ?? targetOf(record) ?? record;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(source)) {
    if (key === 'attributes' || key === 'Id') continue;
    const value = (source as Record<string, unknown>)[key];
    out[key] = isTracked(value) ? toPlainObject(value as object) : value;
  }
  return out;
}

/**
 * After a successful save: forget a tracked record's changes and, after a create, give it its new Id
 * (not counted as a change). Plain objects are never modified.
 */
export function markSaved(record: object, id?: string): void {
  const target = targetOf(record);
  if (target === undefined) return;
  if (id !== undefined && target.Id !== id) target.Id = id;
  stateOf(target)?.originals.clear();
}
