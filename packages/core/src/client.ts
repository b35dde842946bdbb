import { Agent, type Dispatcher } from 'undici';
import { fetchIdentity, fetchUserInfo, type Identity, type UserInfo } from './auth/identity.js';
import {
  type AuthContext,
  type AuthorizationCodeLogin,
  type AuthorizationRequest,
  type AuthorizeUrlParams,
  authorizationCodeGrant,
  authorizeUrl,
  checkCredentials,
  clientCredentialsGrant,
  completeAuthorization,
  type JwtLogin,
  jwtBearerGrant,
  type PasswordCredentials,
  type PendingAuthorization,
  passwordGrant,
  refreshTokenGrant,
  revokeToken,
} from './auth/oauth.js';
import { soapLogin, soapLogout } from './auth/soap.js';
import { ConfigurationError, SessionRequiredError } from './errors.js';
import { Listeners } from './internal/listeners.js';
import { loggerFromEnv, redactingLogger } from './internal/log.js';
import { Semaphore } from './internal/semaphore.js';
import { type Reauthenticate, TokenCache } from './internal/token-cache.js';
import { type CredentialCall, type SessionHolder, Transport } from './internal/transport.js';
import type { LimitInfo } from './limit-info.js';
import type { Logger } from './logger.js';
import { type ClientOptions, type ResolvedOptions, resolveOptions } from './options.js';
import type { RawResponse, Requester, RequestOptions, ResponseType } from './requester.js';
import type { ClientEvents, Session } from './session.js';

/**
 * The client: auth flows, the session (single-user mode), and the `Requester` every other package
 * builds on. Create it with `createClient()`.
 */
export interface SalesforceClient extends Requester {
  readonly mode: 'single' | 'multi';
  /** Where logins go, e.g. `https://login.salesforce.com`. */
  readonly loginUrl: string;

  /** Replaces (or, with undefined, forgets) the client's session. Single-user mode only. */
  setSession(session: Session | undefined): void;

  /**
   * OAuth 2.0 username-password flow; the security token is appended to the password. With
   * `autoRelogin` (the default) the login is repeated when the session expires.
   */
  loginWithPassword(credentials: PasswordCredentials): Promise<Session>;
  /** The authorization-code flow's redirect URL, with PKCE (S256) and a state to keep until the callback. */
  authorizeUrl(params?: AuthorizeUrlParams): AuthorizationRequest;
  /** Verifies the callback's state against the pending request, then exchanges its code. */
  completeAuthorization(
    pending: PendingAuthorization,
    callback: string | URL | URLSearchParams,
  ): Promise<Session>;
  /** Exchanges an authorization code (prefer `completeAuthorization`, which also checks the state). */
  loginWithAuthorizationCode(input: AuthorizationCodeLogin): Promise<Session>;
  /** A session from a refresh token. */
  loginWithRefreshToken(refreshToken: string): Promise<Session>;
  /** JWT bearer flow, signed with the `privateKey` option; repeated automatically when the session expires. */
  loginWithJwt(input: JwtLogin): Promise<Session>;
  /** Client-credentials flow (My Domain only); repeated automatically when the session expires. */
  loginWithClientCredentials(): Promise<Session>;
  /**
   * SOAP partner `login()` at `/services/Soap/u/NN.N`. With `autoRelogin` (the default) the login is
   * repeated when the session expires.
   * @deprecated Salesforce is retiring SOAP login (API 65.0, Summer '27); use an OAuth flow.
   */
  loginWithSoap(credentials: PasswordCredentials): Promise<Session>;
  /**
   * SOAP partner `logout()`: ends the session on the server. Default: the client's session.
   * @deprecated Salesforce is retiring SOAP login; use `revoke()`.
   */
  logoutSoap(session?: Session): Promise<void>;
  /**
   * Revokes a token; given a session, its refresh token if it has one (which ends its access tokens too),
   * else its access token. Default: the client's session, which the client then forgets. A revoked
   * session is never refreshed or logged in again.
   */
  revoke(target?: string | Session): Promise<void>;
  /**
   * The identity URL's JSON for a session. Default: the client's session. An expired session is
   * refreshed (or logged in again) as for any request.
   */
  identity(session?: Session): Promise<Identity>;
  /** The OpenID Connect UserInfo for a session. Default: the client's session. Refreshed like `identity`. */
  userInfo(session?: Session): Promise<UserInfo>;
  /**
   * Closes the connection pool the client created (an injected dispatcher is left open), once requests
   * already on the wire are done. Later requests, of the client and of its views, reject with
   * `ClientClosedError`. Calling it again returns the same promise.
   */
  close(): Promise<void>;
}

/** What clients and their views share: one transport, one token cache, one set of listeners. */
interface Shared {
  readonly transport: Transport;
  readonly tokens: TokenCache;
  readonly listeners: Listeners<ClientEvents>;
  readonly version: string;
}

/**
 * A requester signing with the session in its holder: the client's own holder, or a view's
 * (`client.as(session)`). The holder is private, so `util.inspect` never shows a token.
 */
class HolderRequester implements Requester {
  readonly #shared: Shared;
  readonly #holder: SessionHolder;

  constructor(shared: Shared, holder: SessionHolder) {
    this.#shared = shared;
    this.#holder = holder;
  }

  get version(): string {
    return this.#shared.version;
  }

  get session(): Session | undefined {
    return this.#holder.session;
  }

  get limitInfo(): LimitInfo | undefined {
    return this.#holder.limitInfo;
  }

  request<T = unknown>(options: RequestOptions & { readonly responseType?: 'json' | undefined }): Promise<T>;
  request(options: RequestOptions & { readonly responseType: 'text' }): Promise<string>;
  request(options: RequestOptions & { readonly responseType: 'binary' }): Promise<Uint8Array>;
  request(options: RequestOptions & { readonly responseType?: ResponseType | undefined }): Promise<unknown> {
    return this.#shared.transport.send(options, options.responseType ?? 'json', this.#holder);
  }

  raw(options: RequestOptions): Promise<RawResponse> {
    return this.#shared.transport.send(options, 'raw', this.#holder) as Promise<RawResponse>;
  }

  async getSession(): Promise<Session> {
    return this.#holder.session ?? this.#shared.tokens.initial(this.#holder);
  }

  refreshSession(stale?: Session): Promise<Session> {
    return this.#shared.tokens.refresh(stale ?? this.#holder.session, this.#holder);
  }

  as(session: Session): Requester {
    return new HolderRequester(this.#shared, { session, limitInfo: undefined });
  }

  on<K extends keyof ClientEvents>(event: K, listener: (event: ClientEvents[K]) => void): () => void {
    return this.#shared.listeners.on(event, listener);
  }

  off<K extends keyof ClientEvents>(event: K, listener: (event: ClientEvents[K]) => void): void {
    this.#shared.listeners.off(event, listener);
  }
}

/** The session `accessToken` (and `refreshToken`) options describe, if any. */
function initialSession(options: ResolvedOptions): Session | undefined {
  if (options.accessToken === undefined || options.instanceUrl === undefined) return undefined;
  const session: Session = {
    accessToken: options.accessToken,
    instanceUrl: options.instanceUrl,
    grant: 'access_token',
  };
  return options.refreshToken === undefined ? session : { ...session, refreshToken: options.refreshToken };
}

/** Wires the transport, the token cache and the auth context around one session holder. */
function wire(options: ResolvedOptions, holder: SessionHolder) {
  const chosen = options.logger ?? loggerFromEnv(process.env.FORCEKIT_LOG);
  const log: Logger | undefined = chosen === undefined ? undefined : redactingLogger(chosen);
  const listeners = new Listeners<ClientEvents>((error) =>
    log?.warn({ error: error instanceof Error ? error.message : String(error) }, 'event listener threw'),
  );
  const ownDispatcher =
    options.dispatcher === undefined
      ? new Agent({ keepAliveTimeout: 10_000, keepAliveMaxTimeout: 600_000 })
      : undefined;
  const auth: AuthContext = {
    options,
    send: (request, responseType, credentialCall?: CredentialCall) =>
      transport.send(request, responseType, holder, credentialCall),
  };
  const tokens = new TokenCache({
    refreshWith: options.clientId === undefined ? undefined : (token) => refreshTokenGrant(auth, token),
    initialRefreshToken:
      options.mode === 'single' && options.accessToken === undefined ? options.refreshToken : undefined,
    listeners,
    log,
  });
  const transport = new Transport({
    dispatcher: options.dispatcher ?? (ownDispatcher as Dispatcher),
    limiter: new Semaphore(options.maxConcurrency),
    version: options.version,
    timeout: options.timeout,
    totalTimeout: options.totalTimeout,
    maxRetries: options.maxRetries,
    log,
    sessions: tokens,
  });
  const shared: Shared = { transport, tokens, listeners, version: options.version };
  return { shared, auth, ownDispatcher };
}

class Client extends HolderRequester implements SalesforceClient {
  readonly #options: ResolvedOptions;
  readonly #shared: Shared;
  readonly #holder: SessionHolder;
  readonly #ownDispatcher: Agent | undefined;
  readonly #auth: AuthContext;
  #closing: Promise<void> | undefined;

  constructor(options: ResolvedOptions) {
    const holder: SessionHolder = { session: initialSession(options), limitInfo: undefined };
    const { shared, auth, ownDispatcher } = wire(options, holder);
    super(shared, holder);
    this.#options = options;
    this.#shared = shared;
    this.#holder = holder;
    this.#auth = auth;
    this.#ownDispatcher = ownDispatcher;
  }

  get mode(): 'single' | 'multi' {
    return this.#options.mode;
  }

  get loginUrl(): string {
    return this.#options.loginUrl;
  }

  /** The latest `Sforce-Limit-Info` any request of this client or its views saw. */
  override get limitInfo(): LimitInfo | undefined {
    return this.#shared.transport.limitInfo;
  }

  setSession(session: Session | undefined): void {
    if (this.#options.mode === 'multi') {
      throw new ConfigurationError(
        [
          {
            field: 'mode',
            message: "a 'multi' client holds no session: pass one per call or use as(session)",
          },
        ],
        'call',
      );
    }
    this.#holder.session = session;
  }

  /** Keeps a login's session (single-user mode) and how to repeat the login when it expires. */
  #adopt(session: Session, reauthenticate?: Reauthenticate, forgetOnRefusal = false): Session {
    if (reauthenticate !== undefined)
      this.#shared.tokens.remember(session, reauthenticate, { forgetOnRefusal });
    if (this.#options.mode === 'single') this.#holder.session = session;
    return session;
  }

  /**
   * A username-password login, repeated on expiry unless `autoRelogin` is off. The credentials are
   * copied into the closure's own variables: no object the caller can reach, or that could be logged or
   * serialised, keeps them, and a later change to the caller's object does not change the login.
   */
  async #passwordLogin(
    credentials: PasswordCredentials,
    grant: (ctx: AuthContext, credentials: PasswordCredentials) => Promise<Session>,
  ): Promise<Session> {
    const { username, password, securityToken } = checkCredentials(credentials);
    const login = () => grant(this.#auth, { username, password, securityToken });
    const session = await login();
    return this.#options.autoRelogin ? this.#adopt(session, login, true) : this.#adopt(session);
  }

  loginWithPassword(credentials: PasswordCredentials): Promise<Session> {
    return this.#passwordLogin(credentials, passwordGrant);
  }

  authorizeUrl(params?: AuthorizeUrlParams): AuthorizationRequest {
    return authorizeUrl(this.#options, params);
  }

  async completeAuthorization(
    pending: PendingAuthorization,
    callback: string | URL | URLSearchParams,
  ): Promise<Session> {
    return this.#adopt(await completeAuthorization(this.#auth, pending, callback));
  }

  async loginWithAuthorizationCode(input: AuthorizationCodeLogin): Promise<Session> {
    return this.#adopt(await authorizationCodeGrant(this.#auth, input));
  }

  async loginWithRefreshToken(refreshToken: string): Promise<Session> {
    if (typeof refreshToken !== 'string' || refreshToken === '') {
      throw new ConfigurationError(
        [{ field: 'refreshToken', message: 'must be a non-empty string' }],
        'call',
      );
    }
    return this.#adopt(await refreshTokenGrant(this.#auth, refreshToken));
  }

  async loginWithJwt(input: JwtLogin): Promise<Session> {
    const login = () => jwtBearerGrant(this.#auth, input);
    return this.#adopt(await login(), login);
  }

  async loginWithClientCredentials(): Promise<Session> {
    const login = () => clientCredentialsGrant(this.#auth);
    return this.#adopt(await login(), login);
  }

  loginWithSoap(credentials: PasswordCredentials): Promise<Session> {
    return this.#passwordLogin(credentials, soapLogin);
  }

  async logoutSoap(session?: Session): Promise<void> {
    const target = this.#sessionArg(session, 'logoutSoap');
    await soapLogout(this.#auth, target);
    this.#forget(target);
  }

  async revoke(target?: string | Session): Promise<void> {
    const session = typeof target === 'string' ? undefined : this.#sessionArg(target, 'revoke');
    const token = typeof target === 'string' ? target : (session?.refreshToken ?? session?.accessToken);
    if (token === undefined || token === '') {
      throw new ConfigurationError(
        [{ field: 'token', message: 'must be a non-empty string' }],
        'revoke arguments',
      );
    }
    await revokeToken(this.#auth, token);
    if (session !== undefined) this.#forget(session);
  }

  // async, so that a missing session rejects the promise instead of throwing at the call.
  async identity(session?: Session): Promise<Identity> {
    return fetchIdentity(this.#auth, this.#sessionArg(session, 'identity'));
  }

  async userInfo(session?: Session): Promise<UserInfo> {
    return fetchUserInfo(this.#auth, this.#sessionArg(session, 'userInfo'));
  }

  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  async #shutdown(): Promise<void> {
    this.#shared.transport.close();
    await this.#ownDispatcher?.close();
  }

  #sessionArg(session: Session | undefined, call: string): Session {
    const chosen = session ?? this.#holder.session;
    if (chosen === undefined) {
      throw new SessionRequiredError('NO_SESSION', `${call}() needs a session: log in first or pass one`);
    }
    return chosen;
  }

  /** After a revoke or logout: the client lets go of the session, and nothing logs it in again. */
  #forget(session: Session): void {
    this.#shared.tokens.forget(session);
    if (this.#holder.session === session) this.#holder.session = undefined;
  }
}

/** Creates a client. Throws a `ConfigurationError` naming every bad option. */
export function createClient(options?: ClientOptions): SalesforceClient {
  return new Client(resolveOptions(options));
}
