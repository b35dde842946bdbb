import { describe, expect, it } from 'vitest';
import type { ChangeEvent } from '../data/events.js';
import { DataStore } from '../data/store.js';
import { IdFactory } from '../ids.js';
import type { ObjectDef } from '../schema/field.js';
import type { StoredRecord } from '../schema/types.js';
import {
  changeEventData,
  changeEventName,
  objectOfChangeEvent,
  supportsChangeEvents,
} from './change-events.js';

const data = new DataStore({ ids: new IdFactory(), userId: '005000000000001AAA', apiVersion: '62.0' });
const contact = data.object('Contact') as ObjectDef;
const context = { schemaId: 'S'.repeat(22), commitNumber: 42, changeOrigin: 'com/salesforce/api/rest/62.0' };

function event(
  type: ChangeEvent['type'],
  record: Record<string, unknown>,
  changedFields: string[] = [],
): ChangeEvent {
  return {
    type,
    object: 'Contact',
    id: '003000000000001AAA',
    record: record as StoredRecord,
    previous: undefined,
    changedFields,
    userId: '005000000000001AAA',
    transactionKey: 't',
    sequenceNumber: 1,
    commitTimestamp: 1_700_000_000_000,
  };
}

describe('change event names', () => {
  it('maps objects to channel names and back', () => {
    expect(changeEventName('Account')).toBe('AccountChangeEvent');
    expect(changeEventName('Foo__c')).toBe('Foo__ChangeEvent');
    expect(objectOfChangeEvent('AccountChangeEvent')).toBe('Account');
    expect(objectOfChangeEvent('Foo__ChangeEvent')).toBe('Foo__c');
    expect(objectOfChangeEvent('ChangeEvent')).toBeUndefined();
    expect(objectOfChangeEvent('Account')).toBeUndefined();
  });

  it('leaves setup objects and platform events out of Change Data Capture', () => {
    expect(supportsChangeEvents(contact)).toBe(true);
    expect(supportsChangeEvents(data.object('PushTopic') as ObjectDef)).toBe(false);
  });
});

describe('changeEventData', () => {
  const record = {
    Id: '003000000000001AAA',
    IsDeleted: false,
    FirstName: 'Ada',
    LastName: 'Lovelace',
    Salutation: null,
    Name: 'Ada Lovelace',
    MailingCity: 'London',
    Email: null,
    CreatedDate: '2024-01-02T03:04:05.000+0000',
    LastModifiedDate: '2024-01-02T03:04:06.000+0000',
    SystemModstamp: '2024-01-02T03:04:06.000+0000',
  };

  it('CREATE: populated fields only, person name and address as compounds, datetimes with Z', () => {
    const result = changeEventData(contact, event('created', record), context, 7);
    expect(result).toEqual({
      schema: context.schemaId,
      payload: {
        ChangeEventHeader: {
          commitNumber: 42,
          commitUser: '005000000000001AAA',
          sequenceNumber: 1,
          entityName: 'Contact',
          changeType: 'CREATE',
          changedFields: [],
          changeOrigin: 'com/salesforce/api/rest/62.0',
          transactionKey: 't',
          commitTimestamp: 1_700_000_000_000,
          recordIds: ['003000000000001AAA'],
        },
        Name: { LastName: 'Lovelace', FirstName: 'Ada' },
        MailingAddress: { City: 'London' },
        CreatedDate: '2024-01-02T03:04:05.000Z',
        LastModifiedDate: '2024-01-02T03:04:06.000Z',
      },
      event: { replayId: 7 },
    });
  });

  it('UPDATE: changed fields with nulls, compound parts as Compound.Part, always LastModifiedDate', () => {
    const result = changeEventData(
      contact,
      event('updated', record, ['FirstName', 'Email', 'Name']),
      context,
      8,
    );
    const payload = result.payload as Record<string, unknown> & {
      ChangeEventHeader: { changedFields: string[] };
    };
    expect(payload.ChangeEventHeader.changedFields).toEqual(['Name.FirstName', 'Email', 'LastModifiedDate']);
    const { ChangeEventHeader: _header, ...body } = payload;
    expect(body).toEqual({
      Name: { FirstName: 'Ada' },
      Email: null,
      LastModifiedDate: '2024-01-02T03:04:06.000Z',
    });
  });

  it('DELETE: the header only', () => {
    const result = changeEventData(contact, event('deleted', record), context, 9);
    expect(Object.keys(result.payload as object)).toEqual(['ChangeEventHeader']);
  });
});
