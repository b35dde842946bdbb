/** How a session was obtained. */
export type SessionGrant =
  | 'password'
  | 'authorization_code'
  | 'refresh_token'
  | 'jwt_bearer'
  | 'client_credentials'
  | 'soap'
  | 'access_token';

/**
 * An authenticated Salesforce session: what every login returns and what every request is signed with.
 * A plain, JSON-serialisable value, so an application can store it (it holds the tokens: store it as a
 * secret) and hand it back later, to `client.setSession()` or to `client.as()` in multi-user mode.
 */
export interface Session {
  /** The bearer token (a session id `00D…!…`). */
  readonly accessToken: string;
  /** The org's API host, e.g. `https://acme.my.salesforce.com`: every REST, Bulk and Streaming call goes here. */
  readonly instanceUrl: string;
  /** Lets the session be refreshed when it expires (authorization-code logins with `refresh_token` scope). */
  readonly refreshToken?: string;
  /** The identity URL, `https://login.salesforce.com/id/<orgId>/<userId>`. */
  readonly idUrl?: string;
  readonly userId?: string;
  readonly organizationId?: string;
  /** When Salesforce issued the token, in ms since the epoch. */
  readonly issuedAt?: number;
  /** The granted scopes, space-separated (`"api refresh_token"`). */
  readonly scope?: string;
  readonly tokenType?: string;
  /** The OpenID Connect id token, when the `openid` scope was granted. */
  readonly idToken?: string;
  /** Set when the login happened through an Experience Cloud site. */
  readonly communityUrl?: string;
  readonly communityId?: string;
  readonly grant?: SessionGrant;
}

/** The event a client emits after it refreshed a session (or established one from a refresh token). */
export interface RefreshEvent {
  /** The new session: persist it in place of `previous`. */
  readonly session: Session;
  /** The session that expired; undefined when the client had only a refresh token. */
  readonly previous: Session | undefined;
}

/** Events a client emits, by name. */
export interface ClientEvents {
  refresh: RefreshEvent;
}

const ID_URL_PATH = /\/id\/([^/]+)\/([^/?#]+)/;

/** The org and user ids an identity URL names. */
export function idsFromIdentityUrl(idUrl: string): { organizationId: string; userId: string } | undefined {
  const match = ID_URL_PATH.exec(idUrl);
  if (match === null) return undefined;
  return { organizationId: match[1] as string, userId: match[2] as string };
}
