import { describe, expect, it } from 'vitest';
import { parseRecordError } from './record-error.js';

describe('parseRecordError', () => {
  it('reads CODE:message:fields --', () => {
    expect(parseRecordError('REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --')).toEqual({
      code: 'REQUIRED_FIELD_MISSING',
      message: 'Required fields are missing: [Name]',
      fields: ['Name'],
      text: 'REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --',
    });
  });

  it('reads an error naming no fields, and one naming several', () => {
    expect(parseRecordError('INVALID_CROSS_REFERENCE_KEY:invalid cross reference id:--')).toMatchObject({
      code: 'INVALID_CROSS_REFERENCE_KEY',
      message: 'invalid cross reference id',
      fields: [],
    });
    expect(
      parseRecordError('FIELD_INTEGRITY_EXCEPTION:bad values:Amount__c, Account.Ext__c --'),
    ).toMatchObject({
      message: 'bad values',
      fields: ['Amount__c', 'Account.Ext__c'],
    });
  });

  it('keeps colons of the message in the message', () => {
    expect(
      parseRecordError(
        'DUPLICATE_VALUE:duplicate value found: Ext__c duplicates value on record with id: 001000000000001:--',
      ),
    ).toMatchObject({
      code: 'DUPLICATE_VALUE',
      message: 'duplicate value found: Ext__c duplicates value on record with id: 001000000000001',
      fields: [],
    });
  });

  it('keeps text that is not in the pattern whole', () => {
    expect(parseRecordError('Something went wrong')).toEqual({
      code: 'UNKNOWN_EXCEPTION',
      message: 'Something went wrong',
      fields: [],
      text: 'Something went wrong',
    });
  });
});
