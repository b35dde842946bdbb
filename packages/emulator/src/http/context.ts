import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, gzip } from 'node:zlib';

/** The caller behind a valid session, as handlers need it (CreatedById, OwnerId, `USING SCOPE mine`). */
export interface AuthInfo {
  readonly userId: string;
  readonly organizationId: string;
  readonly username: string;
  readonly accessToken: string;
}

/** One entry of Salesforce's REST error array (`[{ message, errorCode, fields? }]`). */
export interface RestErrorItem {
  readonly message: string;
  readonly errorCode: string;
  readonly fields?: readonly string[];
}

/**
 * Thrown by handlers (and by body parsing) to answer with an error. The pipeline turns it into a
 * response; `body` is sent as JSON unless it is a string or Buffer.
 */
export class HttpError extends Error {
  readonly status: number;
  readonly body: unknown;
  readonly headers: OutgoingHttpHeaders;

  constructor(status: number, body: unknown, headers: OutgoingHttpHeaders = {}) {
    super(typeof body === 'string' ? body : `HTTP ${status}`);
    this.name = 'HttpError';
    this.status = status;
    this.body = body;
    this.headers = headers;
  }

  /** The usual REST error: an array with one `{ message, errorCode, fields? }`. */
  static rest(status: number, errorCode: string, message: string, fields?: readonly string[]): HttpError {
    const item: RestErrorItem =
      fields === undefined ? { message, errorCode } : { message, errorCode, fields };
    return new HttpError(status, [item]);
  }
}

const MAX_BODY_BYTES = 200 * 1024 * 1024;
const GZIP_MIN_BYTES = 1024;

/**
 * One request as the emulator's handlers see it: the parsed URL, route params, lazy body readers and
 * response helpers that add the pipeline's headers (`Sforce-Limit-Info`, cookies) to every answer.
 */
export class RequestContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** Upper-case method, after the `?_HttpMethod=PATCH` override Salesforce accepts on POST. */
  readonly method: string;
  readonly url: URL;
  /** Route params, percent-decoded. Set by the router. */
  params: Readonly<Record<string, string>> = {};
  /** Headers the pipeline adds to every response (for example `Sforce-Limit-Info`). */
  readonly responseHeaders: Record<string, string | string[]> = {};
  /** Who is calling: set by the authentication step; undefined on unauthenticated routes. */
  auth: AuthInfo | undefined = undefined;
  #body: Promise<Buffer> | undefined;

  constructor(req: IncomingMessage, res: ServerResponse, baseUrl: string) {
    this.req = req;
    this.res = res;
    this.url = new URL(req.url ?? '/', baseUrl);
    const override = req.method === 'POST' ? this.url.searchParams.get('_HttpMethod') : null;
    this.method = (override ?? req.method ?? 'GET').toUpperCase();
  }

  get path(): string {
    return this.url.pathname;
  }

  get query(): URLSearchParams {
    return this.url.searchParams;
  }

  /** A request header, lower-cased name; the first value when repeated. */
  header(name: string): string | undefined {
    const value = this.req.headers[name.toLowerCase()];
    return Array.isArray(value) ? value[0] : value;
  }

  /** The raw request body, gunzipped when sent with `Content-Encoding: gzip`. Read once, cached. */
  body(): Promise<Buffer> {
    this.#body ??= this.#readBody();
    return this.#body;
  }

  /** The request body as a stream, for large uploads (bulk CSV). Do not mix with `body()`. */
  bodyStream(): Readable {
    const encoding = this.header('content-encoding');
    return encoding?.toLowerCase() === 'gzip' ? this.req.pipe(createGunzip()) : this.req;
  }

  async text(): Promise<string> {
    return (await this.body()).toString('utf8');
  }

  /** The body parsed as JSON; a body that is not JSON answers 400 `JSON_PARSER_ERROR` as Salesforce does. */
  async json(): Promise<unknown> {
    const text = await this.text();
    try {
      return JSON.parse(text);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      throw HttpError.rest(400, 'JSON_PARSER_ERROR', `Unexpected character in JSON body: ${detail}`);
    }
  }

  /** An `application/x-www-form-urlencoded` body. */
  async form(): Promise<URLSearchParams> {
    return new URLSearchParams(await this.text());
  }

  /** Sends a JSON body (gzipped when the client accepts it and it is worth it). */
  async sendJson(status: number, body: unknown, headers: OutgoingHttpHeaders = {}): Promise<void> {
    const pretty = this.header('x-prettyprint') === '1';
    const text = pretty ? JSON.stringify(body, null, 2) : JSON.stringify(body);
    await this.send(status, text, 'application/json;charset=UTF-8', headers);
  }

  /** Sends Salesforce's REST error array. */
  sendErrors(
    status: number,
    errors: readonly RestErrorItem[],
    headers: OutgoingHttpHeaders = {},
  ): Promise<void> {
    return this.sendJson(status, errors, headers);
  }

  /** Sends a status with no body (204, 304, 201 for bulk uploads...). */
  noContent(status = 204, headers: OutgoingHttpHeaders = {}): void {
    this.res.writeHead(status, { ...this.responseHeaders, ...headers });
    this.res.end();
  }

  /** Sends a text or binary body with its content type; gzips text bodies when the client accepts gzip. */
  async send(
    status: number,
    body: string | Buffer,
    contentType: string,
    headers: OutgoingHttpHeaders = {},
  ): Promise<void> {
    let payload = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    const all: OutgoingHttpHeaders = { ...this.responseHeaders, 'Content-Type': contentType, ...headers };
    if (payload.length >= GZIP_MIN_BYTES && this.#acceptsGzip()) {
      payload = await gzipAsync(payload);
      all['Content-Encoding'] = 'gzip';
      all.Vary = 'Accept-Encoding';
    }
    all['Content-Length'] = payload.length;
    this.res.writeHead(status, all);
    this.res.end(this.method === 'HEAD' ? undefined : payload);
  }

  /** Streams a body (blob downloads, bulk results) without buffering it. */
  async sendStream(
    status: number,
    body: Readable | AsyncIterable<string | Buffer>,
    contentType: string,
    headers: OutgoingHttpHeaders = {},
  ): Promise<void> {
    this.res.writeHead(status, { ...this.responseHeaders, 'Content-Type': contentType, ...headers });
    if (this.method === 'HEAD') {
      this.res.end();
      return;
    }
    await pipeline(body instanceof Readable ? body : Readable.from(body), this.res);
  }

  #acceptsGzip(): boolean {
    return /\bgzip\b/i.test(this.header('accept-encoding') ?? '');
  }

  async #readBody(): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of this.bodyStream()) {
      const buffer = chunk as Buffer;
      size += buffer.length;
      if (size > MAX_BODY_BYTES) throw new HttpError(413, 'Request Entity Too Large');
      chunks.push(buffer);
    }
    return Buffer.concat(chunks);
  }
}

function gzipAsync(input: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    gzip(input, (error, output) => (error ? reject(error) : resolve(output)));
  });
}
