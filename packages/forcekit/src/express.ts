import {
  AuthError,
  type AuthorizeUrlParams,
  ConfigurationError,
  type SalesforceClient,
  type Session,
} from '@forcekit/core';

/**
 * The parts of a connect/express request the middleware reads. `session` is what a session middleware
 * (`express-session`, `cookie-session`) puts there; `originalUrl` is express's URL before mounting.
 */
export interface OAuthRequest {
  readonly url?: string | undefined;
  readonly originalUrl?: string | undefined;
  session?: object | null | undefined;
}

/** The parts of a Node/express response the middleware writes. */
export interface OAuthResponse {
  statusCode: number;
  setHeader(name: string, value: string): unknown;
  end(): unknown;
}

export type OAuthNext = (error?: unknown) => void;

/** A connect-style handler: `app.get('/oauth/callback', oauth.callback)`. */
export type OAuthHandler = (req: OAuthRequest, res: OAuthResponse, next: OAuthNext) => Promise<void>;

export interface ExpressOAuthOptions<
  Req extends OAuthRequest = OAuthRequest,
  Res extends OAuthResponse = OAuthResponse,
> {
  /**
   * After the session is stored in `req.session`: a path to redirect to, or a function that answers
   * (it gets the new session too). Default: redirect to `'/'`.
   */
  readonly onSuccess?:
    | string
    | ((req: Req, res: Res, session: Session, next: OAuthNext) => unknown)
    | undefined;
  /**
   * When the callback fails (a forged state, a denied consent, a code the token endpoint refuses): a
   * path to redirect to (with `?error=<code>` appended), or a function that answers. Default:
   * `next(error)`, to your express error handler.
   */
  readonly onError?: string | ((error: unknown, req: Req, res: Res, next: OAuthNext) => unknown) | undefined;
  /** Where in `req.session` the Salesforce session is stored. Default: `'salesforce'`. */
  readonly sessionKey?: string | undefined;
  /** Authorize-URL parameters (scope, prompt, login hint…), fixed or per request. */
  readonly authorize?: AuthorizeUrlParams | ((req: Req) => AuthorizeUrlParams) | undefined;
}

/** The two handlers: one starts the login, one finishes it. */
export interface ExpressOAuth {
  /** Redirects to Salesforce's authorize URL, keeping state and PKCE verifier in `req.session`. */
  readonly authorize: OAuthHandler;
  /** Runs the callback: checks state, exchanges the code, stores the session, redirects. */
  readonly callback: OAuthHandler;
  /** The Salesforce session stored for this request's user, if they have logged in. */
  session(req: OAuthRequest): Session | undefined;
}

/** What one pending login keeps between the redirect and the callback. */
interface PendingLogin {
  readonly state: string;
  readonly codeVerifier: string;
  readonly redirectUri: string;
}

const PENDING_KEY = 'forcekit:oauth';

type SessionBag = Record<string, unknown> & {
  regenerate?: (callback: (error?: unknown) => void) => void;
};

function bagOf(req: OAuthRequest): SessionBag {
  const bag = req.session;
  if (typeof bag !== 'object' || bag === null) {
    throw new ConfigurationError(
      [
        {
          field: 'req.session',
          message: 'missing: mount a session middleware (express-session) before expressOAuth',
        },
      ],
      'expressOAuth request',
    );
  }
  return bag as SessionBag;
}

function isPending(value: unknown): value is PendingLogin {
  const p = value as Partial<PendingLogin> | undefined;
  return (
    typeof p?.state === 'string' && typeof p.codeVerifier === 'string' && typeof p.redirectUri === 'string'
  );
}

function redirect(res: OAuthResponse, location: string): void {
  res.statusCode = 302;
  res.setHeader('Location', location);
  res.setHeader('Cache-Control', 'no-store');
  res.end();
}

/** express-session's `regenerate` gives the logged-in user a new session id (no session fixation). */
function regenerate(req: OAuthRequest, bag: SessionBag): Promise<SessionBag> {
  const { regenerate: fn } = bag;
  if (typeof fn !== 'function') return Promise.resolve(bag);
  return new Promise((resolve, reject) => {
    fn.call(bag, (error) => (error ? reject(error) : resolve(bagOf(req))));
  });
}

/**
 * The express/connect middleware of the web-server OAuth flow (with PKCE), from the `force` seed:
 *
 * ```ts
 * const oauth = conn.expressOAuth({ onSuccess: '/accounts' });
 * app.get('/login', oauth.authorize);
 * app.get('/oauth/callback', oauth.callback);
 * app.get('/accounts', async (req, res) => res.json(await conn.as(oauth.session(req)!).query('SELECT Name FROM Account')));
 * ```
 */
export function expressOAuth<
  Req extends OAuthRequest = OAuthRequest,
  Res extends OAuthResponse = OAuthResponse,
>(
  client: Pick<SalesforceClient, 'authorizeUrl' | 'completeAuthorization'>,
  options: ExpressOAuthOptions<Req, Res> = {},
): ExpressOAuth {
  const sessionKey = options.sessionKey ?? 'salesforce';
  if (typeof sessionKey !== 'string' || sessionKey === '' || sessionKey === PENDING_KEY) {
    throw new ConfigurationError(
      [{ field: 'sessionKey', message: 'must be a non-empty string' }],
      'expressOAuth options',
    );
  }
  for (const key of ['onSuccess', 'onError'] as const) {
    const value = options[key];
    if (value !== undefined && typeof value !== 'string' && typeof value !== 'function') {
      throw new ConfigurationError(
        [{ field: key, message: 'must be a path or a function' }],
        'expressOAuth options',
      );
    }
  }

  const fail = (error: unknown, req: OAuthRequest, res: OAuthResponse, next: OAuthNext): void => {
    const { onError } = options;
    if (typeof onError === 'function') {
      Promise.resolve()
        .then(() => onError(error, req as Req, res as Res, next))
        .catch(next);
      return;
    }
    if (typeof onError === 'string') {
      const code =
        typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : 'ERROR';
      const target = new URL(onError, 'http://placeholder.invalid');
      target.searchParams.set('error', code);
      redirect(res, onError.startsWith('/') ? target.pathname + target.search : target.toString());
      return;
    }
    next(error);
  };

  const authorize: OAuthHandler = async (req, res, next) => {
    try {
      const bag = bagOf(req);
      const params =
        typeof options.authorize === 'function' ? options.authorize(req as Req) : options.authorize;
      const request = client.authorizeUrl(params);
      const pending: PendingLogin = {
        state: request.state,
        codeVerifier: request.codeVerifier,
        redirectUri: request.redirectUri,
      };
      bag[PENDING_KEY] = pending;
      redirect(res, request.url);
    } catch (error) {
      next(error);
    }
  };

  const callback: OAuthHandler = async (req, res, next) => {
    let bag: SessionBag;
    try {
      bag = bagOf(req);
    } catch (error) {
      next(error);
      return;
    }
    try {
      const pending = bag[PENDING_KEY];
      // One pending login, used once: a replayed callback finds nothing to complete.
      delete bag[PENDING_KEY];
      if (!isPending(pending)) {
        throw new AuthError(
          'NO_PENDING_AUTHORIZATION',
          'No login is pending for this browser session: start at the authorize route',
        );
      }
      const session = await client.completeAuthorization(pending, req.originalUrl ?? req.url ?? '');
      const fresh = await regenerate(req, bag);
      fresh[sessionKey] = session;
      const { onSuccess } = options;
      if (typeof onSuccess === 'function') await onSuccess(req as Req, res as Res, session, next);
      else redirect(res, onSuccess ?? '/');
    } catch (error) {
      fail(error, req, res, next);
    }
  };

  return {
    authorize,
    callback,
    session(req: OAuthRequest): Session | undefined {
      const bag = req.session as Record<string, unknown> | null | undefined;
      const stored = bag?.[sessionKey] as Session | undefined;
      return typeof stored?.accessToken === 'string' ? stored : undefined;
    },
  };
}
