import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { ApiError, AuthError, ConfigurationError, OAuthError, ResponseError } from '../errors.js';
import type { CredentialCall, InternalResponseType } from '../internal/transport.js';
import { lazy } from '../lazy.js';
import type { ResolvedOptions } from '../options.js';
import type { RequestOptions } from '../requester.js';
import { idsFromIdentityUrl, type Session, type SessionGrant } from '../session.js';
import { JWT_LIFETIME_SECONDS, jwtAudience, signJwtAssertion } from './jwt.js';
import { createPkcePair, createState } from './pkce.js';

/** What the OAuth flows need from the client: its options and the one transport. */
export interface AuthContext {
  readonly options: ResolvedOptions;
  /** Sends through the client's transport; a `credentialCall` goes without a session header. */
  send(
    request: RequestOptions,
    responseType: InternalResponseType,
    credentialCall?: CredentialCall,
  ): Promise<unknown>;
}

/** The token endpoint's success body (section 1.1 of the protocol notes); unknown keys are ignored. */
const tokenResponseSchema = lazy(() =>
  z.object({
    access_token: z.string().min(1),
    instance_url: z.url(),
    id: z.string().optional(),
    issued_at: z.string().optional(),
    scope: z.string().optional(),
    token_type: z.string().optional(),
    refresh_token: z.string().optional(),
    id_token: z.string().optional(),
    sfdc_community_url: z.string().optional(),
    sfdc_community_id: z.string().optional(),
  }),
);

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Builds a `Session` from a token response, keeping `refreshToken` when a refresh did not rotate it. */
export function sessionFromTokenResponse(body: unknown, grant: SessionGrant, refreshToken?: string): Session {
  const parsed = tokenResponseSchema().safeParse(body);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
    throw new ResponseError(
      { method: 'POST', path: '/services/oauth2/token' },
      200,
      `the token response is malformed (${fields})`,
    );
  }
  const token = parsed.data;
  const session: Mutable<Session> = {
    accessToken: token.access_token,
    instanceUrl: new URL(token.instance_url).origin,
    grant,
  };
  const rotated = token.refresh_token ?? refreshToken;
  if (rotated !== undefined) session.refreshToken = rotated;
  if (token.id !== undefined) {
    session.idUrl = token.id;
    const ids = idsFromIdentityUrl(token.id);
    if (ids !== undefined) {
      session.userId = ids.userId;
      session.organizationId = ids.organizationId;
    }
  }
  if (token.issued_at !== undefined && /^\d+$/.test(token.issued_at))
    session.issuedAt = Number(token.issued_at);
  if (token.scope !== undefined) session.scope = token.scope;
  if (token.token_type !== undefined) session.tokenType = token.token_type;
  if (token.id_token !== undefined) session.idToken = token.id_token;
  if (token.sfdc_community_url !== undefined) session.communityUrl = token.sfdc_community_url;
  if (token.sfdc_community_id !== undefined) session.communityId = token.sfdc_community_id;
  return session;
}

/** Throws one `ConfigurationError` naming every option a flow needs but the client lacks. */
export function requireOptions<K extends keyof ResolvedOptions>(
  options: ResolvedOptions,
  flow: string,
  keys: readonly K[],
): { [P in K]: NonNullable<ResolvedOptions[P]> } {
  const missing = keys.filter((key) => options[key] === undefined);
  if (missing.length > 0) {
    throw new ConfigurationError(
      missing.map((key) => ({ field: String(key), message: `required for ${flow}` })),
      `options for ${flow}`,
    );
  }
  return options as { [P in K]: NonNullable<ResolvedOptions[P]> };
}

/**
 * An OAuth endpoint's failure that is not an OAuth error body (an HTML page from the edge, a 5xx) still
 * surfaces as an `OAuthError`, with `HTTP_<status>` as its code; other errors pass through.
 */
function asOAuthError(error: unknown): unknown {
  if (!(error instanceof ApiError)) return error;
  return new OAuthError({
    error: `HTTP_${error.status}`,
    errorDescription: error.message,
    status: error.status,
  });
}

/** POSTs a grant to `/services/oauth2/token` and reads the session from the answer. */
export async function requestToken(
  ctx: AuthContext,
  params: Record<string, string>,
  grant: SessionGrant,
  secrets: readonly string[],
  keepRefreshToken?: string,
): Promise<Session> {
  let body: unknown;
  try {
    body = await ctx.send(
      {
        method: 'POST',
        path: `${ctx.options.loginUrl}/services/oauth2/token`,
        body: new URLSearchParams(params),
      },
      'json',
      { secrets },
    );
  } catch (error) {
    throw asOAuthError(error);
  }
  return sessionFromTokenResponse(body, grant, keepRefreshToken);
}

export interface PasswordCredentials {
  readonly username: string;
  readonly password: string;
  /** Appended to the password, unless the caller's IP is trusted by the org. */
  readonly securityToken?: string | undefined;
}

const credentialsSchema = lazy(() =>
  z.object({
    username: z.string({ error: 'must be a string' }).min(1, 'must not be empty'),
    password: z.string({ error: 'must be a string' }).min(1, 'must not be empty'),
    securityToken: z.string({ error: 'must be a string' }).optional(),
  }),
);

/** Validates call arguments with zod, reporting every bad field (never a value). */
export function validateArgs<T>(schema: z.ZodType<T>, input: unknown, subject: string): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new ConfigurationError(
    parsed.error.issues.map((issue) => ({
      field: issue.path.join('.') || '(arguments)',
      message: issue.message,
    })),
    subject,
  );
}

export function checkCredentials(input: PasswordCredentials): PasswordCredentials {
  return validateArgs(credentialsSchema(), input, 'credentials');
}

/** OAuth 2.0 username-password flow (`grant_type=password`). */
export function passwordGrant(ctx: AuthContext, input: PasswordCredentials): Promise<Session> {
  const credentials = checkCredentials(input);
  const { clientId } = requireOptions(ctx.options, 'the password flow', ['clientId']);
  const password = credentials.password + (credentials.securityToken ?? '');
  const params: Record<string, string> = {
    grant_type: 'password',
    client_id: clientId,
    username: credentials.username,
    password,
  };
  if (ctx.options.clientSecret !== undefined) params.client_secret = ctx.options.clientSecret;
  return requestToken(
    ctx,
    params,
    'password',
    secretsOf(ctx, password, credentials.password, credentials.securityToken ?? ''),
  );
}

/** Refresh-token flow (`grant_type=refresh_token`); the refresh token is kept unless Salesforce rotates it. */
export function refreshTokenGrant(ctx: AuthContext, refreshToken: string): Promise<Session> {
  const { clientId } = requireOptions(ctx.options, 'the refresh-token flow', ['clientId']);
  const params: Record<string, string> = {
    grant_type: 'refresh_token',
    client_id: clientId,
    refresh_token: refreshToken,
  };
  if (ctx.options.clientSecret !== undefined) params.client_secret = ctx.options.clientSecret;
  return requestToken(ctx, params, 'refresh_token', secretsOf(ctx, refreshToken), refreshToken);
}

export interface JwtLogin {
  /** The username to log in as (the assertion's `sub`). */
  readonly username: string;
  /**
   * The assertion's `aud`. Default: https://login.salesforce.com or https://test.salesforce.com, chosen from
   * `loginUrl` (My Domain hosts map to their kind); for any other login URL, the login URL itself.
   */
  readonly audience?: string | undefined;
}

const jwtLoginSchema = lazy(() =>
  z.object({
    username: z.string({ error: 'must be a string' }).min(1, 'must not be empty'),
    audience: z.url({ error: 'must be a URL' }).optional(),
  }),
);

/** JWT bearer flow: an RS256 assertion signed with `privateKey`, valid for three minutes. */
export function jwtBearerGrant(
  ctx: AuthContext,
  input: JwtLogin,
  now: number = Date.now(),
): Promise<Session> {
  const login = validateArgs(jwtLoginSchema(), input, 'JWT login');
  const { clientId, privateKey } = requireOptions(ctx.options, 'the JWT bearer flow', [
    'clientId',
    'privateKey',
  ]);
  const iat = Math.floor(now / 1000);
  const assertion = signJwtAssertion(
    {
      iss: clientId,
      sub: login.username,
      aud: login.audience ?? jwtAudience(ctx.options.loginUrl),
      exp: iat + JWT_LIFETIME_SECONDS,
      iat,
    },
    privateKey,
  );
  return requestToken(
    ctx,
    { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion },
    'jwt_bearer',
    secretsOf(ctx, assertion),
  );
}

/** Client-credentials flow: runs as the connected app's "run as" user (My Domain login URLs only). */
export function clientCredentialsGrant(ctx: AuthContext): Promise<Session> {
  const { clientId, clientSecret } = requireOptions(ctx.options, 'the client-credentials flow', [
    'clientId',
    'clientSecret',
  ]);
  return requestToken(
    ctx,
    { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret },
    'client_credentials',
    secretsOf(ctx),
  );
}

export interface AuthorizeUrlParams {
  /** Scopes to request, e.g. `['api', 'refresh_token']`. Default: the connected app's. */
  readonly scope?: string | readonly string[] | undefined;
  /** Echoed back on the callback. Default: 128 random bits. */
  readonly state?: string | undefined;
  /** `login`, `consent`, `select_account`, or several. */
  readonly prompt?: string | readonly string[] | undefined;
  readonly display?: 'page' | 'popup' | 'touch' | 'mobile' | undefined;
  /** Fail instead of prompting when the user would have to log in or approve. */
  readonly immediate?: boolean | undefined;
  readonly loginHint?: string | undefined;
  readonly nonce?: string | undefined;
  /** Overrides the client's `redirectUri`. */
  readonly redirectUri?: string | undefined;
}

/** What to redirect the user to, and what to keep (server-side, per user) until the callback arrives. */
export interface AuthorizationRequest {
  readonly url: string;
  readonly state: string;
  readonly codeVerifier: string;
  readonly redirectUri: string;
}

const authorizeParamsSchema = lazy(() =>
  z.object({
    scope: z
      .union([z.string(), z.array(z.string())], { error: 'must be a string or an array of strings' })
      .optional(),
    state: z.string({ error: 'must be a string' }).min(1, 'must not be empty').optional(),
    prompt: z
      .union([z.string(), z.array(z.string())], { error: 'must be a string or an array of strings' })
      .optional(),
    display: z
      .enum(['page', 'popup', 'touch', 'mobile'], { error: "must be 'page', 'popup', 'touch' or 'mobile'" })
      .optional(),
    immediate: z.boolean({ error: 'must be a boolean' }).optional(),
    loginHint: z.string({ error: 'must be a string' }).optional(),
    nonce: z.string({ error: 'must be a string' }).optional(),
    redirectUri: z.url({ error: 'must be an absolute URL' }).optional(),
  }),
);

const joined = (value: string | readonly string[]): string =>
  typeof value === 'string' ? value : value.join(' ');

/** The authorization-code flow's first step: the authorize URL with a PKCE S256 challenge and a state. */
export function authorizeUrl(options: ResolvedOptions, input: AuthorizeUrlParams = {}): AuthorizationRequest {
  const params = validateArgs(authorizeParamsSchema(), input, 'authorizeUrl parameters');
  const { clientId } = requireOptions(options, 'the authorization-code flow', ['clientId']);
  const redirectUri = params.redirectUri ?? options.redirectUri;
  if (redirectUri === undefined) {
    throw new ConfigurationError([
      { field: 'redirectUri', message: 'required for the authorization-code flow' },
    ]);
  }
  const state = params.state ?? createState();
  const { codeVerifier, codeChallenge } = createPkcePair();
  const url = new URL(`${options.loginUrl}/services/oauth2/authorize`);
  const query = url.searchParams;
  query.set('response_type', 'code');
  query.set('client_id', clientId);
  query.set('redirect_uri', redirectUri);
  if (params.scope !== undefined) query.set('scope', joined(params.scope));
  query.set('state', state);
  query.set('code_challenge', codeChallenge);
  query.set('code_challenge_method', 'S256');
  if (params.prompt !== undefined) query.set('prompt', joined(params.prompt));
  if (params.display !== undefined) query.set('display', params.display);
  if (params.immediate !== undefined) query.set('immediate', String(params.immediate));
  if (params.loginHint !== undefined) query.set('login_hint', params.loginHint);
  if (params.nonce !== undefined) query.set('nonce', params.nonce);
  return { url: url.toString(), state, codeVerifier, redirectUri };
}

/** What `completeAuthorization` needs of the request `authorizeUrl()` made. */
export type PendingAuthorization = Pick<AuthorizationRequest, 'state' | 'codeVerifier'> & {
  readonly redirectUri?: string | undefined;
};

export interface AuthorizationCodeLogin {
  readonly code: string;
  /** The PKCE verifier `authorizeUrl()` returned. */
  readonly codeVerifier?: string | undefined;
  /** Must equal the one the authorize URL carried. Default: the client's `redirectUri`. */
  readonly redirectUri?: string | undefined;
}

/** Exchanges an authorization code (`grant_type=authorization_code`). */
export function authorizationCodeGrant(ctx: AuthContext, input: AuthorizationCodeLogin): Promise<Session> {
  const login = validateArgs(
    z.object({
      code: z.string({ error: 'must be a string' }).min(1, 'must not be empty'),
      codeVerifier: z
        .string({ error: 'must be a string' })
        .min(43, 'must be at least 43 characters')
        .optional(),
      redirectUri: z.url({ error: 'must be an absolute URL' }).optional(),
    }),
    input,
    'authorization code',
  );
  const { clientId } = requireOptions(ctx.options, 'the authorization-code flow', ['clientId']);
  const redirectUri = login.redirectUri ?? ctx.options.redirectUri;
  if (redirectUri === undefined) {
    throw new ConfigurationError([
      { field: 'redirectUri', message: 'required for the authorization-code flow' },
    ]);
  }
  const params: Record<string, string> = {
    grant_type: 'authorization_code',
    code: login.code,
    client_id: clientId,
    redirect_uri: redirectUri,
  };
  if (ctx.options.clientSecret !== undefined) params.client_secret = ctx.options.clientSecret;
  if (login.codeVerifier !== undefined) params.code_verifier = login.codeVerifier;
  return requestToken(
    ctx,
    params,
    'authorization_code',
    secretsOf(ctx, login.code, login.codeVerifier ?? ''),
  );
}

function sameString(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * The authorization-code flow's callback: checks `state` against the pending request (a mismatch is a
 * forged or replayed callback), turns `?error=` into an `OAuthError`, and exchanges the code.
 */
export function completeAuthorization(
  ctx: AuthContext,
  pending: PendingAuthorization,
  callback: string | URL | URLSearchParams,
): Promise<Session> {
  const query =
    callback instanceof URLSearchParams
      ? callback
      : new URL(String(callback), 'http://callback.invalid').searchParams;
  const state = query.get('state');
  if (state === null || !sameString(state, pending.state)) {
    throw new AuthError(
      'STATE_MISMATCH',
      'The authorization callback does not carry the state this login started with',
    );
  }
  const error = query.get('error');
  if (error !== null) {
    throw new OAuthError({ error, errorDescription: query.get('error_description') ?? undefined });
  }
  const code = query.get('code');
  if (code === null || code === '') {
    throw new AuthError('MISSING_CODE', 'The authorization callback carries neither a code nor an error');
  }
  return authorizationCodeGrant(ctx, {
    code,
    codeVerifier: pending.codeVerifier,
    redirectUri: pending.redirectUri,
  });
}

/** Revokes an access or refresh token (revoking a refresh token also ends its access tokens). */
export async function revokeToken(ctx: AuthContext, token: string): Promise<void> {
  try {
    await ctx.send(
      {
        method: 'POST',
        path: `${ctx.options.loginUrl}/services/oauth2/revoke`,
        body: new URLSearchParams({ token }),
      },
      'text',
      { secrets: [token] },
    );
  } catch (error) {
    throw asOAuthError(error);
  }
}

/** The secrets every token call carries (the client secret) plus the call's own. */
function secretsOf(ctx: AuthContext, ...values: string[]): string[] {
  const secrets = values.filter((value) => value !== '');
  if (ctx.options.clientSecret !== undefined) secrets.push(ctx.options.clientSecret);
  return secrets;
}
