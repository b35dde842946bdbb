import type { StoredRecord } from '../schema/types.js';
import { DmlException } from './errors.js';
import type { DataStore } from './store.js';

/**
 * Seed inserts for tests: every record goes through the same validation as the API (so a seed that
 * Salesforce would reject fails here too), all or none, and audit fields (CreatedDate, CreatedById...)
 * may be set as with the "Set Audit Fields upon Record Creation" permission.
 */
export function insertRecords(
  store: DataStore,
  objectName: string,
  records: readonly Readonly<Record<string, unknown>>[],
): StoredRecord[] {
  if (!Array.isArray(records)) throw new TypeError(`insert(${objectName}): records must be an array`);
  const ids = store.transaction((dml) =>
    records.map((record, index) => {
      if (typeof record !== 'object' || record === null || Array.isArray(record)) {
        throw new TypeError(`insert(${objectName}): record ${index} must be an object`);
      }
      try {
        return dml.create(objectName, record, { allowAuditFields: true });
      } catch (error) {
        if (error instanceof DmlException) {
          const detail = error.errors.map((e) => `${e.statusCode}: ${e.message}`).join('; ');
          throw new Error(`insert(${objectName}): record ${index}: ${detail}`, { cause: error });
        }
        throw error;
      }
    }),
  );
  return ids.map((id) => store.byId(id) as StoredRecord);
}
