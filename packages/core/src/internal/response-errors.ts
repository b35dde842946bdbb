import {
  ApiError,
  type ApiErrorDetail,
  BadRequestError,
  ConcurrentLimitError,
  DailyLimitError,
  ForbiddenError,
  InvalidSessionError,
  NotFoundError,
  OAuthError,
  RateLimitError,
  RecordLockedError,
  RequestLimitError,
  type RequestTarget,
  type SalesforceError,
  ServerError,
  SoapFaultError,
} from '../errors.js';
import { isConcurrentLimit } from '../retry.js';
import { xmlText } from './xml.js';

type ApiErrorClass = new (init: ConstructorParameters<typeof ApiError>[0]) => ApiError;

/** Picks the error class by status and Salesforce's error code together. */
export function apiErrorClassFor(
  status: number,
  errorCode: string | undefined,
  message: string | undefined,
): ApiErrorClass {
  if (errorCode === 'UNABLE_TO_LOCK_ROW') return RecordLockedError;
  if (errorCode === 'REQUEST_LIMIT_EXCEEDED') {
    if (isConcurrentLimit(message)) return ConcurrentLimitError;
    return message !== undefined && /totalrequests/i.test(message) ? DailyLimitError : RequestLimitError;
  }
  if (status === 401 || errorCode === 'INVALID_SESSION_ID') return InvalidSessionError;
  if (status === 404) return NotFoundError;
  if (status === 403) return ForbiddenError;
  if (status === 429) return RateLimitError;
  if (status === 400) return BadRequestError;
  if (status >= 500) return ServerError;
  return ApiError;
}

/** Replaces every occurrence of a secret in server-provided text, in case the server echoed one back. */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4 && out.includes(secret)) out = out.split(secret).join('[REDACTED]');
  }
  return out;
}

function toDetail(entry: unknown, secrets: readonly string[]): ApiErrorDetail | undefined {
  if (typeof entry === 'string') {
    // An upsert that matched several records answers 300 with the matching records' URLs.
    return { errorCode: 'MULTIPLE_CHOICES', message: scrub(entry, secrets), fields: [] };
  }
  if (typeof entry !== 'object' || entry === null) return undefined;
  const record = entry as Record<string, unknown>;
  const errorCode = record.errorCode ?? record.statusCode ?? record.exceptionCode;
  if (typeof errorCode !== 'string') return undefined;
  const message = record.message ?? record.exceptionMessage;
  const fields = Array.isArray(record.fields)
    ? record.fields.filter((f): f is string => typeof f === 'string')
    : [];
  return { errorCode, message: scrub(typeof message === 'string' ? message : '', secrets), fields };
}

/** A short, human description of a body that is neither JSON nor XML: an edge's HTML error page. */
function describeText(text: string, contentType: string): string {
  if (/html/i.test(contentType) || /^\s*<(!doctype|html)/i.test(text)) {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1]?.trim();
    return `HTTP response contains HTML content${title ? `: ${title}` : ''}`;
  }
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}

export interface ErrorResponse {
  readonly status: number;
  readonly statusText: string;
  readonly contentType: string;
  readonly text: string;
  readonly target: RequestTarget;
  readonly requestId: string | undefined;
  readonly retryAfterMs: number | undefined;
  /** Secrets the request carried, scrubbed from anything the server says. */
  readonly secrets: readonly string[];
}

/**
 * Turns an error response into the right `SalesforceError`, by the body's shape: a REST error array,
 * an OAuth `{error, error_description}`, a SOAP fault, a Bulk 1.0 `exceptionCode`, or anything else
 * (an HTML page from the edge, an empty body), which still yields an `ApiError` with `HTTP_<status>`.
 */
export function errorFromResponse(response: ErrorResponse): SalesforceError {
  const { status, text, target, secrets } = response;
  const trimmed = text.trimStart();
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (typeof json === 'object' && json !== null && !Array.isArray(json)) {
      const record = json as Record<string, unknown>;
      if (typeof record.error === 'string') {
        const description = record.error_description;
        return new OAuthError({
          error: record.error,
          errorDescription: typeof description === 'string' ? scrub(description, secrets) : undefined,
          status,
        });
      }
    }
    const list = Array.isArray(json) ? json : json === undefined ? [] : [json];
    const errors = list
      .map((entry) => toDetail(entry, secrets))
      .filter((d): d is ApiErrorDetail => d !== undefined);
    if (errors.length > 0) {
      const first = errors[0] as ApiErrorDetail;
      const ErrorClass = apiErrorClassFor(status, first.errorCode, first.message);
      return new ErrorClass({
        status,
        errors,
        target,
        requestId: response.requestId,
        retryAfterMs: response.retryAfterMs,
      });
    }
  }
  if (trimmed.startsWith('<')) {
    const faultCode = xmlText(text, 'faultcode');
    if (faultCode !== undefined) {
      return new SoapFaultError({
        faultCode: faultCode.replace(/^[\w.-]+:/, ''),
        faultString: scrub(xmlText(text, 'faultstring') ?? faultCode, secrets),
        status,
      });
    }
    const exceptionCode = xmlText(text, 'exceptionCode');
    if (exceptionCode !== undefined) {
      const message = scrub(xmlText(text, 'exceptionMessage') ?? '', secrets);
      const ErrorClass = apiErrorClassFor(status, exceptionCode, message);
      return new ErrorClass({
        status,
        errors: [{ errorCode: exceptionCode, message, fields: [] }],
        target,
        requestId: response.requestId,
        retryAfterMs: response.retryAfterMs,
      });
    }
  }
  const detail =
    text.trim() === ''
      ? response.statusText || `HTTP ${status}`
      : scrub(describeText(text, response.contentType), secrets);
  const ErrorClass = apiErrorClassFor(status, undefined, undefined);
  return new ErrorClass({
    status,
    errors: [],
    target,
    requestId: response.requestId,
    retryAfterMs: response.retryAfterMs,
    message: detail,
  });
}
