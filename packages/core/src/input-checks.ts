import { ConfigurationError } from './errors.js';

/**
 * How a bad input is named in an error message: its kind, and a short string or number as given
 * (`null`, `an array`, `"Acc ount"`, `number 3`). Strings are cut at 40 characters; objects are never
 * printed, so a credentials object passed in the wrong place is not echoed.
 */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string')
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  if (typeof value === 'object') return 'an object';
  return typeof value === 'undefined' ? 'undefined' : `${typeof value} ${String(value)}`;
}

const API_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/**
 * An sObject or field API name (`Account`, `Ext__c`), returned as given; otherwise throws a
 * `ConfigurationError` naming `field` (`Invalid <subject>: <field>: must be an API name ...`).
 */
export function checkApiName(value: unknown, field: string, subject: string): string {
  if (typeof value !== 'string' || !API_NAME.test(value)) {
    throw new ConfigurationError(
      [
        {
          field,
          message: `must be an API name such as 'Account' or 'Ext__c', got ${describeValue(value)}`,
        },
      ],
      subject,
    );
  }
  return value;
}
