/**
 * The one error tree of forcekit. Every failure a caller can see is a `SalesforceError` with a stable
 * `code`: Salesforce's own code when it sent one (`INVALID_SESSION_ID`, `invalid_grant`, `INVALID_LOGIN`),
 * otherwise one of ours (`TIMEOUT`, `ABORTED`, `NETWORK_ERROR`, `CLIENT_CLOSED`, `INVALID_OPTIONS`,
 * `HTTP_503`, ...).
 *
 * Nothing here ever holds a token, password, client secret, private key or refresh token: errors are built
 * from status, Salesforce's error list, the method and the path without its query string, and messages
 * coming from the server are scrubbed of the secrets the request carried before they get here.
 */

/** One entry of Salesforce's REST error list: `[{"message","errorCode","fields"}]`. */
export interface ApiErrorDetail {
  readonly errorCode: string;
  readonly message: string;
  readonly fields: readonly string[];
  /**
   * Which part of a composite request failed, when the body said: the record's `referenceId` in an
   * sObject Tree, the subrequest's in a composite request.
   */
  readonly referenceId?: string;
}

/** Where a request went, as errors report it: never the query string, which may carry secrets. */
export interface RequestTarget {
  readonly method: string;
  readonly path: string;
}

/** The root of every error forcekit throws. */
export class SalesforceError extends Error {
  /** A stable, machine-readable code (see the module comment). */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    // Non-enumerable like Error's own `name`, set per subclass so stacks and inspect show the real class.
    Object.defineProperty(this, 'name', { value: new.target.name, configurable: true, writable: true });
    this.code = code;
  }

  /** The serializable view of the error; `JSON.stringify(error)` uses it. */
  toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message, ...(this as unknown as Record<string, unknown>) };
  }
}

/** A connection option or a call argument is invalid. `issues` names every bad field. */
export class ConfigurationError extends SalesforceError {
  readonly issues: readonly { readonly field: string; readonly message: string }[];

  constructor(issues: readonly { field: string; message: string }[], subject = 'forcekit options') {
    super(
      'INVALID_OPTIONS',
      `Invalid ${subject}: ${issues.map((issue) => `${issue.field}: ${issue.message}`).join('; ')}`,
    );
    this.issues = issues;
  }
}

/** A token would have gone over plain http to a host that is not loopback; nothing was sent. */
export class InsecureUrlError extends SalesforceError {
  readonly url: string;

  constructor(url: string) {
    super(
      'INSECURE_URL',
      `Refusing to send credentials to ${url}: use https (plain http is allowed only for loopback hosts)`,
    );
    this.url = url;
  }
}

/** No session to authenticate the request with, or the session cannot be refreshed. */
export class SessionRequiredError extends SalesforceError {}

/** A failure of one request, saying which: its method and its path (never the query string). */
export class RequestError extends SalesforceError {
  readonly method: string;
  /** The request path without its query string. */
  readonly path: string;

  constructor(code: string, message: string, target: RequestTarget, options?: { cause?: unknown }) {
    super(code, message, options);
    this.method = target.method;
    this.path = target.path;
  }
}

/** A REST (or Bulk, or Apex REST) call answered with an error status. */
export class ApiError extends RequestError {
  readonly status: number;
  /** Salesforce's error list; the first entry's code is `code`. */
  readonly errors: readonly ApiErrorDetail[];
  /** The request id Salesforce's edge returned, when it sent one. */
  readonly requestId: string | undefined;
  /** The delay a `Retry-After` header asked for, in ms. */
  readonly retryAfterMs: number | undefined;

  constructor(init: {
    status: number;
    errors: readonly ApiErrorDetail[];
    target: RequestTarget;
    requestId?: string | undefined;
    retryAfterMs?: number | undefined;
    message?: string;
    cause?: unknown;
  }) {
    const first = init.errors[0];
    const code = first?.errorCode ?? `HTTP_${init.status}`;
    const text = init.message ?? first?.message ?? `HTTP ${init.status}`;
    super(code, `${code}: ${text} (${init.status} ${init.target.method} ${init.target.path})`, init.target, {
      cause: init.cause,
    });
    this.status = init.status;
    this.errors = init.errors;
    this.requestId = init.requestId;
    this.retryAfterMs = init.retryAfterMs;
  }

  /** Salesforce's first error code, or `HTTP_<status>` when the body carried none. */
  get errorCode(): string {
    return this.code;
  }
}

/** 400: the request itself is wrong (`MALFORMED_QUERY`, `INVALID_FIELD`, `REQUIRED_FIELD_MISSING`, ...). */
export class BadRequestError extends ApiError {}

/** 401 `INVALID_SESSION_ID`: the session expired or is not valid for this API. */
export class InvalidSessionError extends ApiError {}

/** 403 that is not a request limit (`INSUFFICIENT_ACCESS`, `API_DISABLED_FOR_ORG`, ...). */
export class ForbiddenError extends ApiError {}

/** 404 `NOT_FOUND` / `ENTITY_IS_DELETED`. */
export class NotFoundError extends ApiError {}

/** 403 `REQUEST_LIMIT_EXCEEDED`: see the two subclasses. */
export class RequestLimitError extends ApiError {}

/** The org's rolling 24-hour API quota is spent ("TotalRequests Limit exceeded."). Never retried. */
export class DailyLimitError extends RequestLimitError {}

/** Too many concurrent long-running requests ("ConcurrentRequests ... Limit exceeded."). Retried. */
export class ConcurrentLimitError extends RequestLimitError {}

/** 429 from Salesforce's edge. */
export class RateLimitError extends ApiError {}

/** `UNABLE_TO_LOCK_ROW`: another transaction holds the record. Retried for idempotent requests. */
export class RecordLockedError extends ApiError {}

/** 5xx: Salesforce or its edge failed (`UNKNOWN_EXCEPTION`, an HTML 503 page, ...). */
export class ServerError extends ApiError {}

/** Authentication failed: an OAuth error, a SOAP login fault, a state mismatch, an expired password. */
export class AuthError extends SalesforceError {}

/** The OAuth token, revoke or authorize endpoint answered `{"error","error_description"}`. */
export class OAuthError extends AuthError {
  /** The OAuth `error` (`invalid_grant`, `invalid_client_id`, ...), also `code`. */
  readonly error: string;
  readonly errorDescription: string | undefined;
  /** HTTP status, or undefined when the error arrived on the authorization callback. */
  readonly status: number | undefined;

  constructor(init: { error: string; errorDescription?: string | undefined; status?: number | undefined }) {
    super(
      init.error,
      init.errorDescription === undefined ? init.error : `${init.error}: ${init.errorDescription}`,
    );
    this.error = init.error;
    this.errorDescription = init.errorDescription;
    this.status = init.status;
  }
}

/** A SOAP call answered with a fault (`INVALID_LOGIN`, `INVALID_SESSION_ID`, ...). */
export class SoapFaultError extends AuthError {
  /** The fault code without its namespace prefix, also `code`. */
  readonly faultCode: string;
  readonly faultString: string;
  readonly status: number;

  constructor(init: { faultCode: string; faultString: string; status: number }) {
    super(init.faultCode, init.faultString);
    this.faultCode = init.faultCode;
    this.faultString = init.faultString;
    this.status = init.status;
  }
}

/**
 * The request ran out of time. `kind` says which limit it hit: `'idle'`, the `timeout` option (waiting
 * for the response headers, or between two chunks of the body); `'total'`, the `totalTimeout` option
 * (the whole call, every retry included).
 */
export class TimeoutError extends RequestError {
  /** The limit that was exceeded, in ms. */
  readonly timeout: number;
  readonly kind: 'idle' | 'total';

  constructor(
    target: RequestTarget,
    timeout: number,
    options?: { cause?: unknown; kind?: 'idle' | 'total' | undefined },
  ) {
    const kind = options?.kind ?? 'idle';
    super(
      'TIMEOUT',
      kind === 'total'
        ? `${target.method} ${target.path} did not complete within its total timeout of ${timeout} ms`
        : `${target.method} ${target.path} timed out after ${timeout} ms`,
      target,
      options,
    );
    this.timeout = timeout;
    this.kind = kind;
  }
}

/**
 * The request was made after `client.close()` (or through a dispatcher that was closed): nothing was
 * sent. Never retried.
 */
export class ClientClosedError extends RequestError {
  constructor(target: RequestTarget, detail = 'the client is closed', options?: { cause?: unknown }) {
    super('CLIENT_CLOSED', `${target.method} ${target.path} was not sent: ${detail}`, target, options);
  }
}

/** The caller's `AbortSignal` fired. The signal's reason is the `cause`. */
export class AbortError extends RequestError {
  constructor(target: RequestTarget, options?: { cause?: unknown }) {
    super('ABORTED', `${target.method} ${target.path} was aborted`, target, options);
  }
}

/** The connection failed. `connected` is false when the request can not have reached the server. */
export class NetworkError extends RequestError {
  /** The socket-level code, e.g. `ECONNRESET`, `ECONNREFUSED`, `UND_ERR_SOCKET`. */
  readonly networkCode: string;
  readonly connected: boolean;

  constructor(target: RequestTarget, networkCode: string, connected: boolean, options?: { cause?: unknown }) {
    super('NETWORK_ERROR', `${target.method} ${target.path} failed: ${networkCode}`, target, options);
    this.networkCode = networkCode;
    this.connected = connected;
  }
}

/** A success response whose body could not be read as promised (bad JSON, bad gzip, missing fields). */
export class ResponseError extends RequestError {
  readonly status: number;

  constructor(target: RequestTarget, status: number, detail: string, options?: { cause?: unknown }) {
    super('INVALID_RESPONSE', `${target.method} ${target.path} (${status}): ${detail}`, target, options);
    this.status = status;
  }
}
