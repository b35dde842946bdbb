import type { Dml } from '../data/dml.js';
import type { DmlError } from '../data/errors.js';
import { DmlException } from '../data/errors.js';
import { HttpError, type RestErrorItem } from '../http/context.js';
import type { Org } from '../org.js';

/**
 * The data routes are written against this small request/response pair rather than the HTTP context,
 * so `composite` and `composite/batch` can run them as subrequests, inside a shared transaction when
 * the composite request is all-or-none. Handlers are synchronous: bodies are read before they run,
 * and no other request can interleave with a transaction.
 */
export interface DataRequest {
  readonly org: Org;
  readonly method: string;
  /** The URL path, e.g. `/services/data/v62.0/sobjects/Account/001...`. */
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** A request header, lower-case name. */
  header(name: string): string | undefined;
  /** The JSON body (undefined when there is none). */
  readonly body: unknown;
  /** Binary parts of a multipart upload, by part name. */
  readonly files: ReadonlyMap<string, UploadedFile>;
  /** `62.0`. */
  readonly version: string;
  readonly userId: string;
  /** Set when the request runs inside a transaction opened by a composite request. */
  readonly dml: Dml | undefined;
}

export interface UploadedFile {
  readonly bytes: Buffer;
  readonly filename: string | undefined;
  readonly contentType: string | undefined;
}

export interface DataResponse {
  readonly status: number;
  /** JSON body; undefined for no body (204, 304). */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** A binary body (blob downloads) instead of JSON. */
  readonly raw?: { readonly bytes: Buffer; readonly contentType: string };
}

export type DataHandler = (req: DataRequest) => DataResponse;

export function json(status: number, body: unknown, headers?: Record<string, string>): DataResponse {
  return headers === undefined ? { status, body } : { status, body, headers };
}

export function noContent(status = 204, headers?: Record<string, string>): DataResponse {
  return headers === undefined ? { status } : { status, headers };
}

/** REST error items (`errorCode`) from DML errors (`statusCode`). */
export function restErrors(errors: readonly DmlError[]): RestErrorItem[] {
  return errors.map((e) =>
    e.restFields === false
      ? { message: e.message, errorCode: e.statusCode }
      : { message: e.message, errorCode: e.statusCode, fields: e.fields },
  );
}

/** Runs DML in the request's transaction (composite all-or-none) or a transaction of its own. */
export function withDml<T>(req: DataRequest, work: (dml: Dml) => T): T {
  if (req.dml !== undefined) return req.dml.savepoint(() => work(req.dml as Dml));
  return req.org.data.transaction(work, { userId: req.userId });
}

/** Turns what a handler threw into the response Salesforce would send. */
export function errorResponse(error: unknown): DataResponse | undefined {
  if (error instanceof HttpError) {
    return { status: error.status, body: error.body, headers: stringHeaders(error.headers) };
  }
  if (error instanceof DmlException) return json(error.status, restErrors(error.errors));
  return undefined;
}

function stringHeaders(headers: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k] = String(v);
  return out;
}

export function badRequest(errorCode: string, message: string, fields?: readonly string[]): HttpError {
  return HttpError.rest(400, errorCode, message, fields);
}

export function notFoundError(message = 'The requested resource does not exist'): HttpError {
  return HttpError.rest(404, 'NOT_FOUND', message);
}
