import { describe, expect, it } from 'vitest';
import type { ChangeEvent } from '../data/events.js';
import { DataStore } from '../data/store.js';
import { IdFactory } from '../ids.js';
import type { StoredRecord } from '../schema/types.js';
import { compileTopic, notificationFor, pushTopicQueryError } from './push-topics.js';

function store(): DataStore {
  return new DataStore({ ids: new IdFactory(), userId: '005000000000001AAA', apiVersion: '62.0' });
}

function topicRecord(fields: Record<string, unknown>): StoredRecord {
  return {
    Id: '0IF000000000001AAA',
    Name: 'T',
    ApiVersion: 62,
    NotifyForFields: 'Referenced',
    IsActive: true,
    NotifyForOperationCreate: true,
    NotifyForOperationUpdate: true,
    NotifyForOperationDelete: true,
    NotifyForOperationUndelete: true,
    ...fields,
  } as StoredRecord;
}

const account = (fields: Record<string, unknown>): StoredRecord =>
  ({
    Id: '001000000000001AAA',
    IsDeleted: false,
    Name: 'Acme',
    Industry: 'Energy',
    Phone: null,
    ...fields,
  }) as StoredRecord;

function change(
  type: ChangeEvent['type'],
  record: StoredRecord,
  changedFields: string[] = [],
  previous?: StoredRecord,
): ChangeEvent {
  return {
    type,
    object: 'Account',
    id: record.Id as string,
    record,
    previous,
    changedFields,
    userId: '005000000000001AAA',
    transactionKey: 'k',
    sequenceNumber: 1,
    commitTimestamp: 0,
  };
}

describe('compileTopic', () => {
  it('reads the object, SELECT fields and the fields of the whole WHERE tree', () => {
    const topic = compileTopic(
      topicRecord({
        Query:
          "SELECT Id, Name FROM Account WHERE (Industry = 'Energy' OR Rating = 'Hot') AND NOT Phone LIKE '1%' AND CALENDAR_YEAR(CreatedDate) = 2024",
      }),
    );
    expect(topic?.object).toBe('account');
    expect([...(topic?.selectFields ?? [])]).toEqual(['id', 'name']);
    expect([...(topic?.whereFields ?? [])].sort()).toEqual(['createddate', 'industry', 'phone', 'rating']);
  });

  it('is undefined for a query that does not parse', () => {
    expect(compileTopic(topicRecord({ Query: 'SELECT FROM' }))).toBeUndefined();
  });
});

describe('notificationFor', () => {
  const data = store();
  const query = "SELECT Id, Name FROM Account WHERE Industry = 'Energy'";

  it('notifies creates that match the WHERE clause, with the SELECT fields only', () => {
    const topic = compileTopic(topicRecord({ Query: query }));
    if (topic === undefined) throw new Error('no topic');
    expect(notificationFor(topic, change('created', account({})), data)).toEqual({
      type: 'created',
      sobject: { Id: '001000000000001AAA', Name: 'Acme' },
    });
    expect(notificationFor(topic, change('created', account({ Industry: 'Banking' })), data)).toBeUndefined();
  });

  it('applies NotifyForFields to updates', () => {
    const cases: [string, string[], boolean][] = [
      ['All', ['Phone'], true],
      ['Referenced', ['Phone'], false],
      ['Referenced', ['Name'], true],
      ['Referenced', ['Industry'], true],
      ['Select', ['Industry'], false],
      ['Select', ['Name'], true],
      ['Where', ['Name'], false],
      ['Where', ['Industry'], true],
    ];
    for (const [rule, changed, expected] of cases) {
      const topic = compileTopic(topicRecord({ Query: query, NotifyForFields: rule }));
      if (topic === undefined) throw new Error('no topic');
      const result = notificationFor(topic, change('updated', account({}), changed), data);
      expect([rule, changed, result !== undefined]).toEqual([rule, changed, expected]);
    }
  });

  it('judges a delete by the record as it was and sends only its Id; honours the operation flags', () => {
    const topic = compileTopic(topicRecord({ Query: query }));
    const noDeletes = compileTopic(topicRecord({ Query: query, NotifyForOperationDelete: false }));
    if (topic === undefined || noDeletes === undefined) throw new Error('no topic');
    const deleted = change('deleted', account({ IsDeleted: true }), [], account({}));
    expect(notificationFor(topic, deleted, data)).toEqual({
      type: 'deleted',
      sobject: { Id: '001000000000001AAA' },
    });
    expect(notificationFor(noDeletes, deleted, data)).toBeUndefined();
  });

  it('sends nothing for an inactive topic or a query the engine rejects', () => {
    const inactive = compileTopic(topicRecord({ Query: query, IsActive: false }));
    const badField = compileTopic(topicRecord({ Query: 'SELECT Id, Nope__c FROM Account' }));
    if (inactive === undefined || badField === undefined) throw new Error('no topic');
    expect(notificationFor(inactive, change('created', account({})), data)).toBeUndefined();
    expect(notificationFor(badField, change('created', account({})), data)).toBeUndefined();
  });
});

describe('pushTopicQueryError', () => {
  const data = store();
  const refused = (query: string) => pushTopicQueryError(query, '62.0', data);

  it('takes a query on one object that selects Id, with any WHERE clause the guide allows', () => {
    expect(refused("SELECT Id, Name FROM Account WHERE Industry = 'Energy' AND Name NOT IN ('x')")).toBe(
      undefined,
    );
    expect(refused('SELECT Id, AccountId, LastName FROM Contact WHERE AccountId != null')).toBe(undefined);
  });

  it.each([
    [
      "SELECT Id, Name FROM Account WHERE Id IN (SELECT AccountId FROM Contact WHERE Title = 'CEO')",
      'semi/anti join sub-selects are not supported',
    ],
    ['SELECT Id, AVG(AnnualRevenue) FROM Account', 'Aggregate queries are not supported'],
    ['SELECT Id, Industry, Count(Name) FROM Account', 'Aggregate queries are not supported'],
    ['SELECT Id, AccountId FROM Contact GROUP BY AccountId', 'Aggregate queries are not supported'],
    ['SELECT Id, Name FROM Contact LIMIT 10', "'LIMIT' is not allowed"],
    ['SELECT Id, Account.Name FROM Contact', 'relationships are not supported'],
    ["SELECT Id FROM Contact WHERE Account.Name = 'Acme'", 'relationships are not supported'],
    ['SELECT Id, (SELECT Id FROM Contacts) FROM Account', 'relationships are not supported'],
    ['SELECT Id, Name FROM Account ORDER BY Name', "'ORDER BY' clause is not allowed"],
    ["SELECT Id FROM Account WHERE NOT Name = 'Salesforce.com'", "'NOT' is not supported"],
    ['SELECT Id, Name FROM Account OFFSET 5', "'OFFSET' clause is not allowed"],
    ["SELECT Id, Name FROM Account WHERE Name = 'x' OFFSET 5", "'OFFSET' clause is not allowed"],
    ['SELECT Name FROM Account', 'PushTopic queries must select the Id field'],
  ])('refuses %s with INVALID_FIELD: %s', (query, message) => {
    expect(refused(query)).toEqual({ statusCode: 'INVALID_FIELD', message, fields: [] });
  });

  it("refuses what the SOQL engine refuses, with the engine's code and words", () => {
    expect(refused('SELECT Id, Nope__c FROM Account')).toMatchObject({
      statusCode: 'INVALID_FIELD',
      message: expect.stringContaining("No such column 'Nope__c' on entity 'Account'"),
    });
    expect(refused('SELECT Id FROM Nope__c')?.statusCode).toBe('INVALID_TYPE');
    expect(refused('SELEC Id FROM Account')?.statusCode).toBe('MALFORMED_QUERY');
  });
});
