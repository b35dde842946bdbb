/**
 * A scripted HTTP server on 127.0.0.1 (port 0) for the few core tests the emulator cannot or should not
 * serve. Every other integration test runs against `@forcekit/emulator` (see `emulator.ts`), which
 * implements Salesforce; this server implements nothing: each route answers exactly what a test scripts.
 *
 * What it is still used for, and why not the emulator:
 * - `fixtures-conformance.test.ts`: responses recorded from real orgs (`../shared/fixtures`), served
 *   byte for byte. The point is to check the client against Salesforce's own bytes, not against the
 *   emulator's rendering of them.
 * - `stand-in.test.ts`, answers no Salesforce application server gives, which the emulator (a faithful
 *   org) has no business producing:
 *   - HTML error pages from the edge (a 503 "Service Unavailable" or maintenance page in front of the
 *     token endpoint or the REST API);
 *   - a 2xx answer whose body is not the JSON its content type claims;
 *   - a response whose headers arrive and whose body then stalls forever, or trickles in slowly (timing
 *     edge cases: the emulator's faults delay a whole answer or cut the connection, never hold a body
 *     open).
 * - `secrets.test.ts`, one failure: a malformed token-endpoint answer that quotes the access token,
 *   so V8's JSON parse error would leak it if the client kept that error.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordedRequest {
  readonly method: string;
  /** Path and query as received. */
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

export interface FakeResponse {
  readonly status?: number;
  readonly headers?: Record<string, string>;
  /** An object or array is sent as JSON; a string as is. */
  readonly body?: unknown;
  /** Send the headers and the body so far, then never finish it. */
  readonly stallBody?: boolean;
  /** Send the body in this many pieces, one every `everyMs` (a slow body that never goes quiet for long). */
  readonly trickle?: { readonly pieces: number; readonly everyMs: number };
}

export type RouteHandler = () => FakeResponse;

export const API_VERSION = '62.0';
export const CLIENT_ID = '3MVG9fake.client.id';
export const CLIENT_SECRET = 'fake-client-secret-5511';

const INVALID_SESSION = [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }];

export class FakeSalesforce {
  readonly requests: RecordedRequest[] = [];

  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  readonly #tokens = new Set<string>();
  readonly #routes = new Map<string, { handler: RouteHandler; calls: number; authenticated: boolean }>();
  #url = '';

  private constructor() {
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((error: unknown) => {
        res.statusCode = 500;
        res.end(String(error));
      });
    });
    this.#server.on('connection', (socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
  }

  static async start(): Promise<FakeSalesforce> {
    const fake = new FakeSalesforce();
    await new Promise<void>((resolve) => fake.#server.listen(0, '127.0.0.1', resolve));
    fake.#url = `http://127.0.0.1:${(fake.#server.address() as AddressInfo).port}`;
    return fake;
  }

  get url(): string {
    return this.#url;
  }

  /** A bearer token the `rest()` routes accept. */
  issueToken(): string {
    const accessToken = `00Dxx0000001gER!${randomBytes(36).toString('base64url')}`;
    this.#tokens.add(accessToken);
    return accessToken;
  }

  /** Scripts a route that needs a token from `issueToken()`; relative to `/services/data/v62.0/` or absolute. */
  rest(method: string, path: string, handler: RouteHandler): void {
    this.#routes.set(`${method} ${this.#absolute(path)}`, { handler, calls: 0, authenticated: true });
  }

  /** Scripts a route that needs no token (the token endpoint, SOAP, an identity URL). */
  route(method: string, path: string, handler: RouteHandler): void {
    this.#routes.set(`${method} ${this.#absolute(path)}`, { handler, calls: 0, authenticated: false });
  }

  callsTo(method: string, path: string): number {
    return this.#routes.get(`${method} ${this.#absolute(path)}`)?.calls ?? 0;
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #absolute(path: string): string {
    return path.startsWith('/') ? path : `/services/data/v${API_VERSION}/${path}`;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', this.#url);
    this.requests.push({
      method,
      url: req.url ?? '/',
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    });
    const route = this.#routes.get(`${method} ${url.pathname}`);
    if (route === undefined) {
      return send(res, {
        status: 404,
        body: [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }],
      });
    }
    if (route.authenticated) {
      const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
      if (!this.#tokens.has(token)) return send(res, { status: 401, body: INVALID_SESSION });
    }
    route.calls++;
    return send(res, route.handler());
  }
}

function send(res: ServerResponse, response: FakeResponse): void {
  const headers: Record<string, string> = { ...response.headers };
  let payload: Buffer;
  if (response.body === undefined) payload = Buffer.alloc(0);
  else if (typeof response.body === 'string') payload = Buffer.from(response.body);
  else {
    payload = Buffer.from(JSON.stringify(response.body));
    headers['content-type'] ??= 'application/json;charset=UTF-8';
  }
  if (response.stallBody) {
    res.writeHead(response.status ?? 200, { ...headers, 'content-length': String(payload.length + 100) });
    res.write(payload);
    return;
  }
  headers['content-length'] = String(payload.length);
  res.writeHead(response.status ?? 200, headers);
  if (response.trickle !== undefined) {
    const size = Math.ceil(payload.length / response.trickle.pieces);
    let offset = 0;
    const timer = setInterval(() => {
      res.write(payload.subarray(offset, offset + size));
      offset += size;
      if (offset >= payload.length) {
        clearInterval(timer);
        res.end();
      }
    }, response.trickle.everyMs);
    res.on('close', () => clearInterval(timer));
    return;
  }
  res.end(payload);
}
