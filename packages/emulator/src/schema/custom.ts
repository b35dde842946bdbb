import { z } from 'zod';
import { type FieldDef, type FieldSpec, fieldDef, type ObjectDef } from './field.js';
import {
  audit,
  id,
  isDeleted,
  lastActivity,
  lastViewed,
  objectDef,
  owner,
  system,
} from './standard/common.js';

/**
 * Custom objects (`Foo__c`), platform events (`Foo__e`) and custom fields (`Bar__c`) a test defines,
 * validated at the boundary and turned into definitions shaped like the ones Salesforce describes.
 */

const CUSTOM_FIELD_TYPES = [
  'string',
  'textarea',
  'picklist',
  'multipicklist',
  'boolean',
  'double',
  'currency',
  'percent',
  'int',
  'long',
  'date',
  'datetime',
  'time',
  'email',
  'phone',
  'url',
  'reference',
  'encryptedstring',
] as const;

/** `Foo__c`, `ns__Foo__c`: letters, digits and single underscores, then the suffix. */
const apiName = (suffixes: readonly ('c' | 'e')[]) =>
  z
    .string()
    .regex(
      new RegExp(
        `^(?:[A-Za-z][A-Za-z0-9]*__)?[A-Za-z](?:[A-Za-z0-9]|_(?!_))*__(?:${suffixes.join('|')})$`,
        'i',
      ),
      `must be an API name ending in ${suffixes.map((s) => `__${s}`).join(' or ')}`,
    );

export const customFieldInput = z.strictObject({
  name: apiName(['c']),
  label: z.string().min(1).optional(),
  type: z.enum(CUSTOM_FIELD_TYPES),
  length: z.number().int().positive().max(131072).optional(),
  precision: z.number().int().min(1).max(18).optional(),
  scale: z.number().int().min(0).max(17).optional(),
  required: z.boolean().optional(),
  unique: z.boolean().optional(),
  externalId: z.boolean().optional(),
  caseSensitive: z.boolean().optional(),
  picklistValues: z.array(z.string().min(1)).optional(),
  restrictedPicklist: z.boolean().optional(),
  defaultValue: z.union([z.string(), z.number(), z.boolean()]).optional(),
  /** For references: the parent object. */
  referenceTo: z.string().min(1).optional(),
  /** For references: the relationship name without `__r` (default: the field name without `__c`). */
  relationshipName: z.string().min(1).optional(),
  /** For references: the child relationship name on the parent without `__r` (default: the child's plural). */
  childRelationshipName: z.string().min(1).optional(),
  /** Master-detail: required, cascade delete, relationshipOrder 0. */
  masterDetail: z.boolean().optional(),
  inlineHelpText: z.string().optional(),
});
export type CustomFieldInput = z.input<typeof customFieldInput>;

export const customObjectInput = z.strictObject({
  name: apiName(['c', 'e']),
  label: z.string().min(1).optional(),
  labelPlural: z.string().min(1).optional(),
  /** The Name field: text (default) or an auto-number such as `F-{0000}`. */
  nameField: z
    .strictObject({
      label: z.string().min(1).optional(),
      autoNumberFormat: z.string().min(1).optional(),
    })
    .optional(),
  fields: z.array(customFieldInput).optional(),
});
export type CustomObjectInput = z.input<typeof customObjectInput>;

/** Parses input or throws an Error that names the offending property. */
export function parseInput<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.join('.') : '(root)';
  throw new Error(`${what}: ${where}: ${issue?.message ?? 'invalid input'}`);
}

function labelOf(apiName: string): string {
  return apiName
    .replace(/__[ce]$/i, '')
    .replace(/_/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .trim();
}

/** Builds a custom field's definition; `childPlural` names the default child relationship. */
export function customFieldDef(input: z.output<typeof customFieldInput>, childPlural: string): FieldDef {
  const base = input.name.slice(0, -3);
  const spec: { -readonly [K in keyof FieldSpec]: FieldSpec[K] } = {
    name: input.name,
    label: input.label ?? labelOf(input.name),
    type: input.type,
    custom: true,
  };
  if (input.length !== undefined) spec.length = input.length;
  if (input.type === 'string' && input.length === undefined) spec.length = 255;
  if (input.type === 'textarea' && input.length === undefined) spec.length = 255;
  if (input.type === 'double' || input.type === 'currency' || input.type === 'percent') {
    spec.precision = input.precision ?? 18;
    spec.scale = input.scale ?? (input.type === 'currency' ? 2 : 0);
  }
  if (input.required) spec.required = true;
  if (input.unique) spec.unique = true;
  if (input.externalId) {
    spec.externalId = true;
    spec.idLookup = true;
  }
  if (input.caseSensitive) spec.caseSensitive = true;
  if (input.picklistValues) spec.picklistValues = input.picklistValues;
  if (input.restrictedPicklist) spec.restrictedPicklist = true;
  if (input.defaultValue !== undefined) {
    spec.defaultValue = input.defaultValue;
    spec.defaultedOnCreate = true;
    if (input.type === 'picklist' && typeof input.defaultValue === 'string') {
      spec.defaultPicklistValue = input.defaultValue;
    }
  }
  if (input.inlineHelpText !== undefined) spec.inlineHelpText = input.inlineHelpText;
  if (input.type === 'reference') {
    if (input.referenceTo === undefined)
      throw new Error(`field ${input.name}: referenceTo: required for references`);
    spec.referenceTo = [input.referenceTo];
    spec.relationshipName = `${input.relationshipName ?? base}__r`;
    spec.childRelationshipName = `${input.childRelationshipName ?? childPlural.replace(/[^A-Za-z0-9_]/g, '')}__r`;
    if (input.masterDetail) {
      spec.required = true;
      spec.cascadeDelete = true;
      spec.relationshipOrder = 0;
    } else {
      spec.restrictedDelete = false;
    }
  } else if (input.referenceTo !== undefined || input.masterDetail !== undefined) {
    throw new Error(`field ${input.name}: referenceTo and masterDetail apply to type "reference" only`);
  }
  return fieldDef(spec);
}

/** The prefix of the n-th custom object: `a00`, `a01`, ... `a0z`, `a10`, ... (events: `e00`...). */
export function customKeyPrefix(n: number, first: 'a' | 'e'): string {
  const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  return first + (BASE62[Math.floor(n / 62) % 62] ?? '0') + (BASE62[n % 62] ?? '0');
}

/** Builds a custom object (with its standard fields) or a platform event definition. */
export function customObjectDef(input: z.output<typeof customObjectInput>, keyPrefix: string): ObjectDef {
  const event = input.name.toLowerCase().endsWith('__e');
  const label = input.label ?? labelOf(input.name);
  const labelPlural = input.labelPlural ?? `${label}s`;
  const fields = (input.fields ?? []).map((f) => customFieldDef(f, labelPlural));
  if (event) {
    return objectDef({
      name: input.name,
      label,
      labelPlural,
      keyPrefix,
      custom: true,
      eventObject: true,
      queryable: false,
      updateable: false,
      deletable: false,
      undeletable: false,
      searchable: false,
      layoutable: false,
      mruEnabled: false,
      fields: [
        system({ name: 'ReplayId', label: 'Replay ID', type: 'string', length: 255 }),
        system({
          name: 'CreatedDate',
          label: 'Created Date',
          type: 'datetime',
          nillable: false,
          defaultedOnCreate: true,
        }),
        system({
          name: 'CreatedById',
          label: 'Created By ID',
          type: 'reference',
          referenceTo: ['User'],
          relationshipName: 'CreatedBy',
          nillable: false,
          defaultedOnCreate: true,
        }),
        system({ name: 'EventUuid', label: 'Event UUID', type: 'string', length: 36 }),
        ...fields,
      ],
    });
  }
  const masterDetail = fields.some((f) => f.relationshipOrder !== null);
  const autoNumber = input.nameField?.autoNumberFormat !== undefined;
  const nameField = autoNumber
    ? system({
        name: 'Name',
        label: input.nameField?.label ?? `${label} Name`,
        type: 'string',
        length: 80,
        nillable: false,
        defaultedOnCreate: true,
        autoNumber: true,
        nameField: true,
        idLookup: true,
      })
    : fieldDef({
        name: 'Name',
        label: input.nameField?.label ?? `${label} Name`,
        type: 'string',
        length: 80,
        nillable: true,
        defaultedOnCreate: true,
        nameField: true,
        idLookup: true,
      });
  return objectDef({
    name: input.name,
    label,
    labelPlural,
    keyPrefix,
    custom: true,
    fields: [
      id('Record ID'),
      ...(masterDetail ? [] : [owner(['User'])]),
      isDeleted(),
      nameField,
      ...audit(),
      lastActivity(),
      ...lastViewed(),
      ...fields,
    ],
  });
}

/** The auto-number format of a custom object's Name, when it has one. */
export function autoNumberFormat(input: z.output<typeof customObjectInput>): string | undefined {
  return input.nameField?.autoNumberFormat;
}
