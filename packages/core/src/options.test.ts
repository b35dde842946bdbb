import { generateKeyPairSync } from 'node:crypto';
import { Agent } from 'undici';
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from './errors.js';
import { type ClientOptions, resolveOptions } from './options.js';

function issuesOf(options: unknown): { field: string; message: string }[] {
  try {
    resolveOptions(options as ClientOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return [...(error as ConfigurationError).issues];
  }
  throw new Error('expected a ConfigurationError');
}

describe('resolveOptions', () => {
  it('applies the documented defaults', () => {
    const options = resolveOptions({});
    expect(options).toMatchObject({
      loginUrl: 'https://login.salesforce.com',
      version: '62.0',
      mode: 'single',
      maxConcurrency: 10,
      timeout: 120_000,
      totalTimeout: undefined,
      maxRetries: 2,
      autoRelogin: true,
      instanceUrl: undefined,
      dispatcher: undefined,
      logger: undefined,
    });
  });

  it("expands the 'production' and 'sandbox' shorthands and reduces URLs to their origin", () => {
    expect(resolveOptions({ loginUrl: 'production' }).loginUrl).toBe('https://login.salesforce.com');
    expect(resolveOptions({ loginUrl: 'sandbox' }).loginUrl).toBe('https://test.salesforce.com');
    expect(resolveOptions({ loginUrl: 'https://acme.my.salesforce.com/' }).loginUrl).toBe(
      'https://acme.my.salesforce.com',
    );
    expect(
      resolveOptions({ instanceUrl: 'https://acme.my.salesforce.com/home', accessToken: 't' }).instanceUrl,
    ).toBe('https://acme.my.salesforce.com');
  });

  it('takes a total timeout and the re-login switch, naming them when they are bad', () => {
    expect(resolveOptions({ totalTimeout: 30_000, autoRelogin: false })).toMatchObject({
      totalTimeout: 30_000,
      autoRelogin: false,
    });
    const issues = issuesOf({ totalTimeout: 0, autoRelogin: 'yes' });
    expect(issues.map((issue) => issue.field).sort()).toEqual(['autoRelogin', 'totalTimeout']);
    // A timer cannot hold more than 2^31 - 1 ms: a larger one would fire at once.
    expect(
      issuesOf({ totalTimeout: 2 ** 31, timeout: 2 ** 31 })
        .map((issue) => issue.field)
        .sort(),
    ).toEqual(['timeout', 'totalTimeout']);
  });

  it('normalises the version', () => {
    expect(resolveOptions({ version: 'v59.0' }).version).toBe('59.0');
    expect(resolveOptions({ version: '60' }).version).toBe('60.0');
  });

  it('names every bad field in one error', () => {
    const issues = issuesOf({
      loginUrl: 'not a url',
      version: '62.1',
      mode: 'many',
      maxConcurrency: 0,
      timeout: -1,
      maxRetries: 1.5,
      redirectUri: 'callback',
      dispatcher: {},
      logger: console.log,
      clientId: 42,
    });
    expect(issues.map((issue) => issue.field).sort()).toEqual(
      [
        'clientId',
        'dispatcher',
        'loginUrl',
        'logger',
        'maxConcurrency',
        'maxRetries',
        'mode',
        'redirectUri',
        'timeout',
        'version',
      ].sort(),
    );
  });

  it('names unknown options (a typo would otherwise be ignored silently)', () => {
    expect(issuesOf({ instanceURL: 'https://x.my.salesforce.com' })).toEqual([
      { field: 'instanceURL', message: 'unknown option' },
    ]);
  });

  it('reports cross-field rules alongside type errors', () => {
    const fields = issuesOf({ accessToken: 'tok', refreshToken: 'ref', timeout: 'soon' }).map((i) => i.field);
    expect(fields.sort()).toEqual(['clientId', 'instanceUrl', 'timeout']);
  });

  it("refuses session options in 'multi' mode", () => {
    const fields = issuesOf({
      mode: 'multi',
      accessToken: 'tok',
      instanceUrl: 'https://x.my.salesforce.com',
    });
    expect(fields.map((i) => i.field)).toEqual(['accessToken']);
  });

  it('allows plain http only for loopback hosts', () => {
    for (const url of [
      'http://127.0.0.1:8080',
      'http://127.4.5.6',
      'http://localhost:3000',
      'http://[::1]:9000',
    ]) {
      expect(resolveOptions({ loginUrl: url }).loginUrl).toBe(new URL(url).origin);
    }
    for (const url of [
      'http://login.salesforce.com',
      'http://10.0.0.1',
      'http://128.0.0.1',
      'ftp://x.test',
    ]) {
      expect(issuesOf({ loginUrl: url })[0]?.message).toMatch(/https/);
    }
    expect(issuesOf({ instanceUrl: 'http://na1.salesforce.com', accessToken: 't' })[0]?.field).toBe(
      'instanceUrl',
    );
  });

  it('accepts an RSA private key and an undici dispatcher', () => {
    const { privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 1024,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const agent = new Agent();
    const options = resolveOptions({ privateKey, dispatcher: agent });
    expect(options.privateKey?.asymmetricKeyType).toBe('rsa');
    expect(options.dispatcher).toBe(agent);
  });

  it('rejects a key that is not an RSA private key without echoing it', () => {
    const { privateKey } = generateKeyPairSync('ed25519', {
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    expect(issuesOf({ privateKey })[0]).toEqual({
      field: 'privateKey',
      message: expect.stringMatching(/RSA/),
    });
    const garbage = '-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWtleS1tYXRlcmlhbA==\n-----END PRIVATE KEY-----';
    try {
      resolveOptions({ privateKey: garbage, clientSecret: '' });
    } catch (error) {
      const text = `${(error as Error).message} ${JSON.stringify(error)}`;
      expect(text).not.toContain('c2VjcmV0LWtleS1tYXRlcmlhbA');
      expect(text).toContain('privateKey');
      expect(text).toContain('clientSecret');
    }
  });
});
