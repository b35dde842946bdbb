import { createHash, randomBytes } from 'node:crypto';
import type { Emulator } from '../../src/index.js';
import { type JsonResponse, request } from './http.js';

/** The OAuth steps the auth tests share, run against the emulator's default connected app and admin. */

export type TokenBody = Record<string, string>;

/** The keys of each token answer, in the order Salesforce writes them. */
export const TOKEN_KEYS = {
  /** authorization_code with the `refresh_token` scope. */
  withRefreshToken: [
    'access_token',
    'refresh_token',
    'signature',
    'scope',
    'instance_url',
    'id',
    'token_type',
    'issued_at',
  ],
  /** password, refresh_token, client_credentials, and a code flow without the `refresh_token` scope. */
  session: ['access_token', 'signature', 'scope', 'instance_url', 'id', 'token_type', 'issued_at'],
  /** JWT bearer: no signature, no issue time, no refresh token. */
  jwtBearer: ['access_token', 'scope', 'instance_url', 'id', 'token_type'],
} as const;

/** POSTs form parameters to the token endpoint. */
export function tokenRequest(
  emulator: Emulator,
  form: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<JsonResponse<TokenBody>> {
  return request<TokenBody>(`${emulator.loginUrl}/services/oauth2/token`, { method: 'POST', form, headers });
}

/** The username-password grant's form for the admin (password + security token), with overrides. */
export function passwordForm(
  emulator: Emulator,
  overrides: Record<string, string> = {},
): Record<string, string> {
  const c = emulator.credentials;
  return {
    grant_type: 'password',
    client_id: c.clientId,
    client_secret: c.clientSecret,
    username: c.username,
    password: c.password + c.securityToken,
    ...overrides,
  };
}

/** Logs the admin in with the username-password grant (`overrides` change any parameter). */
export function passwordLogin(
  emulator: Emulator,
  overrides: Record<string, string> = {},
): Promise<JsonResponse<TokenBody>> {
  return tokenRequest(emulator, passwordForm(emulator, overrides));
}

/** The client-credentials grant for the default app (`overrides` change any parameter). */
export function clientCredentialsLogin(
  emulator: Emulator,
  overrides: Record<string, string> = {},
): Promise<JsonResponse<TokenBody>> {
  const c = emulator.credentials;
  return tokenRequest(emulator, {
    grant_type: 'client_credentials',
    client_id: c.clientId,
    client_secret: c.clientSecret,
    ...overrides,
  });
}

/** Follows `/authorize` and returns the callback URL it redirected to. */
export async function authorize(emulator: Emulator, params: Record<string, string>): Promise<URL> {
  const url = new URL('/services/oauth2/authorize', emulator.loginUrl);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  const res = await fetch(url, { redirect: 'manual' });
  await res.arrayBuffer();
  const location = res.headers.get('location');
  if (res.status !== 302 || location === null)
    throw new Error(`authorize answered ${res.status} without a redirect`);
  return new URL(location);
}

/**
 * Follows `/authorize` for the default app: `response_type=code`, its client id and first callback,
 * with `params` on top (`state`, `scope`, `code_challenge`, another `response_type`...).
 */
export function authorizeDefaultApp(emulator: Emulator, params: Record<string, string> = {}): Promise<URL> {
  const c = emulator.credentials;
  return authorize(emulator, {
    response_type: 'code',
    client_id: c.clientId,
    redirect_uri: c.redirectUri,
    ...params,
  });
}

/** An authorization code for the default app (the first step of the web-server flow). */
export async function authorizeCode(
  emulator: Emulator,
  params: Record<string, string> = {},
): Promise<string> {
  const callback = await authorizeDefaultApp(emulator, params);
  const code = callback.searchParams.get('code');
  if (code === null) throw new Error(`no code in ${callback}`);
  return code;
}

/** Exchanges a code at the token endpoint as the default app (`overrides` change any parameter). */
export function exchangeCode(
  emulator: Emulator,
  code: string,
  overrides: Record<string, string> = {},
): Promise<JsonResponse<TokenBody>> {
  const c = emulator.credentials;
  return tokenRequest(emulator, {
    grant_type: 'authorization_code',
    code,
    client_id: c.clientId,
    client_secret: c.clientSecret,
    redirect_uri: c.redirectUri,
    ...overrides,
  });
}

/** The whole web-server flow for the admin: authorize, follow the redirect, exchange the code. */
export async function codeFlowLogin(
  emulator: Emulator,
  params: Record<string, string> = {},
): Promise<JsonResponse<TokenBody>> {
  return exchangeCode(emulator, await authorizeCode(emulator, params));
}

/** The refresh-token grant as the default app. */
export function refreshLogin(
  emulator: Emulator,
  refreshToken: string,
  overrides: Record<string, string> = {},
): Promise<JsonResponse<TokenBody>> {
  const c = emulator.credentials;
  return tokenRequest(emulator, {
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    client_id: c.clientId,
    client_secret: c.clientSecret,
    ...overrides,
  });
}

/** A PKCE verifier and its S256 challenge. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(64).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}
