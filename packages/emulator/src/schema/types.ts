/**
 * The emulator's data model: what an object and its fields are, and how records are stored.
 * Shared by the HTTP layer (describe, validation, CRUD) and the SOQL/SOSL engine.
 *
 * Stored values are kept in their REST wire form so that rendering a page costs nothing and string
 * comparison orders them correctly:
 * - datetime: `2011-07-07T00:37:00.000+0000` (always UTC, milliseconds, `+0000`)
 * - date: `2010-01-01`; time: `13:00:00.000Z`
 * - numbers (currency, double, percent, int, long): JS numbers; boolean: true/false
 * - multipicklist: `"a;b"`; everything textual: strings; empty: `null` (never `undefined`)
 */

export type FieldType =
  | 'id'
  | 'boolean'
  | 'string'
  | 'textarea'
  | 'picklist'
  | 'multipicklist'
  | 'combobox'
  | 'reference'
  | 'currency'
  | 'double'
  | 'percent'
  | 'int'
  | 'long'
  | 'date'
  | 'datetime'
  | 'time'
  | 'email'
  | 'phone'
  | 'url'
  | 'encryptedstring'
  | 'base64'
  | 'address'
  | 'location'
  | 'anyType';

export interface FieldSchema {
  /** Canonical API name, e.g. `Name`, `AccountId`, `Ext__c`. Look-ups are case-insensitive. */
  readonly name: string;
  readonly label: string;
  readonly type: FieldType;
  /** Characters, for text types. */
  readonly length: number;
  readonly precision: number;
  readonly scale: number;
  readonly digits: number;
  readonly nillable: boolean;
  readonly createable: boolean;
  readonly updateable: boolean;
  readonly filterable: boolean;
  readonly sortable: boolean;
  readonly groupable: boolean;
  readonly defaultedOnCreate: boolean;
  readonly custom: boolean;
  readonly calculated: boolean;
  readonly externalId: boolean;
  readonly unique: boolean;
  readonly idLookup: boolean;
  readonly caseSensitive: boolean;
  readonly nameField: boolean;
  readonly autoNumber: boolean;
  /** Active picklist values, in order; empty for non-picklists. */
  readonly picklistValues: readonly string[];
  readonly restrictedPicklist: boolean;
  /** For references: the target object names (several for polymorphic fields such as Task.WhoId). */
  readonly referenceTo: readonly string[];
  /** For references: `Account`, `Owner`, `Parent`, `Foo__r`; null otherwise. */
  readonly relationshipName: string | null;
  readonly cascadeDelete: boolean;
  /** For compound component fields (`BillingCity`): the compound field (`BillingAddress`). */
  readonly compoundFieldName: string | null;
  readonly defaultValue: string | number | boolean | null;
}

export interface ChildRelationshipSchema {
  /** The child object, e.g. `Contact`. */
  readonly childSObject: string;
  /** The child's reference field, e.g. `AccountId`. */
  readonly field: string;
  /** The name used in child subqueries, e.g. `Contacts`; null when not queryable as a relationship. */
  readonly relationshipName: string | null;
  readonly cascadeDelete: boolean;
}

export interface ObjectSchema {
  readonly name: string;
  readonly label: string;
  readonly labelPlural: string;
  /** Three-character id prefix, e.g. `001`. */
  readonly keyPrefix: string;
  readonly custom: boolean;
  readonly queryable: boolean;
  readonly createable: boolean;
  readonly updateable: boolean;
  readonly deletable: boolean;
  readonly searchable: boolean;
  readonly fields: readonly FieldSchema[];
  readonly childRelationships: readonly ChildRelationshipSchema[];
}

/** A stored record: canonical field names to wire-form values, always with `Id` and `IsDeleted`. */
export type StoredValue = string | number | boolean | null | { readonly [key: string]: unknown };
export interface StoredRecord {
  readonly [field: string]: StoredValue;
}

/**
 * What the SOQL/SOSL engine reads. Implemented by the org's in-memory store; the engine never writes.
 * Names passed in may be in any case; implementations resolve them case-insensitively.
 */
export interface OrgData {
  /** The object's schema, or undefined when no such object exists. */
  object(name: string): ObjectSchema | undefined;
  /** Every object in the org (for SOSL `FIND` without `RETURNING`). */
  objects(): readonly ObjectSchema[];
  /**
   * The object's records in insertion order, including soft-deleted ones (`IsDeleted: true`), which
   * the engine filters out unless the query is a queryAll. The array must not be mutated by callers.
   */
  records(objectName: string): readonly StoredRecord[];
  /** A record of any object by its 15- or 18-character id, deleted ones included. */
  byId(id: string): StoredRecord | undefined;
  /** The running user's id (for `OwnerId` defaults and USING SCOPE mine). */
  readonly userId: string;
}
