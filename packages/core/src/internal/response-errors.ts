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

/**
 * One error object: REST's `{message, errorCode, fields}`, the `statusCode` spelling of sObject
 * Collections, Tree and composite results, Bulk 2.0's `{errorCode, message}`, or Bulk 1.0's
 * `{exceptionCode, exceptionMessage}`.
 */
function toDetail(
  record: Record<string, unknown>,
  secrets: readonly string[],
  referenceId: string | undefined,
): ApiErrorDetail | undefined {
  const errorCode = record.errorCode ?? record.statusCode ?? record.exceptionCode;
  if (typeof errorCode !== 'string') return undefined;
  const message = record.message ?? record.exceptionMessage;
  const fields = Array.isArray(record.fields)
    ? record.fields.filter((f): f is string => typeof f === 'string')
    : [];
  const detail = { errorCode, message: scrub(typeof message === 'string' ? message : '', secrets), fields };
  return referenceId === undefined ? detail : { ...detail, referenceId };
}

/**
 * Where composite bodies nest their errors: `results` (sObject Tree `{hasErrors, results}`, composite
 * batch), `errors` (a Tree or Collections result), `compositeResponse` and its entries' `body`
 * (composite), `result` (a batch entry).
 */
const NESTED_ERROR_KEYS = ['results', 'errors', 'compositeResponse', 'body', 'result'] as const;

/** How deep a composite body nests an error object: `{results: [{errors: [{...}]}]}` is three. */
const MAX_NESTING = 5;

/** Collects every error object in a JSON error body, flat and in order, each with its referenceId. */
function collectDetails(
  value: unknown,
  secrets: readonly string[],
  out: ApiErrorDetail[],
  referenceId: string | undefined,
  depth: number,
): void {
  if (depth > MAX_NESTING || typeof value !== 'object' || value === null) return;
  if (Array.isArray(value)) {
    for (const entry of value) {
      if (typeof entry === 'string' && depth === 0) {
        // An upsert that matched several records answers 300 with the matching records' URLs.
        out.push({ errorCode: 'MULTIPLE_CHOICES', message: scrub(entry, secrets), fields: [] });
      } else {
        collectDetails(entry, secrets, out, referenceId, depth + 1);
      }
    }
    return;
  }
  const record = value as Record<string, unknown>;
  const detail = toDetail(record, secrets, referenceId);
  if (detail !== undefined) {
    out.push(detail);
    return;
  }
  const ref = typeof record.referenceId === 'string' ? record.referenceId : referenceId;
  for (const key of NESTED_ERROR_KEYS) {
    const nested = record[key];
    if (Array.isArray(nested)) collectDetails(nested, secrets, out, ref, depth + 1);
  }
}

/**
 * A plain-text body that is one code, as the identity service sends them (`Bad_OAuth_Token`,
 * `Missing_OAuth_Token`, `Wrong_Org`, `Bad_Id`).
 */
const PLAIN_CODE = /^[A-Za-z]+(?:_[A-Za-z]+)+$/;

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
  /**
   * True when the request carried a session (not a login or token call): a 401 then means the session,
   * whatever the body's shape, even an OAuth `{error}`.
   */
  readonly signed?: boolean | undefined;
}

function apiError(response: ErrorResponse, errors: readonly ApiErrorDetail[], message?: string): ApiError {
  const first = errors[0];
  const ErrorClass = apiErrorClassFor(response.status, first?.errorCode, first?.message);
  return new ErrorClass({
    status: response.status,
    errors,
    target: response.target,
    requestId: response.requestId,
    retryAfterMs: response.retryAfterMs,
    ...(message === undefined ? {} : { message }),
  });
}

/** The error a JSON body describes, or undefined when it names no error at all. */
function fromJson(json: unknown, response: ErrorResponse): SalesforceError | undefined {
  const { status, secrets } = response;
  const record =
    typeof json === 'object' && json !== null && !Array.isArray(json)
      ? (json as Record<string, unknown>)
      : undefined;
  if (typeof record?.error === 'string') {
    const description =
      typeof record.error_description === 'string' ? scrub(record.error_description, secrets) : undefined;
    if (status === 401 && response.signed) {
      // An OAuth-style refusal of the session a request carried (UserInfo, an OAuth-protected resource):
      // an expired session like any other 401, so it refreshes like one.
      return apiError(response, [
        { errorCode: record.error, message: description ?? record.error, fields: [] },
      ]);
    }
    return new OAuthError({ error: record.error, errorDescription: description, status });
  }
  const errors: ApiErrorDetail[] = [];
  collectDetails(json, secrets, errors, undefined, 0);
  if (errors.length > 0) return apiError(response, errors);
  // An Apex REST class's own error object: no code, but its message says more than the status does.
  if (typeof record?.message === 'string' && record.message !== '') {
    return apiError(response, [], scrub(record.message, secrets));
  }
  return undefined;
}

/**
 * Turns an error response into the right `SalesforceError`, by the body's shape: a REST error array;
 * one error object (Bulk 2.0, Bulk 1.0 JSON); a composite body nesting its errors (sObject Tree's
 * `{hasErrors, results}`, composite, batch); an OAuth `{error, error_description}`; a SOAP fault or a
 * Bulk 1.0 XML error; the identity service's plain-text code; or anything else (an HTML page from the
 * edge, an empty body), which still yields an `ApiError` with `HTTP_<status>`.
 */
export function errorFromResponse(response: ErrorResponse): SalesforceError {
  const { status, text, secrets } = response;
  const trimmed = text.trim();
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const error = json === undefined ? undefined : fromJson(json, response);
    if (error !== undefined) return error;
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
      return apiError(response, [{ errorCode: exceptionCode, message, fields: [] }]);
    }
  }
  if (PLAIN_CODE.test(trimmed) && trimmed.length <= 64) {
    return apiError(response, [{ errorCode: trimmed, message: trimmed, fields: [] }]);
  }
  const detail =
    trimmed === ''
      ? response.statusText || `HTTP ${status}`
      : scrub(describeText(text, response.contentType), secrets);
  return apiError(response, [], detail);
}
