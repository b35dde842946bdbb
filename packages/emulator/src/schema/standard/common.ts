import { type FieldDef, type FieldSpec, fieldDef, type ObjectDef } from '../field.js';

/** Building blocks shared by the standard objects: system fields, addresses, person names. */

export function id(label: string): FieldDef {
  return fieldDef({
    name: 'Id',
    label,
    type: 'id',
    nillable: false,
    createable: false,
    updateable: false,
    defaultedOnCreate: true,
    idLookup: true,
  });
}

export function isDeleted(): FieldDef {
  return fieldDef({
    name: 'IsDeleted',
    label: 'Deleted',
    type: 'boolean',
    nillable: false,
    createable: false,
    updateable: false,
  });
}

/** A read-only field the server maintains. */
export function system(spec: FieldSpec): FieldDef {
  return fieldDef({ createable: false, updateable: false, ...spec });
}

export function owner(referenceTo: readonly string[] = ['User'], label = 'Owner ID'): FieldDef {
  return fieldDef({
    name: 'OwnerId',
    label,
    type: 'reference',
    referenceTo,
    relationshipName: 'Owner',
    nillable: false,
    defaultedOnCreate: true,
  });
}

function auditReference(name: string, label: string, relationshipName: string): FieldDef {
  return system({
    name,
    label,
    type: 'reference',
    referenceTo: ['User'],
    relationshipName,
    nillable: false,
    defaultedOnCreate: true,
  });
}

function auditDate(name: string, label: string): FieldDef {
  return system({ name, label, type: 'datetime', nillable: false, defaultedOnCreate: true });
}

/** CreatedDate, CreatedById, LastModifiedDate, LastModifiedById, SystemModstamp, in describe order. */
export function audit(): FieldDef[] {
  return [
    auditDate('CreatedDate', 'Created Date'),
    auditReference('CreatedById', 'Created By ID', 'CreatedBy'),
    auditDate('LastModifiedDate', 'Last Modified Date'),
    auditReference('LastModifiedById', 'Last Modified By ID', 'LastModifiedBy'),
    auditDate('SystemModstamp', 'System Modstamp'),
  ];
}

export function lastActivity(): FieldDef {
  return system({ name: 'LastActivityDate', label: 'Last Activity', type: 'date' });
}

export function lastViewed(): FieldDef[] {
  return [
    system({ name: 'LastViewedDate', label: 'Last Viewed Date', type: 'datetime' }),
    system({ name: 'LastReferencedDate', label: 'Last Referenced Date', type: 'datetime' }),
  ];
}

export const GEOCODE_ACCURACY = [
  'Address',
  'NearAddress',
  'Block',
  'Street',
  'ExtendedZip',
  'Zip',
  'Neighborhood',
  'City',
  'County',
  'State',
  'Unknown',
];

/**
 * A compound address: `<prefix>Street`, `City`, `State`, `PostalCode`, `Country`, `Latitude`,
 * `Longitude`, `GeocodeAccuracy`, then the read-only compound `<prefix>Address`.
 */
export function address(prefix: string, labelPrefix: string): FieldDef[] {
  const compound = `${prefix}Address`;
  const label = (part: string) => (labelPrefix ? `${labelPrefix} ${part}` : part);
  return [
    fieldDef({
      name: `${prefix}Street`,
      label: label('Street'),
      type: 'textarea',
      compoundFieldName: compound,
    }),
    fieldDef({
      name: `${prefix}City`,
      label: label('City'),
      type: 'string',
      length: 40,
      compoundFieldName: compound,
    }),
    fieldDef({
      name: `${prefix}State`,
      label: label('State/Province'),
      type: 'string',
      length: 80,
      compoundFieldName: compound,
    }),
    fieldDef({
      name: `${prefix}PostalCode`,
      label: label('Zip/Postal Code'),
      type: 'string',
      length: 20,
      compoundFieldName: compound,
    }),
    fieldDef({
      name: `${prefix}Country`,
      label: label('Country'),
      type: 'string',
      length: 80,
      compoundFieldName: compound,
    }),
    fieldDef({
      name: `${prefix}Latitude`,
      label: label('Latitude'),
      type: 'double',
      precision: 18,
      scale: 15,
      compoundFieldName: compound,
    }),
    fieldDef({
      name: `${prefix}Longitude`,
      label: label('Longitude'),
      type: 'double',
      precision: 18,
      scale: 15,
      compoundFieldName: compound,
    }),
    fieldDef({
      name: `${prefix}GeocodeAccuracy`,
      label: label('Geocode Accuracy'),
      type: 'picklist',
      length: 40,
      picklistValues: GEOCODE_ACCURACY,
      restrictedPicklist: true,
      compoundFieldName: compound,
    }),
    fieldDef({
      name: compound,
      label: label('Address'),
      type: 'address',
      createable: false,
      updateable: false,
      groupable: false,
      sortable: false,
    }),
  ];
}

/** Salutation, FirstName, LastName (required) and the read-only full `Name`, in describe order. */
export function personName(nameLabel = 'Full Name'): FieldDef[] {
  return [
    fieldDef({
      name: 'LastName',
      label: 'Last Name',
      type: 'string',
      length: 80,
      required: true,
      compoundFieldName: 'Name',
    }),
    fieldDef({
      name: 'FirstName',
      label: 'First Name',
      type: 'string',
      length: 40,
      compoundFieldName: 'Name',
    }),
    fieldDef({
      name: 'Salutation',
      label: 'Salutation',
      type: 'picklist',
      length: 40,
      picklistValues: ['Mr.', 'Ms.', 'Mrs.', 'Dr.', 'Prof.', 'Mx.'],
      compoundFieldName: 'Name',
    }),
    system({
      name: 'Name',
      label: nameLabel,
      type: 'string',
      length: 121,
      nillable: false,
      nameField: true,
      extraTypeInfo: 'personname',
    }),
  ];
}

export const INDUSTRIES = [
  'Agriculture',
  'Apparel',
  'Banking',
  'Biotechnology',
  'Chemicals',
  'Communications',
  'Construction',
  'Consulting',
  'Education',
  'Electronics',
  'Energy',
  'Engineering',
  'Entertainment',
  'Environmental',
  'Finance',
  'Food & Beverage',
  'Government',
  'Healthcare',
  'Hospitality',
  'Insurance',
  'Machinery',
  'Manufacturing',
  'Media',
  'Not For Profit',
  'Recreation',
  'Retail',
  'Shipping',
  'Technology',
  'Telecommunications',
  'Transportation',
  'Utilities',
  'Other',
];

export const LEAD_SOURCES = ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'];
export const RATINGS = ['Hot', 'Warm', 'Cold'];

export type ObjectFlags = Partial<
  Pick<
    ObjectDef,
    | 'custom'
    | 'queryable'
    | 'createable'
    | 'updateable'
    | 'deletable'
    | 'searchable'
    | 'eventObject'
    | 'feedEnabled'
    | 'mergeable'
    | 'undeletable'
    | 'layoutable'
    | 'mruEnabled'
    | 'scopes'
  >
>;

export interface ObjectSpec extends ObjectFlags {
  readonly name: string;
  readonly label: string;
  readonly labelPlural: string;
  readonly keyPrefix: string;
  readonly fields: readonly FieldDef[];
}

/** The default scopes of an object with an owner. */
export function ownedScopes(plural: string): { label: string; name: string }[] {
  const lower = plural.toLowerCase();
  return [
    { label: `All ${lower}`, name: 'everything' },
    { label: `My ${lower}`, name: 'mine' },
    { label: `My team's ${lower}`, name: 'team' },
  ];
}

/** Builds an object definition; child relationships are filled in by the registry. */
export function objectDef(spec: ObjectSpec): ObjectDef {
  const owned = spec.fields.some((f) => f.name === 'OwnerId');
  return {
    name: spec.name,
    label: spec.label,
    labelPlural: spec.labelPlural,
    keyPrefix: spec.keyPrefix,
    custom: spec.custom ?? false,
    queryable: spec.queryable ?? true,
    createable: spec.createable ?? true,
    updateable: spec.updateable ?? true,
    deletable: spec.deletable ?? true,
    searchable: spec.searchable ?? true,
    eventObject: spec.eventObject ?? false,
    feedEnabled: spec.feedEnabled ?? false,
    mergeable: spec.mergeable ?? false,
    undeletable: spec.undeletable ?? true,
    layoutable: spec.layoutable ?? true,
    mruEnabled: spec.mruEnabled ?? true,
    scopes: spec.scopes ?? (owned ? ownedScopes(spec.labelPlural) : [{ label: 'All', name: 'everything' }]),
    fields: spec.fields,
    childRelationships: [],
  };
}
