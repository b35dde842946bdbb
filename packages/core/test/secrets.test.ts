/**
 * No error message, log line, `JSON.stringify(error)` or `util.inspect(error)` may contain a token,
 * password, client secret, private key or refresh token. Every flow runs here against the emulator with
 * a capturing logger at debug level; every error it can produce is serialized every way; then the lot is
 * searched for secrets. One failure (a malformed token answer) comes from the scripted stand-in.
 */
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { rejectionOf } from '../../../test-support/requests.js';
import { createClient, type SalesforceClient, type Session } from '../src/index.js';
import { useEmulatedOrg, visitAuthorizeUrl } from './support/emulator.js';
import { captureLogger } from './support/helpers.js';
import { useFakeSalesforce } from './support/setup.js';

const org = useEmulatedOrg();
const standIn = useFakeSalesforce();
const logger = captureLogger();
const errors: unknown[] = [];
const secrets = new Set<string>();
const sessions: Session[] = [];

function remember(session: Session): Session {
  sessions.push(session);
  secrets.add(session.accessToken);
  if (session.refreshToken !== undefined) secrets.add(session.refreshToken);
  return session;
}

async function collect(promise: Promise<unknown>, label: string): Promise<void> {
  try {
    await promise;
  } catch (error) {
    errors.push(error);
    return;
  }
  throw new Error(`${label} was expected to fail`);
}

function serializations(error: unknown): string[] {
  const e = error as Error;
  return [
    String(e),
    e.message,
    e.stack ?? '',
    JSON.stringify(e),
    inspect(e, { depth: 10, showHidden: true }),
    inspect(e.cause, { depth: 10, showHidden: true }),
  ];
}

let client: SalesforceClient;

beforeAll(async () => {
  const { alice, credentials: app } = org;
  secrets.add(alice.password).add(alice.securityToken).add(app.clientSecret).add(app.jwtPrivateKey);
  // Each line of the PEM body is key material on its own.
  for (const line of app.jwtPrivateKey.split('\n'))
    if (line.length > 20 && !line.startsWith('-----')) secrets.add(line);
  client = org.client({ logger, privateKey: app.jwtPrivateKey });
  const credentials = {
    username: alice.username,
    password: alice.password,
    securityToken: alice.securityToken,
  };

  // Every login flow, successful.
  remember(await client.loginWithPassword(credentials));
  remember(await client.loginWithJwt({ username: alice.username }));
  remember(await client.loginWithClientCredentials());
  remember(await client.loginWithSoap(credentials));
  const pending = client.authorizeUrl({ scope: 'api refresh_token', loginHint: alice.username });
  secrets.add(pending.codeVerifier);
  const callback = await visitAuthorizeUrl(pending.url);
  secrets.add(new URL(callback).searchParams.get('code') ?? '');
  const withRefresh = remember(await client.completeAuthorization(pending, callback));

  // A refresh on expiry, and a retry.
  org.org.expireSessions();
  await client.request({ path: 'limits' });
  remember(client.session as Session);
  org.org.faults.error({ path: '**/limits', status: 503, times: 1, headers: { 'Retry-After': '0' } });
  await client.request({ path: 'limits' });

  // Every kind of failure.
  await collect(client.loginWithPassword({ ...credentials, password: 'wrong-password-123' }), 'failure 1');
  secrets.add('wrong-password-123');
  await collect(client.loginWithSoap({ ...credentials, securityToken: 'bad-token-456' }), 'failure 2');
  secrets.add('bad-token-456');
  await collect(client.loginWithRefreshToken('5Aep861-not-a-real-refresh-token'), 'failure 3');
  secrets.add('5Aep861-not-a-real-refresh-token');
  // A server that quotes the caller's token in an error message.
  const token = (client.session as Session).accessToken;
  org.org.faults.error({
    path: '**/sobjects/Account',
    status: 400,
    body: [{ errorCode: 'INVALID_FIELD', message: `token ${token} and Bearer ${token}` }],
  });
  await collect(client.request({ path: 'sobjects/Account' }), 'failure 4');
  const expired = remember({
    ...withRefresh,
    accessToken: org.org.createSession(alice.userId),
    refreshToken: 'dead-refresh-789',
  });
  org.org.sessions.revoke(expired.accessToken);
  secrets.add('dead-refresh-789');
  await collect(client.request({ path: 'limits', session: expired }), 'failure 5');
  await collect(
    client.request({ path: 'limits', session: { ...expired, instanceUrl: 'http://na1.salesforce.com' } }),
    'failure 6',
  );
  org.org.faults.latency(1_000, { path: '**/sobjects' });
  await collect(client.request({ path: 'sobjects', timeout: 100 }), 'failure 7');
  await collect(client.request({ path: 'sobjects', signal: AbortSignal.timeout(50) }), 'failure 8');
  org.org.faults.dropConnection({ path: '**/recent' });
  await collect(client.request({ path: 'recent', maxRetries: 0 }), 'failure 9');
  await collect(client.revoke('00Dxx!unknown-token-000'), 'failure 10');
  secrets.add('00Dxx!unknown-token-000');
  // A malformed token endpoint answer: V8's parse error would quote the token.
  standIn.fake.route('POST', '/services/oauth2/token', () => ({
    headers: { 'content-type': 'application/json' },
    body: '{"access_token":x00D!abc}',
  }));
  secrets.add('00D!abc');
  await collect(standIn.client({ logger }).loginWithPassword(credentials), 'failure 11');
  try {
    createClient({
      clientSecret: app.clientSecret,
      accessToken: 'opt-token-abc',
      refreshToken: 'opt-refresh-def',
      privateKey: 'not a key but secret-ish-ghi',
      timeout: -1,
    });
  } catch (error) {
    errors.push(error);
  }
  secrets.add('opt-token-abc').add('opt-refresh-def').add('not a key but secret-ish-ghi');
});

afterAll(() => {
  vi.unstubAllEnvs();
});

describe('secrets never leak', () => {
  it('produced every kind of error the flows can raise', () => {
    expect(errors.map((e) => (e as Error).constructor.name).sort()).toEqual(
      [
        'AbortError',
        'BadRequestError',
        'ConfigurationError',
        'InsecureUrlError',
        'InvalidSessionError',
        'NetworkError',
        'OAuthError',
        'OAuthError',
        'OAuthError',
        'ResponseError',
        'SoapFaultError',
        'TimeoutError',
      ].sort(),
    );
  });

  it('not in error messages, stacks, JSON.stringify or util.inspect', () => {
    expect(secrets.size).toBeGreaterThan(15);
    for (const error of errors) {
      const text = serializations(error).join('\n');
      for (const secret of secrets)
        expect(text, `${(error as Error).name} leaks a secret`).not.toContain(secret);
    }
  });

  it('not when the server echoes the token back in an error', () => {
    const echoed = errors.find((e) => (e as Error).name === 'BadRequestError') as Error;
    expect(echoed.message).toContain('[REDACTED]');
  });

  it('not in log lines', () => {
    expect(logger.entries.length).toBeGreaterThan(10);
    expect(logger.entries.map((e) => e.msg)).toEqual(
      expect.arrayContaining(['request', 'retrying request', 'session refreshed']),
    );
    const text = JSON.stringify(logger.entries);
    for (const secret of secrets) expect(text).not.toContain(secret);
  });

  it('not in util.inspect(client) or of a view', () => {
    const text =
      inspect(client, { depth: 10, showHidden: true }) +
      inspect(client.as(sessions[0] as Session), { depth: 10 });
    for (const secret of secrets) expect(text).not.toContain(secret);
  });

  it('not on stderr with FORCEKIT_LOG=debug', async () => {
    vi.stubEnv('FORCEKIT_LOG', 'debug');
    const written: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const { alice, credentials: app } = org;
    try {
      const envClient = createClient({
        loginUrl: org.url,
        clientId: app.clientId,
        clientSecret: app.clientSecret,
      });
      const session = await envClient.loginWithPassword({
        username: alice.username,
        password: alice.password,
        securityToken: alice.securityToken,
      });
      secrets.add(session.accessToken);
      await envClient.request({ path: 'limits' });
      await rejectionOf(
        envClient.loginWithPassword({ username: alice.username, password: 'wrong-password-123' }),
      );
      await envClient.close();
    } finally {
      spy.mockRestore();
    }
    const lines = written.join('').trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(JSON.parse(lines[0] as string)).toMatchObject({ level: 'debug', msg: 'request', method: 'POST' });
    for (const secret of secrets) expect(written.join('')).not.toContain(secret);
  });

  it('is silent by default', async () => {
    vi.stubEnv('FORCEKIT_LOG', '');
    const spy = vi.spyOn(process.stderr, 'write');
    try {
      const quiet = createClient({
        loginUrl: org.url,
        accessToken: sessions[0]?.accessToken,
        instanceUrl: org.url,
      });
      await quiet.request({ path: 'limits' }).catch(() => undefined);
      await quiet.close();
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });
});
