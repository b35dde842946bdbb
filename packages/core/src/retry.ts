/**
 * The retry policy as three small pure functions. The transport asks `shouldRetry` after each failed
 * attempt, waits `parseRetryAfter(...) ?? backoffMs(...)`, and tries again.
 *
 * Salesforce has no idempotency key, so a request that may have reached the server is repeated only when
 * repeating it cannot duplicate data: GET, HEAD, PUT, PATCH, DELETE, OPTIONS, or a request the caller
 * marked `idempotent` (an upsert by external id, a query sent as POST). A non-idempotent POST is retried
 * only when the connection failed before anything was sent.
 */

/** Why an attempt failed, as far as the retry policy cares. */
export type RetryFailure =
  | {
      readonly kind: 'status';
      readonly status: number;
      /** Salesforce's first `errorCode`, when the body had one. */
      readonly errorCode?: string | undefined;
      readonly message?: string | undefined;
    }
  | {
      readonly kind: 'network';
      /** False when the connection failed before the request could be sent (refused, DNS, connect timeout). */
      readonly connected: boolean;
    };

export interface RetryInput {
  readonly method: string;
  /** The caller's statement that repeating this request cannot duplicate data. */
  readonly idempotent?: boolean | undefined;
  /** Retries already made for this request (0 after the first attempt failed). */
  readonly attempt: number;
  readonly maxRetries: number;
  readonly failure: RetryFailure;
}

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Statuses that say "try again later" without saying the request was wrong. */
const TRANSIENT_STATUSES = new Set([429, 500, 502, 503, 504]);

/** True when the request may be sent again. */
export function shouldRetry(input: RetryInput): boolean {
  if (input.attempt >= input.maxRetries) return false;
  const { failure } = input;
  // Nothing was sent: repeating cannot duplicate anything, whatever the method.
  if (failure.kind === 'network' && !failure.connected) return true;
  if (!(input.idempotent ?? IDEMPOTENT_METHODS.has(input.method.toUpperCase()))) return false;
  if (failure.kind === 'network') return true;
  if (failure.errorCode === 'UNABLE_TO_LOCK_ROW') return true;
  if (failure.errorCode === 'REQUEST_LIMIT_EXCEEDED') return isConcurrentLimit(failure.message);
  return TRANSIENT_STATUSES.has(failure.status);
}

/**
 * `REQUEST_LIMIT_EXCEEDED` means either the daily quota ("TotalRequests Limit exceeded.", not worth a
 * retry for hours) or too many concurrent long-running requests ("ConcurrentRequests (Concurrent API
 * Requests) Limit exceeded.", which clears as soon as one finishes). Only the message tells them apart.
 */
export function isConcurrentLimit(message: string | undefined): boolean {
  return message !== undefined && /concurrent/i.test(message);
}

/** Exponential backoff with jitter: 500 ms, 1 s, 2 s, 4 s, then 8 s, each shortened by up to 25 %. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** Math.max(0, attempt));
  return Math.round(ceiling * (1 - 0.25 * random()));
}

const BASE_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 8_000;

/**
 * The delay a `Retry-After` header asks for, in ms: either delta-seconds (`"120"`, `"1.5"`) or an
 * HTTP-date. Undefined when the header is absent or unreadable; a date in the past gives 0.
 */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // An HTTP-date always names its weekday and month; anything else (`-5`) is not one.
  const date = /[a-z]/i.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
