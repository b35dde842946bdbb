import { randomUUID } from 'node:crypto';
import { isId, keyPrefixOf, to18 } from '../ids.js';
import { isRequiredOnCreate, type ObjectDef } from '../schema/field.js';
import type { StoredRecord, StoredValue } from '../schema/types.js';
import { applyBehaviours, type Draft, type RelatedWrites, type SaveContext } from './behaviours.js';
import { canonicalId } from './canonical-id.js';
import {
  type DmlError,
  DmlException,
  dmlError,
  duplicateValue,
  entityIsDeleted,
  notFound,
  requiredFieldsMissing,
} from './errors.js';
import { sameValue, savePlanOf } from './save-plan.js';
import type { DataStore, Savepoint, TransactionLog } from './store.js';
import type { Table } from './table.js';
import { type BlobInput, coerceValue, fieldNamed, type ParsedWrite, parseWrite } from './validate.js';
import { formatDateTime } from './values.js';

/** The dummy id every platform-event publish answers with (as recorded from a real org). */
export const PLATFORM_EVENT_ID = 'e00xx0000000001AAA';

/** An upsert whose external id matched several records: REST answers 300 with their URLs. */
export class MultipleMatchesException extends DmlException {
  readonly ids: readonly string[];

  constructor(field: string, ids: readonly string[]) {
    super(
      [
        dmlError(
          'DUPLICATE_EXTERNAL_ID',
          `${field}: more than one record found for external id field: [${ids.join(', ')}]`,
          [field],
        ),
      ],
      300,
    );
    this.ids = ids;
  }
}

export interface CreateOptions {
  /** Seed data may set audit fields (CreatedDate, CreatedById, ...) as with the "Set Audit Fields" permission. */
  readonly allowAuditFields?: boolean;
}

export interface UpsertResult {
  readonly id: string;
  readonly created: boolean;
}

const AUDIT_FIELDS = new Set(['createddate', 'createdbyid', 'lastmodifieddate', 'lastmodifiedbyid']);

let stampedSecond = Number.NaN;
let stampText = '';

/** Time stamps have whole seconds, as Salesforce's do (the text of the last second is kept: saves come in runs). */
function stamp(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== stampedSecond) {
    stampText = formatDateTime(second * 1000);
    stampedSecond = second;
  }
  return stampText;
}

/**
 * Data manipulation inside one transaction: create, update, upsert, delete, undelete and platform-event
 * publish, with Salesforce's validation, system fields, behaviours and cascades. Every method throws
 * `DmlException` on failure; `savepoint()` undoes a failed part without ending the transaction.
 */
export class Dml {
  readonly #store: DataStore;
  readonly #log: TransactionLog;
  readonly userId: string;

  constructor(store: DataStore, log: TransactionLog, userId: string) {
    this.#store = store;
    this.#log = log;
    this.userId = userId;
  }

  /** Runs `work`; if it throws, undoes what it did (and only that) and rethrows. */
  savepoint<T>(work: () => T): T {
    const point = this.#store.savepoint(this.#log);
    try {
      return work();
    } catch (error) {
      this.#store.rollbackTo(this.#log, point);
      throw error;
    }
  }

  /** The current position in the transaction, to roll back to with `rollbackTo`. */
  mark(): Savepoint {
    return this.#store.savepoint(this.#log);
  }

  /** Undoes everything done since `mark()` returned `point` (all-or-none failures). */
  rollbackTo(point: Savepoint): void {
    this.#store.rollbackTo(this.#log, point);
  }

  // ---- create ---------------------------------------------------------------------------------

  create(objectName: string, input: Readonly<Record<string, unknown>>, options: CreateOptions = {}): string {
    const def = this.#object(objectName);
    if (def.eventObject)
      throw new DmlException([dmlError('INVALID_TYPE_FOR_OPERATION', 'use publish() for platform events')]);
    if (!def.createable) {
      throw new DmlException([
        dmlError('INVALID_TYPE_FOR_OPERATION', `entity type cannot be inserted: ${def.label}`),
      ]);
    }
    let body = input;
    let audit: Map<string, StoredValue> | undefined;
    if (options.allowAuditFields) {
      const rest: Record<string, unknown> = {};
      audit = new Map();
      for (const [key, value] of Object.entries(input)) {
        const field = fieldNamed(def, key);
        if (field !== undefined && AUDIT_FIELDS.has(field.name.toLowerCase())) {
          const coerced = coerceValue(field, value, this.#store.lookup);
          if (coerced !== null && typeof coerced === 'object' && 'statusCode' in coerced) {
            throw new DmlException([coerced as DmlError]);
          }
          audit.set(field.name, coerced as StoredValue);
        } else rest[key] = value;
      }
      body = rest;
    }
    const parsed = parseWrite(def, body, 'create', this.#store.lookup);
    if (audit !== undefined) for (const [k, v] of audit) parsed.values.set(k, v);
    return this.#insert(def, parsed);
  }

  /** Inserts values already in wire form, skipping the API's field-level checks (platform writes). */
  createTrusted(objectName: string, values: Readonly<Record<string, StoredValue>>, id?: string): string {
    const def = this.#object(objectName);
    const map = new Map<string, StoredValue>();
    for (const [key, value] of Object.entries(values)) {
      const field = fieldNamed(def, key);
      if (field === undefined) throw new Error(`${def.name} has no field ${key}`);
      map.set(field.name, value);
    }
    return this.#insert(def, { values: map, blobs: [], explicit: new Set(map.keys()) }, id);
  }

  #insert(def: ObjectDef, parsed: ParsedWrite, givenId?: string): string {
    const table = this.#store.table(def.name);
    const id = givenId ?? this.#store.ids.next(def.keyPrefix);
    const now = this.#store.now();
    const plan = savePlanOf(def);
    const draft: Draft = plan.defaults(id, stamp(now), this.userId);
    parsed.values.forEach((value, name) => {
      draft[name] = value;
    });
    this.#blobUrls(def, id, draft, parsed.blobs);
    const errors: DmlError[] = [];
    const missing: string[] = [];
    for (const field of plan.requiredOnCreate) if (draft[field.name] === null) missing.push(field.name);
    for (const field of plan.requiredBlobs) {
      if (!parsed.blobs.some((b) => b.field === field)) missing.push(field.name);
    }
    if (missing.length > 0) errors.push(requiredFieldsMissing(missing));
    if (errors.length === 0) {
      errors.push(
        ...applyBehaviours(
          draft,
          this.#context(def, table, 'create', undefined, parsed, now),
          this.#store.autoNumberFormat(def.name),
        ),
      );
    }
    if (errors.length === 0) errors.push(...this.#store.checkSaveRules(def.name, draft, undefined));
    if (errors.length === 0) errors.push(...this.#uniqueness(def, table, draft, undefined));
    if (errors.length > 0) throw new DmlException(errors);
    this.#saveBlobs(def, id, draft, parsed.blobs);
    this.#store.appendRow(this.#log, table, draft);
    this.#log.events.push({
      type: 'created',
      object: def.name,
      id,
      record: draft,
      previous: undefined,
      changedFields: [],
      userId: this.userId,
    });
    return id;
  }

  // ---- update ---------------------------------------------------------------------------------

  /**
   * Updates a record. `objectName`, when given, must match the id's object (a mismatch is
   * MALFORMED_ID, as the REST URL `/sobjects/Contact/001...` is).
   */
  update(id: string, input: Readonly<Record<string, unknown>>, objectName?: string): void {
    const { def, table, record } = this.#live(id, objectName);
    if (!def.updateable) {
      throw new DmlException([
        dmlError('INVALID_TYPE_FOR_OPERATION', `entity type cannot be updated: ${def.label}`),
      ]);
    }
    let body = input;
    const idKey = Object.keys(input).find((key) => key.length === 2 && key.toLowerCase() === 'id');
    if (idKey !== undefined) {
      const value = input[idKey];
      if (typeof value !== 'string' || to18(value) !== record.Id) {
        throw new DmlException([
          dmlError('INVALID_ID_FIELD', 'Id in the body does not match the record', ['Id']),
        ]);
      }
      const { [idKey]: _id, ...rest } = input;
      body = rest;
    }
    const parsed = parseWrite(def, body, 'update', this.#store.lookup);
    this.#applyUpdate(def, table, record, parsed);
  }

  /** Sets wire values without the API's field-level checks (platform writes such as IsLatest). */
  updateTrusted(id: string, values: Readonly<Record<string, StoredValue>>): void {
    const { def, table, record } = this.#live(id);
    const map = new Map<string, StoredValue>(Object.entries(values));
    this.#applyUpdate(def, table, record, { values: map, blobs: [], explicit: new Set(map.keys()) });
  }

  #applyUpdate(def: ObjectDef, table: Table, current: StoredRecord, parsed: ParsedWrite): void {
    const now = this.#store.now();
    const draft: Draft = { ...current };
    let nulls = false;
    parsed.values.forEach((value, name) => {
      draft[name] = value;
      if (value === null) nulls = true;
    });
    const nowText = stamp(now);
    if ('LastModifiedDate' in draft) draft.LastModifiedDate = nowText;
    if ('LastModifiedById' in draft) draft.LastModifiedById = this.userId;
    if ('SystemModstamp' in draft) draft.SystemModstamp = nowText;
    const id = current.Id as string;
    this.#blobUrls(def, id, draft, parsed.blobs);
    const errors: DmlError[] = [];
    const plan = savePlanOf(def);
    const nulled = nulls
      ? plan.notNullable
          .filter((f) => draft[f.name] === null && parsed.explicit.has(f.name))
          .map((f) => f.name)
      : [];
    if (nulled.length > 0) errors.push(requiredFieldsMissing(nulled));
    if (errors.length === 0) {
      errors.push(
        ...applyBehaviours(draft, this.#context(def, table, 'update', current, parsed, now), undefined),
      );
    }
    if (errors.length === 0) errors.push(...this.#store.checkSaveRules(def.name, draft, current));
    if (errors.length === 0) errors.push(...this.#uniqueness(def, table, draft, id));
    if (errors.length > 0) throw new DmlException(errors);
    this.#saveBlobs(def, id, draft, parsed.blobs);
    const position = table.position(id) as number;
    this.#store.replaceRow(this.#log, table, position, draft);
    const changedFields = plan.changedFields(current, draft);
    this.#log.events.push({
      type: 'updated',
      object: def.name,
      id,
      record: draft,
      previous: current,
      changedFields,
      userId: this.userId,
    });
  }

  // ---- upsert ---------------------------------------------------------------------------------

  /**
   * Creates or updates by an external-id field (or `Id`). Throws NOT_FOUND (404) for a field that is
   * not an external id, `MultipleMatchesException` (300) when several records match.
   */
  upsert(
    objectName: string,
    fieldName: string,
    value: unknown,
    input: Readonly<Record<string, unknown>>,
    options: { readonly updateOnly?: boolean } = {},
  ): UpsertResult {
    const def = this.#object(objectName);
    const field = fieldNamed(def, fieldName);
    if (field === undefined || !(field.externalId || field.type === 'id')) {
      throw notFound(`Provided external ID field does not exist or is not accessible: ${fieldName}`);
    }
    const body: Record<string, unknown> = {};
    let bodyValue: unknown;
    for (const [key, v] of Object.entries(input)) {
      if (key.toLowerCase() === field.name.toLowerCase()) bodyValue = v;
      else body[key] = v;
    }
    const raw = value === undefined || value === null || value === '' ? bodyValue : value;
    if (field.type === 'id') {
      if (raw === undefined || raw === null || raw === '')
        return { id: this.create(def.name, body), created: true };
      if (typeof raw !== 'string' || !isId(raw)) {
        throw new DmlException([
          dmlError('MALFORMED_ID', `${def.label} ID: id value of incorrect type: ${String(raw)}`, ['Id']),
        ]);
      }
      this.update(raw, body, def.name);
      return { id: to18(raw) as string, created: false };
    }
    const coerced = coerceValue(field, raw, this.#store.lookup);
    if (coerced !== null && typeof coerced === 'object' && 'statusCode' in coerced) {
      throw new DmlException([coerced as DmlError]);
    }
    if (coerced === null) {
      throw new DmlException([requiredFieldsMissing([field.name])]);
    }
    if (bodyValue !== undefined && value !== undefined && value !== null && value !== '') {
      const fromBody = coerceValue(field, bodyValue, this.#store.lookup);
      if (!sameValue(fromBody as StoredValue, coerced as StoredValue)) {
        throw new DmlException([
          dmlError(
            'INVALID_FIELD',
            `${field.name}: the value in the body does not match the external id in the URL`,
            [field.name],
          ),
        ]);
      }
    }
    const matches = this.#store.table(def.name).findByValue(field, coerced as StoredValue);
    if (matches.length > 1) throw new MultipleMatchesException(field.name, matches);
    if (matches.length === 1) {
      this.update(matches[0] as string, body, def.name);
      return { id: matches[0] as string, created: false };
    }
    if (options.updateOnly) throw notFound();
    return { id: this.create(def.name, { ...body, [field.name]: raw }), created: true };
  }

  // ---- delete / undelete ----------------------------------------------------------------------

  delete(id: string, objectName?: string): void {
    const { id18, def, table } = this.#locate(id, objectName);
    const record = table.get(id18);
    if (record === undefined) throw notFound();
    if (record.IsDeleted === true) throw entityIsDeleted();
    if (!def.deletable) {
      throw new DmlException([
        dmlError('INVALID_TYPE_FOR_OPERATION', `entity type cannot be deleted: ${def.label}`),
      ]);
    }
    this.#softDelete(def, table, record, this.#store.now(), undefined);
  }

  #softDelete(
    def: ObjectDef,
    table: Table,
    record: StoredRecord,
    now: number,
    cascadeFrom: string | undefined,
  ): void {
    const id = record.Id as string;
    const deleted = deletedVersion(record, now);
    this.#store.replaceRow(this.#log, table, table.position(id) as number, deleted);
    this.#store.markDeleted(this.#log, table, id, now, cascadeFrom);
    this.#deletedEvent(def, deleted, record);
    this.#cascade(def, id, (childDef, childTable, row) =>
      this.#softDelete(childDef, childTable, row, now, id),
    );
  }

  /**
   * Deletes a record for good, as the Bulk API's `hardDelete` does: it skips the recycle bin, so it
   * cannot be undeleted and `queryAll` no longer sees it (Salesforce may keep purged rows visible to
   * `queryAll` for a while; the emulator drops them when the transaction commits). `/deleted` still
   * lists it, so replicas learn of it. Children that a delete would cascade to are purged with it.
   */
  hardDelete(id: string, objectName?: string): void {
    const { id18, def, table } = this.#locate(id, objectName);
    const record = table.get(id18);
    if (record === undefined) throw notFound();
    if (record.IsDeleted === true) throw entityIsDeleted();
    if (!def.deletable) {
      throw new DmlException([
        dmlError('INVALID_TYPE_FOR_OPERATION', `entity type cannot be deleted: ${def.label}`),
      ]);
    }
    this.#purge(def, table, record, this.#store.now());
  }

  #purge(def: ObjectDef, table: Table, record: StoredRecord, now: number): void {
    const id = record.Id as string;
    this.#store.purgeRow(this.#log, table, id);
    this.#store.markDeleted(this.#log, table, id, now);
    this.#deletedEvent(def, deletedVersion(record, now), record);
    this.#cascade(def, id, (childDef, childTable, row) => this.#purge(childDef, childTable, row, now));
  }

  /** A `deleted` change event: subscribers hear of soft and hard deletes alike. */
  #deletedEvent(def: ObjectDef, deleted: StoredRecord, previous: StoredRecord): void {
    this.#log.events.push({
      type: 'deleted',
      object: def.name,
      id: previous.Id as string,
      record: deleted,
      previous,
      changedFields: [],
      userId: this.userId,
    });
  }

  /** Runs `each` on the live children a delete of `id` cascades to. */
  #cascade(
    def: ObjectDef,
    id: string,
    each: (childDef: ObjectDef, childTable: Table, row: StoredRecord) => void,
  ): void {
    for (const relation of def.childRelationships) {
      if (!relation.cascadeDelete) continue;
      const childDef = this.#store.object(relation.childSObject);
      if (childDef === undefined) continue;
      const childTable = this.#store.table(childDef.name);
      const field = childDef.fields.find((f) => f.name === relation.field);
      if (field === undefined || childTable.rows.length === 0) continue;
      // The value index (built on the first cascade, kept up to date after) finds the live children
      // without scanning a table of a million rows for every deleted parent.
      for (const childId of childTable.findByValue(field, id)) {
        const row = childTable.get(childId);
        if (row !== undefined && row.IsDeleted !== true) each(childDef, childTable, row);
      }
    }
  }

  undelete(id: string, objectName?: string): void {
    const { id18, def, table } = this.#locate(id, objectName);
    const record = table.get(id18);
    if (record === undefined) throw notFound();
    if (record.IsDeleted !== true) {
      throw new DmlException([dmlError('UNDELETE_FAILED', 'Entity is not in the recycle bin')]);
    }
    if (!def.undeletable) {
      throw new DmlException([
        dmlError('INVALID_TYPE_FOR_OPERATION', `entity type cannot be undeleted: ${def.label}`),
      ]);
    }
    this.#restore(def, table, record, this.#store.now());
  }

  #restore(def: ObjectDef, table: Table, record: StoredRecord, now: number): void {
    const id = record.Id as string;
    const restored: Draft = { ...record, IsDeleted: false };
    if ('SystemModstamp' in restored) restored.SystemModstamp = stamp(now);
    this.#store.replaceRow(this.#log, table, table.position(id) as number, restored);
    this.#store.markDeleted(this.#log, table, id, undefined);
    this.#log.events.push({
      type: 'undeleted',
      object: def.name,
      id,
      record: restored,
      previous: record,
      changedFields: [],
      userId: this.userId,
    });
    for (const relation of def.childRelationships) {
      if (!relation.cascadeDelete) continue;
      const childDef = this.#store.object(relation.childSObject);
      if (childDef === undefined) continue;
      const childTable = this.#store.table(childDef.name);
      for (const [childId, parentId] of [...childTable.deletedWith]) {
        if (parentId !== id) continue;
        const row = childTable.get(childId);
        if (row?.IsDeleted === true) this.#restore(childDef, childTable, row, now);
      }
    }
  }

  // ---- platform events ------------------------------------------------------------------------

  /** Publishes a platform event; subscribers hear it when the transaction commits. */
  publish(objectName: string, input: Readonly<Record<string, unknown>>): { id: string; eventUuid: string } {
    const def = this.#object(objectName);
    if (!def.eventObject) throw new Error(`${def.name} is not a platform event`);
    const parsed = parseWrite(def, input, 'create', this.#store.lookup);
    const missing = def.fields
      .filter((f) => isRequiredOnCreate(f) && !parsed.values.has(f.name))
      .map((f) => f.name);
    if (missing.length > 0) throw new DmlException([requiredFieldsMissing(missing)]);
    const eventUuid = randomUUID();
    const now = this.#store.now();
    const payload: Draft = {};
    for (const field of def.fields) payload[field.name] = parsed.values.get(field.name) ?? null;
    payload.CreatedDate = formatDateTime(now);
    payload.CreatedById = this.userId;
    payload.EventUuid = eventUuid;
    this.#log.published.push({ object: def.name, payload, eventUuid, userId: this.userId, publishedAt: now });
    return { id: PLATFORM_EVENT_ID, eventUuid };
  }

  // ---- helpers --------------------------------------------------------------------------------

  #object(name: string): ObjectDef {
    const def = this.#store.object(name);
    if (def === undefined) {
      throw new DmlException([
        dmlError(
          'INVALID_TYPE',
          `sObject type '${name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
        ),
      ]);
    }
    return def;
  }

  /**
   * Checks an id's syntax and (optionally) its object; returns the 18-character form with the object's
   * definition and table.
   */
  #locate(id: string, objectName: string | undefined): { id18: string; def: ObjectDef; table: Table } {
    const id18 = canonicalId(id);
    const def = id18 === undefined ? undefined : this.#store.schema.byKeyPrefix(keyPrefixOf(id18));
    const expected = objectName === undefined ? undefined : this.#object(objectName);
    if (id18 === undefined || def === undefined || (expected !== undefined && expected.name !== def.name)) {
      const label = expected?.label ?? def?.name ?? 'Record';
      throw new DmlException([
        dmlError('MALFORMED_ID', `${label} ID: id value of incorrect type: ${id}`, ['Id']),
      ]);
    }
    return { id18, def, table: this.#store.table(def.name) };
  }

  /** A record that exists and is not deleted, with its object's definition and table. */
  #live(id: string, objectName?: string): { def: ObjectDef; table: Table; record: StoredRecord } {
    const { id18, def, table } = this.#locate(id, objectName);
    const record = table.get(id18);
    if (record === undefined) throw notFound();
    if (record.IsDeleted === true) throw entityIsDeleted();
    return { def, table, record };
  }

  #blobUrls(def: ObjectDef, id: string, draft: Draft, blobs: readonly BlobInput[]): void {
    for (const blob of blobs) {
      draft[blob.field.name] =
        `/services/data/v${this.#store.apiVersion}/sobjects/${def.name}/${id}/${blob.field.name}`;
    }
  }

  #saveBlobs(def: ObjectDef, id: string, draft: Draft, blobs: readonly BlobInput[]): void {
    for (const blob of blobs) {
      this.#store.putBlob(this.#log, id, blob.field.name, {
        bytes: blob.bytes,
        contentType: blobContentType(def, draft),
      });
    }
  }

  #uniqueness(def: ObjectDef, table: Table, draft: Draft, self: string | undefined): DmlError[] {
    const errors: DmlError[] = [];
    for (const field of savePlanOf(def).unique) {
      const value = draft[field.name];
      if (value === null || value === undefined) continue;
      const other = table.findByValue(field, value).find((id) => id !== self);
      if (other !== undefined) errors.push(duplicateValue(field.name, other));
    }
    return errors;
  }

  #context(
    def: ObjectDef,
    table: Table,
    mode: 'create' | 'update',
    previous: StoredRecord | undefined,
    parsed: ParsedWrite,
    now: number,
  ): SaveContext {
    return {
      def,
      mode,
      previous,
      explicit: parsed.explicit,
      now,
      userId: this.userId,
      blobs: parsed.blobs,
      lookup: this.#lookup,
      nextAutoNumber: () => this.#store.nextAutoNumber(this.#log, table),
      related: this.#related,
    };
  }

  readonly #lookup = (id: string): StoredRecord | undefined => this.#store.byId(id);

  readonly #related: RelatedWrites = {
    create: (objectName, values) => this.createTrusted(objectName, values),
    update: (id, values) => this.updateTrusted(id, values),
    find: (objectName, fieldName, value) => {
      const targetDef = this.#object(objectName);
      const field = targetDef.fields.find((f) => f.name === fieldName);
      if (field === undefined) return [];
      const rows = this.#store.table(targetDef.name);
      return rows.rows.filter((r) => r.IsDeleted !== true && sameValue(r[field.name], value));
    },
  };
}

/** A record as a delete leaves it: IsDeleted, stamped now. */
function deletedVersion(record: StoredRecord, now: number): Draft {
  const deleted: Draft = { ...record, IsDeleted: true };
  if ('SystemModstamp' in deleted) deleted.SystemModstamp = stamp(now);
  return deleted;
}

const MIME_BY_EXTENSION: Record<string, string> = {
  pdf: 'application/pdf',
  txt: 'text/plain',
  csv: 'text/csv',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  json: 'application/json',
  xml: 'application/xml',
  html: 'text/html',
  zip: 'application/zip',
};

/** The Content-Type a blob download answers with. */
function blobContentType(def: ObjectDef, draft: Draft): string {
  if (typeof draft.ContentType === 'string' && draft.ContentType !== '') return draft.ContentType;
  const name = [draft.PathOnClient, draft.Name].find(
    (v): v is string => typeof v === 'string' && v.includes('.'),
  );
  const extension = name?.split('.').pop()?.toLowerCase() ?? '';
  return (
    MIME_BY_EXTENSION[extension] ??
    (def.name === 'ContentVersion' ? 'application/octet-stream' : 'application/octet-stream')
  );
}
