import { randomUUID } from 'node:crypto';
import { type IdFactory, keyPrefixOf, to18 } from '../ids.js';
import {
  autoNumberFormat,
  type CustomFieldInput,
  type CustomObjectInput,
  customFieldDef,
  customFieldInput,
  customKeyPrefix,
  customObjectDef,
  customObjectInput,
  parseInput,
} from '../schema/custom.js';
import type { FieldDef, ObjectDef } from '../schema/field.js';
import { SchemaRegistry } from '../schema/registry.js';
import type { OrgData, StoredRecord, StoredValue } from '../schema/types.js';
import { Dml } from './dml.js';
import type { DmlError } from './errors.js';
import {
  type ChangeEvent,
  type ChangeListener,
  ListenerSet,
  type PlatformEventListener,
  type PlatformEventMessage,
} from './events.js';
import { Table } from './table.js';
import type { ReferenceLookup } from './validate.js';

export interface DataStoreOptions {
  readonly ids: IdFactory;
  /** The running user's id (OwnerId and CreatedById default). */
  readonly userId: string;
  /** API version used in the blob URLs stored on records. */
  readonly apiVersion: string;
  /** Clock, for tests. Default `Date.now`. */
  readonly now?: () => number;
}

/** A rule another area adds to an object's saves; returns the errors that refuse the record. */
export type SaveRule = (
  record: Readonly<Record<string, StoredValue>>,
  previous: StoredRecord | undefined,
) => readonly DmlError[] | undefined;

const NO_ERRORS: readonly DmlError[] = [];

/** A stored blob body (Attachment.Body, Document.Body, ContentVersion.VersionData). */
export interface StoredBlob {
  readonly bytes: Buffer;
  readonly contentType: string;
}

/** Undo-log entries: each reverses one primitive write. */
type Undo =
  | { readonly kind: 'append'; readonly table: Table; readonly id: string }
  | {
      readonly kind: 'replace';
      readonly table: Table;
      readonly position: number;
      readonly previous: StoredRecord;
    }
  | { readonly kind: 'blob'; readonly key: string; readonly previous: StoredBlob | undefined }
  | {
      readonly kind: 'deleted';
      readonly table: Table;
      readonly id: string;
      readonly at: number | undefined;
      readonly with: string | undefined;
    }
  | { readonly kind: 'autoNumber'; readonly table: Table; readonly previous: number }
  | { readonly kind: 'purge'; readonly table: Table; readonly id: string };

type PendingEvent = Omit<ChangeEvent, 'transactionKey' | 'sequenceNumber' | 'commitTimestamp'>;

/** The state of one open transaction: how to undo it, and what to announce when it commits. */
export class TransactionLog {
  readonly undo: Undo[] = [];
  readonly events: PendingEvent[] = [];
  readonly published: PlatformEventMessage[] = [];
  /** Tables with rows purged in this transaction, compacted when it commits. */
  readonly purged = new Set<Table>();
}

/** A position in a transaction to roll back to. */
export interface Savepoint {
  readonly undo: number;
  readonly events: number;
  readonly published: number;
}

/**
 * The org's data: schemas, records, blobs and change events. Implements `OrgData` for the SOQL engine;
 * all writes go through `transaction()` and the `Dml` it hands out, so a failed all-or-none request
 * leaves no trace and subscribers only hear about committed work.
 */
export class DataStore implements OrgData {
  readonly schema: SchemaRegistry;
  readonly ids: IdFactory;
  readonly apiVersion: string;
  readonly now: () => number;
  #userId: string;
  readonly #tables = new Map<string, Table>();
  readonly #blobs = new Map<string, StoredBlob>();
  readonly #autoNumberFormats = new Map<string, string>([['case', '{00000000}']]);
  readonly #changes = new ListenerSet<ChangeEvent>();
  readonly #platformEvents = new ListenerSet<PlatformEventMessage>();
  readonly #saveRules = new Map<string, SaveRule[]>();
  #customObjects = 0;
  #eventObjects = 0;
  #active: TransactionLog | undefined;

  constructor(options: DataStoreOptions) {
    this.ids = options.ids;
    this.#userId = options.userId;
    this.apiVersion = options.apiVersion;
    this.now = options.now ?? Date.now;
    this.schema = new SchemaRegistry(this.now());
    this.#table('Case').autoNumber = 1000;
  }

  // ---- OrgData --------------------------------------------------------------------------------

  get userId(): string {
    return this.#userId;
  }

  /** Changes the running user (the org's default user is created after the store). */
  setUserId(userId: string): void {
    this.#userId = userId;
  }

  object(name: string): ObjectDef | undefined {
    return this.schema.object(name);
  }

  objects(): readonly ObjectDef[] {
    return this.schema.objects();
  }

  records(objectName: string): readonly StoredRecord[] {
    const def = this.schema.object(objectName);
    return def === undefined ? [] : this.#table(def.name).rows;
  }

  byId(id: string): StoredRecord | undefined {
    const id18 = to18(id);
    if (id18 === undefined) return undefined;
    const def = this.schema.byKeyPrefix(keyPrefixOf(id18));
    return def === undefined ? undefined : this.#tables.get(def.name.toLowerCase())?.get(id18);
  }

  // ---- schema changes -------------------------------------------------------------------------

  /** Defines a custom object (`Foo__c`) or platform event (`Foo__e`). */
  defineObject(input: CustomObjectInput): ObjectDef {
    const parsed = parseInput(customObjectInput, input, 'defineObject');
    const event = parsed.name.toLowerCase().endsWith('__e');
    let prefix: string;
    do {
      prefix = event
        ? customKeyPrefix(this.#eventObjects++, 'e')
        : customKeyPrefix(this.#customObjects++, 'a');
    } while (this.schema.hasKeyPrefix(prefix));
    for (const field of parsed.fields ?? []) this.#checkReferenceTarget(field, parsed.name);
    const def = this.schema.addObject(customObjectDef(parsed, prefix), this.now());
    const format = autoNumberFormat(parsed);
    if (format !== undefined) this.#autoNumberFormats.set(def.name.toLowerCase(), format);
    return def;
  }

  /** Adds a custom field to an object; existing records get its default (or null). */
  defineField(objectName: string, input: CustomFieldInput): FieldDef {
    const def = this.schema.object(objectName);
    if (def === undefined) throw new Error(`defineField: no such object ${objectName}`);
    const parsed = parseInput(customFieldInput, input, `defineField(${def.name})`);
    this.#checkReferenceTarget(parsed, def.name);
    const field = customFieldDef(parsed, def.labelPlural);
    this.schema.addField(def.name, field, this.now());
    const table = this.#table(def.name);
    const fill: StoredValue = field.type === 'boolean' ? (field.defaultValue ?? false) : null;
    for (let i = 0; i < table.rows.length; i++) {
      table.rows[i] = { ...(table.rows[i] as StoredRecord), [field.name]: fill };
    }
    table.resetIndexes();
    return field;
  }

  #checkReferenceTarget(
    field: { type: string; referenceTo?: string | undefined; name: string },
    self: string,
  ): void {
    if (field.type !== 'reference' || field.referenceTo === undefined) return;
    if (field.referenceTo.toLowerCase() === self.toLowerCase()) return;
    if (this.schema.object(field.referenceTo) === undefined) {
      throw new Error(`field ${field.name}: referenceTo: no such object ${field.referenceTo}`);
    }
  }

  /**
   * Adds a record type to an object (shown in its describe's `recordTypeInfos`, usable as RecordTypeId).
   * Returns the RecordType id.
   */
  defineRecordType(
    objectName: string,
    input: {
      readonly name: string;
      readonly developerName?: string;
      readonly active?: boolean;
      readonly description?: string;
    },
  ): string {
    const def = this.schema.object(objectName);
    if (def === undefined) throw new Error(`defineRecordType: no such object ${objectName}`);
    if (!def.fields.some((f) => f.name === 'RecordTypeId')) {
      throw new Error(`defineRecordType: ${def.name} has no RecordTypeId field`);
    }
    if (typeof input.name !== 'string' || input.name.trim() === '')
      throw new Error('defineRecordType: name: required');
    const developerName =
      input.developerName ?? input.name.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(developerName)) {
      throw new Error(
        `defineRecordType: developerName: must be letters, digits and underscores, got "${developerName}"`,
      );
    }
    return this.transaction((dml) =>
      dml.createTrusted('RecordType', {
        Name: input.name,
        DeveloperName: developerName,
        SobjectType: def.name,
        IsActive: input.active ?? true,
        Description: input.description ?? null,
      }),
    );
  }

  autoNumberFormat(objectName: string): string | undefined {
    return this.#autoNumberFormats.get(objectName.toLowerCase());
  }

  // ---- blobs ----------------------------------------------------------------------------------

  blob(id: string, fieldName: string): StoredBlob | undefined {
    const id18 = to18(id);
    return id18 === undefined ? undefined : this.#blobs.get(blobKey(id18, fieldName));
  }

  // ---- change events --------------------------------------------------------------------------

  /** Subscribes to committed record changes; returns the unsubscribe function. */
  onChange(listener: ChangeListener): () => void {
    return this.#changes.add(listener);
  }

  /** Subscribes to published platform events; returns the unsubscribe function. */
  onPlatformEvent(listener: PlatformEventListener): () => void {
    return this.#platformEvents.add(listener);
  }

  // ---- save rules -----------------------------------------------------------------------------

  /**
   * Adds a rule every create and update of an object must pass, checked after the object's own
   * behaviours: how another area of the org refuses records it gives meaning to (the streaming area
   * refuses PushTopics whose query Salesforce would refuse).
   */
  addSaveRule(objectName: string, rule: SaveRule): void {
    const key = objectName.toLowerCase();
    this.#saveRules.set(key, [...(this.#saveRules.get(key) ?? []), rule]);
  }

  /** The errors the added rules find in a record about to be saved (`previous`: before an update). */
  checkSaveRules(
    objectName: string,
    record: Readonly<Record<string, StoredValue>>,
    previous: StoredRecord | undefined,
  ): readonly DmlError[] {
    const rules = this.#saveRules.get(objectName.toLowerCase());
    if (rules === undefined) return NO_ERRORS;
    return rules.flatMap((rule) => rule(record, previous) ?? []);
  }

  // ---- transactions ---------------------------------------------------------------------------

  /**
   * Runs `work` as one transaction: if it returns, the writes stay and change events are emitted; if it
   * throws, every write is undone and the error propagates. Transactions do not nest: a `Dml` call
   * inside `work` joins the open one. `work` must be synchronous, so no other request interleaves.
   */
  transaction<T>(work: (dml: Dml) => T, options: { readonly userId?: string } = {}): T {
    if (this.#active !== undefined) throw new Error('a transaction is already open');
    const log = new TransactionLog();
    this.#active = log;
    const dml = new Dml(this, log, options.userId ?? this.#userId);
    try {
      const result = work(dml);
      if (result instanceof Promise) throw new Error('transaction work must be synchronous');
      this.#active = undefined;
      this.#commit(log);
      return result;
    } catch (error) {
      this.rollbackTo(log, { undo: 0, events: 0, published: 0 });
      this.#active = undefined;
      throw error;
    }
  }

  savepoint(log: TransactionLog): Savepoint {
    return { undo: log.undo.length, events: log.events.length, published: log.published.length };
  }

  rollbackTo(log: TransactionLog, point: Savepoint): void {
    while (log.undo.length > point.undo) {
      const entry = log.undo.pop() as Undo;
      switch (entry.kind) {
        case 'append':
          entry.table.pop(entry.id);
          break;
        case 'replace':
          entry.table.replace(entry.position, entry.previous);
          break;
        case 'blob':
          if (entry.previous === undefined) this.#blobs.delete(entry.key);
          else this.#blobs.set(entry.key, entry.previous);
          break;
        case 'deleted':
          if (entry.at === undefined) entry.table.deletedAt.delete(entry.id);
          else entry.table.deletedAt.set(entry.id, entry.at);
          if (entry.with === undefined) entry.table.deletedWith.delete(entry.id);
          else entry.table.deletedWith.set(entry.id, entry.with);
          break;
        case 'autoNumber':
          entry.table.autoNumber = entry.previous;
          break;
        case 'purge':
          entry.table.unpurge(entry.id);
          break;
      }
    }
    log.events.length = point.events;
    log.published.length = point.published;
  }

  #commit(log: TransactionLog): void {
    for (const table of log.purged) table.compact();
    if (log.events.length > 0 && this.#changes.size > 0) {
      const transactionKey = randomUUID();
      const commitTimestamp = this.now();
      const events = log.events;
      for (let i = 0; i < events.length; i++) {
        const event = events[i] as PendingEvent;
        // A literal of the final shape: spreading the pending event and adding three keys costs an
        // object and several shape transitions per event, and a bulk job commits thousands at once.
        this.#changes.emit({
          type: event.type,
          object: event.object,
          id: event.id,
          record: event.record,
          previous: event.previous,
          changedFields: event.changedFields,
          userId: event.userId,
          transactionKey,
          sequenceNumber: i + 1,
          commitTimestamp,
        });
      }
    }
    for (const message of log.published) this.#platformEvents.emit(message);
  }

  /** Announces records that generation stored directly (one transaction's worth of `created` events). */
  announceCreated(objectName: string, records: readonly StoredRecord[]): void {
    if (this.#changes.size === 0) return;
    const transactionKey = randomUUID();
    const commitTimestamp = this.now();
    records.forEach((record, i) => {
      this.#changes.emit({
        type: 'created',
        object: objectName,
        id: record.Id as string,
        record,
        previous: undefined,
        changedFields: [],
        userId: this.#userId,
        transactionKey,
        sequenceNumber: i + 1,
        commitTimestamp,
      });
    });
  }

  /**
   * Removes every record except users and profiles (and every stored blob); schemas, including custom
   * objects and fields, stay. For `org.reset()` between tests.
   */
  reset(): void {
    if (this.#active !== undefined) throw new Error('cannot reset during a transaction');
    for (const [key, table] of [...this.#tables]) {
      if (key === 'user' || key === 'profile') continue;
      this.#tables.delete(key);
      if (key === 'case') this.#table(table.name).autoNumber = 1000;
    }
    this.#blobs.clear();
  }

  /** Whether anyone listens for changes (bulk seeding skips building events otherwise). */
  get hasChangeListeners(): boolean {
    return this.#changes.size > 0;
  }

  // ---- primitives used by Dml (always inside a transaction) ------------------------------------

  /** The table of an object (created on first use). */
  table(objectName: string): Table {
    return this.#table(objectName);
  }

  #table(objectName: string): Table {
    const key = objectName.toLowerCase();
    let table = this.#tables.get(key);
    if (table === undefined) {
      const def = this.schema.object(objectName);
      table = new Table(def?.name ?? objectName);
      this.#tables.set(key, table);
    }
    return table;
  }

  /** The table holding an id, found through its key prefix. */
  tableOfId(id18: string): Table | undefined {
    const def = this.schema.byKeyPrefix(keyPrefixOf(id18));
    return def === undefined ? undefined : this.#table(def.name);
  }

  appendRow(log: TransactionLog, table: Table, record: StoredRecord): void {
    table.append(record);
    log.undo.push({ kind: 'append', table, id: record.Id as string });
  }

  replaceRow(log: TransactionLog, table: Table, position: number, record: StoredRecord): StoredRecord {
    const previous = table.replace(position, record);
    log.undo.push({ kind: 'replace', table, position, previous });
    return previous;
  }

  putBlob(log: TransactionLog, id18: string, fieldName: string, blob: StoredBlob): void {
    const key = blobKey(id18, fieldName);
    log.undo.push({ kind: 'blob', key, previous: this.#blobs.get(key) });
    this.#blobs.set(key, blob);
  }

  markDeleted(log: TransactionLog, table: Table, id: string, at: number | undefined, withId?: string): void {
    log.undo.push({
      kind: 'deleted',
      table,
      id,
      at: table.deletedAt.get(id),
      with: table.deletedWith.get(id),
    });
    if (at === undefined) {
      table.deletedAt.delete(id);
      table.deletedWith.delete(id);
    } else {
      table.deletedAt.set(id, at);
      if (withId !== undefined) table.deletedWith.set(id, withId);
    }
  }

  /** Hard-deletes a row: no recycle bin, no undelete, not visible to queryAll once committed. */
  purgeRow(log: TransactionLog, table: Table, id: string): void {
    if (table.purge(id) === undefined) return;
    log.undo.push({ kind: 'purge', table, id });
    log.purged.add(table);
  }

  nextAutoNumber(log: TransactionLog, table: Table): number {
    log.undo.push({ kind: 'autoNumber', table, previous: table.autoNumber });
    table.autoNumber += 1;
    return table.autoNumber;
  }

  /** What validation needs to look up references and external ids. */
  readonly lookup: ReferenceLookup = {
    record: (id18) => {
      const table = this.tableOfId(id18);
      const record = table?.get(id18);
      return table === undefined || record === undefined ? undefined : { object: table.name, record };
    },
    objectByPrefix: (prefix) => this.schema.byKeyPrefix(prefix),
    object: (name) => this.schema.object(name),
    findByField: (objectName, field, value) => {
      if (field.type === 'id') {
        const id18 = typeof value === 'string' ? to18(value) : undefined;
        const record = id18 === undefined ? undefined : this.byId(id18);
        return record !== undefined && record.IsDeleted !== true ? [record.Id as string] : [];
      }
      return this.#table(objectName).findByValue(field, value);
    },
  };
}

function blobKey(id18: string, fieldName: string): string {
  return `${id18}/${fieldName.toLowerCase()}`;
}
