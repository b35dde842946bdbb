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
import type { SoqlOptions } from './options.js';

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

/** The ids of the records `seedOrg` inserts, by a short name. */
export interface SeedIds {
  readonly [name: string]: string;
}

/**
 * A known little org for the engine's tests: users, accounts (one soft-deleted), contacts,
 * opportunities, polymorphic tasks and gadgets with multi-select colors.
 */
export function seedOrg(): { readonly data: TestOrgData; readonly ids: SeedIds } {
  const data = new TestOrgData();
  const ids: Record<string, string> = { admin: data.userId };
  ids.second = data.insert('User', {
    Username: 'second@example.com',
    FirstName: 'Second',
    LastName: 'User',
    Name: 'Second User',
    Email: 'second@example.com',
    IsActive: true,
    ManagerId: ids.admin ?? null,
  });
  ids.acme = data.insert('Account', {
    Name: 'Acme',
    Industry: 'Energy',
    AnnualRevenue: 5000,
    NumberOfEmployees: 50,
    Phone: '(415) 555-1212',
    BillingCity: 'Paris',
    BillingCountry: 'France',
    Active__c: true,
    Region__c: 'EMEA',
    CreatedDate: '2024-03-10T09:00:00.000+0000',
  });
  ids.globex = data.insert('Account', {
    Name: 'Globex',
    Industry: 'Media',
    AnnualRevenue: 1000,
    OwnerId: ids.second ?? null,
    ParentId: ids.acme ?? null,
    Active__c: false,
    Region__c: 'AMER',
    CreatedDate: '2024-02-01T00:00:00.000+0000',
  });
  ids.initech = data.insert('Account', {
    Name: 'initech',
    Industry: null,
    AnnualRevenue: null,
    Description: 'Makes TPS reports',
    CreatedDate: '2023-12-31T23:59:59.000+0000',
  });
  ids.gone = data.insert('Account', { Name: 'Gone Corp', Industry: 'Energy', AnnualRevenue: 7000 });
  data.softDelete(ids.gone);

  ids.jo = data.insert('Contact', {
    FirstName: 'Jo',
    LastName: 'Smith',
    Name: 'Jo Smith',
    Email: 'jo@acme.com',
    Phone: '+1 415 555 0100',
    Birthdate: '1990-05-17',
    AccountId: ids.acme ?? null,
  });
  ids.ann = data.insert('Contact', {
    FirstName: 'Ann',
    LastName: 'Lee',
    Name: 'Ann Lee',
    AccountId: ids.acme ?? null,
    ReportsToId: ids.jo ?? null,
  });
  ids.max = data.insert('Contact', {
    FirstName: 'Max',
    LastName: 'Power',
    Name: 'Max Power',
    Email: 'max@globex.example',
    AccountId: ids.globex ?? null,
  });
  ids.orphan = data.insert('Contact', { LastName: 'Orphan', Name: 'Orphan' });

  ids.bigDeal = data.insert('Opportunity', {
    Name: 'Big Deal',
    Amount: 100000,
    StageName: 'Closed Won',
    CloseDate: '2024-03-31',
    Probability: 100,
    IsWon: true,
    AccountId: ids.acme ?? null,
  });
  ids.smallDeal = data.insert('Opportunity', {
    Name: 'Small Deal',
    Amount: 500,
    StageName: 'Prospecting',
    CloseDate: '2024-04-15',
    Probability: 10,
    IsWon: false,
    AccountId: ids.acme ?? null,
  });
  ids.mediaDeal = data.insert('Opportunity', {
    Name: 'Media Deal',
    Amount: 2500,
    StageName: 'Closed Lost',
    CloseDate: '2024-01-10',
    Probability: 0,
    IsWon: false,
    AccountId: ids.globex ?? null,
  });
  ids.noAmount = data.insert('Opportunity', {
    Name: 'No Amount',
    Amount: null,
    StageName: 'Prospecting',
    CloseDate: '2024-02-29',
    IsWon: false,
  });

  ids.call = data.insert('Task', { Subject: 'Call Acme', WhatId: ids.acme ?? null, WhoId: ids.jo ?? null });
  ids.followUp = data.insert('Task', { Subject: 'Follow up deal', WhatId: ids.bigDeal ?? null });
  ids.loose = data.insert('Task', { Subject: 'Loose end' });

  ids.redBlue = data.insert('Gadget__c', {
    Name: 'Red-Blue',
    Colors__c: 'Red;Blue',
    Price__c: 10.5,
    Launch__c: '2024-01-15',
    Account__c: ids.acme ?? null,
  });
  ids.green = data.insert('Gadget__c', {
    Name: 'Green',
    Colors__c: 'Green',
    Price__c: 99,
    Account__c: ids.acme ?? null,
  });
  ids.plain = data.insert('Gadget__c', { Name: 'Plain', Colors__c: null, Price__c: null });
  ids.triple = data.insert('Gadget__c', { Name: 'Triple', Colors__c: 'Blue;Black;Red', Price__c: 5 });
  return { data, ids };
}

/** The instant the engine's tests run at: Friday 2024-03-15, noon UTC. */
export const TEST_NOW = new Date('2024-03-15T12:00:00.000Z');

export const TEST_OPTIONS: SoqlOptions = { includeDeleted: false, apiVersion: '62.0', now: TEST_NOW };

/** The REST url of a record, as `attributes.url` renders it in the tests (API 62.0). */
export function recordUrl(type: string, id: string): string {
  return `/services/data/v62.0/sobjects/${type}/${id}`;
}
