import type { Readable } from 'node:stream';
import type { LimitInfo } from './limit-info.js';
import type { ClientEvents, Session } from './session.js';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

/** Query-string values; `undefined` and `null` entries are skipped, arrays repeat the key. */
export type QueryParams = Readonly<
  Record<string, string | number | boolean | null | undefined | readonly (string | number | boolean)[]>
>;

/**
 * A request body. A plain object or array is sent as JSON; a string as text; bytes as
 * `application/octet-stream`; `URLSearchParams` as a form; a Node `Readable` or async iterable is
 * streamed (and, having been consumed, is never replayed by a retry or a session refresh). Set
 * `content-type` in `headers` to override the default type (`text/csv` for a Bulk upload).
 */
export type RequestBody =
  | string
  | Uint8Array
  | URLSearchParams
  | Readable
  | AsyncIterable<Uint8Array | string>
  | Readonly<Record<string, unknown>>
  | readonly unknown[];

/** How a successful response body is returned by `request()`. */
export type ResponseType = 'json' | 'text' | 'binary';

/** Per-request options: the second of the three option tiers (the client's options are the first). */
export interface RequestOptions {
  /** Default `'GET'`. */
  readonly method?: HttpMethod | undefined;
  /**
   * Where to send the request:
   * - relative (`sobjects/Account/001…`, `query`): under the REST base `/services/data/vNN.N/`;
   * - absolute (`/services/async/62.0/job`, a `nextRecordsUrl`): on the session's instance;
   * - a full `https://` URL (the identity URL on the login host).
   *
   * Build paths that carry ids or external-id values with `apiPath` so every value is escaped.
   */
  readonly path: string;
  readonly query?: QueryParams | undefined;
  readonly body?: RequestBody | undefined;
  /** Extra headers (names are case-insensitive). `Authorization` is always the session's. */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Overrides the client's `timeout` (the idle timeout) for this request, in ms. */
  readonly timeout?: number | undefined;
  /**
   * Overrides the client's `totalTimeout` for this request: the ms it may take in all, retries
   * included, before it is aborted with a `TimeoutError` of kind `'total'`.
   */
  readonly totalTimeout?: number | undefined;
  /** Overrides the client's `maxRetries` for this request. */
  readonly maxRetries?: number | undefined;
  /**
   * Declares that repeating the request cannot duplicate data, which makes a POST retryable (an upsert
   * by external id, a query sent as POST), or (`false`) forbids retrying even a GET.
   * Default: true for GET, HEAD, PUT, PATCH, DELETE and OPTIONS; false for POST.
   */
  readonly idempotent?: boolean | undefined;
  /** The session to sign this request with; required in multi-user mode unless the requester is bound. */
  readonly session?: Session | undefined;
}

/** A response whose body the caller reads as a stream: Bulk results, blobs, anything large. */
export interface RawResponse {
  readonly status: number;
  /** Lower-cased header names, as undici gives them (e.g. `sforce-locator`). */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /**
   * The (already decompressed) body. Read it to the end or destroy it: the request keeps its
   * concurrency slot until the stream closes.
   */
  readonly body: Readable;
  readonly limitInfo: LimitInfo | undefined;
}

/**
 * Something that can send authenticated requests to Salesforce: the client and every `client.as(session)`
 * view implement it. It is the one dependency `@forcekit/sobject`, `@forcekit/bulk` and
 * `@forcekit/streaming` take.
 */
export interface Requester {
  /** The REST API version, e.g. `'62.0'`. */
  readonly version: string;
  /** The session requests are signed with (the client's in single-user mode, the bound one for a view). */
  readonly session: Session | undefined;
  /** The latest `Sforce-Limit-Info` this requester saw. */
  readonly limitInfo: LimitInfo | undefined;

  /** Sends a request and parses the JSON response (undefined for an empty body: 204, 304). */
  request<T = unknown>(options: RequestOptions & { readonly responseType?: 'json' | undefined }): Promise<T>;
  request(options: RequestOptions & { readonly responseType: 'text' }): Promise<string>;
  request(options: RequestOptions & { readonly responseType: 'binary' }): Promise<Uint8Array>;

  /** Sends a request and hands back status, headers and the body as a stream. Error statuses still throw. */
  raw(options: RequestOptions): Promise<RawResponse>;

  /**
   * The session, establishing it first when the client holds only a refresh token. Throws
   * `SessionRequiredError` when there is none (multi-user mode without a bound session).
   */
  getSession(): Promise<Session>;

  /**
   * Refreshes the session, sharing one refresh among every concurrent caller (and with the automatic
   * refresh a 401 triggers). For clients whose own transport sees the expiry: the streaming client on
   * `401::Authentication invalid`. Pass the session that failed, so a refresh that already happened
   * is reused instead of repeated.
   */
  refreshSession(stale?: Session): Promise<Session>;

  /** A requester bound to `session`, sharing this one's connection pool, limits and events. */
  as(session: Session): Requester;

  /** Subscribes to an event; returns the function that unsubscribes. */
  on<K extends keyof ClientEvents>(event: K, listener: (event: ClientEvents[K]) => void): () => void;
  off<K extends keyof ClientEvents>(event: K, listener: (event: ClientEvents[K]) => void): void;
}
