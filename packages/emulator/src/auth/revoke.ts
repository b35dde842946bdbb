import type { RequestContext } from '../http/context.js';
import type { Org } from '../org.js';
import { oauthError } from './oauth-errors.js';

/**
 * `POST /services/oauth2/revoke` (form body `token=`) or `GET ...?token=`: ends an access token, or a
 * refresh token and every access token issued from it. 200 with an empty body when it did.
 */
export async function handleRevoke(ctx: RequestContext, org: Org): Promise<void> {
  const params = ctx.method === 'POST' ? await ctx.form() : ctx.query;
  const token = params.get('token') ?? '';
  if (token === '') throw oauthError('unsupported_token_type', 'unsupported token type');
  const revoked = org.sessions.revokeRefreshToken(token) || org.sessions.revoke(token);
  if (!revoked) throw oauthError('invalid_token', 'invalid token');
  await ctx.send(200, '', 'text/html;charset=UTF-8');
}
