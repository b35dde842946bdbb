import type { FieldDef, ObjectDef } from '../schema/field.js';
import type { StoredRecord } from '../schema/types.js';
import { badRequest } from './request.js';

/** `/services/data/v62.0/sobjects/Account/001...` */
export function recordUrl(version: string, objectName: string, id: string): string {
  return `/services/data/v${version}/sobjects/${objectName}/${id}`;
}

/**
 * The fields `?fields=A,B` names (case-insensitive, canonical names out), or every field. An unknown
 * name answers 400 INVALID_FIELD as Salesforce's query-backed record read does.
 */
export function selectFields(def: ObjectDef, list: string | null | undefined): readonly FieldDef[] {
  if (list === null || list === undefined || list.trim() === '') return def.fields;
  const byName = new Map(def.fields.map((f) => [f.name.toLowerCase(), f]));
  const picked: FieldDef[] = [];
  for (const raw of list.split(',')) {
    const name = raw.trim();
    if (name === '') continue;
    const field = byName.get(name.toLowerCase());
    if (field === undefined) {
      throw badRequest(
        'INVALID_FIELD',
        `No such column '${name}' on entity '${def.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
      );
    }
    if (!picked.includes(field)) picked.push(field);
  }
  return picked;
}

/**
 * A record as the sObject Rows resource returns it: `attributes` first, then the fields in describe
 * order (or in the `fields` order, with `Id` last when it was not asked for), blob fields as the URL
 * that downloads them.
 */
export function renderRecord(
  def: ObjectDef,
  record: StoredRecord,
  version: string,
  fields: readonly FieldDef[] = def.fields,
): Record<string, unknown> {
  const id = record.Id as string;
  const out: Record<string, unknown> = {
    attributes: { type: def.name, url: recordUrl(version, def.name, id) },
  };
  for (const field of fields) {
    const value = record[field.name] ?? null;
    out[field.name] =
      field.type === 'base64' && value !== null ? `${recordUrl(version, def.name, id)}/${field.name}` : value;
  }
  if (fields !== def.fields && !fields.some((f) => f.name === 'Id')) out.Id = id;
  return out;
}
