import { generateKeyPairSync, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { jwtAudience, signJwtAssertion } from './jwt.js';

describe('jwtAudience', () => {
  it('maps login hosts and My Domains to the audience Salesforce expects', () => {
    expect(jwtAudience('https://login.salesforce.com')).toBe('https://login.salesforce.com');
    expect(jwtAudience('https://acme.my.salesforce.com')).toBe('https://login.salesforce.com');
    expect(jwtAudience('https://test.salesforce.com')).toBe('https://test.salesforce.com');
    expect(jwtAudience('https://acme--uat.sandbox.my.salesforce.com')).toBe('https://test.salesforce.com');
    expect(jwtAudience('https://community.example.com')).toBe('https://community.example.com');
    expect(jwtAudience('http://127.0.0.1:4000')).toBe('http://127.0.0.1:4000');
  });
});

describe('signJwtAssertion', () => {
  it('produces an RS256 JWT whose signature verifies with the public key', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const claims = {
      iss: 'client',
      sub: 'user@example.com',
      aud: 'https://login.salesforce.com',
      exp: 1300,
      iat: 1120,
    };
    const jwt = signJwtAssertion(claims, privateKey);
    const [header, payload, signature] = jwt.split('.') as [string, string, string];
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({ alg: 'RS256', typ: 'JWT' });
    expect(JSON.parse(Buffer.from(payload, 'base64url').toString())).toEqual(claims);
    expect(
      verify('sha256', Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature, 'base64url')),
    ).toBe(true);
    expect(jwt).not.toMatch(/[=+/]/);
  });
});
