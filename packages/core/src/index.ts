// The whole public surface of @forcekit/core. Nothing under src/internal/ is exported.

export { apiPath, encodePathSegment, type PathValue } from './api-path.js';
export type { Identity, UserInfo } from './auth/identity.js';
export type {
  AuthorizationCodeLogin,
  AuthorizationRequest,
  AuthorizeUrlParams,
  JwtLogin,
  PasswordCredentials,
  PendingAuthorization,
} from './auth/oauth.js';
export { createClient, type SalesforceClient } from './client.js';
export {
  AbortError,
  ApiError,
  type ApiErrorDetail,
  AuthError,
  BadRequestError,
  ClientClosedError,
  ConcurrentLimitError,
  ConfigurationError,
  DailyLimitError,
  ForbiddenError,
  InsecureUrlError,
  InvalidSessionError,
  NetworkError,
  NotFoundError,
  OAuthError,
  RateLimitError,
  RecordLockedError,
  RequestLimitError,
  type RequestTarget,
  ResponseError,
  SalesforceError,
  ServerError,
  SessionRequiredError,
  SoapFaultError,
  TimeoutError,
} from './errors.js';
export { checkApiName, describeValue } from './input-checks.js';
export { lazy } from './lazy.js';
export { type LimitInfo, parseLimitInfo } from './limit-info.js';
export type { Logger, LogLevel } from './logger.js';
export { type ClientOptions, DEFAULT_API_VERSION, LOGIN_URLS } from './options.js';
export { parseOptions } from './parse-options.js';
export type {
  HttpMethod,
  QueryParams,
  RawResponse,
  RequestBody,
  Requester,
  RequestOptions,
  ResponseType,
} from './requester.js';
export {
  backoffMs,
  isConcurrentLimit,
  parseRetryAfter,
  type RetryFailure,
  type RetryInput,
  shouldRetry,
} from './retry.js';
export type { ClientEvents, RefreshEvent, Session, SessionGrant } from './session.js';
