import type { SeededRandom } from '../random.js';
import type { FieldDef, ObjectDef } from '../schema/field.js';
import { OPPORTUNITY_STAGES } from '../schema/standard/sales.js';
import type { StoredRecord, StoredValue } from '../schema/types.js';
import { applyBehaviours, type Draft } from './behaviours.js';
import { type DmlError, DmlException } from './errors.js';
import { blankRecord } from './record-factory.js';
import type { DataStore } from './store.js';
import { coerceValue } from './validate.js';
import { formatDate, formatDateTime, formatMinute } from './values.js';

/**
 * Realistic generated records, fast enough for a million rows: values come from small word lists and a
 * seeded generator (the same seed gives the same data), records start from a template of defaults,
 * and they go straight into the table without an undo log (generated values are valid by construction).
 */

/** A fixed value or a function of the record's index (0-based) for one field. */
export type GenerateOverrides = Readonly<Record<string, unknown>>;

const FIRST_NAMES = [
  'James',
  'Mary',
  'Robert',
  'Patricia',
  'John',
  'Jennifer',
  'Michael',
  'Linda',
  'David',
  'Elizabeth',
  'William',
  'Barbara',
  'Richard',
  'Susan',
  'Joseph',
  'Jessica',
  'Thomas',
  'Sarah',
  'Carlos',
  'Karen',
  'Wei',
  'Aiko',
  'Priya',
  'Omar',
  'Fatima',
  'Lucas',
  'Sofia',
  'Mateo',
  'Emma',
  'Noah',
  'Olivia',
  'Liam',
  'Amara',
  'Kenji',
  'Ingrid',
  'Pierre',
  'Chiara',
  'Diego',
  'Hana',
  'Ravi',
];
const LAST_NAMES = [
  'Smith',
  'Johnson',
  'Williams',
  'Brown',
  'Jones',
  'Garcia',
  'Miller',
  'Davis',
  'Rodriguez',
  'Martinez',
  'Hernandez',
  'Lopez',
  'Gonzalez',
  'Wilson',
  'Anderson',
  'Thomas',
  'Taylor',
  'Moore',
  'Jackson',
  'Martin',
  'Lee',
  'Perez',
  'Thompson',
  'White',
  'Harris',
  'Sanchez',
  'Clark',
  'Ramirez',
  'Lewis',
  'Robinson',
  'Tanaka',
  'Nguyen',
  'Patel',
  'Kim',
  'Schmidt',
  'Rossi',
  'Dubois',
  'Silva',
  'Kowalski',
  'Okafor',
];
const COMPANY_WORDS = [
  'Acme',
  'Blue',
  'Summit',
  'Northwind',
  'Pinnacle',
  'Vertex',
  'Harbor',
  'Cedar',
  'Granite',
  'Silver',
  'Apex',
  'Orion',
  'Maple',
  'Redwood',
  'Falcon',
  'Quantum',
  'Evergreen',
  'Atlas',
  'Beacon',
  'Cobalt',
  'Crescent',
  'Delta',
  'Horizon',
  'Ironwood',
  'Juniper',
  'Keystone',
  'Lighthouse',
  'Meridian',
  'Nimbus',
  'Oakridge',
];
const COMPANY_NOUNS = [
  'Systems',
  'Logistics',
  'Foods',
  'Energy',
  'Health',
  'Labs',
  'Media',
  'Motors',
  'Partners',
  'Software',
  'Analytics',
  'Capital',
  'Dynamics',
  'Networks',
  'Robotics',
  'Textiles',
  'Pharma',
  'Holdings',
  'Studios',
  'Works',
];
const COMPANY_SUFFIXES = ['Inc.', 'LLC', 'Corp.', 'Ltd.', 'Group', 'Co.', 'GmbH', 'S.A.'];
const PLACES: readonly (readonly [string, string, string, string, string])[] = [
  ['San Francisco', 'CA', 'United States', '94105', '1 Market St'],
  ['New York', 'NY', 'United States', '10001', '350 5th Ave'],
  ['Chicago', 'IL', 'United States', '60601', '233 S Wacker Dr'],
  ['Austin', 'TX', 'United States', '78701', '500 W 2nd St'],
  ['Seattle', 'WA', 'United States', '98101', '400 Pine St'],
  ['Boston', 'MA', 'United States', '02110', '100 Federal St'],
  ['Denver', 'CO', 'United States', '80202', '1700 Lincoln St'],
  ['Atlanta', 'GA', 'United States', '30303', '191 Peachtree St'],
  ['Toronto', 'ON', 'Canada', 'M5H 2N2', '100 King St W'],
  ['London', 'England', 'United Kingdom', 'EC2N 4AY', '25 Old Broad St'],
  ['Paris', 'Île-de-France', 'France', '75008', '8 Rue Royale'],
  ['Berlin', 'Berlin', 'Germany', '10117', 'Unter den Linden 10'],
  ['Tokyo', 'Tokyo', 'Japan', '100-0005', '1-1 Marunouchi'],
  ['Sydney', 'NSW', 'Australia', '2000', '1 Macquarie Pl'],
  ['São Paulo', 'SP', 'Brazil', '01310-100', 'Av. Paulista 1000'],
  ['Bangalore', 'KA', 'India', '560001', '12 MG Road'],
];
const TITLES = [
  'CEO',
  'CFO',
  'VP Sales',
  'VP Marketing',
  'Director of IT',
  'Sales Manager',
  'Account Executive',
  'Engineer',
  'Product Manager',
  'Buyer',
  'Office Manager',
  'Analyst',
];
const SUBJECTS = [
  'Cannot log in',
  'Shipment delayed',
  'Invoice question',
  'Feature request',
  'Product not working',
  'Billing address change',
  'Upgrade inquiry',
  'Warranty claim',
  'Password reset',
  'Data export request',
];

/** Per-record scratch space, so related fields (city, state, country) agree without touching the record. */
interface Scratch {
  place: readonly string[];
}

type ValueMaker = (i: number, rnd: SeededRandom, record: Draft, scratch: Scratch) => StoredValue;

const DAY = 86_400_000;

// Values are built with join(''), which yields one flat string; template literals build rope strings
// of several heap objects each, and a million records keep them all alive.

function company(rnd: SeededRandom): string {
  return [rnd.pick(COMPANY_WORDS), rnd.pick(COMPANY_NOUNS), rnd.pick(COMPANY_SUFFIXES)].join(' ');
}

// Phone numbers are two shared halves: the concatenation is a small rope over strings every record
// shares, no bigger than a flat copy and cheaper to make.
const AREA_CODES = Array.from({ length: 789 }, (_, i) => `(${i + 201}) 555-`);
const LINE_NUMBERS = Array.from({ length: 10_000 }, (_, i) => String(i).padStart(4, '0'));

function phone(rnd: SeededRandom): string {
  return rnd.pick(AREA_CODES) + rnd.pick(LINE_NUMBERS);
}

const slugs = new Map<string, string>();

/** `Acme Labs Inc.` -> `acmelabsinc`; memoized, since generated names repeat a few thousand combinations. */
function slug(text: string): string {
  let out = slugs.get(text);
  if (out === undefined) {
    out = text.toLowerCase().replace(/[^a-z0-9]+/g, '');
    if (slugs.size > 50_000) slugs.clear();
    slugs.set(text, out);
  }
  return out;
}

/** The generators of a standard object's commonly used fields. */
function standardMakers(def: ObjectDef, store: DataStore): Record<string, ValueMaker> {
  const ids = (objectName: string) => liveIds(store, objectName);
  const valuesAccountSource = fieldValues(def, 'AccountSource');
  const valuesIndustry = fieldValues(def, 'Industry');
  const valuesLeadSource = fieldValues(def, 'LeadSource');
  const valuesStatus = fieldValues(def, 'Status');
  const valuesType = fieldValues(def, 'Type');
  const place = (prefix: string): Record<string, ValueMaker> => ({
    [`${prefix}City`]: (_i, r, _rec, scratch) => {
      scratch.place = r.pick(PLACES);
      return scratch.place[0] ?? null;
    },
    [`${prefix}Street`]: (_i, _r, _rec, scratch) => scratch.place[4] ?? null,
    [`${prefix}State`]: (_i, _r, _rec, scratch) => scratch.place[1] ?? null,
    [`${prefix}PostalCode`]: (_i, _r, _rec, scratch) => scratch.place[3] ?? null,
    [`${prefix}Country`]: (_i, _r, _rec, scratch) => scratch.place[2] ?? null,
  });
  const person: Record<string, ValueMaker> = {
    FirstName: (_i, r) => r.pick(FIRST_NAMES),
    LastName: (_i, r) => r.pick(LAST_NAMES),
  };
  const email: ValueMaker = (i, _r, rec) =>
    [slug(String(rec.FirstName ?? 'user')), '.', slug(String(rec.LastName ?? 'x')), i, '@example.com'].join(
      '',
    );
  switch (def.name) {
    case 'Account':
      return {
        Name: (_i, r) => company(r),
        Type: (_i, r) => r.pick(['Prospect', 'Customer - Direct', 'Customer - Channel', 'Other']),
        ...place('Billing'),
        Phone: (_i, r) => phone(r),
        Website: (_i, _r, rec) => ['www.', slug(String(rec.Name)).slice(0, 30), '.com'].join(''),
        Industry: (_i, r) => r.pick(valuesIndustry),
        AnnualRevenue: (_i, r) => r.int(1, 5000) * 10_000,
        NumberOfEmployees: (_i, r) => r.int(1, 20_000),
        Rating: (_i, r) => r.pick(['Hot', 'Warm', 'Cold']),
        AccountSource: (_i, r) => r.pick(valuesAccountSource),
      };
    case 'Contact': {
      const accounts = ids('Account');
      return {
        ...person,
        AccountId: (_i, r) => (accounts.length > 0 ? r.pick(accounts) : null),
        Email: email,
        Phone: (_i, r) => phone(r),
        Title: (_i, r) => r.pick(TITLES),
        ...place('Mailing'),
        LeadSource: (_i, r) => r.pick(valuesLeadSource),
      };
    }
    case 'Lead':
      return {
        ...person,
        Company: (_i, r) => company(r),
        Email: email,
        Phone: (_i, r) => phone(r),
        Title: (_i, r) => r.pick(TITLES),
        ...place(''),
        Status: (_i, r) => r.pick(valuesStatus),
        LeadSource: (_i, r) => r.pick(valuesLeadSource),
        Industry: (_i, r) => r.pick(valuesIndustry),
        Rating: (_i, r) => r.pick(['Hot', 'Warm', 'Cold']),
      };
    case 'Opportunity': {
      const accounts = ids('Account');
      return {
        AccountId: (_i, r) => (accounts.length > 0 ? r.pick(accounts) : null),
        Name: (_i, r) =>
          [company(r), r.pick(['Renewal', 'Upgrade', 'New Business', 'Expansion'])].join(' - '),
        StageName: (_i, r) => r.pick(OPPORTUNITY_STAGES).value,
        Amount: (_i, r) => r.int(1, 500) * 1000,
        CloseDate: (_i, r) => formatDate(store.now() + r.int(-180, 180) * DAY),
        Type: (_i, r) => r.pick(valuesType),
        LeadSource: (_i, r) => r.pick(valuesLeadSource),
      };
    }
    case 'Case': {
      const accounts = ids('Account');
      const contacts = ids('Contact');
      return {
        AccountId: (_i, r) => (accounts.length > 0 ? r.pick(accounts) : null),
        ContactId: (_i, r) => (contacts.length > 0 ? r.pick(contacts) : null),
        Subject: (_i, r) => r.pick(SUBJECTS),
        Status: (_i, r) => r.pick(valuesStatus),
        Priority: (_i, r) => r.pick(['High', 'Medium', 'Low']),
        Origin: (_i, r) => r.pick(['Phone', 'Email', 'Web']),
        Type: (_i, r) => r.pick(valuesType),
      };
    }
    case 'Task':
      return {
        Subject: (_i, r) => r.pick(['Call', 'Send Letter', 'Send Quote', 'Other']),
        ActivityDate: (_i, r) => formatDate(store.now() + r.int(-30, 30) * DAY),
        Status: (_i, r) => r.pick(valuesStatus),
        Priority: (_i, r) => r.pick(['High', 'Normal', 'Low']),
      };
    case 'Event':
      return {
        Subject: (_i, r) => r.pick(['Call', 'Email', 'Meeting', 'Other']),
        StartDateTime: (_i, r) =>
          formatDateTime(Math.floor((store.now() + r.int(-30, 30) * DAY) / 3_600_000) * 3_600_000),
        DurationInMinutes: (_i, r) => r.pick([15, 30, 60, 90]),
        Location: (_i, r) => r.pick(PLACES)[0],
      };
    default:
      return {};
  }
}

const EMPTY: readonly string[] = [];

function fieldValues(def: ObjectDef, name: string): readonly string[] {
  return def.fields.find((f) => f.name === name)?.picklistValues ?? EMPTY;
}

function liveIds(store: DataStore, objectName: string): string[] {
  return store
    .records(objectName)
    .filter((r) => r.IsDeleted !== true)
    .map((r) => r.Id as string);
}

/** A generator for a field no curated list covers (custom fields, required fields). */
function genericMaker(def: ObjectDef, field: FieldDef, store: DataStore): ValueMaker | undefined {
  switch (field.type) {
    case 'string':
    case 'textarea':
    case 'combobox':
    case 'encryptedstring':
      if (field.name === 'Name') return (_i, r) => (def.custom ? `${def.label} ${company(r)}` : company(r));
      return (i) => `${field.label} ${i + 1}`.slice(0, field.length || 255);
    case 'email':
      return (i) => `user${i}@example.com`;
    case 'phone':
      return (_i, r) => phone(r);
    case 'url':
      return (i) => `https://www.example.com/${i}`;
    case 'picklist':
      return field.picklistValues.length > 0 ? (_i, r) => r.pick(field.picklistValues) : undefined;
    case 'multipicklist':
      return field.picklistValues.length > 0 ? (_i, r) => r.pick(field.picklistValues) : undefined;
    case 'boolean':
      return (_i, r) => r.next() < 0.5;
    case 'int':
    case 'long':
      return (_i, r) => r.int(0, 10 ** Math.min(field.digits || 9, 6) - 1);
    case 'double':
    case 'currency':
    case 'percent': {
      const max =
        field.type === 'percent' ? 100 : 10 ** Math.min(Math.max(field.precision - field.scale, 1), 7) - 1;
      const factor = 10 ** field.scale;
      return (_i, r) => Math.round(r.next() * max * factor) / factor;
    }
    case 'date':
      return (_i, r) => formatDate(store.now() + r.int(-365, 365) * DAY);
    case 'datetime':
      return (_i, r) => formatDateTime(Math.floor((store.now() + r.int(-365, 365) * DAY) / 1000) * 1000);
    case 'time':
      return (_i, r) =>
        `${String(r.int(0, 23)).padStart(2, '0')}:${String(r.int(0, 3) * 15).padStart(2, '0')}:00.000Z`;
    case 'reference': {
      const target = field.referenceTo[0];
      if (target === undefined) return undefined;
      const ids = target === 'User' ? [store.userId] : liveIds(store, target);
      if (ids.length === 0) return undefined;
      return (_i, r) => r.pick(ids);
    }
    default:
      return undefined;
  }
}

const SYSTEM_FIELDS = new Set([
  'Id',
  'IsDeleted',
  'OwnerId',
  'CreatedDate',
  'CreatedById',
  'LastModifiedDate',
  'LastModifiedById',
  'SystemModstamp',
]);

type Fill = (
  record: Draft,
  defaults: readonly StoredValue[],
  makers: readonly ValueMaker[],
  i: number,
  rnd: SeededRandom,
  scratch: Scratch,
) => void;

/**
 * One function that sets a record's defaults and generated fields by name. Assigning through a
 * variable key (`record[name] = value`) goes through V8's slow generic path; properties named in the
 * code are monomorphic stores, which cut a million-record generation by seconds. Names come from the
 * schema and are embedded as JSON string literals.
 */
function compileFill(defaultNames: readonly string[], makerNames: readonly string[]): Fill {
  const lines = [
    ...defaultNames.map((name, d) => `record[${JSON.stringify(name)}] = defaults[${d}];`),
    ...makerNames.map(
      (name, m) => `record[${JSON.stringify(name)}] = makers[${m}](i, rnd, record, scratch);`,
    ),
  ];
  return new Function(
    `return function fill(record, defaults, makers, i, rnd, scratch) {\n${lines.join('\n')}\n};`,
  )() as Fill;
}

/**
 * Generates `n` records of an object and stores them. Overrides fix a field's value or compute it from
 * the index; they are validated like API input. Returns the new records.
 */
export function generateRecords(
  store: DataStore,
  objectName: string,
  n: number,
  overrides: GenerateOverrides,
  rnd: SeededRandom,
): StoredRecord[] {
  const def = store.object(objectName);
  if (def === undefined) throw new Error(`generate: no such object ${objectName}`);
  if (!def.createable || def.eventObject) throw new Error(`generate: ${def.name} records cannot be created`);
  if (def.name === 'User')
    throw new Error('generate: add users with org.createUser(), which also gives them a login');
  if (!Number.isInteger(n) || n < 0) throw new Error(`generate: n must be a whole number >= 0, got ${n}`);

  const makers = new Map<string, ValueMaker>(Object.entries(standardMakers(def, store)));
  for (const field of def.fields) {
    if (makers.has(field.name) || SYSTEM_FIELDS.has(field.name) || !field.createable) continue;
    const required = !field.nillable && !field.defaultedOnCreate && field.type !== 'boolean';
    if (!required && !field.custom && !(def.custom && field.name === 'Name')) continue;
    const maker = genericMaker(def, field, store);
    if (maker !== undefined) makers.set(field.name, maker);
    else if (required) {
      throw new Error(
        `generate ${def.name}: cannot make a value for required field ${field.name}; pass it in overrides (or insert its ${field.referenceTo.join('/') || 'parent'} records first)`,
      );
    }
  }
  for (const [key, value] of Object.entries(overrides)) {
    const field = def.fields.find((f) => f.name.toLowerCase() === key.toLowerCase());
    if (field === undefined) throw new Error(`generate ${def.name}: no field ${key}`);
    if (typeof value === 'function') {
      const compute = value as (i: number) => unknown;
      makers.set(field.name, (i) => checked(field, compute(i), store));
    } else {
      const fixed = checked(field, value, store);
      makers.set(field.name, () => fixed);
    }
  }

  const userId = store.userId;
  const blank = blankRecord(def);
  const template: Draft = blank();
  for (const field of def.fields) {
    if (field.type === 'boolean')
      template[field.name] = typeof field.defaultValue === 'boolean' ? field.defaultValue : false;
    else if (field.defaultPicklistValue !== null) template[field.name] = field.defaultPicklistValue;
    else if (field.defaultValue !== null && field.custom) template[field.name] = field.defaultValue;
    else template[field.name] = null;
  }
  if ('OwnerId' in template) template.OwnerId = userId;
  if ('CreatedById' in template) template.CreatedById = userId;
  if ('LastModifiedById' in template) template.LastModifiedById = userId;

  const defaults = Object.entries(template).filter(([, value]) => value !== null);
  const table = store.table(def.name);
  const now = Math.floor(store.now() / 1000) * 1000;
  // Created over the last year, oldest first, so CreatedDate order follows insertion order.
  const span = 365 * DAY;
  const fill = compileFill(
    defaults.map(([name]) => name),
    [...makers.keys()],
  );
  const defaultValues = defaults.map(([, value]) => value);
  const makerList = [...makers.values()];
  const format = store.autoNumberFormat(def.name);
  const emit = store.hasChangeListeners;
  const created: StoredRecord[] = new Array(n);
  const scratch: Scratch = { place: PLACES[0] as readonly string[] };
  // Created over the last year at minute resolution; consecutive records share the formatted string.
  let lastMs = Number.NaN;
  let lastAt = '';
  const context = {
    def,
    mode: 'create' as const,
    previous: undefined,
    explicit: new Set<string>(makers.keys()),
    now,
    userId,
    blobs: [],
    lookup: (id: string) => store.byId(id),
    nextAutoNumber: () => ++table.autoNumber,
    related: {
      create: () => {
        throw new Error(`generate: ${def.name} records need related records; use insert()`);
      },
      update: () => {
        throw new Error(`generate: ${def.name} records need related records; use insert()`);
      },
      find: () => [],
    },
  };
  for (let i = 0; i < n; i++) {
    // A fresh literal (not a spread copy) so V8 can allocate these long-lived records in old space.
    const record: Draft = blank();
    const id = store.ids.next(def.keyPrefix);
    // Reading a character flattens the id's rope of concatenations into one string, which the next GC
    // keeps instead of the pieces: about 45 MB less for a million records.
    id.charCodeAt(17);
    record.Id = id;
    const atMs = now - Math.floor((((n - i) / Math.max(n, 1)) * span) / 60_000) * 60_000;
    if (atMs !== lastMs) {
      lastMs = atMs;
      lastAt = formatMinute(atMs);
    }
    const at = lastAt;
    if ('CreatedDate' in record) record.CreatedDate = at;
    if ('LastModifiedDate' in record) record.LastModifiedDate = at;
    if ('SystemModstamp' in record) record.SystemModstamp = at;
    fill(record, defaultValues, makerList, i, rnd, scratch);
    const errors = applyBehaviours(record, context, format);
    if (errors.length > 0) throw new DmlException(errors);
    table.append(record);
    created[i] = record;
  }
  if (emit) store.announceCreated(def.name, created);
  return created;
}

function checked(field: FieldDef, value: unknown, store: DataStore): StoredValue {
  const coerced = coerceValue(field, value, store.lookup);
  if (coerced !== null && typeof coerced === 'object' && 'statusCode' in coerced) {
    throw new DmlException([coerced as DmlError]);
  }
  return coerced as StoredValue;
}
