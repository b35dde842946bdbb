import { STATUS_CODES } from 'node:http';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Dispatcher } from 'undici';
import {
  AbortError,
  ApiError,
  ClientClosedError,
  ConfigurationError,
  InsecureUrlError,
  InvalidSessionError,
  NetworkError,
  type RequestTarget,
  ResponseError,
  SalesforceError,
  SessionRequiredError,
  TimeoutError,
} from '../errors.js';
import { type LimitInfo, parseLimitInfo } from '../limit-info.js';
import type { Logger } from '../logger.js';
import type { QueryParams, RawResponse, RequestOptions } from '../requester.js';
import { backoffMs, parseRetryAfter, type RetryFailure, shouldRetry } from '../retry.js';
import type { Session } from '../session.js';
import { decodeStream, type EncodedBody, encodeBody, readBytes } from './body.js';
import { Deadline, DeadlineExceeded } from './deadline.js';
import { checkRequest } from './request-check.js';
import { errorFromResponse } from './response-errors.js';
import { isSecureUrl } from './secure-url.js';
import type { Semaphore } from './semaphore.js';

/** Where a requester keeps its session and the limits it last saw: the client's own, or a view's. */
export interface SessionHolder {
  session: Session | undefined;
  limitInfo: LimitInfo | undefined;
}

/** What the transport needs from the token cache. */
export interface SessionSource {
  /** The session to use when the caller gave none (may establish one from a refresh token). */
  initial(holder: SessionHolder): Promise<Session>;
  canRefresh(session: Session): boolean;
  /**
   * A fresh session after `stale` was refused with 401: shared by every concurrent caller. `owner` is
   * the holder `stale` came from; undefined when the caller passed its own session for this one call.
   */
  afterUnauthorized(stale: Session, owner: SessionHolder | undefined): Promise<Session>;
}

export type InternalResponseType = 'json' | 'text' | 'binary' | 'raw';

/**
 * How forcekit's own credential-carrying calls (token endpoint, revoke, SOAP login) are sent: with no
 * session header, and with the secrets in their body scrubbed from anything the server sends back.
 */
export interface CredentialCall {
  readonly secrets: readonly string[];
}

export interface TransportConfig {
  readonly dispatcher: Dispatcher;
  readonly limiter: Semaphore;
  readonly version: string;
  readonly timeout: number;
  /** The default total timeout of a request, across all its attempts; undefined: none. */
  readonly totalTimeout: number | undefined;
  readonly maxRetries: number;
  readonly log: Logger | undefined;
  readonly sessions: SessionSource;
}

/** The longest `Retry-After` the transport waits out; a longer one fails the request instead. */
const MAX_RETRY_AFTER_MS = 60_000;

/** Socket-level codes that mean the connection failed before the request was written. */
const NOT_CONNECTED = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** The request path without its query string, which may carry secrets (`?oauth_token=`). */
function targetOf(method: string, path: string): RequestTarget {
  const q = path.indexOf('?');
  return { method, path: q === -1 ? path : path.slice(0, q) };
}

function appendQuery(path: string, query: QueryParams): string {
  const params = new URLSearchParams();
  for (const key of Object.keys(query)) {
    const value = query[key];
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const item of value) params.append(key, String(item));
    else params.append(key, String(value));
  }
  const search = params.toString();
  if (search === '') return path;
  return path + (path.includes('?') ? '&' : '?') + search;
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The error for a request whose signal aborted: a `TimeoutError` (kind `'total'`) when its total timeout
 * ran out, else an `AbortError` carrying the caller's reason.
 */
function abortedError(target: RequestTarget, signal: AbortSignal | undefined): SalesforceError {
  const reason: unknown = signal?.reason;
  if (reason instanceof DeadlineExceeded) return new TimeoutError(target, reason.ms, { kind: 'total' });
  return new AbortError(target, { cause: reason });
}

/** Waits for `promise`, or rejects as soon as `signal` aborts (the promise itself runs on). */
function untilAborted<T>(
  promise: Promise<T>,
  signal: AbortSignal | undefined,
  target: () => RequestTarget,
): Promise<T> {
  if (signal === undefined) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortedError(target(), signal));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * Maps what undici, the socket or zlib threw into the error tree. Anything else (a bug) is returned as
 * is, so it surfaces instead of passing for a network failure.
 */
export function toSalesforceError(
  error: unknown,
  target: RequestTarget,
  signal: AbortSignal | undefined,
  timeout: number,
): unknown {
  if (error instanceof SalesforceError) return error;
  if (signal?.aborted) return abortedError(target, signal);
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return error;
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return new TimeoutError(target, timeout, { cause: error });
  }
  if (code === 'UND_ERR_DESTROYED' || code === 'UND_ERR_CLOSED') {
    // An injected dispatcher its owner closed (the client's own one is checked before it is used).
    return new ClientClosedError(target, 'the dispatcher is closed', { cause: error });
  }
  if (code === 'UND_ERR_INVALID_ARG') {
    return new ConfigurationError([{ field: 'request', message: (error as Error).message }], 'request');
  }
  if (code.startsWith('Z_')) {
    return new ResponseError(target, 0, 'the compressed body could not be decoded', { cause: error });
  }
  return new NetworkError(target, code, !NOT_CONNECTED.has(code), { cause: error });
}

function failureOf(error: SalesforceError): RetryFailure | undefined {
  if (error instanceof ApiError) {
    return { kind: 'status', status: error.status, errorCode: error.code, message: error.errors[0]?.message };
  }
  if (error instanceof NetworkError) return { kind: 'network', connected: error.connected };
  return undefined;
}

/**
 * True when an error says the session expired: a 401 `INVALID_SESSION_ID`, or the identity service's
 * 403 `Bad_OAuth_Token` (the identity URL and UserInfo answer a bad token so, in plain text; it stays a
 * `ForbiddenError`, as its status says). "This session is not valid for use with the REST API" is a 401
 * INVALID_SESSION_ID too, but a refresh cannot fix it (the token is of the wrong kind), so it must never
 * start a refresh loop.
 */
function isExpiredSession(error: SalesforceError): error is ApiError {
  if (error instanceof InvalidSessionError) {
    return !/not valid for use with the REST API/i.test(error.errors[0]?.message ?? '');
  }
  return error instanceof ApiError && error.code === 'Bad_OAuth_Token';
}

/** Re-throws a streamed body's failures as forcekit errors. */
async function* mapStreamErrors(
  source: Readable,
  target: RequestTarget,
  signal: AbortSignal | undefined,
  timeout: number,
): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of source) yield chunk as Uint8Array;
  } catch (error) {
    throw toSalesforceError(error, target, signal, timeout);
  }
}

/** The per-request state one attempt needs; built once per request, not per attempt. */
interface Exchange {
  readonly method: string;
  readonly request: RequestOptions;
  readonly responseType: InternalResponseType;
  readonly body: EncodedBody;
  readonly timeout: number;
  /** The caller's signal, or the total timeout's (which also follows the caller's). */
  readonly signal: AbortSignal | undefined;
  readonly deadline: Deadline | undefined;
  readonly holder: SessionHolder;
  readonly secrets: readonly string[];
  origin: string;
  path: string;
  headers: Record<string, string>;
  /** Set once a raw body stream owns the concurrency slot and the deadline. */
  handedOff: boolean;
}

/**
 * The one way a request reaches Salesforce. Everything (REST, Bulk, Apex REST, the token endpoint, SOAP
 * login, identity) goes through `send`, on one undici dispatcher and under one concurrency limit.
 */
export class Transport {
  readonly #config: TransportConfig;
  readonly #dataPrefix: string;
  /** Session -> its instance origin, validated once (https, or loopback http). */
  readonly #origins = new WeakMap<Session, string>();
  #limitInfo: LimitInfo | undefined;
  #limitHeader: string | undefined;
  #closed = false;

  constructor(config: TransportConfig) {
    this.#config = config;
    this.#dataPrefix = `/services/data/v${config.version}/`;
  }

  /** The latest `Sforce-Limit-Info` any request saw. */
  get limitInfo(): LimitInfo | undefined {
    return this.#limitInfo;
  }

  /**
   * Refuses every request from now on (`ClientClosedError`); requests already on the wire finish. The
   * client calls it before closing the dispatcher it owns.
   */
  close(): void {
    this.#closed = true;
  }

  /**
   * Where a request goes, as errors name it, before its session (and so its host) is known: the REST
   * base for a relative path, never the query string.
   */
  #plannedTarget(request: RequestOptions): RequestTarget {
    const method = request.method ?? 'GET';
    const path = request.path;
    if (path.startsWith('https://') || path.startsWith('http://')) {
      try {
        return { method, path: new URL(path).pathname };
      } catch {
        return targetOf(method, path);
      }
    }
    return targetOf(method, path.startsWith('/') ? path : this.#dataPrefix + path);
  }

  /**
   * Sends a request signed with `request.session`, else the holder's session (establishing one if need
   * be); a `credentialCall` is sent without a session instead.
   */
  async send(
    request: RequestOptions,
    responseType: InternalResponseType,
    holder: SessionHolder,
    credentialCall?: CredentialCall,
  ): Promise<unknown> {
    checkRequest(request);
    if (this.#closed) throw new ClientClosedError(this.#plannedTarget(request));
    const config = this.#config;
    const totalTimeout = request.totalTimeout ?? config.totalTimeout;
    // One deadline for the whole call: every attempt, backoff and refresh counts against it.
    const deadline = totalTimeout === undefined ? undefined : new Deadline(totalTimeout, request.signal);
    const exchange: Exchange = {
      method: request.method ?? 'GET',
      request,
      responseType,
      body: encodeBody(request.body),
      timeout: request.timeout ?? config.timeout,
      signal: deadline?.signal ?? request.signal,
      deadline,
      holder,
      secrets: credentialCall?.secrets ?? [],
      origin: '',
      path: '',
      headers: {},
      handedOff: false,
    };
    try {
      return await this.#exchange(exchange, credentialCall !== undefined);
    } finally {
      if (!exchange.handedOff) deadline?.clear();
    }
  }

  async #exchange(exchange: Exchange, credentialCall: boolean): Promise<unknown> {
    const config = this.#config;
    const { request, holder, method, signal } = exchange;
    const planned = () => this.#plannedTarget(request);
    let session: Session | undefined;
    if (!credentialCall) {
      session =
        request.session ??
        holder.session ??
        (await untilAborted(config.sessions.initial(holder), signal, planned));
    }
    // The holder's own session, even when passed explicitly (identity() does), is the holder's to
    // refresh; any other session passed for this call is refreshed on its own, never swapped for the
    // holder's.
    const owner = request.session === undefined || request.session === holder.session ? holder : undefined;
    this.#address(exchange, session);
    const maxRetries = request.maxRetries ?? config.maxRetries;
    let refreshed = false;
    for (let attempt = 0; ; ) {
      try {
        return await this.#attempt(exchange, session);
      } catch (caught) {
        if (!(caught instanceof SalesforceError)) throw caught;
        const error = caught;
        if (
          session !== undefined &&
          !refreshed &&
          isExpiredSession(error) &&
          exchange.body.replayable &&
          config.sessions.canRefresh(session)
        ) {
          // At most one refresh-and-replay per request; it does not count as a retry.
          refreshed = true;
          session = await this.#refreshed(session, owner, error, exchange);
          this.#address(exchange, session);
          continue;
        }
        const failure = failureOf(error);
        if (
          failure === undefined ||
          !exchange.body.replayable ||
          !shouldRetry({ method, idempotent: request.idempotent, attempt, maxRetries, failure })
        ) {
          throw error;
        }
        const delay = (error instanceof ApiError ? error.retryAfterMs : undefined) ?? backoffMs(attempt);
        if (delay > MAX_RETRY_AFTER_MS) throw error;
        // A retry that could not start before the total timeout runs out is not worth waiting for: the
        // request fails now, with what actually went wrong rather than a timeout.
        if (exchange.deadline !== undefined && delay >= exchange.deadline.remaining()) throw error;
        config.log?.warn(
          {
            method,
            path: targetOf(method, exchange.path).path,
            attempt: attempt + 1,
            delayMs: delay,
            errorCode: error.code,
          },
          'retrying request',
        );
        try {
          await sleep(delay, undefined, signal === undefined ? undefined : { signal });
        } catch {
          throw abortedError(targetOf(method, exchange.path), signal);
        }
        attempt++;
      }
    }
  }

  async #refreshed(
    stale: Session,
    owner: SessionHolder | undefined,
    error: ApiError,
    exchange: Exchange,
  ): Promise<Session> {
    const target = () => targetOf(exchange.method, exchange.path);
    try {
      return await untilAborted(
        this.#config.sessions.afterUnauthorized(stale, owner),
        exchange.signal,
        target,
      );
    } catch (refreshError) {
      if (exchange.signal?.aborted) throw abortedError(target(), exchange.signal);
      // The error the server sent (InvalidSessionError, or ForbiddenError for Bad_OAuth_Token), now
      // saying why the refresh failed.
      const ErrorClass = error.constructor as typeof ApiError;
      throw new ErrorClass({
        status: error.status,
        errors: error.errors,
        target: target(),
        requestId: error.requestId,
        message: `${error.errors[0]?.message ?? 'Session expired or invalid'} (refreshing it failed: ${(refreshError as Error).message})`,
        cause: refreshError,
      });
    }
  }

  /** Resolves origin, path and headers for the session the next attempt uses. */
  #address(exchange: Exchange, session: Session | undefined): void {
    const { request } = exchange;
    let path = request.path;
    if (path.startsWith('https://') || path.startsWith('http://')) {
      const url = new URL(path);
      if (!isSecureUrl(url)) throw new InsecureUrlError(url.origin);
      exchange.origin = url.origin;
      path = url.pathname + url.search;
    } else {
      if (session === undefined) {
        // Only credential calls go without a session, and they always name a full URL.
        throw new SessionRequiredError('NO_SESSION', `A session is required for the path ${path}`);
      }
      exchange.origin = this.#originOf(session);
      if (!path.startsWith('/')) path = this.#dataPrefix + path;
    }
    exchange.path = request.query === undefined ? path : appendQuery(path, request.query);

    const headers: Record<string, string> = { 'accept-encoding': 'gzip' };
    if (exchange.responseType === 'json') headers.accept = 'application/json';
    if (exchange.body.contentType !== undefined) headers['content-type'] = exchange.body.contentType;
    if (request.headers !== undefined) {
      for (const name of Object.keys(request.headers)) {
        headers[name.toLowerCase()] = request.headers[name] as string;
      }
    }
    if (session !== undefined) headers.authorization = `Bearer ${session.accessToken}`;
    exchange.headers = headers;
  }

  #originOf(session: Session): string {
    let origin = this.#origins.get(session);
    if (origin === undefined) {
      let url: URL;
      try {
        url = new URL(session.instanceUrl);
      } catch {
        throw new ConfigurationError(
          [{ field: 'instanceUrl', message: 'must be an absolute URL' }],
          'session',
        );
      }
      if (!isSecureUrl(url)) throw new InsecureUrlError(url.origin);
      origin = url.origin;
      this.#origins.set(session, origin);
    }
    return origin;
  }

  async #attempt(exchange: Exchange, session: Session | undefined): Promise<unknown> {
    const { limiter, dispatcher, log } = this.#config;
    const { method, timeout, signal } = exchange;
    if (!limiter.tryAcquire()) {
      try {
        await limiter.acquire(signal);
      } catch {
        throw abortedError(targetOf(method, exchange.path), signal);
      }
    }
    if (this.#closed) {
      // close() came while this request waited for a slot or a retry: it is not sent.
      limiter.release();
      throw new ClientClosedError(targetOf(method, exchange.path));
    }
    let handedOff = false;
    const started = log === undefined ? 0 : performance.now();
    try {
      const dispatchOptions: Dispatcher.RequestOptions = {
        origin: exchange.origin,
        path: exchange.path,
        method: method as Dispatcher.HttpMethod,
        headers: exchange.headers,
        // undici streams async iterables too; its types list only the concrete kinds.
        body: (exchange.body.payload ?? null) as string | null,
        signal: signal ?? null,
        headersTimeout: timeout,
        bodyTimeout: timeout,
      };
      const response = await dispatcher.request(dispatchOptions);
      const status = response.statusCode;
      const headers = response.headers;
      const limitInfo = this.#noteLimits(header(headers, 'sforce-limit-info'), exchange.holder);
      if (log !== undefined) {
        log.debug(
          {
            method,
            path: targetOf(method, exchange.path).path,
            status,
            durationMs: Math.round(performance.now() - started),
          },
          'request',
        );
      }
      if (status < 300 || status === 304) {
        if (exchange.responseType === 'raw') {
          handedOff = true;
          return this.#raw(response, limitInfo, exchange);
        }
        return await this.#readSuccess(response, exchange);
      }
      const bytes = await readBytes(response.body, headers['content-encoding']);
      const error = errorFromResponse({
        status,
        statusText: STATUS_CODES[status] ?? '',
        contentType: header(headers, 'content-type') ?? '',
        text: bytes.toString('utf8'),
        target: targetOf(method, exchange.path),
        requestId: header(headers, 'x-sfdc-request-id') ?? header(headers, 'x-request-id'),
        secrets: session === undefined ? exchange.secrets : [session.accessToken, ...exchange.secrets],
        retryAfterMs: parseRetryAfter(header(headers, 'retry-after')),
        signed: session !== undefined,
      });
      throw error;
    } catch (error) {
      throw toSalesforceError(error, targetOf(method, exchange.path), signal, timeout);
    } finally {
      if (!handedOff) limiter.release();
    }
  }

  async #readSuccess(response: Dispatcher.ResponseData, exchange: Exchange): Promise<unknown> {
    const { responseType } = exchange;
    const status = response.statusCode;
    const encoding = response.headers['content-encoding'];
    if (responseType === 'json') {
      if (status === 204 || status === 304 || exchange.method === 'HEAD') {
        await response.body.dump();
        return undefined;
      }
      const text =
        encoding === undefined
          ? await response.body.text()
          : (await readBytes(response.body, encoding)).toString('utf8');
      if (text.length === 0) return undefined;
      try {
        return JSON.parse(text);
      } catch {
        // No cause: V8's SyntaxError quotes the body, which may hold a token (a token endpoint's answer).
        throw new ResponseError(
          targetOf(exchange.method, exchange.path),
          status,
          'the body is not valid JSON',
        );
      }
    }
    if (responseType === 'text') {
      return encoding === undefined
        ? response.body.text()
        : (await readBytes(response.body, encoding)).toString('utf8');
    }
    const bytes = await readBytes(response.body, encoding);
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Hands the body over as a stream that maps failures into the error tree and frees the slot when closed. */
  #raw(response: Dispatcher.ResponseData, limitInfo: LimitInfo | undefined, exchange: Exchange): RawResponse {
    const source = decodeStream(response.body, response.headers['content-encoding']);
    const target = targetOf(exchange.method, exchange.path);
    const body = Readable.from(mapStreamErrors(source, target, exchange.signal, exchange.timeout), {
      objectMode: false,
    });
    const { limiter } = this.#config;
    // The stream now owns the slot and the total timeout, which covers reading the body too.
    exchange.handedOff = true;
    // 'close' follows both the end and an early destroy, even one before the first read.
    body.once('close', () => {
      source.destroy();
      limiter.release();
      exchange.deadline?.clear();
    });
    return { status: response.statusCode, headers: response.headers, body, limitInfo };
  }

  #noteLimits(value: string | undefined, holder: SessionHolder): LimitInfo | undefined {
    if (value === undefined) return undefined;
    if (value !== this.#limitHeader) {
      this.#limitHeader = value;
      this.#limitInfo = parseLimitInfo(value);
    }
    holder.limitInfo = this.#limitInfo;
    return this.#limitInfo;
  }
}
