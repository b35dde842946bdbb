import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SoqlError } from './errors.js';
import { executeSoql } from './execute.js';
import { field, TEST_OPTIONS, TestOrgData } from './test-support.js';

/**
 * The engine's answers against responses recorded from real orgs (`../shared/fixtures`, outside the
 * repository). When that folder is absent this file is skipped, and says so in its title.
 */
const fixtures = fileURLToPath(new URL('../../../../../shared/fixtures/', import.meta.url));
const present = existsSync(fixtures);
const title = present
  ? 'recorded Salesforce responses'
  : 'recorded Salesforce responses (skipped: ../shared/fixtures not found)';

function fixture(path: string): unknown {
  return JSON.parse(readFileSync(`${fixtures}${path}`, 'utf8'));
}

/** Keys (sorted) and value types, recursively: what must match when values differ. */
function shape(value: unknown): unknown {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.map(shape);
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .map((key) => [key, shape((value as Record<string, unknown>)[key])]),
    );
  }
  return typeof value;
}

function whizbangOrg(): TestOrgData {
  const system = [
    field('Id', 'id'),
    field('IsDeleted', 'boolean'),
    field('Name', 'string', { nameField: true }),
  ];
  return new TestOrgData([
    {
      name: 'Whizbang',
      label: 'Whizbang',
      labelPlural: 'Whizbangs',
      keyPrefix: 'a0W',
      custom: false,
      queryable: true,
      createable: true,
      updateable: true,
      deletable: true,
      searchable: true,
      fields: [
        ...system,
        field('Checkbox_Label', 'boolean'),
        field('Text_Label', 'string'),
        field('Date_Label', 'date'),
        field('DateTime_Label', 'datetime'),
        field('Picklist_Multiselect_Label', 'multipicklist'),
        field('ParentWhizbang__c', 'reference', {
          referenceTo: ['Whizbang'],
          relationshipName: 'ParentWhizbang__r',
        }),
      ],
      childRelationships: [
        {
          childSObject: 'Whizbang',
          field: 'ParentWhizbang__c',
          relationshipName: 'Whizbangs__r',
          cascadeDelete: false,
        },
      ],
    },
    {
      name: 'User',
      label: 'User',
      labelPlural: 'Users',
      keyPrefix: '005',
      custom: false,
      queryable: true,
      createable: true,
      updateable: true,
      deletable: false,
      searchable: true,
      fields: system,
      childRelationships: [],
    },
  ]);
}

describe.skipIf(!present)(title, () => {
  it('renders parent relationships and child subqueries in the shape of query/parent_and_child_relationships.json', () => {
    const recorded = fixture('query/parent_and_child_relationships.json') as {
      records: Record<string, unknown>[];
    };
    const [expected] = recorded.records;
    const org = whizbangOrg();
    const parent = org.insert('Whizbang', { Name: 'Parent Whizbang', Text_Label: 'Hello' });
    const record = org.insert('Whizbang', {
      Name: 'Whizbang',
      Checkbox_Label: false,
      Text_Label: 'Hi there!',
      Date_Label: '2010-01-01',
      DateTime_Label: '2011-07-07T00:37:00.000+0000',
      Picklist_Multiselect_Label: 'four;six',
      ParentWhizbang__c: parent,
    });
    org.insert('Whizbang', { Name: 'Child Whizbang', ParentWhizbang__c: record });
    const result = executeSoql(
      'SELECT Checkbox_Label, Text_Label, Date_Label, DateTime_Label, Picklist_Multiselect_Label, ' +
        "ParentWhizbang__r.Name, ParentWhizbang__r.Text_Label, (SELECT Name FROM Whizbangs__r) FROM Whizbang WHERE Text_Label = 'Hi there!'",
      org,
      TEST_OPTIONS,
    );
    const [actual] = result.page(0, 1, { childLocator: () => '' });
    expect(shape(actual)).toEqual(shape(expected));
    for (const key of [
      'Checkbox_Label',
      'Text_Label',
      'Date_Label',
      'DateTime_Label',
      'Picklist_Multiselect_Label',
    ]) {
      expect(actual?.[key]).toEqual(expected?.[key]);
    }
    expect(actual?.ParentWhizbang__r).toMatchObject({ Name: 'Parent Whizbang', Text_Label: 'Hello' });
    expect(actual?.Whizbangs__r).toMatchObject({
      totalSize: 1,
      done: true,
      records: [{ Name: 'Child Whizbang' }],
    });
  });

  it('answers q=invalid with the recorded errors/malformed_query_400.json error', () => {
    const recorded = fixture('errors/malformed_query_400.json');
    let error: unknown;
    try {
      executeSoql('invalid', whizbangOrg(), TEST_OPTIONS);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SoqlError);
    const { message, errorCode } = error as SoqlError;
    expect([{ message, errorCode }]).toEqual(recorded);
  });
});
