import { newAccessToken, newRefreshToken } from './secrets.js';

/** How a session was obtained; SOAP sessions and OAuth sessions behave the same over REST. */
export type SessionOrigin =
  | 'password'
  | 'authorization_code'
  | 'refresh_token'
  | 'jwt_bearer'
  | 'client_credentials'
  | 'implicit'
  | 'soap'
  | 'emulator';

export interface Session {
  readonly accessToken: string;
  readonly userId: string;
  /** The connected app's consumer key; undefined for SOAP logins and sessions the emulator hands out. */
  readonly clientId: string | undefined;
  readonly scopes: readonly string[];
  readonly origin: SessionOrigin;
  /** The refresh token this session came from, so revoking it ends the session too. */
  readonly refreshToken: string | undefined;
  readonly issuedAt: number;
  lastUsedAt: number;
}

export interface RefreshGrant {
  readonly refreshToken: string;
  readonly userId: string;
  readonly clientId: string;
  readonly scopes: readonly string[];
}

export interface IssueSessionOptions {
  readonly userId: string;
  readonly clientId?: string | undefined;
  readonly scopes?: readonly string[];
  readonly origin: SessionOrigin;
  readonly refreshToken?: string | undefined;
}

export type SessionLookup =
  | { readonly kind: 'valid'; readonly session: Session }
  | { readonly kind: 'invalid' };

/** Two hours: Salesforce's default session timeout (`sessionSecondsValid` 7200). */
export const DEFAULT_SESSION_IDLE_MS = 2 * 60 * 60 * 1000;

/**
 * Access tokens and refresh tokens. An access token is a session: it stays valid while it is used at
 * least once per idle timeout (Salesforce's "timeout value" is an inactivity timeout), and ends when it
 * is revoked, its refresh token is revoked, or the test expires all sessions.
 */
export class SessionStore {
  readonly #organizationId: string;
  readonly #now: () => number;
  #idleTimeoutMs: number;
  readonly #sessions = new Map<string, Session>();
  readonly #refreshTokens = new Map<string, RefreshGrant>();
  #lastSweep = 0;

  constructor(organizationId: string, now: () => number, idleTimeoutMs = DEFAULT_SESSION_IDLE_MS) {
    this.#organizationId = organizationId;
    this.#now = now;
    this.#idleTimeoutMs = checkTimeout(idleTimeoutMs);
  }

  get idleTimeoutMs(): number {
    return this.#idleTimeoutMs;
  }

  set idleTimeoutMs(value: number) {
    this.#idleTimeoutMs = checkTimeout(value);
  }

  issue(options: IssueSessionOptions): Session {
    this.#sweep();
    const now = this.#now();
    const session: Session = {
      accessToken: newAccessToken(this.#organizationId),
      userId: options.userId,
      clientId: options.clientId,
      scopes: options.scopes ?? [],
      origin: options.origin,
      refreshToken: options.refreshToken,
      issuedAt: now,
      lastUsedAt: now,
    };
    this.#sessions.set(session.accessToken, session);
    return session;
  }

  /** The live session for a token, marking it used (which extends its idle window). */
  use(accessToken: string): SessionLookup {
    const session = this.peek(accessToken);
    if (!session) return { kind: 'invalid' };
    session.lastUsedAt = this.#now();
    return { kind: 'valid', session };
  }

  /** The live session for a token without extending it; undefined when unknown, revoked or idle too long. */
  peek(accessToken: string): Session | undefined {
    const session = this.#sessions.get(accessToken);
    if (!session) return undefined;
    if (this.#now() - session.lastUsedAt >= this.#idleTimeoutMs) {
      this.#sessions.delete(accessToken);
      return undefined;
    }
    return session;
  }

  /** Ends one session. True when the token was a live session. */
  revoke(accessToken: string): boolean {
    const live = this.peek(accessToken) !== undefined;
    this.#sessions.delete(accessToken);
    return live;
  }

  issueRefreshToken(userId: string, clientId: string, scopes: readonly string[]): string {
    const refreshToken = newRefreshToken();
    this.#refreshTokens.set(refreshToken, { refreshToken, userId, clientId, scopes });
    return refreshToken;
  }

  refreshGrant(refreshToken: string): RefreshGrant | undefined {
    return this.#refreshTokens.get(refreshToken);
  }

  /** Revokes a refresh token and every access token issued from it, as Salesforce does. */
  revokeRefreshToken(refreshToken: string): boolean {
    if (!this.#refreshTokens.delete(refreshToken)) return false;
    for (const [token, session] of this.#sessions) {
      if (session.refreshToken === refreshToken) this.#sessions.delete(token);
    }
    return true;
  }

  /** Ends every access session (refresh tokens stay valid, so clients can refresh). Returns how many ended. */
  expireAll(): number {
    const live = this.activeCount();
    this.#sessions.clear();
    return live;
  }

  /** Ends the sessions of one user. */
  expireUser(userId: string): number {
    let ended = 0;
    for (const [token, session] of this.#sessions) {
      if (session.userId !== userId) continue;
      this.#sessions.delete(token);
      ended++;
    }
    return ended;
  }

  /** Forgets every session and refresh token. */
  clear(): void {
    this.#sessions.clear();
    this.#refreshTokens.clear();
  }

  activeCount(): number {
    this.#sweep(true);
    return this.#sessions.size;
  }

  /** Drops idle sessions so a long run that logs in often does not grow without bound (once a minute). */
  #sweep(force = false): void {
    const now = this.#now();
    if (!force && now - this.#lastSweep < 60_000) return;
    this.#lastSweep = now;
    for (const [token, session] of this.#sessions) {
      if (now - session.lastUsedAt >= this.#idleTimeoutMs) this.#sessions.delete(token);
    }
  }
}

function checkTimeout(ms: number): number {
  if (!Number.isFinite(ms) || ms <= 0)
    throw new RangeError(`session idle timeout must be a positive number of ms, got ${ms}`);
  return ms;
}
