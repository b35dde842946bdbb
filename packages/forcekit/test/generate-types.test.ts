import { describe, expect, test } from 'vitest';
import { type DescribeForTypes, generateTypes } from '../src/cli/generate-types.js';

const account: DescribeForTypes = {
  name: 'Account',
  label: 'Account',
  fields: [
    { name: 'Id', type: 'id', label: 'Account ID', nillable: false },
    { name: 'Name', type: 'string', label: 'Account Name', nillable: false },
    { name: 'AnnualRevenue', type: 'currency', label: 'Annual Revenue', nillable: true },
    { name: 'IsActive__c', type: 'boolean', label: 'Active', nillable: false },
    {
      name: 'Rating',
      type: 'picklist',
      nillable: true,
      restrictedPicklist: true,
      picklistValues: [{ value: 'Hot' }, { value: 'Cold' }, { value: 'Retired', active: false }],
    },
    { name: 'Type', type: 'picklist', nillable: true, picklistValues: [{ value: `Customer "Direct" 's` }] },
    {
      name: 'Regions__c',
      type: 'multipicklist',
      nillable: true,
      picklistValues: [{ value: 'EU' }, { value: 'US' }],
    },
    { name: 'BillingAddress', type: 'address', nillable: true },
    { name: 'OwnerId', type: 'reference', nillable: false, referenceTo: ['User'], relationshipName: 'Owner' },
    {
      name: 'ParentId',
      type: 'reference',
      nillable: true,
      referenceTo: ['Account'],
      relationshipName: 'Parent',
    },
    { name: 'Old__c', type: 'string', deprecatedAndHidden: true },
    { name: 'Note */ evil', type: 'string', label: 'ends */ a comment' },
  ],
  childRelationships: [
    { childSObject: 'Contact', relationshipName: 'Contacts' },
    { childSObject: 'Account', relationshipName: 'ChildAccounts' },
    { childSObject: 'Case', relationshipName: 'Cases' },
  ],
};

const contact: DescribeForTypes = {
  name: 'Contact',
  fields: [
    { name: 'Id', type: 'id', nillable: false },
    {
      name: 'AccountId',
      type: 'reference',
      nillable: true,
      referenceTo: ['Account'],
      relationshipName: 'Account',
    },
    {
      name: 'WhoId',
      type: 'reference',
      nillable: true,
      referenceTo: ['Contact', 'Lead'],
      relationshipName: 'Who',
    },
  ],
};

describe('generateTypes', () => {
  const source = generateTypes([contact, account]);

  test('maps scalar field types and nillability', () => {
    expect(source).toContain('  Id: string;\n');
    expect(source).toContain('  AnnualRevenue: number | null;\n');
    expect(source).toContain('  IsActive__c: boolean;\n');
    expect(source).toContain('  BillingAddress: unknown | null;\n');
  });

  test('a restricted picklist is a union of its active values; an unrestricted one stays open', () => {
    expect(source).toContain("  Rating: 'Hot' | 'Cold' | null;\n");
    expect(source).toContain(`  Type: 'Customer "Direct" \\'s' | (string & {}) | null;\n`);
  });

  test('a multi-select picklist is a MultiPicklist imported from forcekit', () => {
    expect(source).toContain("import type { MultiPicklist } from 'forcekit';");
    expect(source).toContain("  Regions__c: MultiPicklist<'EU' | 'US'> | null;\n");
  });

  test('adds relationships only between generated objects, and never polymorphic ones', () => {
    expect(source).toContain('  Parent: Account | null;\n');
    expect(source).toContain('  Contacts: Contact[];\n');
    expect(source).toContain('  ChildAccounts: Account[];\n');
    expect(source).toContain('  Account: Account | null;\n');
    expect(source).not.toContain('Owner:');
    expect(source).not.toContain('Cases:');
    expect(source).not.toContain('Who:');
  });

  test('skips hidden fields, quotes odd names and keeps comments closed', () => {
    expect(source).not.toContain('Old__c');
    expect(source).toContain("  'Note */ evil': string;\n");
  });

  test('breaks a union longer than the line onto one member per line', () => {
    const values = Array.from({ length: 12 }, (_, i) => ({ value: `Value number ${i}` }));
    const long = generateTypes([
      {
        name: 'X',
        fields: [{ name: 'Pick', type: 'picklist', restrictedPicklist: true, picklistValues: values }],
      },
    ]);
    expect(long).toContain("  Pick:\n    | 'Value number 0'\n    | 'Value number 1'\n");
    expect(long).toContain("    | 'Value number 11';\n");
    expect(source).toContain('/** ends *\\/ a comment (string) */');
  });

  test('ends with the schema interface, objects sorted by name', () => {
    expect(source.endsWith('export interface Schema {\n  Account: Account;\n  Contact: Contact;\n}\n')).toBe(
      true,
    );
    expect(generateTypes([account], { schemaName: 'Org' })).toContain('export interface Org {');
  });

  test('refuses names that cannot be TypeScript identifiers or that clash with the schema', () => {
    expect(() => generateTypes([{ name: 'Bad-Name', fields: [] }])).toThrow(
      /cannot be a TypeScript interface name/,
    );
    expect(() => generateTypes([{ name: 'Schema', fields: [] }])).toThrow(/an object is named Schema/);
  });
});
