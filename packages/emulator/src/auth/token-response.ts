import { createHmac } from 'node:crypto';

/** What a grant produced; the endpoint renders it in Salesforce's key order. */
export interface TokenGrant {
  readonly accessToken: string;
  readonly refreshToken?: string | undefined;
  readonly scopes: readonly string[];
  readonly instanceUrl: string;
  /** The identity URL, `<login URL>/id/<orgId>/<userId>`. */
  readonly id: string;
  /** Epoch ms of issue; sent with `signature` except by the JWT bearer grant, which sends neither. */
  readonly issuedAt?: number | undefined;
  /** The connected app's secret, the key of `signature`. */
  readonly clientSecret?: string | undefined;
}

/**
 * The token endpoint's JSON, keys in the order Salesforce sends them:
 * `access_token, refresh_token?, signature?, scope, instance_url, id, token_type, issued_at?`.
 * `issued_at` is a string of epoch milliseconds; `signature` is base64 HMAC-SHA256 of `id + issued_at`
 * keyed with the client secret, so a client can check the id URL was not tampered with.
 */
export function renderTokenResponse(grant: TokenGrant): Record<string, string> {
  const body: Record<string, string> = { access_token: grant.accessToken };
  if (grant.refreshToken !== undefined) body.refresh_token = grant.refreshToken;
  const issuedAt = grant.issuedAt === undefined ? undefined : String(grant.issuedAt);
  if (issuedAt !== undefined && grant.clientSecret !== undefined) {
    body.signature = tokenSignature(grant.id, issuedAt, grant.clientSecret);
  }
  body.scope = grant.scopes.join(' ');
  body.instance_url = grant.instanceUrl;
  body.id = grant.id;
  body.token_type = 'Bearer';
  if (issuedAt !== undefined) body.issued_at = issuedAt;
  return body;
}

export function tokenSignature(id: string, issuedAt: string, clientSecret: string): string {
  return createHmac('sha256', clientSecret)
    .update(id + issuedAt)
    .digest('base64');
}
