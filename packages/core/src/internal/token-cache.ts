import { AuthError, OAuthError, SessionRequiredError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { ClientEvents, Session } from '../session.js';
import type { Listeners } from './listeners.js';
import type { SessionHolder, SessionSource } from './transport.js';

/** Obtains a fresh session: a refresh-token grant, or a repeat of a login (JWT, client credentials, password). */
export type Reauthenticate = () => Promise<Session>;

/** A repeatable login remembered for a session. */
interface Strategy {
  readonly reauthenticate: Reauthenticate;
  /**
   * Stop repeating the login once the server refuses it. Set for password logins: a changed password
   * must not be tried again on every expiry, or the user ends up locked out.
   */
  readonly forgetOnRefusal: boolean;
}

/**
 * True when the login server turned the credentials down (an OAuth error other than a 5xx, a SOAP fault,
 * an expired password), as opposed to failing to answer.
 */
function isRefusal(error: unknown): boolean {
  if (error instanceof OAuthError) return error.status === undefined || error.status < 500;
  return error instanceof AuthError;
}

export interface TokenCacheConfig {
  /** The refresh-token grant, when the client has a `clientId` to run it with. */
  readonly refreshWith: ((refreshToken: string) => Promise<Session>) | undefined;
  /** A refresh token the client was created with but no session yet (single-user mode). */
  readonly initialRefreshToken: string | undefined;
  readonly listeners: Listeners<ClientEvents>;
  readonly log: Logger | undefined;
}

const INITIAL = Symbol('initial session');

/**
 * The single-flight token cache behind every auth strategy. However many requests find a session expired
 * at once, one refresh runs; they all wait for it and replay with its result. A refreshed session
 * remembers what it replaced, so a request that fails with the old token after the refresh already
 * finished takes the new one instead of refreshing again.
 */
export class TokenCache implements SessionSource {
  readonly #config: TokenCacheConfig;
  readonly #inflight = new Map<string | typeof INITIAL, Promise<Session>>();
  readonly #replacedBy = new WeakMap<Session, Session>();
  readonly #strategies = new WeakMap<Session, Strategy>();

  constructor(config: TokenCacheConfig) {
    this.#config = config;
  }

  /**
   * Records how to obtain a new session when this one expires: a repeat of its login (JWT, client
   * credentials, or, with `forgetOnRefusal`, a password). The login travels to each session that
   * replaces this one.
   */
  remember(
    session: Session,
    reauthenticate: Reauthenticate,
    options: { forgetOnRefusal?: boolean } = {},
  ): void {
    this.#strategies.set(session, { reauthenticate, forgetOnRefusal: options.forgetOnRefusal ?? false });
  }

  /** Drops the repeatable login of a session that was revoked or logged out. */
  forget(session: Session): void {
    this.#strategies.delete(session);
  }

  canRefresh(session: Session): boolean {
    return this.#strategyFor(session) !== undefined;
  }

  async initial(holder: SessionHolder): Promise<Session> {
    if (holder.session !== undefined) return holder.session;
    return this.refresh(undefined, holder);
  }

  async afterUnauthorized(stale: Session, owner: SessionHolder | undefined): Promise<Session> {
    // The owner moved on while this request was out (another request refreshed it): take that session.
    const current = owner?.session;
    if (current !== undefined && current !== stale && current.accessToken !== stale.accessToken) {
      return current;
    }
    return this.refresh(stale, owner);
  }

  /**
   * A fresh session in place of `stale` (undefined: the first one, from the initial refresh token); the
   * owner, if it still holds `stale`, holds the fresh one afterwards.
   */
  async refresh(stale: Session | undefined, owner: SessionHolder | undefined): Promise<Session> {
    const fresh =
      (stale === undefined ? undefined : this.#replacedBy.get(stale)) ?? (await this.#shared(stale));
    if (owner !== undefined && owner.session === stale) owner.session = fresh;
    return fresh;
  }

  #strategyFor(stale: Session | undefined): Reauthenticate | undefined {
    if (stale !== undefined) {
      const strategy = this.#strategies.get(stale);
      if (strategy !== undefined) return strategy.reauthenticate;
    }
    const { refreshWith } = this.#config;
    const refreshToken = stale === undefined ? this.#config.initialRefreshToken : stale.refreshToken;
    if (refreshWith === undefined || refreshToken === undefined) return undefined;
    return () => refreshWith(refreshToken);
  }

  #shared(stale: Session | undefined): Promise<Session> {
    const key = stale === undefined ? INITIAL : stale.accessToken;
    const running = this.#inflight.get(key);
    if (running !== undefined) return running;
    const strategy = this.#strategyFor(stale);
    if (strategy === undefined) {
      return Promise.reject(
        new SessionRequiredError(
          stale === undefined ? 'NO_SESSION' : 'SESSION_NOT_REFRESHABLE',
          stale === undefined
            ? 'No session: log in first, or pass a session (multi-user mode)'
            : 'The session expired and cannot be refreshed: it has no refresh token and no repeatable login',
        ),
      );
    }
    const refresh = strategy()
      .then(
        (fresh) => {
          if (stale !== undefined) {
            this.#replacedBy.set(stale, fresh);
            const repeat = this.#strategies.get(stale);
            if (repeat !== undefined) this.#strategies.set(fresh, repeat);
          }
          this.#config.log?.info(
            { instanceUrl: fresh.instanceUrl, userId: fresh.userId, grant: fresh.grant },
            'session refreshed',
          );
          this.#config.listeners.emit('refresh', { session: fresh, previous: stale });
          return fresh;
        },
        (error: unknown) => {
          if (stale !== undefined && this.#strategies.get(stale)?.forgetOnRefusal && isRefusal(error)) {
            // Requests still holding this session now fail at once instead of logging in again.
            this.#strategies.delete(stale);
            this.#config.log?.warn(
              { userId: stale.userId, grant: stale.grant, errorCode: (error as AuthError).code },
              'login refused: the session will not be renewed again',
            );
          }
          throw error;
        },
      )
      .finally(() => this.#inflight.delete(key));
    this.#inflight.set(key, refresh);
    return refresh;
  }
}
