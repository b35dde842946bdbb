import { createPublicKey, type KeyObject } from 'node:crypto';
import { newClientId, newClientSecret } from './secrets.js';

/** A connected app (OAuth client) registered in the emulated org. */
export interface ConnectedApp {
  readonly name: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Callback URLs; `redirect_uri` must equal one of them exactly. */
  readonly redirectUris: readonly string[];
  /** Scopes the app may be granted; a request without `scope` gets all of them. */
  readonly scopes: readonly string[];
  /** The certificate's public key, for the JWT bearer flow; undefined when none is uploaded. */
  readonly jwtPublicKey: KeyObject | undefined;
  /** The user the client-credentials flow runs as; undefined disables that flow for the app. */
  readonly runAsUserId: string | undefined;
  /** Whether the web-server and refresh-token flows require `client_secret` (Salesforce's default). */
  readonly requireSecret: boolean;
}

export interface ConnectedAppOptions {
  /** Default `Emulator App`. */
  readonly name?: string;
  /** Default: generated (`3MVG9...`). */
  readonly clientId?: string;
  /** Default: generated (64 hex characters). */
  readonly clientSecret?: string;
  /** Default `['http://localhost:1717/OauthRedirect']`. */
  readonly redirectUris?: readonly string[];
  /**
   * Default `['refresh_token', 'web', 'id', 'api']`. Granted scopes are listed in this order, as
   * Salesforce lists them in its own order (`web id api` in a recorded JWT answer).
   */
  readonly scopes?: readonly string[];
  /** PEM public key or certificate (or a KeyObject) used to verify JWT bearer assertions. */
  readonly jwtPublicKey?: string | KeyObject;
  readonly runAsUserId?: string;
  /** Default true. False lets public clients (PKCE) use the code and refresh flows without a secret. */
  readonly requireSecret?: boolean;
}

export const DEFAULT_REDIRECT_URI = 'http://localhost:1717/OauthRedirect';
export const DEFAULT_APP_SCOPES: readonly string[] = ['refresh_token', 'web', 'id', 'api'];

/** The org's connected apps, by consumer key. */
export class ConnectedApps {
  readonly #apps = new Map<string, ConnectedApp>();

  create(options: ConnectedAppOptions = {}): ConnectedApp {
    const clientId = options.clientId ?? newClientId();
    if (this.#apps.has(clientId)) throw new Error('a connected app with this clientId already exists');
    const redirectUris = options.redirectUris ?? [DEFAULT_REDIRECT_URI];
    for (const uri of redirectUris) {
      if (!URL.canParse(uri)) throw new TypeError(`redirectUris: "${uri}" is not an absolute URL`);
    }
    const app: ConnectedApp = {
      name: options.name ?? 'Emulator App',
      clientId,
      clientSecret: options.clientSecret ?? newClientSecret(),
      redirectUris,
      scopes: options.scopes ?? DEFAULT_APP_SCOPES,
      jwtPublicKey:
        options.jwtPublicKey === undefined
          ? undefined
          : typeof options.jwtPublicKey === 'string'
            ? createPublicKey(options.jwtPublicKey)
            : options.jwtPublicKey,
      runAsUserId: options.runAsUserId,
      requireSecret: options.requireSecret ?? true,
    };
    this.#apps.set(clientId, app);
    return app;
  }

  get(clientId: string): ConnectedApp | undefined {
    return this.#apps.get(clientId);
  }

  all(): ConnectedApp[] {
    return [...this.#apps.values()];
  }
}
