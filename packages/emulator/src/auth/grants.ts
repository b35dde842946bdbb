import type { Org } from '../org.js';
import type { ConnectedApp } from './connected-apps.js';
import { verifyJwtBearer } from './jwt.js';
import { OAUTH, oauthError } from './oauth-errors.js';
import { verifyCodeChallenge } from './pkce.js';
import type { SessionOrigin } from './sessions.js';
import type { TokenGrant } from './token-response.js';

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** Scopes that ask for a refresh token. */
const REFRESH_SCOPES = new Set(['refresh_token', 'offline_access']);

/** The token request's parameters and how the client authenticated (body or HTTP Basic). */
export interface TokenRequest {
  readonly params: URLSearchParams;
  /** From `Authorization: Basic base64(id:secret)`, which client credentials also accepts. */
  readonly basic: { readonly clientId: string; readonly clientSecret: string } | undefined;
}

/** Runs the grant named by `grant_type`; throws the OAuth error Salesforce would answer with. */
export function runGrant(org: Org, request: TokenRequest): TokenGrant {
  switch (request.params.get('grant_type')) {
    case 'password':
      return passwordGrant(org, request);
    case 'authorization_code':
      return authorizationCodeGrant(org, request);
    case 'refresh_token':
      return refreshTokenGrant(org, request);
    case JWT_BEARER_GRANT:
      return jwtBearerGrant(org, request);
    case 'client_credentials':
      return clientCredentialsGrant(org, request);
    default:
      throw OAUTH.unsupportedGrantType();
  }
}

function passwordGrant(org: Org, request: TokenRequest): TokenGrant {
  const app = authenticateClient(org, request, true);
  const user = org.users.authenticate(
    request.params.get('username') ?? '',
    request.params.get('password') ?? '',
  );
  if (!user) throw OAUTH.authenticationFailure();
  // The username-password flow never issues a refresh token, whatever the app's scopes.
  const scopes = app.scopes.filter((scope) => !REFRESH_SCOPES.has(scope));
  return signedGrant(org, app, user.id, scopes, 'password');
}

function authorizationCodeGrant(org: Org, request: TokenRequest): TokenGrant {
  const app = authenticateClient(org, request, appRequiresSecret(org, request));
  const params = request.params;
  const redemption = org.authorizationCodes.redeem(params.get('code') ?? '');
  if (redemption.kind === 'unknown') throw oauthError('invalid_grant', 'invalid authorization code');
  if (redemption.kind === 'expired') throw oauthError('invalid_grant', 'expired authorization code');
  const grant = redemption.grant;
  if (grant.clientId !== app.clientId) throw oauthError('invalid_grant', 'invalid authorization code');
  if (params.get('redirect_uri') !== grant.redirectUri) {
    throw oauthError('redirect_uri_mismatch', 'redirect_uri must match configuration');
  }
  if (grant.codeChallenge !== undefined) {
    const verifier = params.get('code_verifier');
    // Salesforce's documented PKCE answers: no verifier is invalid_grant, a wrong one invalid_request.
    if (verifier === null || verifier === '') throw oauthError('invalid_grant', 'invalid code verifier');
    if (!verifyCodeChallenge(verifier, grant.codeChallenge)) {
      throw oauthError('invalid_request', 'invalid code verifier');
    }
  }
  const user = org.users.get(grant.userId);
  if (!user?.isActive) throw oauthError('invalid_grant', 'inactive user');
  const refreshToken = grant.scopes.some((scope) => REFRESH_SCOPES.has(scope))
    ? org.sessions.issueRefreshToken(user.id, app.clientId, grant.scopes)
    : undefined;
  return signedGrant(org, app, user.id, grant.scopes, 'authorization_code', refreshToken);
}

function refreshTokenGrant(org: Org, request: TokenRequest): TokenGrant {
  const app = authenticateClient(org, request, appRequiresSecret(org, request));
  const refresh = org.sessions.refreshGrant(request.params.get('refresh_token') ?? '');
  if (!refresh || refresh.clientId !== app.clientId) throw OAUTH.expiredToken();
  const user = org.users.get(refresh.userId);
  if (!user?.isActive) throw oauthError('invalid_grant', 'inactive user');
  // No new refresh token: Salesforce only rotates when the app enables rotation.
  const session = org.sessions.issue({
    userId: user.id,
    clientId: app.clientId,
    scopes: refresh.scopes,
    origin: 'refresh_token',
    refreshToken: refresh.refreshToken,
  });
  return tokenGrant(org, app, session.accessToken, user.id, refresh.scopes, session.issuedAt);
}

function jwtBearerGrant(org: Org, request: TokenRequest): TokenGrant {
  const assertion = request.params.get('assertion');
  if (assertion === null || assertion === '') throw oauthError('invalid_grant', 'invalid assertion');
  const result = verifyJwtBearer(assertion, {
    apps: org.connectedApps,
    audiences: [org.url, 'https://login.salesforce.com', 'https://test.salesforce.com'],
    // The client signs `exp` with its own clock, the real one: judged by the org's clock, a test that
    // moved (or pinned) the org's time could no longer log in with a fresh assertion.
    now: Date.now(),
  });
  if (!result.ok) throw result.error;
  const user = org.users.byUsername(result.username);
  if (!user?.isActive) throw oauthError('invalid_grant', "user hasn't approved this consumer");
  const scopes = result.app.scopes.filter((scope) => !REFRESH_SCOPES.has(scope));
  const session = org.sessions.issue({
    userId: user.id,
    clientId: result.app.clientId,
    scopes,
    origin: 'jwt_bearer',
  });
  // The JWT bearer answer has no issued_at, no signature and no refresh token (real capture).
  return {
    accessToken: session.accessToken,
    scopes,
    instanceUrl: org.url,
    id: org.identityUrl(user.id),
  };
}

function clientCredentialsGrant(org: Org, request: TokenRequest): TokenGrant {
  const app = authenticateClient(org, request, true);
  const runAs = app.runAsUserId === undefined ? undefined : org.users.get(app.runAsUserId);
  if (!runAs) throw oauthError('invalid_grant', 'no client credentials user enabled');
  if (!runAs.isActive) throw oauthError('invalid_grant', 'inactive user');
  const scopes = app.scopes.filter((scope) => !REFRESH_SCOPES.has(scope));
  return signedGrant(org, app, runAs.id, scopes, 'client_credentials');
}

/** Whether the app behind `client_id` requires a secret for the code and refresh flows. */
function appRequiresSecret(org: Org, request: TokenRequest): boolean {
  const clientId = request.basic?.clientId ?? request.params.get('client_id') ?? '';
  return org.connectedApps.get(clientId)?.requireSecret ?? true;
}

/**
 * The connected app making the request: an unknown `client_id` is `invalid_client_id`; a wrong secret,
 * or a missing one where required, is `invalid_client`.
 */
function authenticateClient(org: Org, request: TokenRequest, secretRequired: boolean): ConnectedApp {
  const clientId = request.basic?.clientId ?? request.params.get('client_id') ?? '';
  const secret = request.basic?.clientSecret ?? request.params.get('client_secret');
  const app = org.connectedApps.get(clientId);
  if (!app) throw OAUTH.invalidClientId();
  if (secret === null || secret === '') {
    if (secretRequired) throw OAUTH.invalidClient();
  } else if (secret !== app.clientSecret) {
    throw OAUTH.invalidClient();
  }
  return app;
}

/**
 * Opens a session and renders the signed answer (`issued_at` + `signature`). A session issued with a
 * refresh token is tied to it, so revoking the refresh token ends the session too.
 */
function signedGrant(
  org: Org,
  app: ConnectedApp,
  userId: string,
  scopes: readonly string[],
  origin: SessionOrigin,
  refreshToken?: string,
): TokenGrant {
  const session = org.sessions.issue({ userId, clientId: app.clientId, scopes, origin, refreshToken });
  return tokenGrant(org, app, session.accessToken, userId, scopes, session.issuedAt, refreshToken);
}

function tokenGrant(
  org: Org,
  app: ConnectedApp,
  accessToken: string,
  userId: string,
  scopes: readonly string[],
  issuedAt: number,
  refreshToken?: string,
): TokenGrant {
  return {
    accessToken,
    refreshToken,
    scopes,
    instanceUrl: org.url,
    id: org.identityUrl(userId),
    issuedAt,
    clientSecret: app.clientSecret,
  };
}
