import { createSign, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConnectedApps } from './connected-apps.js';
import { verifyJwtBearer } from './jwt.js';

const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const apps = new ConnectedApps();
const app = apps.create({ clientId: '3MVG9test', jwtPublicKey: keys.publicKey });
const NOW = 1_700_000_000_000;

function sign(claims: Record<string, unknown>, header: Record<string, unknown> = { alg: 'RS256' }): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode(header)}.${encode(claims)}`;
  return `${input}.${createSign('RSA-SHA256').update(input).sign(keys.privateKey).toString('base64url')}`;
}

const base = {
  iss: '3MVG9test',
  sub: 'u@example.com',
  aud: 'https://login.salesforce.com',
  exp: NOW / 1000 + 300,
};
const context = { apps, audiences: ['https://login.salesforce.com'], now: NOW };

function description(result: ReturnType<typeof verifyJwtBearer>): unknown {
  return result.ok ? 'ok' : (result.error.body as { error_description: string }).error_description;
}

describe('verifyJwtBearer', () => {
  it('accepts a well-signed assertion and returns the app and username', () => {
    const result = verifyJwtBearer(sign(base), context);
    expect(result).toEqual({ ok: true, app, username: 'u@example.com' });
  });

  it('accepts an audience list and a trailing slash', () => {
    expect(verifyJwtBearer(sign({ ...base, aud: ['x', 'https://login.salesforce.com/'] }), context).ok).toBe(
      true,
    );
  });

  it('names each failure as Salesforce does', () => {
    expect(description(verifyJwtBearer(sign({ ...base, aud: 'https://x' }), context))).toBe(
      'audience is invalid',
    );
    expect(description(verifyJwtBearer(sign({ ...base, exp: NOW / 1000 }), context))).toBe(
      'expired authorization code',
    );
    expect(description(verifyJwtBearer(sign({ ...base, exp: NOW / 1000 + 3600 }), context))).toBe(
      'invalid assertion',
    );
    expect(description(verifyJwtBearer(sign({ ...base, exp: undefined }), context))).toBe(
      'expired authorization code',
    );
    expect(description(verifyJwtBearer(sign({ ...base, iss: 'other' }), context))).toBe(
      'client identifier invalid',
    );
    expect(description(verifyJwtBearer(sign({ ...base, sub: undefined }), context))).toBe(
      'invalid assertion',
    );
    expect(description(verifyJwtBearer(sign(base, { alg: 'none' }), context))).toBe('invalid assertion');
    expect(description(verifyJwtBearer('a.b', context))).toBe('invalid assertion');
    expect(description(verifyJwtBearer('####.####.####', context))).toBe('invalid assertion');
  });

  it('refuses an app without an uploaded certificate', () => {
    apps.create({ clientId: '3MVG9nocert' });
    expect(description(verifyJwtBearer(sign({ ...base, iss: '3MVG9nocert' }), context))).toBe(
      'invalid assertion',
    );
  });
});
