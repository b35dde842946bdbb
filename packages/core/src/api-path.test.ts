import { describe, expect, it } from 'vitest';
import { apiPath, encodePathSegment } from './api-path.js';
import { ConfigurationError } from './errors.js';

describe('apiPath', () => {
  it('escapes each interpolated value as one segment', () => {
    expect(apiPath`sobjects/${'Account'}/${'Ext__c'}/${'A/B C?d#e'}`).toBe(
      'sobjects/Account/Ext__c/A%2FB%20C%3Fd%23e',
    );
  });

  it('leaves the literal parts alone', () => {
    expect(apiPath`/services/apexrest/v1/orders/${42}`).toBe('/services/apexrest/v1/orders/42');
  });

  it('keeps a value from climbing out of its segment with dot segments', () => {
    expect(apiPath`sobjects/Account/${'..'}/x`).toBe('sobjects/Account/%2E%2E/x');
    expect(encodePathSegment('.')).toBe('%2E');
    expect(encodePathSegment('..a')).toBe('..a');
  });

  it('rejects an empty value, which would name another resource', () => {
    expect(() => apiPath`sobjects/Account/${''}`).toThrow(ConfigurationError);
  });

  it('encodes unicode as UTF-8', () => {
    expect(encodePathSegment('Zürich')).toBe('Z%C3%BCrich');
  });
});
