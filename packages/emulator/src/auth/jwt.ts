import { verify } from 'node:crypto';
import type { HttpError } from '../http/context.js';
import type { ConnectedApp, ConnectedApps } from './connected-apps.js';
import { OAUTH, oauthError } from './oauth-errors.js';

export interface JwtBearerContext {
  readonly apps: ConnectedApps;
  /** Audiences accepted in `aud` (the login URLs this org answers for). */
  readonly audiences: readonly string[];
  /** The org's time, epoch ms. */
  readonly now: number;
}

export type JwtBearerResult =
  | { readonly ok: true; readonly app: ConnectedApp; readonly username: string }
  | { readonly ok: false; readonly error: HttpError };

const invalidAssertion = () => oauthError('invalid_grant', 'invalid assertion');

/**
 * Checks a JWT bearer assertion the way Salesforce does: an RS256 JWT whose `iss` is a connected app's
 * consumer key, signed with the private key of the certificate uploaded to that app, `aud` naming the
 * login host, `exp` in the future, and `sub` (or the legacy `prn`) naming the user.
 * Errors carry Salesforce's wording: an expired assertion is, oddly, `expired authorization code`.
 */
/** The longest accepted `exp - now`: five minutes plus a minute of clock skew. */
const MAX_JWT_LIFETIME_MS = 6 * 60 * 1000;

export function verifyJwtBearer(assertion: string, context: JwtBearerContext): JwtBearerResult {
  const parts = assertion.split('.');
  if (parts.length !== 3) return { ok: false, error: invalidAssertion() };
  const [encodedHeader, encodedClaims, encodedSignature] = parts as [string, string, string];
  const header = decodeJson(encodedHeader);
  const claims = decodeJson(encodedClaims);
  if (!header || !claims || header.alg !== 'RS256') return { ok: false, error: invalidAssertion() };

  const app = typeof claims.iss === 'string' ? context.apps.get(claims.iss) : undefined;
  if (!app) return { ok: false, error: OAUTH.invalidClientId() };
  if (!app.jwtPublicKey) return { ok: false, error: invalidAssertion() };

  const signature = Buffer.from(encodedSignature, 'base64url');
  const signed = verify(
    'RSA-SHA256',
    Buffer.from(`${encodedHeader}.${encodedClaims}`, 'ascii'),
    app.jwtPublicKey,
    signature,
  );
  if (!signed) return { ok: false, error: invalidAssertion() };

  const audiences = (Array.isArray(claims.aud) ? claims.aud : [claims.aud]).filter(
    (aud): aud is string => typeof aud === 'string',
  );
  const accepted = new Set(context.audiences.map(trimSlash));
  if (!audiences.some((aud) => accepted.has(trimSlash(aud)))) {
    return { ok: false, error: oauthError('invalid_grant', 'audience is invalid') };
  }

  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= context.now) {
    return { ok: false, error: oauthError('invalid_grant', 'expired authorization code') };
  }
  // Salesforce asks for an expiry within minutes; a real assertion that succeeded used iat + 300 s. An
  // assertion valid for longer is refused (wording unverified: the generic invalid-assertion text).
  if (claims.exp * 1000 > context.now + MAX_JWT_LIFETIME_MS) return { ok: false, error: invalidAssertion() };

  const subject = typeof claims.sub === 'string' ? claims.sub : claims.prn;
  if (typeof subject !== 'string' || subject === '') return { ok: false, error: invalidAssertion() };
  return { ok: true, app, username: subject };
}

function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function trimSlash(url: string): string {
  return url.endsWith('/') ? url.slice(0, -1) : url;
}
