/**
 * The one place that loads the CometD JavaScript client and runs `cometd-nodejs-client`'s `adapt()`.
 *
 * `adapt()` patches globals: it creates `globalThis.window` (with `setTimeout`, `clearTimeout`,
 * `console`, `XMLHttpRequest` and `WebSocket`) and sets `console.debug` to `console.log`, because the
 * CometD client was written for browsers and looks everything up on `window`. So it runs lazily, on the
 * first subscription of the process, and once; importing `@forcekit/streaming` changes nothing. Code
 * that tests `typeof window` to detect a browser will see one afterwards (see docs/streaming.md).
 *
 * Two things are done differently from a plain `adapt()`:
 * - Each CometD client gets its own cookie jar. The adapter's default jar is one per host for the whole
 *   process, which makes every client in a process look like one browser: Salesforce then answers all
 *   but one of them with `multiple-clients` advice and slow polling. Our transport opens each request
 *   with its own `URL` object, and the adapter's cookie hooks find the client's jar through it.
 * - Only long polling is registered (Salesforce serves no websocket), with that transport.
 */
import type { CometD, Configuration, Message } from 'cometd';

/** The cookies of one CometD client (one "browser" to the server: `BAYEUX_BROWSER`, `sfdc-stream`). */
export class CookieJar {
  readonly #cookies = new Map<string, string>();

  /** Stores a `Set-Cookie` header; attributes (path, domain, expiry) are ignored, as one client talks to one host. */
  store(setCookie: string): void {
    const pair = setCookie.split(';', 1)[0]?.trim() ?? '';
    const equals = pair.indexOf('=');
    if (equals <= 0) return;
    const name = pair.slice(0, equals);
    if (pair.length === equals + 1 || /;\s*max-age=0\s*(;|$)/i.test(setCookie)) this.#cookies.delete(name);
    else this.#cookies.set(name, pair);
  }

  /** `name=value` pairs to send back. */
  pairs(): string[] {
    return [...this.#cookies.values()];
  }

  get size(): number {
    return this.#cookies.size;
  }
}

/** The parts of a CometD client this package uses beyond its published typings. */
export interface CometdClient extends CometD {
  /** CometD's hook for every failed handshake or connect; replaced per client to decide what happens next. */
  onTransportFailure(message: FailureMessage, info: FailureInfo, handler: (info: FailureInfo) => void): void;
}

/** A failed `/meta/handshake` or `/meta/connect`: the server's reply, or one made up for a network failure. */
export interface FailureMessage extends Message {
  readonly failure?: { readonly reason?: string; readonly httpCode?: number; readonly exception?: unknown };
}

/** What CometD will do after a failure: `action` and `delay` may be changed before handing it on. */
export interface FailureInfo {
  action: 'retry' | 'handshake' | 'none';
  delay?: number;
  cause?: 'failure' | 'unsuccessful' | 'negotiation';
  [key: string]: unknown;
}

export interface CometdRuntime {
  /** A new CometD client that talks long polling only, with its own cookies. */
  createClient(cookies: CookieJar): CometdClient;
  /** CometD's default `onTransportFailure`, to delegate to. */
  readonly defaultOnTransportFailure: CometdClient['onTransportFailure'];
}

export type { Configuration, Message };

let runtime: Promise<CometdRuntime> | undefined;

/** Loads CometD and adapts it to Node on first use; later calls share the result. */
export function loadCometd(): Promise<CometdRuntime> {
  runtime ??= initialise().catch((error: unknown) => {
    runtime = undefined;
    throw error;
  });
  return runtime;
}

// What the adapter's XMLHttpRequest looks like from here.
interface AdaptedXhr {
  context?: unknown;
  withCredentials?: boolean;
  readonly status: number;
  readonly statusText: string;
  readonly responseText: string;
  onload: (() => void) | null;
  onerror: ((error?: unknown) => void) | null;
  onabort: (() => void) | null;
  open(method: string, url: URL, async: boolean): void;
  setRequestHeader(name: string, value: string): void;
  send(body: string): void;
  abort(): void;
}
type AdaptedXhrClass = new () => AdaptedXhr;

// The packet CometD's long-polling transport hands to `xhrSend`.
interface XhrPacket {
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body: string;
  onSuccess(responseText: string): void;
  onError(reason: string, exception?: unknown): void;
}

interface LongPollingTransportClass {
  new (): { xhrSend(packet: XhrPacket): unknown };
}

async function initialise(): Promise<CometdRuntime> {
  const [adapter, cometd] = await Promise.all([import('cometd-nodejs-client'), import('cometd')]);

  const jarsByUrl = new WeakMap<URL, CookieJar>();
  // Requests of CometD clients that are not ours (an application may use CometD directly) keep the
  // adapter's behaviour: one jar per host.
  const jarsByHost = new Map<string, CookieJar>();
  const jarFor = (uri: URL): CookieJar => {
    const own = jarsByUrl.get(uri);
    if (own !== undefined) return own;
    let shared = jarsByHost.get(uri.hostname);
    if (shared === undefined) {
      shared = new CookieJar();
      jarsByHost.set(uri.hostname, shared);
    }
    return shared;
  };

  adapter.adapt({
    cookies: {
      storeCookie(uri: URL, header: string, callback: (failure: Error | null, cookie: unknown) => void) {
        jarFor(uri).store(header);
        callback(null, undefined);
      },
      retrieveCookies(
        _context: unknown,
        uri: URL,
        callback: (failure: Error | null, cookies: string[]) => void,
      ) {
        callback(null, jarFor(uri).pairs());
      },
    },
  });
  const adaptedWindow = (globalThis as { window?: { XMLHttpRequest?: AdaptedXhrClass } }).window;
  const installed = adaptedWindow?.XMLHttpRequest;
  if (installed === undefined) throw new Error('cometd-nodejs-client adapt() did not install XMLHttpRequest');
  // Captured now, so a later adapt() by someone else cannot take our cookie handling away.
  const Xhr: AdaptedXhrClass = installed;

  const LongPolling = (cometd as unknown as { LongPollingTransport: LongPollingTransportClass })
    .LongPollingTransport;

  /** CometD's long-polling transport, sending each request with the client's own cookie jar. */
  class JarLongPollingTransport extends LongPolling {
    readonly #jar: CookieJar;

    constructor(jar: CookieJar) {
      super();
      this.#jar = jar;
    }

    override xhrSend(packet: XhrPacket): AdaptedXhr {
      const xhr = new Xhr();
      const url = new URL(packet.url);
      jarsByUrl.set(url, this.#jar);
      xhr.withCredentials = true;
      xhr.open('POST', url, true);
      for (const [name, value] of Object.entries(packet.headers ?? {})) xhr.setRequestHeader(name, value);
      xhr.setRequestHeader('Content-Type', 'application/json');
      xhr.onload = () => {
        if (xhr.status === 200) packet.onSuccess(xhr.responseText);
        else packet.onError(xhr.statusText || `HTTP ${xhr.status}`);
      };
      xhr.onerror = () => packet.onError(xhr.statusText || 'network error');
      xhr.onabort = xhr.onerror;
      xhr.send(packet.body);
      return xhr;
    }
  }

  const prototype = cometd.CometD.prototype as unknown as CometdClient;
  return {
    createClient(cookies) {
      const client = new cometd.CometD() as CometdClient;
      client.unregisterTransports();
      client.registerTransport('long-polling', new JarLongPollingTransport(cookies) as never);
      return client;
    },
    defaultOnTransportFailure: prototype.onTransportFailure,
  };
}
