/**
 * A small in-memory org for the engine's own tests and measurements: just enough schema (Account,
 * Contact, Opportunity, User, Task, and a custom object with a multi-select picklist) and a store that
 * implements `OrgData`. The emulator's real store lives in `src/data`; this one exists so the engine
 * depends on nothing but the shared interfaces.
 */
import { IdFactory, to18 } from '../ids.js';
import type {
  ChildRelationshipSchema,
  FieldSchema,
  FieldType,
  ObjectSchema,
  OrgData,
  StoredRecord,
  StoredValue,
} from '../schema/types.js';

type FieldOptions = Partial<Omit<FieldSchema, 'name' | 'type'>>;

export function field(name: string, type: FieldType, options: FieldOptions = {}): FieldSchema {
  const text = [
    'string',
    'textarea',
    'email',
    'phone',
    'url',
    'picklist',
    'multipicklist',
    'combobox',
  ].includes(type);
  const longText = type === 'textarea' && (options.length ?? 255) > 255;
  return {
    name,
    label: name,
    type,
    length: text ? 255 : type === 'id' || type === 'reference' ? 18 : 0,
    precision: 0,
    scale: 0,
    digits: 0,
    nillable: type !== 'id' && type !== 'boolean',
    createable: type !== 'id',
    updateable: type !== 'id',
    filterable: !longText && type !== 'address' && type !== 'location',
    sortable: !longText && type !== 'multipicklist' && type !== 'address' && type !== 'location',
    groupable:
      !longText &&
      !['double', 'currency', 'percent', 'datetime', 'multipicklist', 'address', 'location'].includes(type),
    defaultedOnCreate: false,
    custom: name.endsWith('__c'),
    calculated: false,
    externalId: false,
    unique: false,
    idLookup: type === 'id',
    caseSensitive: false,
    nameField: false,
    autoNumber: false,
    picklistValues: [],
    restrictedPicklist: false,
    referenceTo: [],
    relationshipName: null,
    cascadeDelete: false,
    compoundFieldName: null,
    defaultValue: null,
    ...options,
  };
}

function reference(name: string, referenceTo: readonly string[], relationshipName: string): FieldSchema {
  return field(name, 'reference', { referenceTo, relationshipName });
}

function system(owner = true): FieldSchema[] {
  const fields = [
    field('Id', 'id'),
    field('IsDeleted', 'boolean'),
    field('CreatedDate', 'datetime'),
    reference('CreatedById', ['User'], 'CreatedBy'),
    field('LastModifiedDate', 'datetime'),
    field('SystemModstamp', 'datetime'),
  ];
  if (owner) fields.push(reference('OwnerId', ['User'], 'Owner'));
  return fields;
}

function object(
  name: string,
  keyPrefix: string,
  fields: readonly FieldSchema[],
  childRelationships: readonly ChildRelationshipSchema[] = [],
): ObjectSchema {
  return {
    name,
    label: name,
    labelPlural: `${name}s`,
    keyPrefix,
    custom: name.endsWith('__c'),
    queryable: true,
    createable: true,
    updateable: true,
    deletable: true,
    searchable: true,
    fields,
    childRelationships,
  };
}

function child(childSObject: string, fieldName: string, relationshipName: string): ChildRelationshipSchema {
  return { childSObject, field: fieldName, relationshipName, cascadeDelete: false };
}

/** The schema the engine's tests run against. */
export function testSchemas(): ObjectSchema[] {
  return [
    object(
      'Account',
      '001',
      [
        ...system(),
        field('Name', 'string', { nameField: true, nillable: false }),
        field('Industry', 'picklist', { picklistValues: ['Energy', 'Media', 'Technology'] }),
        field('AnnualRevenue', 'currency'),
        field('NumberOfEmployees', 'int'),
        field('Phone', 'phone'),
        field('Website', 'url'),
        field('Description', 'textarea', { length: 32000 }),
        reference('ParentId', ['Account'], 'Parent'),
        field('BillingStreet', 'textarea', { compoundFieldName: 'BillingAddress' }),
        field('BillingCity', 'string', { compoundFieldName: 'BillingAddress' }),
        field('BillingPostalCode', 'string', { compoundFieldName: 'BillingAddress' }),
        field('BillingCountry', 'string', { compoundFieldName: 'BillingAddress' }),
        field('BillingAddress', 'address'),
        field('Active__c', 'boolean'),
        field('Region__c', 'picklist', { picklistValues: ['EMEA', 'AMER', 'APAC'] }),
      ],
      [
        child('Account', 'ParentId', 'ChildAccounts'),
        child('Contact', 'AccountId', 'Contacts'),
        child('Opportunity', 'AccountId', 'Opportunities'),
        child('Task', 'WhatId', 'Tasks'),
        child('Gadget__c', 'Account__c', 'Gadgets__r'),
      ],
    ),
    object(
      'Contact',
      '003',
      [
        ...system(),
        field('FirstName', 'string'),
        field('LastName', 'string', { nillable: false }),
        field('Name', 'string', { nameField: true }),
        field('Email', 'email'),
        field('Phone', 'phone'),
        field('Birthdate', 'date'),
        reference('AccountId', ['Account'], 'Account'),
        reference('ReportsToId', ['Contact'], 'ReportsTo'),
      ],
      [child('Task', 'WhoId', 'Tasks')],
    ),
    object(
      'Opportunity',
      '006',
      [
        ...system(),
        field('Name', 'string', { nameField: true }),
        field('Amount', 'currency'),
        field('StageName', 'picklist', { picklistValues: ['Prospecting', 'Closed Won', 'Closed Lost'] }),
        field('CloseDate', 'date'),
        field('Probability', 'percent'),
        field('IsWon', 'boolean'),
        reference('AccountId', ['Account'], 'Account'),
      ],
      [child('Task', 'WhatId', 'Tasks')],
    ),
    object(
      'User',
      '005',
      [
        ...system(false),
        field('Username', 'string'),
        field('FirstName', 'string'),
        field('LastName', 'string'),
        field('Name', 'string', { nameField: true }),
        field('Email', 'email'),
        field('IsActive', 'boolean'),
        reference('ManagerId', ['User'], 'Manager'),
      ],
      [child('User', 'ManagerId', 'ManagedUsers')],
    ),
    object('Task', '00T', [
      ...system(),
      field('Subject', 'string'),
      field('Status', 'picklist', { picklistValues: ['Open', 'Completed'] }),
      field('ActivityDate', 'date'),
      reference('WhatId', ['Account', 'Opportunity'], 'What'),
      reference('WhoId', ['Contact'], 'Who'),
    ]),
    object('Gadget__c', 'a01', [
      ...system(),
      field('Name', 'string', { nameField: true }),
      field('Colors__c', 'multipicklist', { picklistValues: ['Red', 'Green', 'Blue', 'Black'] }),
      field('Price__c', 'double'),
      field('Launch__c', 'date'),
      field('Notes__c', 'textarea'),
      reference('Account__c', ['Account'], 'Account__r'),
    ]),
  ];
}

/** An `OrgData` over plain arrays, with helpers to add and delete records. */
export class TestOrgData implements OrgData {
  readonly userId: string;
  readonly #schemas = new Map<string, ObjectSchema>();
  readonly #records = new Map<string, StoredRecord[]>();
  readonly #byId = new Map<string, StoredRecord>();
  readonly #ids = new IdFactory('TS0');
  readonly #owned = new Set<string>();

  constructor(schemas: readonly ObjectSchema[] = testSchemas()) {
    for (const schema of schemas) {
      this.#schemas.set(schema.name.toLowerCase(), schema);
      this.#records.set(schema.name, []);
      if (schema.fields.some((f) => f.name === 'OwnerId')) this.#owned.add(schema.name);
    }
    this.userId = this.insert('User', {
      Username: 'admin@example.com',
      Name: 'Admin User',
      LastName: 'User',
      IsActive: true,
    });
  }

  object(name: string): ObjectSchema | undefined {
    return this.#schemas.get(name.toLowerCase());
  }

  objects(): readonly ObjectSchema[] {
    return [...this.#schemas.values()];
  }

  records(objectName: string): readonly StoredRecord[] {
    const schema = this.object(objectName);
    return schema === undefined ? [] : (this.#records.get(schema.name) ?? []);
  }

  byId(id: string): StoredRecord | undefined {
    const id18 = to18(id);
    return id18 === undefined ? undefined : this.#byId.get(id18);
  }

  /**
   * Inserts a record and returns its id. Fields not given are simply absent (the engine reads them as
   * null), which keeps a million test rows small.
   */
  insert(objectName: string, values: Readonly<Record<string, StoredValue>>): string {
    const schema = this.object(objectName);
    if (schema === undefined) throw new Error(`no object ${objectName}`);
    const id = typeof values.Id === 'string' ? values.Id : this.#ids.next(schema.keyPrefix);
    const record: Record<string, StoredValue> = {
      Id: id,
      IsDeleted: false,
      CreatedDate: '2024-01-15T10:00:00.000+0000',
      ...values,
    };
    record.Id = id;
    if (this.#owned.has(schema.name) && values.OwnerId === undefined) record.OwnerId = this.userId;
    this.#records.get(schema.name)?.push(record);
    this.#byId.set(id, record);
    return id;
  }

  /** Soft-deletes a record, as the real store does (it stays, with `IsDeleted: true`). */
  softDelete(id: string): void {
    const record = this.byId(id) as Record<string, StoredValue> | undefined;
    if (record !== undefined) record.IsDeleted = true;
  }
}
