import type { FieldDef, ObjectDef } from './field.js';
import type { FieldType } from './types.js';

/**
 * Renders definitions as Salesforce's describe resources. Keys inside each field and at the top of the
 * sObject describe are alphabetical, as in the recorded `account_describe.json`.
 */

export const MASTER_RECORD_TYPE_ID = '012000000000000AAA';

const SOAP_TYPES: Record<FieldType, string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  boolean: 'xsd:boolean',
  string: 'xsd:string',
  textarea: 'xsd:string',
  picklist: 'xsd:string',
  multipicklist: 'xsd:string',
  combobox: 'xsd:string',
  email: 'xsd:string',
  phone: 'xsd:string',
  url: 'xsd:string',
  encryptedstring: 'xsd:string',
  currency: 'xsd:double',
  double: 'xsd:double',
  percent: 'xsd:double',
  int: 'xsd:int',
  long: 'xsd:long',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
  time: 'xsd:time',
  base64: 'xsd:base64Binary',
  address: 'urn:address',
  location: 'urn:location',
  anyType: 'xsd:anyType',
};

/** A record type as describe lists it (`recordTypeInfos`). */
export interface RecordTypeInfo {
  readonly id: string;
  readonly name: string;
  readonly developerName: string;
  readonly active: boolean;
}

function byteLength(field: FieldDef): number {
  if (field.type === 'id' || field.type === 'reference') return 18;
  if (field.type === 'base64' || field.length === 0) return 0;
  const textual = SOAP_TYPES[field.type] === 'xsd:string';
  return textual ? field.length * 3 : 0;
}

/** One `fields[]` entry of the sObject describe. */
export function describeField(field: FieldDef): Record<string, unknown> {
  const polymorphic = field.referenceTo.length > 1;
  return {
    aggregatable: field.sortable && field.type !== 'boolean',
    aiPredictionField: false,
    autoNumber: field.autoNumber,
    byteLength: byteLength(field),
    calculated: field.calculated,
    calculatedFormula: null,
    cascadeDelete: field.cascadeDelete,
    caseSensitive: field.caseSensitive,
    compoundFieldName: field.compoundFieldName,
    controllerName: null,
    createable: field.createable,
    custom: field.custom,
    defaultValue: field.defaultValue,
    defaultValueFormula: null,
    defaultedOnCreate: field.defaultedOnCreate,
    dependentPicklist: false,
    deprecatedAndHidden: false,
    digits: field.digits,
    displayLocationInDecimal: false,
    encrypted: field.type === 'encryptedstring',
    externalId: field.externalId,
    extraTypeInfo: field.extraTypeInfo,
    filterable: field.filterable,
    filteredLookupInfo: null,
    formulaTreatNullNumberAsZero: false,
    groupable: field.groupable,
    highScaleNumber: false,
    htmlFormatted: field.htmlFormatted,
    idLookup: field.idLookup,
    inlineHelpText: field.inlineHelpText,
    label: field.label,
    length: field.length,
    mask: null,
    maskType: null,
    name: field.name,
    nameField: field.nameField,
    namePointing: polymorphic,
    nillable: field.nillable,
    permissionable:
      field.nillable &&
      (field.createable || field.type === 'address') &&
      !field.referenceTo.includes('RecordType'),
    picklistValues: field.picklistValues.map((value) => ({
      active: true,
      defaultValue: value === field.defaultPicklistValue,
      label: value,
      validFor: null,
      value,
    })),
    polymorphicForeignKey: polymorphic,
    precision: field.precision,
    queryByDistance: field.type === 'address' || field.type === 'location',
    referenceTargetField: null,
    referenceTo: field.referenceTo,
    relationshipName: field.relationshipName,
    relationshipOrder: field.relationshipOrder,
    restrictedDelete: field.restrictedDelete,
    restrictedPicklist: field.restrictedPicklist,
    scale: field.scale,
    searchPrefilterable:
      field.type === 'reference' &&
      field.nillable &&
      field.createable &&
      !field.referenceTo.includes('RecordType'),
    soapType: SOAP_TYPES[field.type],
    sortable: field.sortable,
    type: field.type,
    unique: field.unique,
    updateable: field.updateable,
    writeRequiresMasterRead: false,
  };
}

function base(version: string, def: ObjectDef): string {
  return `/services/data/v${version}/sobjects/${def.name}`;
}

/** The `urls` of a describe-global entry. */
function globalUrls(def: ObjectDef, version: string): Record<string, string> {
  const b = base(version, def);
  if (def.eventObject) {
    return {
      eventSchema: `${b}/eventSchema`,
      rowTemplate: `${b}/{ID}`,
      describe: `${b}/describe`,
      sobject: b,
    };
  }
  if (!def.layoutable) {
    return {
      rowTemplate: `${b}/{ID}`,
      defaultValues: `${b}/defaultValues?recordTypeId&fields`,
      describe: `${b}/describe`,
      sobject: b,
    };
  }
  return {
    compactLayouts: `${b}/describe/compactLayouts`,
    rowTemplate: `${b}/{ID}`,
    approvalLayouts: `${b}/describe/approvalLayouts`,
    defaultValues: `${b}/defaultValues?recordTypeId&fields`,
    listviews: `${b}/listviews`,
    describe: `${b}/describe`,
    quickActions: `${b}/quickActions`,
    layouts: `${b}/describe/layouts`,
    sobject: b,
  };
}

/** One `sobjects[]` entry of describe global (and `objectDescribe` of the basic-information resource). */
export function describeGlobalEntry(def: ObjectDef, version: string): Record<string, unknown> {
  return {
    activateable: false,
    associateEntityType: null,
    associateParentEntity: null,
    createable: def.createable,
    custom: def.custom,
    customSetting: false,
    deepCloneable: false,
    deletable: def.deletable,
    deprecatedAndHidden: false,
    feedEnabled: def.feedEnabled,
    hasSubtypes: false,
    isInterface: false,
    isSubtype: false,
    keyPrefix: def.keyPrefix,
    label: def.label,
    labelPlural: def.labelPlural,
    layoutable: def.layoutable,
    mergeable: def.mergeable,
    mruEnabled: def.mruEnabled,
    name: def.name,
    queryable: def.queryable,
    replicateable: !def.eventObject,
    retrieveable: !def.eventObject,
    searchable: def.searchable,
    triggerable: true,
    undeletable: def.undeletable,
    updateable: def.updateable,
    urls: globalUrls(def, version),
  };
}

/** `GET /sobjects`: describe global. */
export function describeGlobal(defs: readonly ObjectDef[], version: string): Record<string, unknown> {
  return {
    encoding: 'UTF-8',
    maxBatchSize: 200,
    sobjects: defs.map((def) => describeGlobalEntry(def, version)),
  };
}

export interface DescribeContext {
  readonly version: string;
  /** `https://host:port`, for the `ui*` urls. */
  readonly instanceUrl: string;
  readonly recordTypes: readonly RecordTypeInfo[];
}

function recordTypeInfos(def: ObjectDef, ctx: DescribeContext): Record<string, unknown>[] {
  if (!def.layoutable || def.eventObject) return [];
  const layout = (id: string) => ({ layout: `${base(ctx.version, def)}/describe/layouts/${id}` });
  const defaultId = ctx.recordTypes.find((rt) => rt.active)?.id;
  const custom = ctx.recordTypes.map((rt) => ({
    active: rt.active,
    available: rt.active,
    defaultRecordTypeMapping: rt.id === defaultId,
    developerName: rt.developerName,
    master: false,
    name: rt.name,
    recordTypeId: rt.id,
    urls: layout(rt.id),
  }));
  return [
    ...custom,
    {
      active: true,
      available: true,
      defaultRecordTypeMapping: defaultId === undefined,
      developerName: 'Master',
      master: true,
      name: 'Master',
      recordTypeId: MASTER_RECORD_TYPE_ID,
      urls: layout(MASTER_RECORD_TYPE_ID),
    },
  ];
}

function describeUrls(def: ObjectDef, ctx: DescribeContext): Record<string, string> {
  const b = base(ctx.version, def);
  if (!def.layoutable) {
    return def.eventObject
      ? { eventSchema: `${b}/eventSchema`, rowTemplate: `${b}/{ID}`, describe: `${b}/describe`, sobject: b }
      : { rowTemplate: `${b}/{ID}`, describe: `${b}/describe`, sobject: b };
  }
  return {
    compactLayouts: `${b}/describe/compactLayouts`,
    rowTemplate: `${b}/{ID}`,
    approvalLayouts: `${b}/describe/approvalLayouts`,
    uiDetailTemplate: `${ctx.instanceUrl}/{ID}`,
    uiEditTemplate: `${ctx.instanceUrl}/{ID}/e`,
    listviews: `${b}/listviews`,
    describe: `${b}/describe`,
    uiNewRecord: `${ctx.instanceUrl}/${def.keyPrefix}/e`,
    quickActions: `${b}/quickActions`,
    layouts: `${b}/describe/layouts`,
    sobject: b,
  };
}

/** `GET /sobjects/X/describe`: the full sObject describe. */
export function describeSObject(def: ObjectDef, ctx: DescribeContext): Record<string, unknown> {
  return {
    actionOverrides: [],
    activateable: false,
    associateEntityType: null,
    associateParentEntity: null,
    childRelationships: def.childRelationships.map((rel) => ({
      cascadeDelete: rel.cascadeDelete,
      childSObject: rel.childSObject,
      deprecatedAndHidden: false,
      field: rel.field,
      junctionIdListNames: [],
      junctionReferenceTo: [],
      relationshipName: rel.relationshipName,
      restrictedDelete: false,
    })),
    compactLayoutable: def.layoutable,
    createable: def.createable,
    custom: def.custom,
    customSetting: false,
    deepCloneable: false,
    defaultImplementation: null,
    deletable: def.deletable,
    deprecatedAndHidden: false,
    extendedBy: null,
    extendsInterfaces: null,
    feedEnabled: def.feedEnabled,
    fields: def.fields.map(describeField),
    hasSubtypes: false,
    implementedBy: null,
    implementsInterfaces: null,
    isInterface: false,
    isSubtype: false,
    keyPrefix: def.keyPrefix,
    label: def.label,
    labelPlural: def.labelPlural,
    layoutable: def.layoutable,
    listviewable: null,
    lookupLayoutable: null,
    mergeable: def.mergeable,
    mruEnabled: def.mruEnabled,
    name: def.name,
    namedLayoutInfos: [],
    networkScopeFieldName: null,
    queryable: def.queryable,
    recordTypeInfos: recordTypeInfos(def, ctx),
    replicateable: !def.eventObject,
    retrieveable: !def.eventObject,
    searchLayoutable: def.searchable && def.layoutable,
    searchable: def.searchable,
    sobjectDescribeOption: 'FULL',
    supportedScopes: def.scopes,
    triggerable: true,
    undeletable: def.undeletable,
    updateable: def.updateable,
    urls: describeUrls(def, ctx),
  };
}
