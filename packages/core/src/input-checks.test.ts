import { describe, expect, it } from 'vitest';
import { ConfigurationError } from './errors.js';
import { checkApiName, describeValue } from './input-checks.js';

describe('describeValue', () => {
  it('names the kind, quotes short strings, cuts long ones and never prints objects', () => {
    expect(describeValue(null)).toBe('null');
    expect(describeValue(undefined)).toBe('undefined');
    expect(describeValue([1])).toBe('an array');
    expect(describeValue({ password: 'hunter2' })).toBe('an object');
    expect(describeValue(3)).toBe('number 3');
    expect(describeValue('Acc ount')).toBe('"Acc ount"');
    expect(describeValue('x'.repeat(50))).toBe(`"${'x'.repeat(40)}..."`);
  });
});

describe('checkApiName', () => {
  it('returns a valid API name as given', () => {
    expect(checkApiName('Ext__c', 'field', 'upsert')).toBe('Ext__c');
  });

  it('throws a ConfigurationError naming the field and what was given', () => {
    let error: unknown;
    try {
      checkApiName('Acc ount', 'object', 'bulk load');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).issues).toEqual([
      { field: 'object', message: `must be an API name such as 'Account' or 'Ext__c', got "Acc ount"` },
    ]);
    expect(() => checkApiName(1, 'type', 'sobject')).toThrow(/type: must be an API name .* got number 1/);
  });
});
