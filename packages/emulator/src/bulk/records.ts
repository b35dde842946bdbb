import { canonicalId } from '../data/canonical-id.js';
import type { Dml } from '../data/dml.js';
import { type DmlError, DmlException, dmlError } from '../data/errors.js';
import type { FieldDef, ObjectDef } from '../schema/field.js';

/**
 * What both bulk APIs do with one record: turn an uploaded row into a REST-style record body, run the
 * operation through the same DML as REST writes (so failures carry Salesforce's codes and wording), and
 * word a failure the way the result files do (`CODE:message:fields --`).
 */

export type IngestOperation = 'insert' | 'update' | 'upsert' | 'delete' | 'hardDelete';

export const INGEST_OPERATIONS: readonly IngestOperation[] = [
  'insert',
  'update',
  'upsert',
  'delete',
  'hardDelete',
];

/** The null marker of bulk CSV uploads: `#N/A` sets a field to null (an empty value leaves it alone). */
export const CSV_NULL = '#N/A';

/** How to read one CSV column into a record body. */
type ColumnPlan =
  | { readonly kind: 'field'; readonly name: string }
  | {
      readonly kind: 'relationship';
      readonly relationship: string;
      readonly field: string;
      /** Set for polymorphic lookups, whose target must be named. */
      readonly type: string | undefined;
    };

export interface ColumnsPlan {
  readonly columns: readonly ColumnPlan[];
}

export interface Schema {
  object(name: string): ObjectDef | undefined;
}

/**
 * Maps a CSV header to the object's fields (case-insensitive, relationship columns as `Account.Ext__c`),
 * or returns the batch error Salesforce fails the job with: `InvalidBatch : Field name not found : Foo`.
 */
export function planColumns(def: ObjectDef, header: readonly string[], schema: Schema): ColumnsPlan | string {
  const seen = new Set<string>();
  const columns: ColumnPlan[] = [];
  for (const raw of header) {
    const name = raw.trim();
    const key = name.toLowerCase();
    if (seen.has(key)) return `InvalidBatch : Duplicate field name: ${name}`;
    seen.add(key);
    const dot = name.indexOf('.');
    if (dot < 0) {
      const field = fieldNamed(def, name);
      if (field === undefined || field.type === 'address' || field.type === 'location') {
        return `InvalidBatch : Field name not found : ${name}`;
      }
      columns.push({ kind: 'field', name: field.name });
      continue;
    }
    const relationshipName = name.slice(0, dot);
    const targetFieldName = name.slice(dot + 1);
    const reference = def.fields.find(
      (f) => f.type === 'reference' && f.relationshipName?.toLowerCase() === relationshipName.toLowerCase(),
    );
    const targets = (reference?.referenceTo ?? [])
      .map((target) => schema.object(target))
      .filter((target): target is ObjectDef => target !== undefined);
    const target = targets.find((t) => fieldNamed(t, targetFieldName) !== undefined);
    if (reference === undefined || target === undefined || targetFieldName.includes('.')) {
      return `InvalidBatch : Field name not found : ${name}`;
    }
    columns.push({
      kind: 'relationship',
      relationship: reference.relationshipName as string,
      field: (fieldNamed(target, targetFieldName) as FieldDef).name,
      type: reference.referenceTo.length > 1 ? target.name : undefined,
    });
  }
  return { columns };
}

function fieldNamed(def: ObjectDef, name: string): FieldDef | undefined {
  const key = name.toLowerCase();
  return def.fields.find((f) => f.name.toLowerCase() === key);
}

/** A CSV row as a REST record body: empty values are left out, `#N/A` is null. */
export function csvRecord(plan: ColumnsPlan, row: readonly string[]): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  const { columns } = plan;
  for (let i = 0; i < columns.length; i++) {
    const value = row[i] ?? '';
    if (value === '') continue;
    const column = columns[i] as ColumnPlan;
    const wire = value === CSV_NULL ? null : value;
    if (column.kind === 'field') record[column.name] = wire;
    else if (wire === null) record[column.relationship] = null;
    else {
      record[column.relationship] =
        column.type === undefined
          ? { [column.field]: wire }
          : { attributes: { type: column.type }, [column.field]: wire };
    }
  }
  return record;
}

export interface AppliedRecord {
  readonly id: string;
  readonly created: boolean;
}

/**
 * Runs one record's operation in the open transaction. Throws `DmlException` with Salesforce's errors
 * when the record fails; the caller wraps it in a savepoint so a failed record leaves no trace.
 */
export function applyRecord(
  dml: Dml,
  operation: IngestOperation,
  objectName: string,
  externalIdField: string | undefined,
  record: Readonly<Record<string, unknown>>,
): AppliedRecord {
  switch (operation) {
    case 'insert':
      return { id: dml.create(objectName, record), created: true };
    case 'update': {
      const { id, rest } = splitId(record);
      if (id === undefined) {
        throw new DmlException([dmlError('MISSING_ARGUMENT', 'Id not specified in an update call', ['Id'])]);
      }
      dml.update(id, rest, objectName);
      return { id: canonicalId(id) as string, created: false };
    }
    case 'upsert': {
      const field = externalIdField ?? 'Id';
      const result = dml.upsert(objectName, field, undefined, record);
      return { id: result.id, created: result.created };
    }
    case 'delete':
    case 'hardDelete': {
      const { id } = splitId(record);
      if (id === undefined) {
        throw new DmlException([dmlError('MISSING_ARGUMENT', 'Id not specified in a delete call', ['Id'])]);
      }
      if (operation === 'hardDelete') dml.hardDelete(id, objectName);
      else dml.delete(id, objectName);
      return { id: canonicalId(id) as string, created: false };
    }
  }
}

/** The record id a failed update or delete names (18 characters), or '' when it names none. */
export function failedRecordId(
  operation: IngestOperation,
  record: Readonly<Record<string, unknown>>,
): string {
  if (operation === 'insert' || operation === 'upsert') return '';
  const { id } = splitId(record);
  return (id === undefined ? undefined : canonicalId(id)) ?? '';
}

function splitId(record: Readonly<Record<string, unknown>>): {
  id: string | undefined;
  rest: Record<string, unknown>;
} {
  let id: string | undefined;
  const rest: Record<string, unknown> = {};
  for (const key of Object.keys(record)) {
    const value = record[key];
    if (key.length === 2 && key.toLowerCase() === 'id') {
      id = typeof value === 'string' && value !== '' ? value : undefined;
    } else rest[key] = value;
  }
  return { id, rest };
}

/** The errors of a record that failed: DML errors, or an unexpected error as UNKNOWN_EXCEPTION. */
export function recordErrors(error: unknown): readonly DmlError[] {
  if (error instanceof DmlException) return error.errors;
  const detail = error instanceof Error ? error.message : String(error);
  return [dmlError('UNKNOWN_EXCEPTION', `An unexpected error occurred: ${detail}`)];
}

/**
 * A record's first error as the result files word it: `CODE:message:Field1,Field2 --`
 * (`REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --`).
 */
export function bulkErrorText(errors: readonly DmlError[]): string {
  const error = errors[0];
  if (error === undefined) return 'UNKNOWN_EXCEPTION:An unexpected error occurred:--';
  const fields = error.fields.join(',');
  return `${error.statusCode}:${error.message}:${fields === '' ? '' : `${fields} `}--`;
}
