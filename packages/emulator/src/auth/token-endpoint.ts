import type { RequestContext } from '../http/context.js';
import type { Org } from '../org.js';
import { runGrant, type TokenRequest } from './grants.js';
import { OAUTH } from './oauth-errors.js';
import { renderTokenResponse } from './token-response.js';

/** `POST /services/oauth2/token`: every grant, form-encoded parameters, JSON answers. */
export async function handleToken(ctx: RequestContext, org: Org): Promise<void> {
  if (ctx.method !== 'POST') throw OAUTH.mustUsePost();
  const request: TokenRequest = { params: await ctx.form(), basic: basicCredentials(ctx) };
  const grant = runGrant(org, request);
  await ctx.sendJson(200, renderTokenResponse(grant), {
    'Cache-Control': 'no-cache,must-revalidate,max-age=0,no-store,private',
  });
}

function basicCredentials(ctx: RequestContext): TokenRequest['basic'] {
  const header = ctx.header('authorization');
  const match = header === undefined ? null : /^Basic\s+(\S+)$/i.exec(header);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return {
    clientId: safeDecode(decoded.slice(0, colon)),
    clientSecret: safeDecode(decoded.slice(colon + 1)),
  };
}

/** RFC 6749 asks clients to form-encode id and secret inside Basic; tolerate ones that did not. */
function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}
