import type { ChildRelationshipSchema, FieldSchema, FieldType, ObjectSchema } from './types.js';

/**
 * The emulator's own view of a field: the shared `FieldSchema` plus what only describe and validation
 * need. Everything optional here has a default derived from the field's type (see `describeField`).
 */
export interface FieldDef extends FieldSchema {
  /** `switchablepersonname`, `plaintextarea`, `richtextarea`, `imageurl`, `personname`... */
  readonly extraTypeInfo: string | null;
  readonly htmlFormatted: boolean;
  /** 0 or 1 for master-detail references, null otherwise. */
  readonly relationshipOrder: number | null;
  readonly restrictedDelete: boolean;
  /** Picklist values flagged `defaultValue: true` in describe. */
  readonly defaultPicklistValue: string | null;
  /** Shown as `inlineHelpText`. */
  readonly inlineHelpText: string | null;
  /** For references: the name of the child relationship on the parent (`Contacts` for Contact.AccountId). */
  readonly childRelationshipName: string | null;
}

/** The emulator's view of an object: the shared `ObjectSchema` plus describe-only facts. */
export interface ObjectDef extends ObjectSchema {
  readonly fields: readonly FieldDef[];
  readonly childRelationships: readonly ChildRelationshipSchema[];
  /** A platform event (`Foo__e`): publish-only, never stored or queried. */
  readonly eventObject: boolean;
  readonly feedEnabled: boolean;
  readonly mergeable: boolean;
  readonly undeletable: boolean;
  readonly layoutable: boolean;
  readonly mruEnabled: boolean;
  /** `supportedScopes` in describe (`everything`, `mine`, ...). */
  readonly scopes: readonly { readonly label: string; readonly name: string }[];
}

/** Loose input for building a field; everything not given is derived from the type. */
export interface FieldSpec {
  readonly name: string;
  readonly label?: string;
  readonly type: FieldType;
  readonly length?: number;
  readonly precision?: number;
  readonly scale?: number;
  readonly digits?: number;
  /** Required on create (not nillable, not defaulted). Shorthand for `nillable: false`. */
  readonly required?: boolean;
  readonly nillable?: boolean;
  readonly createable?: boolean;
  readonly updateable?: boolean;
  readonly filterable?: boolean;
  readonly sortable?: boolean;
  readonly groupable?: boolean;
  readonly defaultedOnCreate?: boolean;
  readonly custom?: boolean;
  readonly calculated?: boolean;
  readonly externalId?: boolean;
  readonly unique?: boolean;
  readonly idLookup?: boolean;
  readonly caseSensitive?: boolean;
  readonly nameField?: boolean;
  readonly autoNumber?: boolean;
  readonly picklistValues?: readonly string[];
  readonly defaultPicklistValue?: string;
  readonly restrictedPicklist?: boolean;
  readonly referenceTo?: readonly string[];
  readonly relationshipName?: string;
  readonly cascadeDelete?: boolean;
  readonly relationshipOrder?: number;
  readonly restrictedDelete?: boolean;
  readonly compoundFieldName?: string;
  readonly defaultValue?: string | number | boolean;
  readonly extraTypeInfo?: string;
  readonly htmlFormatted?: boolean;
  readonly inlineHelpText?: string;
  readonly childRelationshipName?: string;
}

const TEXT_TYPES: ReadonlySet<FieldType> = new Set([
  'string',
  'textarea',
  'picklist',
  'multipicklist',
  'combobox',
  'email',
  'phone',
  'url',
  'encryptedstring',
]);

const DEFAULT_LENGTH: Partial<Record<FieldType, number>> = {
  id: 18,
  reference: 18,
  string: 255,
  textarea: 255,
  picklist: 255,
  multipicklist: 4099,
  combobox: 255,
  email: 80,
  phone: 40,
  url: 255,
  encryptedstring: 175,
};

/** Splits `BillingCity` into words for a default label: `Billing City`. */
function labelFromName(name: string): string {
  const bare = name.replace(/__c$/i, '').replace(/Id$/, name.endsWith('Id') && name.length > 2 ? ' ID' : '');
  return bare
    .replace(/_/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Builds a complete field definition from a loose spec, filling every flag the way Salesforce does. */
export function fieldDef(spec: FieldSpec): FieldDef {
  const type = spec.type;
  const text = TEXT_TYPES.has(type);
  const nillable = spec.nillable ?? !(spec.required ?? false);
  const createable = spec.createable ?? (type !== 'id' && type !== 'address' && !spec.calculated);
  const updateable = spec.updateable ?? createable;
  const longText = type === 'textarea' && (spec.length ?? 255) > 255;
  const filterable = spec.filterable ?? (!longText && type !== 'base64' && type !== 'location');
  const sortable = spec.sortable ?? (filterable && type !== 'address' && type !== 'multipicklist');
  const numeric = type === 'currency' || type === 'double' || type === 'percent';
  const groupable =
    spec.groupable ??
    (sortable &&
      !numeric &&
      type !== 'datetime' &&
      type !== 'time' &&
      type !== 'address' &&
      !(spec.calculated && text && (spec.length ?? 0) > 255));
  const picklistValues = spec.picklistValues ?? [];
  return {
    name: spec.name,
    label: spec.label ?? labelFromName(spec.name),
    type,
    length: spec.length ?? (text || type === 'id' || type === 'reference' ? (DEFAULT_LENGTH[type] ?? 0) : 0),
    precision: spec.precision ?? (numeric ? 18 : 0),
    scale: spec.scale ?? 0,
    digits: spec.digits ?? (type === 'int' ? 9 : type === 'long' ? 18 : 0),
    nillable,
    createable,
    updateable,
    filterable,
    sortable,
    groupable,
    defaultedOnCreate: spec.defaultedOnCreate ?? (type === 'boolean' || type === 'id'),
    custom: spec.custom ?? spec.name.toLowerCase().endsWith('__c'),
    calculated: spec.calculated ?? false,
    externalId: spec.externalId ?? false,
    unique: spec.unique ?? false,
    idLookup: spec.idLookup ?? (type === 'id' || (spec.externalId ?? false)),
    caseSensitive: spec.caseSensitive ?? false,
    nameField: spec.nameField ?? false,
    autoNumber: spec.autoNumber ?? false,
    picklistValues,
    restrictedPicklist: spec.restrictedPicklist ?? false,
    referenceTo: spec.referenceTo ?? [],
    relationshipName: spec.relationshipName ?? null,
    cascadeDelete: spec.cascadeDelete ?? false,
    compoundFieldName: spec.compoundFieldName ?? null,
    defaultValue: spec.defaultValue ?? (type === 'boolean' ? false : null),
    extraTypeInfo: spec.extraTypeInfo ?? (type === 'textarea' ? 'plaintextarea' : null),
    htmlFormatted: spec.htmlFormatted ?? false,
    relationshipOrder: spec.relationshipOrder ?? null,
    restrictedDelete: spec.restrictedDelete ?? false,
    defaultPicklistValue: spec.defaultPicklistValue ?? null,
    inlineHelpText: spec.inlineHelpText ?? null,
    childRelationshipName: spec.childRelationshipName ?? null,
  };
}

/** True when a create must supply the field: not nillable, createable and not defaulted by the server. */
export function isRequiredOnCreate(field: FieldSchema): boolean {
  return !field.nillable && field.createable && !field.defaultedOnCreate && field.type !== 'boolean';
}
