import { type KeyObject, sign } from 'node:crypto';
import { LOGIN_URLS } from '../options.js';

/** The claims of a Salesforce JWT bearer assertion. */
export interface JwtBearerClaims {
  /** The connected app's consumer key. */
  readonly iss: string;
  /** The username to log in as. */
  readonly sub: string;
  /** The authorization server: https://login.salesforce.com, https://test.salesforce.com or a site URL. */
  readonly aud: string;
  /** Expiry, in seconds since the epoch. */
  readonly exp: number;
  readonly iat: number;
}

/** How long an assertion is valid: Salesforce asks for at most three minutes. */
export const JWT_LIFETIME_SECONDS = 180;

/**
 * The audience Salesforce expects for a login URL: My Domain hosts take the login host of their kind
 * (`…sandbox.my.salesforce.com` -> test, `….my.salesforce.com` -> login); any other host (an Experience
 * Cloud site, a local emulator) is its own audience.
 */
export function jwtAudience(loginUrl: string): string {
  const host = new URL(loginUrl).hostname.toLowerCase();
  if (host === 'test.salesforce.com' || host.endsWith('.sandbox.my.salesforce.com'))
    return LOGIN_URLS.sandbox;
  if (host === 'login.salesforce.com' || host.endsWith('.my.salesforce.com')) return LOGIN_URLS.production;
  return new URL(loginUrl).origin;
}

/** Signs a JWT bearer assertion with RS256 (RSASSA-PKCS1-v1_5 over SHA-256). */
export function signJwtAssertion(claims: JwtBearerClaims, privateKey: KeyObject): string {
  const header = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT' })).toString('base64url');
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const signature = sign('sha256', Buffer.from(`${header}.${payload}`), privateKey).toString('base64url');
  return `${header}.${payload}.${signature}`;
}
