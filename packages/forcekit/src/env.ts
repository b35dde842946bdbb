import { ConfigurationError } from '@forcekit/core';
import {
  type Connection,
  type ConnectionOptions,
  createConnection,
  type UntypedSchema,
} from './connection.js';

/** Environment variables `connectFromEnv` reads. */
export interface SalesforceEnv {
  /** With `SF_ACCESS_TOKEN`: use this session as is. */
  readonly SF_INSTANCE_URL?: string | undefined;
  readonly SF_ACCESS_TOKEN?: string | undefined;
  /** With `SF_USERNAME` and `SF_PASSWORD`: log in. `production`, `sandbox` or a URL. */
  readonly SF_LOGIN_URL?: string | undefined;
  readonly SF_USERNAME?: string | undefined;
  readonly SF_PASSWORD?: string | undefined;
  /** Appended to the password. */
  readonly SF_SECURITY_TOKEN?: string | undefined;
  /** A connected app: the OAuth password flow instead of SOAP login. */
  readonly SF_CLIENT_ID?: string | undefined;
  readonly SF_CLIENT_SECRET?: string | undefined;
  /** The API version, e.g. `62.0`. */
  readonly SF_API_VERSION?: string | undefined;
}

/** How `connectFromEnv` connects: a token to use, or a login to make. */
export type EnvPlan =
  | { readonly kind: 'token'; readonly options: ConnectionOptions }
  | {
      readonly kind: 'login';
      readonly options: ConnectionOptions;
      readonly username: string;
      readonly password: string;
    };

const set = (value: string | undefined): value is string => value !== undefined && value !== '';

/**
 * Reads `SF_*` variables: `SF_INSTANCE_URL` + `SF_ACCESS_TOKEN`, or `SF_USERNAME` + `SF_PASSWORD` (with
 * `SF_LOGIN_URL`, `SF_SECURITY_TOKEN`, `SF_CLIENT_ID`, `SF_CLIENT_SECRET`). Undefined when neither set
 * is complete.
 */
export function planFromEnv(env: SalesforceEnv = process.env): EnvPlan | undefined {
  const version = set(env.SF_API_VERSION) ? { version: env.SF_API_VERSION } : {};
  if (set(env.SF_INSTANCE_URL) && set(env.SF_ACCESS_TOKEN)) {
    return {
      kind: 'token',
      options: { instanceUrl: env.SF_INSTANCE_URL, accessToken: env.SF_ACCESS_TOKEN, ...version },
    };
  }
  if (set(env.SF_USERNAME) && set(env.SF_PASSWORD)) {
    return {
      kind: 'login',
      options: {
        ...version,
        ...(set(env.SF_LOGIN_URL) ? { loginUrl: env.SF_LOGIN_URL } : {}),
        ...(set(env.SF_CLIENT_ID) ? { clientId: env.SF_CLIENT_ID } : {}),
        ...(set(env.SF_CLIENT_SECRET) ? { clientSecret: env.SF_CLIENT_SECRET } : {}),
      },
      username: env.SF_USERNAME,
      password: env.SF_PASSWORD + (env.SF_SECURITY_TOKEN ?? ''),
    };
  }
  return undefined;
}

/**
 * A connection to the org the `SF_*` environment variables describe (see `planFromEnv`), logged in.
 * Throws a `ConfigurationError` naming the variables to set when none are.
 */
export async function connectFromEnv<S extends object = UntypedSchema>(
  env: SalesforceEnv = process.env,
  options: ConnectionOptions = {},
): Promise<Connection<S>> {
  const plan = planFromEnv(env);
  if (plan === undefined) {
    throw new ConfigurationError(
      [
        {
          field: 'SF_INSTANCE_URL, SF_ACCESS_TOKEN',
          message: 'set both, or SF_USERNAME and SF_PASSWORD (with SF_LOGIN_URL for a sandbox or My Domain)',
        },
      ],
      'environment',
    );
  }
  const conn = createConnection<S>({ ...options, ...plan.options });
  if (plan.kind === 'login') {
    try {
      await conn.login(plan.username, plan.password);
    } catch (error) {
      await conn.close();
      throw error;
    }
  }
  return conn;
}
