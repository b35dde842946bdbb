import type { Readable } from 'node:stream';
import {
  ConfigurationError,
  type HttpMethod,
  type QueryParams,
  type RequestBody,
  type Requester,
  ResponseError,
} from '@forcekit/core';
import { type CallOptions, withCallOptions } from './call-options.js';

/** Options of one Apex REST call. */
export interface ApexOptions extends CallOptions {
  /** Query-string parameters (`RestContext.request.params`); arrays repeat the key. */
  readonly urlParams?: QueryParams | undefined;
  /**
   * How the response body comes back. `'auto'` (default): parsed JSON when the response says it is
   * JSON, text otherwise, `undefined` when empty. `'json'`, `'text'`, `'binary'` (a `Uint8Array`) force
   * one reading.
   */
  readonly responseType?: 'auto' | 'json' | 'text' | 'binary' | undefined;
  /**
   * Whether repeating the call cannot duplicate data, which lets a POST be retried after a failure that
   * may have reached the server. Default: true for GET, PUT, PATCH, DELETE; false for POST.
   */
  readonly idempotent?: boolean | undefined;
}

/**
 * Calls the org's Apex REST classes (`@RestResource(urlMapping='/accounts/*')`) at
 * `/services/apexrest/…`, signed like every other request. A body object or array is sent as JSON, a
 * string as text (set `content-type` in `headers` to change it), bytes as octet-stream.
 */
export interface ApexRest {
  get<T = unknown>(path: string, options?: ApexOptions): Promise<T>;
  delete<T = unknown>(path: string, options?: ApexOptions): Promise<T>;
  post<T = unknown>(path: string, body?: RequestBody, options?: ApexOptions): Promise<T>;
  put<T = unknown>(path: string, body?: RequestBody, options?: ApexOptions): Promise<T>;
  patch<T = unknown>(path: string, body?: RequestBody, options?: ApexOptions): Promise<T>;
  /** Any method, for the rare `HEAD` or a method chosen at run time. */
  request<T = unknown>(
    method: HttpMethod,
    path: string,
    body?: RequestBody,
    options?: ApexOptions,
  ): Promise<T>;
}

const APEX_ROOT = '/services/apexrest/';

/**
 * The request path for an Apex REST path: `accounts/001…`, `/accounts/001…` and
 * `/services/apexrest/accounts/001…` all name the same resource. Escape values you interpolate with
 * `apiPath`. A `..` segment could climb out of `/services/apexrest`, so it is refused.
 */
export function apexPath(path: string): string {
  if (typeof path !== 'string' || path.trim() === '') {
    throw new ConfigurationError(
      [{ field: 'path', message: 'must be a non-empty string' }],
      'Apex REST call',
    );
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(path)) {
    throw new ConfigurationError(
      [{ field: 'path', message: 'must be a path under /services/apexrest, not a URL' }],
      'Apex REST call',
    );
  }
  const relative = path.replace(/^\/?(services\/apexrest\/?)?/i, '');
  const pathname = relative.split(/[?#]/, 1)[0] ?? '';
  if (pathname.split('/').some((segment) => segment === '..' || segment === '.')) {
    throw new ConfigurationError(
      [{ field: 'path', message: 'must not contain "." or ".." segments' }],
      'Apex REST call',
    );
  }
  return APEX_ROOT + relative;
}

async function readAll(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body)
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

function headerValue(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

async function call(
  requester: Requester,
  method: HttpMethod,
  path: string,
  body: RequestBody | undefined,
  options: ApexOptions = {},
): Promise<unknown> {
  const request = withCallOptions(
    {
      method,
      path: apexPath(path),
      ...(options.urlParams === undefined ? {} : { query: options.urlParams }),
      ...(body === undefined ? {} : { body }),
      ...(options.idempotent === undefined ? {} : { idempotent: options.idempotent }),
    },
    options,
  );
  const responseType = options.responseType ?? 'auto';
  if (responseType === 'json') return requester.request(request);
  if (responseType === 'text') return requester.request({ ...request, responseType: 'text' });
  if (responseType === 'binary') return requester.request({ ...request, responseType: 'binary' });
  // Apex answers with whatever the class returns: JSON for a serialized value, anything for a blob body.
  const response = await requester.raw(request);
  const bytes = await readAll(response.body);
  if (bytes.length === 0) return undefined;
  const text = bytes.toString('utf8');
  if (!/[/+]json\b/i.test(headerValue(response.headers['content-type']))) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new ResponseError(
      { method, path: request.path },
      response.status,
      'the Apex REST response says it is JSON but is not',
      { cause },
    );
  }
}

/** The Apex REST client over a requester (a client, or a `client.as(session)` view). */
export function apexRest(requester: Requester): ApexRest {
  return {
    get: (path, options) => call(requester, 'GET', path, undefined, options) as Promise<never>,
    delete: (path, options) => call(requester, 'DELETE', path, undefined, options) as Promise<never>,
    post: (path, body, options) => call(requester, 'POST', path, body, options) as Promise<never>,
    put: (path, body, options) => call(requester, 'PUT', path, body, options) as Promise<never>,
    patch: (path, body, options) => call(requester, 'PATCH', path, body, options) as Promise<never>,
    request: (method, path, body, options) => call(requester, method, path, body, options) as Promise<never>,
  };
}
