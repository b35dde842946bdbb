import { HttpError, type RequestContext } from '../http/context.js';
import type { Org } from '../org.js';
import { escapeText } from './markup.js';
import { renderTokenResponse } from './token-response.js';

/**
 * `GET /services/oauth2/authorize`: the browser step of the web-server (`response_type=code`) and
 * user-agent (`response_type=token`) flows. The emulator has no login page: it approves at once, as
 * the admin or the user named by `login_hint`, and redirects to `redirect_uri` with `code` and `state`
 * (or the token in the fragment). Errors the app can handle go to the callback as `error` and
 * `error_description`; an unknown client or an unregistered callback gets an error page, since
 * redirecting there would be unsafe.
 */
export async function handleAuthorize(ctx: RequestContext, org: Org): Promise<void> {
  const params = ctx.method === 'POST' ? await ctx.form() : ctx.query;
  const clientId = params.get('client_id') ?? '';
  const app = org.connectedApps.get(clientId);
  if (!app) return errorPage(ctx, 'invalid_client_id', 'client identifier invalid');
  const redirectUri = params.get('redirect_uri');
  if (redirectUri === null || redirectUri === '') {
    return errorPage(ctx, 'redirect_uri_missing', 'redirect_uri must match configuration');
  }
  if (!app.redirectUris.includes(redirectUri)) {
    return errorPage(ctx, 'redirect_uri_mismatch', 'redirect_uri must match configuration');
  }

  const state = params.get('state');
  const fail = (error: string, description: string) =>
    redirect(ctx, redirectUri, 'query', { error, error_description: description, state });

  const responseType = params.get('response_type');
  if (responseType !== 'code' && responseType !== 'token') {
    return fail('unsupported_response_type', 'response type not supported');
  }
  const requested = (params.get('scope') ?? '').split(/\s+/).filter(Boolean);
  const refused = requested.filter((scope) => scope !== 'offline_access' && !app.scopes.includes(scope));
  if (refused.length > 0) return fail('invalid_scope', 'the requested scope is not allowed');
  // Granted scopes come back in the app's order; `offline_access` is the alias of `refresh_token`.
  const wanted = new Set(requested.map((scope) => (scope === 'offline_access' ? 'refresh_token' : scope)));
  const scopes = requested.length === 0 ? [...app.scopes] : app.scopes.filter((scope) => wanted.has(scope));

  const challenge = params.get('code_challenge');
  const method = params.get('code_challenge_method');
  if (challenge !== null && method !== null && method !== 'S256') {
    return fail('invalid_request', 'code_challenge_method must be S256');
  }

  const hint = params.get('login_hint');
  const user = (hint ? org.users.byUsername(hint) : undefined) ?? org.admin;
  if (!user.isActive) return fail('access_denied', 'end-user denied authorization');

  if (responseType === 'code') {
    const code = org.authorizationCodes.issue({
      clientId: app.clientId,
      userId: user.id,
      redirectUri,
      scopes,
      codeChallenge: challenge === null || challenge === '' ? undefined : challenge,
    });
    return redirect(ctx, redirectUri, 'query', { code, state });
  }

  // The user-agent flow puts the token in the fragment; no refresh token without a secret.
  const session = org.sessions.issue({ userId: user.id, clientId: app.clientId, scopes, origin: 'implicit' });
  const token = renderTokenResponse({
    accessToken: session.accessToken,
    scopes,
    instanceUrl: org.url,
    id: org.identityUrl(user.id),
    issuedAt: session.issuedAt,
    clientSecret: app.clientSecret,
  });
  return redirect(ctx, redirectUri, 'fragment', { ...token, state });
}

function redirect(
  ctx: RequestContext,
  target: string,
  part: 'query' | 'fragment',
  values: Record<string, string | null>,
): void {
  const url = new URL(target);
  const encoded = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (value !== null) encoded.set(key, value);
  if (part === 'query') {
    for (const [key, value] of encoded) url.searchParams.set(key, value);
  } else {
    url.hash = encoded.toString();
  }
  ctx.noContent(302, {
    Location: url.toString(),
    'Cache-Control': 'no-cache,must-revalidate,max-age=0,no-store,private',
  });
}

function errorPage(_ctx: RequestContext, error: string, description: string): never {
  const html =
    `<!DOCTYPE html><html><head><title>OAuth Error</title></head><body>` +
    `<p>error=${escapeText(error)}</p><p>error_description=${escapeText(description)}</p></body></html>`;
  throw new HttpError(400, html, { 'Content-Type': 'text/html;charset=UTF-8' });
}
