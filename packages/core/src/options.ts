import { createPrivateKey, type KeyObject } from 'node:crypto';
import type { Dispatcher } from 'undici';
import { z } from 'zod';
import { ConfigurationError } from './errors.js';
import { MAX_TIMER_MS } from './internal/request-check.js';
import { isSecureUrl } from './internal/secure-url.js';
import { lazy } from './lazy.js';
import type { Logger } from './logger.js';

/** The login hosts the `loginUrl` shorthands stand for. */
export const LOGIN_URLS = {
  production: 'https://login.salesforce.com',
  sandbox: 'https://test.salesforce.com',
} as const;

/** The API version used when none is given. */
export const DEFAULT_API_VERSION = '62.0';

/**
 * Options for `createClient()`. Every option is optional; a bad one throws a `ConfigurationError` that
 * names every bad field at once. Secrets given here are kept in private fields: they never appear in
 * `util.inspect(client)`, in errors or in logs.
 */
export interface ClientOptions {
  /**
   * The org's API host, e.g. `https://acme.my.salesforce.com`. Required with `accessToken`; a login sets
   * it from the token response otherwise. Must be https (plain http only for loopback hosts).
   * Default: none.
   */
  instanceUrl?: string | undefined;
  /**
   * Where logins, token refreshes and revokes go: `'production'` (https://login.salesforce.com),
   * `'sandbox'` (https://test.salesforce.com), or any URL such as your My Domain
   * (`https://acme.my.salesforce.com`) or a local emulator. Default: `'production'`.
   */
  loginUrl?: 'production' | 'sandbox' | (string & {}) | undefined;
  /** The REST API version, `'62.0'` (a leading `v` and a missing `.0` are accepted). Default: `'62.0'`. */
  version?: string | undefined;
  /** Start with this session (single-user mode; needs `instanceUrl`). Default: none. */
  accessToken?: string | undefined;
  /**
   * A refresh token for the session (needs `clientId`). Without `accessToken`, the first request obtains
   * a session from it. Default: none.
   */
  refreshToken?: string | undefined;
  /** The connected app's consumer key: needed by every OAuth flow. Default: none. */
  clientId?: string | undefined;
  /** The connected app's consumer secret (not needed for PKCE-only apps or JWT). Default: none. */
  clientSecret?: string | undefined;
  /** The callback URL of the authorization-code flow; must match the connected app's. Default: none. */
  redirectUri?: string | undefined;
  /** The PEM RSA private key the JWT bearer flow signs with. Default: none. */
  privateKey?: string | undefined;
  /**
   * `'single'`: the client holds one session and signs every request with it. `'multi'`: the client
   * holds none; pass a session per call or use `client.as(session)`, so one client (one connection
   * pool) serves many users. Default: `'single'`.
   */
  mode?: 'single' | 'multi' | undefined;
  /** Requests in flight at once; more wait in line. Default: `10`. */
  maxConcurrency?: number | undefined;
  /**
   * Milliseconds to wait for the response headers, and at most between two chunks of the response body
   * (an idle timeout: a slow body that keeps arriving never trips it). Per request, `timeout` overrides
   * it. Default: `120000`.
   */
  timeout?: number | undefined;
  /**
   * Milliseconds a whole request may take: waiting for a concurrency slot, every attempt and every
   * backoff between retries, a session refresh, and reading the body (for `raw()`, until the body
   * stream closes). When it runs out the request is aborted and rejects with a `TimeoutError` whose
   * `kind` is `'total'`; a retry whose backoff would end past it is not attempted (the request fails
   * with its last error). Per request, `totalTimeout` overrides it. Default: none.
   */
  totalTimeout?: number | undefined;
  /** Retries after the first attempt, for failures the retry policy deems safe to repeat. Default: `2`. */
  maxRetries?: number | undefined;
  /**
   * Repeat a username-password (OAuth or SOAP) login when its session expires, as a refresh token would
   * refresh it. The password then stays in memory, inside a closure (never in a property, a log line or
   * an error), for as long as the session is in use. `false`: forget it once the login is done; such
   * sessions then end with a `401`. Default: `true`.
   */
  autoRelogin?: boolean | undefined;
  /**
   * The undici `Dispatcher` requests go through (an `Agent`, `Pool`, `ProxyAgent`, `MockAgent`...).
   * Default: a keep-alive `Agent` the client owns and `client.close()` closes.
   */
  dispatcher?: Dispatcher | undefined;
  /**
   * A pino-compatible logger (`debug/info/warn/error(obj, msg)`). Default: silent, unless the
   * `FORCEKIT_LOG` environment variable names a level (`debug`, `info`, `warn`, `error`): then JSON lines
   * go to stderr. Credentials are redacted either way.
   */
  logger?: Logger | undefined;
}

/** Options after validation and defaults. */
export interface ResolvedOptions {
  readonly instanceUrl: string | undefined;
  readonly loginUrl: string;
  readonly version: string;
  readonly accessToken: string | undefined;
  readonly refreshToken: string | undefined;
  readonly clientId: string | undefined;
  readonly clientSecret: string | undefined;
  readonly redirectUri: string | undefined;
  readonly privateKey: KeyObject | undefined;
  readonly mode: 'single' | 'multi';
  readonly maxConcurrency: number;
  readonly timeout: number;
  readonly totalTimeout: number | undefined;
  readonly maxRetries: number;
  readonly autoRelogin: boolean;
  readonly dispatcher: Dispatcher | undefined;
  readonly logger: Logger | undefined;
}

/** A URL's origin, refusing plain http to non-loopback hosts (credentials go there). */
function secureOrigin(value: string, ctx: z.RefinementCtx): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be an absolute URL' });
    return z.NEVER;
  }
  if (!isSecureUrl(url)) {
    ctx.addIssue({ code: 'custom', message: 'must be https (plain http only for loopback hosts)' });
    return z.NEVER;
  }
  return url.origin;
}

const nonEmpty = (what: string) =>
  z.string({ error: `must be a string (${what})` }).min(1, 'must not be empty');

const milliseconds = () =>
  z
    .int({ error: 'must be an integer number of ms' })
    .min(1, 'must be positive')
    .max(MAX_TIMER_MS, `must be at most ${MAX_TIMER_MS} ms`);

const optionsSchema = lazy(() =>
  z.strictObject({
    instanceUrl: z.string({ error: 'must be a URL string' }).transform(secureOrigin).optional(),
    loginUrl: z
      .string({ error: "must be 'production', 'sandbox' or a URL" })
      .transform((value, ctx) =>
        value === 'production' || value === 'sandbox' ? LOGIN_URLS[value] : secureOrigin(value, ctx),
      )
      .optional(),
    version: z
      .string({ error: "must be a string like '62.0'" })
      .regex(/^v?\d{2,3}(\.0)?$/, "must look like '62.0'")
      .transform((value) => `${value.replace(/^v/, '').replace(/\.0$/, '')}.0`)
      .optional(),
    accessToken: nonEmpty('the access token').optional(),
    refreshToken: nonEmpty('the refresh token').optional(),
    clientId: nonEmpty("the connected app's consumer key").optional(),
    clientSecret: nonEmpty("the connected app's consumer secret").optional(),
    redirectUri: z.url({ error: 'must be an absolute URL' }).optional(),
    privateKey: z
      .string({ error: 'must be a PEM string' })
      .transform((value, ctx) => {
        try {
          const key = createPrivateKey(value);
          if (key.asymmetricKeyType === 'rsa') return key;
          ctx.addIssue({ code: 'custom', message: 'must be an RSA key (JWT bearer signs with RS256)' });
        } catch {
          ctx.addIssue({ code: 'custom', message: 'must be a PEM-encoded private key' });
        }
        return z.NEVER;
      })
      .optional(),
    mode: z.enum(['single', 'multi'], { error: "must be 'single' or 'multi'" }).default('single'),
    maxConcurrency: z.int({ error: 'must be an integer' }).min(1, 'must be at least 1').default(10),
    timeout: milliseconds().default(120_000),
    totalTimeout: milliseconds().optional(),
    maxRetries: z.int({ error: 'must be an integer' }).min(0, 'must not be negative').max(10).default(2),
    autoRelogin: z.boolean({ error: 'must be a boolean' }).default(true),
    dispatcher: z
      .custom<Dispatcher>(
        (value) => typeof (value as Dispatcher | null)?.dispatch === 'function',
        'must be an undici Dispatcher',
      )
      .optional(),
    logger: z
      .custom<Logger>(
        (value) =>
          typeof value === 'object' &&
          value !== null &&
          ['debug', 'info', 'warn', 'error'].every(
            (level) => typeof (value as Record<string, unknown>)[level] === 'function',
          ),
        'must have debug, info, warn and error methods',
      )
      .optional(),
  }),
);

/** Rules that relate two options; checked on the raw input so they report alongside type errors. */
function crossFieldIssues(input: Record<string, unknown>): { field: string; message: string }[] {
  const issues: { field: string; message: string }[] = [];
  const has = (key: string) => input[key] !== undefined;
  if (input.mode === 'multi') {
    for (const key of ['accessToken', 'refreshToken'] as const) {
      if (has(key)) {
        issues.push({ field: key, message: "not allowed in 'multi' mode: pass a session per call" });
      }
    }
  } else {
    if (has('accessToken') && !has('instanceUrl')) {
      issues.push({ field: 'instanceUrl', message: 'required with accessToken' });
    }
  }
  if (has('refreshToken') && !has('clientId')) {
    issues.push({ field: 'clientId', message: 'required with refreshToken (the refresh grant needs it)' });
  }
  return issues;
}

/** Validates options and applies defaults; throws one `ConfigurationError` naming every bad field. */
export function resolveOptions(input: ClientOptions = {}): ResolvedOptions {
  if (typeof input !== 'object' || input === null) {
    throw new ConfigurationError([{ field: '(options)', message: 'must be an object' }]);
  }
  const parsed = optionsSchema().safeParse(input);
  const issues = crossFieldIssues(input as Record<string, unknown>);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) issues.push({ field: key, message: 'unknown option' });
      } else {
        issues.push({ field: issue.path.join('.') || '(options)', message: issue.message });
      }
    }
  }
  if (issues.length > 0 || !parsed.success) throw new ConfigurationError(issues);
  const data = parsed.data;
  return {
    instanceUrl: data.instanceUrl,
    loginUrl: data.loginUrl ?? LOGIN_URLS.production,
    version: data.version ?? DEFAULT_API_VERSION,
    accessToken: data.accessToken,
    refreshToken: data.refreshToken,
    clientId: data.clientId,
    clientSecret: data.clientSecret,
    redirectUri: data.redirectUri,
    privateKey: data.privateKey,
    mode: data.mode,
    maxConcurrency: data.maxConcurrency,
    timeout: data.timeout,
    totalTimeout: data.totalTimeout,
    maxRetries: data.maxRetries,
    autoRelogin: data.autoRelogin,
    dispatcher: data.dispatcher,
    logger: data.logger,
  };
}
