/**
 * No error message, log line, `JSON.stringify(error)` or `util.inspect(error)` may contain a token,
 * password, client secret, private key or refresh token. Every flow runs here with a capturing logger at
 * debug level; every error it can produce is serialized every way; then the lot is searched for secrets.
 */
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createClient, type SalesforceClient, type Session } from '../src/index.js';
import { ALICE, CLIENT_ID, CLIENT_SECRET, REDIRECT_URI } from './support/fake-salesforce.js';
import { captureLogger, rejectionOf, useFakeSalesforce } from './support/setup.js';

const org = useFakeSalesforce();
const logger = captureLogger();
const errors: unknown[] = [];
const secrets = new Set<string>([ALICE.password, ALICE.securityToken, CLIENT_SECRET]);
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
  secrets.add(org.fake.keys.privateKey);
  // Each line of the PEM body is key material on its own.
  for (const line of org.fake.keys.privateKey.split('\n'))
    if (line.length > 20 && !line.startsWith('-----')) secrets.add(line);
  client = org.client({ logger, privateKey: org.fake.keys.privateKey });
  const credentials = {
    username: ALICE.username,
    password: ALICE.password,
    securityToken: ALICE.securityToken,
  };

  // Every login flow, successful.
  remember(await client.loginWithPassword(credentials));
  remember(await client.loginWithJwt({ username: ALICE.username }));
  remember(await client.loginWithClientCredentials());
  remember(await client.loginWithSoap(credentials));
  const pending = client.authorizeUrl();
  secrets.add(pending.codeVerifier);
  const code = org.fake.approve(
    ALICE,
    REDIRECT_URI,
    new URL(pending.url).searchParams.get('code_challenge') ?? '',
  );
  secrets.add(code);
  const withRefresh = remember(
    await client.completeAuthorization(
      pending,
      `${REDIRECT_URI}?code=${encodeURIComponent(code)}&state=${pending.state}`,
    ),
  );

  // A refresh on expiry, and a retry.
  org.fake.rest('GET', 'echo-token', (ctx) => ({
    status: 400,
    body: [
      { errorCode: 'INVALID_FIELD', message: `token ${ctx.accessToken} and ${ctx.headers.authorization}` },
    ],
  }));
  org.fake.rest('GET', 'ok', () => ({ body: {} }));
  org.fake.rest('GET', 'flaky', (ctx) =>
    ctx.call === 1 ? { status: 503, headers: { 'retry-after': '0' }, body: [] } : { body: {} },
  );
  org.fake.expire(withRefresh.accessToken);
  await client.request({ path: 'ok' });
  remember(client.session as Session);
  await client.request({ path: 'flaky' });

  // Every kind of failure.
  await collect(client.loginWithPassword({ ...credentials, password: 'wrong-password-123' }), 'failure 1');
  secrets.add('wrong-password-123');
  await collect(client.loginWithSoap({ ...credentials, securityToken: 'bad-token-456' }), 'failure 2');
  secrets.add('bad-token-456');
  await collect(client.loginWithRefreshToken('5Aep861-not-a-real-refresh-token'), 'failure 3');
  secrets.add('5Aep861-not-a-real-refresh-token');
  await collect(client.request({ path: 'echo-token' }), 'failure 4');
  const expired = remember({
    ...withRefresh,
    accessToken: org.fake.issueToken(ALICE),
    refreshToken: 'dead-refresh-789',
  });
  org.fake.expire(expired.accessToken);
  secrets.add('dead-refresh-789');
  await collect(client.request({ path: 'ok', session: expired }), 'failure 5');
  await collect(
    client.request({ path: 'ok', session: { ...expired, instanceUrl: 'http://na1.salesforce.com' } }),
    'failure 6',
  );
  org.fake.rest('GET', 'hang', () => ({ hang: true }));
  await collect(client.request({ path: 'hang', timeout: 100 }), 'failure 7');
  await collect(client.request({ path: 'hang', signal: AbortSignal.timeout(50) }), 'failure 8');
  org.fake.rest('GET', 'reset', () => ({ reset: true }));
  await collect(client.request({ path: 'reset', maxRetries: 0 }), 'failure 9');
  await collect(client.revoke('00Dxx!unknown-token-000'), 'failure 10');
  // A malformed token endpoint answer: V8's parse error would quote the token.
  org.fake.route('POST', '/services/oauth2/token', () => ({
    headers: { 'content-type': 'application/json' },
    body: '{"access_token":x00D!abc}',
  }));
  secrets.add('00D!abc');
  await collect(client.loginWithPassword(credentials), 'failure 11');
  org.fake.unroute('POST', '/services/oauth2/token');
  secrets.add('00Dxx!unknown-token-000');
  try {
    createClient({
      clientSecret: CLIENT_SECRET,
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
    try {
      const envClient = createClient({
        loginUrl: org.fake.url,
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
      });
      const session = await envClient.loginWithPassword({
        username: ALICE.username,
        password: ALICE.password,
        securityToken: ALICE.securityToken,
      });
      secrets.add(session.accessToken);
      await envClient.request({ path: 'flaky' });
      await rejectionOf(
        envClient.loginWithPassword({ username: ALICE.username, password: 'wrong-password-123' }),
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
        loginUrl: org.fake.url,
        accessToken: sessions[0]?.accessToken,
        instanceUrl: org.fake.url,
      });
      await quiet.request({ path: 'ok' }).catch(() => undefined);
      await quiet.close();
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });
});
