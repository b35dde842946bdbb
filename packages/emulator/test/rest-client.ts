import { type Emulator, startEmulator } from '../src/index.js';

/** A tiny REST client over real HTTP for the data-route tests: status, headers and parsed JSON. */
export interface RestResponse<T = unknown> {
  readonly status: number;
  readonly headers: Headers;
  /** Parsed JSON, or undefined for an empty body. */
  readonly body: T;
  readonly text: string;
}

export interface RestClient {
  readonly emulator: Emulator;
  readonly version: string;
  /** `/services/data/v62.0` + path. */
  readonly base: string;
  call<T = unknown>(
    method: string,
    path: string,
    options?: { body?: unknown; headers?: Record<string, string>; raw?: string | Uint8Array },
  ): Promise<RestResponse<T>>;
  get<T = unknown>(path: string, headers?: Record<string, string>): Promise<RestResponse<T>>;
  post<T = unknown>(path: string, body: unknown): Promise<RestResponse<T>>;
  patch<T = unknown>(path: string, body: unknown): Promise<RestResponse<T>>;
  del<T = unknown>(path: string): Promise<RestResponse<T>>;
}

/** Starts an emulator and returns a client authenticated as its admin. Paths starting with `/services` are used as is. */
export async function startRestClient(
  options: Parameters<typeof startEmulator>[0] = {},
): Promise<RestClient> {
  const emulator = await startEmulator(options);
  const version = emulator.credentials.apiVersion;
  const base = `/services/data/v${version}`;
  const call = async <T>(
    method: string,
    path: string,
    opts: { body?: unknown; headers?: Record<string, string>; raw?: string | Uint8Array } = {},
  ): Promise<RestResponse<T>> => {
    const url = `${emulator.url}${path.startsWith('/services') ? path : base + path}`;
    const headers: Record<string, string> = {
      Authorization: `Bearer ${emulator.credentials.accessToken}`,
      ...opts.headers,
    };
    let body: string | Uint8Array | undefined = opts.raw;
    if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['Content-Type'] ??= 'application/json';
    }
    const res = await fetch(url, { method, headers, ...(body === undefined ? {} : { body }) });
    const text = await res.text();
    let parsed: unknown;
    if (text !== '' && /json/i.test(res.headers.get('content-type') ?? '')) parsed = JSON.parse(text);
    return { status: res.status, headers: res.headers, body: parsed as T, text };
  };
  return {
    emulator,
    version,
    base,
    call,
    get: (path, headers) => call('GET', path, headers === undefined ? {} : { headers }),
    post: (path, body) => call('POST', path, { body }),
    patch: (path, body) => call('PATCH', path, { body }),
    del: (path) => call('DELETE', path),
  };
}
