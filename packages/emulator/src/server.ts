import { generateKeyPair } from 'node:crypto';
import {
  createServer,
  type IncomingMessage,
  type OutgoingHttpHeader,
  type OutgoingHttpHeaders,
  type Server,
  ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ConnectedAppOptions } from './auth/connected-apps.js';
import { sessionTokenOf } from './auth/headers.js';
import { registerAuthRoutes } from './auth/routes.js';
import { registerBulkRoutes } from './bulk/index.js';
import { HttpError, RequestContext } from './http/context.js';
import { type Route, Router } from './http/router.js';
import { Org, type OrgOptions } from './org.js';
import type { Clock } from './platform/clock.js';
import { registerControlRoutes } from './platform/control-routes.js';
import { INVALID_SESSION_BODY, unknownException } from './platform/errors.js';
import type { FaultOutcome } from './platform/faults.js';
import { CONCURRENT_REQUESTS_MESSAGE, TOTAL_REQUESTS_MESSAGE } from './platform/limits.js';
import { registerPlatformRoutes } from './platform/routes.js';
import { isServedVersion } from './platform/versions.js';
import { registerDataRoutes } from './rest/index.js';
import { registerStreamingRoutes } from './streaming/index.js';

export interface EmulatorOptions extends Omit<OrgOptions, 'connectedApp'> {
  /** TCP port. Default 0: a free port the OS picks. */
  readonly port?: number;
  /** Interface to listen on. Default `127.0.0.1`. */
  readonly host?: string;
  /** The default connected app. Its JWT certificate is the generated key pair's public half. */
  readonly connectedApp?: Omit<ConnectedAppOptions, 'jwtPublicKey'>;
  /**
   * A PEM key pair for the JWT bearer flow. Default: an RSA-2048 pair generated once per process and
   * shared by its emulators (each org's connected app has its own client id, so an assertion for one
   * org is never accepted by another); generating a pair costs a few hundred ms of CPU.
   */
  readonly jwtKeyPair?: { readonly privateKey: string; readonly publicKey: string };
  /**
   * Registers extra routes after the built-in ones: endpoints of your own, or Salesforce resources the
   * emulator does not serve. They run through the same pipeline (faults, authentication, limits).
   */
  readonly routes?: (router: Router, org: Org) => void;
  /**
   * Called with an unexpected error thrown by a handler (the client gets a 500 `UNKNOWN_EXCEPTION`).
   * Default: printed to stderr.
   */
  readonly onUnexpectedError?: (error: unknown, request: { method: string; path: string }) => void;
}

/** Everything a test needs to talk to the org as its default user. */
export interface EmulatorCredentials {
  /** Where logins go (OAuth, SOAP); the same server as `instanceUrl`. */
  readonly loginUrl: string;
  /** Where API calls go. */
  readonly instanceUrl: string;
  readonly apiVersion: string;
  readonly organizationId: string;
  readonly userId: string;
  readonly username: string;
  readonly password: string;
  /** Appended to the password for the username-password flow and SOAP login. */
  readonly securityToken: string;
  /** The default connected app's consumer key. */
  readonly clientId: string;
  /** The default connected app's consumer secret. */
  readonly clientSecret: string;
  /** The connected app's first callback URL, for the web-server flow. */
  readonly redirectUri: string;
  /** PKCS#8 PEM private key whose public half is registered with the connected app (JWT bearer). */
  readonly jwtPrivateKey: string;
  /** SPKI PEM public key registered with the connected app. */
  readonly jwtPublicKey: string;
  /** A live session for the admin user, ready for `Authorization: Bearer`. */
  readonly accessToken: string;
}

export interface Emulator {
  /** `http://127.0.0.1:<port>`: the instance URL. */
  readonly url: string;
  /** The login URL: the same server (a My Domain serves logins and API calls alike). */
  readonly loginUrl: string;
  readonly credentials: EmulatorCredentials;
  /** The control API: users, sessions, faults, limits, data. */
  readonly org: Org;
  /** Closes the server and every open connection. */
  stop(): Promise<void>;
}

/** Starts an emulated org on 127.0.0.1 (port 0 by default) and resolves once it listens. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const keys = options.jwtKeyPair ?? (await processKeyPair());
  const org = new Org({
    ...options,
    connectedApp: { ...options.connectedApp, jwtPublicKey: keys.publicKey },
  });

  const api = new Router();
  registerAuthRoutes(api, org);
  registerPlatformRoutes(api, org);
  registerDataRoutes(api, org);
  registerBulkRoutes(api, org);
  options.routes?.(api, org);

  let credentials: EmulatorCredentials | undefined;
  const control = new Router();
  registerControlRoutes(control, org, { credentials: () => credentials ?? {} });
  registerStreamingRoutes(api, org, control);

  const onUnexpectedError = options.onUnexpectedError ?? printUnexpectedError;
  const sockets = new Set<Socket>();
  // Aborted by stop(): a request held by a latency fault must not keep the process alive afterwards.
  const stopped = new AbortController();
  // Node's own 16 KB header cap would answer before the pipeline; Salesforce's limits are checked there.
  const server = createServer(
    {
      keepAliveTimeout: 5_000,
      maxHeaderSize: 4 * MAX_REQUEST_HEAD_BYTES,
      ServerResponse: responseOnOrgTime(org.clock),
    },
    (req, res) => {
      void handleRequest(req, res, { org, api, control, onUnexpectedError, stopped: stopped.signal });
    },
  );
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  org.serveAt(url);

  credentials = {
    loginUrl: url,
    instanceUrl: url,
    apiVersion: org.apiVersion,
    organizationId: org.organizationId,
    userId: org.admin.id,
    username: org.adminCredentials.username,
    password: org.adminCredentials.password,
    securityToken: org.adminCredentials.securityToken,
    clientId: org.connectedApp.clientId,
    clientSecret: org.connectedApp.clientSecret,
    redirectUri: org.connectedApp.redirectUris[0] ?? '',
    jwtPrivateKey: keys.privateKey,
    jwtPublicKey: keys.publicKey,
    accessToken: org.createSession(),
  };

  let stopping: Promise<void> | undefined;
  return {
    url,
    loginUrl: url,
    credentials,
    org,
    stop() {
      stopping ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        for (const socket of sockets) socket.destroy();
        stopped.abort();
      });
      return stopping;
    },
  };
}

interface Pipeline {
  readonly org: Org;
  readonly api: Router;
  readonly control: Router;
  readonly onUnexpectedError: NonNullable<EmulatorOptions['onUnexpectedError']>;
  /** Aborted when the emulator stops. */
  readonly stopped: AbortSignal;
}

const CONTROL_PREFIX = '/__emulator';

/** Salesforce caps the URI plus headers at 16,384 bytes: 414 when the URI alone is over, else 431. */
const MAX_REQUEST_HEAD_BYTES = 16_384;

/**
 * One request through the pipeline: control routes (never faulted, never counted) -> faults -> route
 * match (404 / 405) -> authentication per route -> request limits and `Sforce-Limit-Info` -> injected
 * latency -> handler. A thrown `HttpError` becomes its response; anything else a 500 `UNKNOWN_EXCEPTION`.
 */
async function handleRequest(req: IncomingMessage, res: ServerResponse, pipeline: Pipeline): Promise<void> {
  const { org } = pipeline;
  const ctx = new RequestContext(req, res, org.url);
  let release: (() => void) | undefined;
  try {
    if (ctx.path === CONTROL_PREFIX || ctx.path.startsWith(`${CONTROL_PREFIX}/`)) {
      await dispatchControl(ctx, pipeline.control);
      return;
    }
    logWhenDone(ctx, org);

    checkRequestHeadSize(req);
    const faults = org.faults.evaluate(ctx.method, ctx.path);
    if (faults.outcome?.kind === 'drop' && faults.outcome.when === 'before-response') {
      await hold(faults.latencyMs, pipeline.stopped);
      req.socket.destroy();
      return;
    }
    if (faults.outcome?.kind === 'error') {
      if (!(await hold(faults.latencyMs, pipeline.stopped))) return;
      // An API answer carries the usage header, errors included; the injected one does not count.
      if (isApiPath(ctx.path)) ctx.responseHeaders['Sforce-Limit-Info'] = org.limits.header();
      await sendInjectedError(ctx, faults.outcome);
      return;
    }
    if (faults.outcome?.kind === 'drop') armMidResponseDrop(res);
    if (faults.expireSessions) org.expireSessions();

    const versionMatch = /^\/services\/data\/v([^/]+)/i.exec(ctx.path);
    if (versionMatch && !isServedVersion(versionMatch[1] as string, org.apiVersion)) {
      throw HttpError.rest(404, 'NOT_FOUND', 'The requested resource does not exist');
    }

    const match = pipeline.api.match(ctx.method, ctx.path);
    if (match.kind === 'not-found') {
      if (isApiPath(ctx.path)) release = authenticateApiCall(ctx, org);
      throw HttpError.rest(404, 'NOT_FOUND', 'The requested resource does not exist');
    }
    if (match.kind === 'method-not-allowed') {
      if (isApiPath(ctx.path)) release = authenticateApiCall(ctx, org);
      // Salesforce lists HEAD and GET first: "Allowed are HEAD,GET,PATCH,DELETE".
      const allowed = [...match.allowed].sort((a, b) => methodRank(a) - methodRank(b));
      throw new HttpError(
        405,
        [
          {
            message: `HTTP Method '${ctx.method}' not allowed. Allowed are ${allowed.join(',')}`,
            errorCode: 'METHOD_NOT_ALLOWED',
          },
        ],
        { Allow: allowed.join(', ') },
      );
    }
    ctx.params = match.params;

    if (authenticate(ctx, org, match.route)) release = admit(ctx, org);
    if (!(await hold(faults.latencyMs, pipeline.stopped))) return;
    await match.route.handler(ctx);
    if (!res.headersSent && !res.writableEnded) {
      throw new Error(`handler for ${match.route.pattern} finished without answering`);
    }
  } catch (error) {
    await answerError(ctx, error, pipeline);
  } finally {
    // The handler has answered (streamed bodies are awaited), so the request no longer runs.
    release?.();
  }
}

/**
 * Holds a request for an injected latency; false when the emulator stopped meanwhile (the request is
 * then dropped, its handler never runs, and no timer outlives the server).
 */
async function hold(ms: number, stopped: AbortSignal): Promise<boolean> {
  if (ms > 0 && !stopped.aborted) {
    await sleep(ms, undefined, { signal: stopped }).catch(() => undefined);
  }
  return !stopped.aborted;
}

/** Adds the request to `org.requests` once its response is finished or its connection dropped. */
function logWhenDone(ctx: RequestContext, org: Org): void {
  const at = org.clock.now();
  ctx.res.once('close', () => {
    org.requests.record({
      method: ctx.method,
      path: ctx.path,
      query: loggedQuery(ctx.url),
      status: ctx.res.headersSent ? ctx.res.statusCode : null,
      userId: ctx.auth?.userId,
      at,
    });
  });
}

/** Query parameters that carry secrets (`?oauth_token=` on the identity URL...). */
const SECRET_PARAMS = new Set([
  'access_token',
  'assertion',
  'client_secret',
  'code',
  'code_verifier',
  'oauth_token',
  'password',
  'refresh_token',
  'token',
]);

/** The query string as the request log keeps it: secrets replaced by `REDACTED`. */
function loggedQuery(url: URL): string {
  let redacted = false;
  const kept = new URLSearchParams();
  for (const [name, value] of url.searchParams) {
    const secret = SECRET_PARAMS.has(name.toLowerCase());
    redacted ||= secret;
    kept.append(name, secret ? 'REDACTED' : value);
  }
  return redacted ? kept.toString() : url.search.slice(1);
}

function checkRequestHeadSize(req: IncomingMessage): void {
  const uriBytes = Buffer.byteLength(req.url ?? '');
  let headBytes = uriBytes;
  for (const part of req.rawHeaders) headBytes += Buffer.byteLength(part);
  if (uriBytes > MAX_REQUEST_HEAD_BYTES) {
    throw new HttpError(414, 'URI Too Long', { 'Content-Type': 'text/plain;charset=UTF-8' });
  }
  if (headBytes > MAX_REQUEST_HEAD_BYTES) {
    throw new HttpError(431, 'Request Header Fields Too Large', {
      'Content-Type': 'text/plain;charset=UTF-8',
    });
  }
}

/** Sets `ctx.auth` per the route's mode; true when the request is an API call that limits apply to. */
function authenticate(ctx: RequestContext, org: Org, route: Route): boolean {
  switch (route.auth) {
    case 'none':
      return false;
    case 'session':
      authenticateSession(ctx, org);
      return true;
    case 'bulk-session':
      authenticateBulkSession(ctx, org);
      return true;
  }
}

/**
 * Under the API roots Salesforce checks the session (and counts the call) before it looks for the
 * resource or the method: an unknown resource or a wrong method answers 401 without a session, and
 * carries `Sforce-Limit-Info` with one.
 */
function authenticateApiCall(ctx: RequestContext, org: Org): () => void {
  if (/^\/services\/async\//i.test(ctx.path)) authenticateBulkSession(ctx, org);
  else authenticateSession(ctx, org);
  return admit(ctx, org);
}

function authenticateSession(ctx: RequestContext, org: Org): void {
  const token = sessionTokenOf(ctx.header('authorization'));
  if (token === undefined) throw new HttpError(401, INVALID_SESSION_BODY);
  setAuth(ctx, org, token, () => new HttpError(401, INVALID_SESSION_BODY));
}

/**
 * The classic Bulk API authenticates with `X-SFDC-Session` and answers a bad session with HTTP 400 and
 * its own `InvalidSessionId` error, XML or JSON like the request.
 */
function authenticateBulkSession(ctx: RequestContext, org: Org): void {
  const invalid = () => {
    const json = /json/i.test(ctx.header('content-type') ?? '');
    const message = 'Invalid session id';
    return json
      ? new HttpError(400, { exceptionCode: 'InvalidSessionId', exceptionMessage: message })
      : new HttpError(
          400,
          `<?xml version="1.0" encoding="UTF-8"?><error\n   xmlns="http://www.force.com/2009/06/asyncapi/dataload">\n <exceptionCode>InvalidSessionId</exceptionCode>\n <exceptionMessage>${message}</exceptionMessage>\n</error>`,
          { 'Content-Type': 'application/xml' },
        );
  };
  const token = ctx.header('x-sfdc-session')?.trim();
  if (!token) throw invalid();
  setAuth(ctx, org, token, invalid);
}

function setAuth(ctx: RequestContext, org: Org, token: string, invalid: () => HttpError): void {
  const lookup = org.sessions.use(token);
  if (lookup.kind !== 'valid') throw invalid();
  const user = org.users.get(lookup.session.userId);
  if (!user) throw invalid();
  ctx.auth = {
    userId: user.id,
    organizationId: org.organizationId,
    username: user.username,
    accessToken: token,
  };
}

/** Counts the request against the org's limits and sets `Sforce-Limit-Info`; throws the 403 when refused. */
function admit(ctx: RequestContext, org: Org): () => void {
  const admission = org.limits.admit();
  ctx.responseHeaders['Sforce-Limit-Info'] = org.limits.header();
  if (admission.kind === 'admitted') return admission.release;
  throw HttpError.rest(
    403,
    'REQUEST_LIMIT_EXCEEDED',
    admission.kind === 'daily-limit' ? TOTAL_REQUESTS_MESSAGE : CONCURRENT_REQUESTS_MESSAGE,
  );
}

function methodRank(method: string): number {
  return method === 'HEAD' ? 0 : method === 'GET' ? 1 : 2;
}

function isApiPath(path: string): boolean {
  return /^\/services\/(?:data\/v|apexrest\/|async\/)/i.test(path);
}

async function dispatchControl(ctx: RequestContext, control: Router): Promise<void> {
  const match = control.match(ctx.method, ctx.path);
  if (match.kind === 'not-found') {
    throw new HttpError(404, { error: `no emulator control route ${ctx.method} ${ctx.path}` });
  }
  if (match.kind === 'method-not-allowed') {
    throw new HttpError(
      405,
      { error: `use ${match.allowed.join(' or ')} for ${ctx.path}` },
      {
        Allow: match.allowed.join(', '),
      },
    );
  }
  ctx.params = match.params;
  await match.route.handler(ctx);
}

async function sendInjectedError(
  ctx: RequestContext,
  outcome: Extract<FaultOutcome, { kind: 'error' }>,
): Promise<void> {
  if (typeof outcome.body === 'string') {
    await ctx.send(outcome.status, outcome.body, 'text/plain;charset=UTF-8', outcome.headers);
  } else {
    await ctx.sendJson(outcome.status, outcome.body, outcome.headers);
  }
}

async function answerError(ctx: RequestContext, error: unknown, pipeline: Pipeline): Promise<void> {
  const res = ctx.res;
  if (res.headersSent || res.destroyed) {
    // Too late for a status: cut the connection so the client sees a failure, not a short body.
    res.destroy();
    if (!(error instanceof HttpError))
      pipeline.onUnexpectedError(error, { method: ctx.method, path: ctx.path });
    return;
  }
  let httpError: HttpError;
  if (error instanceof HttpError) {
    httpError = error;
  } else {
    pipeline.onUnexpectedError(error, { method: ctx.method, path: ctx.path });
    httpError = unknownException();
  }
  try {
    const { body } = httpError;
    if (typeof body === 'string' || Buffer.isBuffer(body)) {
      const contentType = String(httpError.headers['Content-Type'] ?? 'text/plain;charset=UTF-8');
      await ctx.send(httpError.status, body, contentType, httpError.headers);
    } else {
      await ctx.sendJson(httpError.status, body, httpError.headers);
    }
  } catch {
    res.destroy();
  }
}

/**
 * Makes the response break off halfway: the status line, headers and the first half of the first
 * body chunk go out, then the socket is destroyed. A response without a body is cut before it starts.
 */
function armMidResponseDrop(res: ServerResponse): void {
  const write = res.write.bind(res) as (chunk: Buffer, callback: () => void) => boolean;
  let cut = false;
  const breakOff = (chunk: unknown): void => {
    if (cut) return;
    cut = true;
    const bytes = toBuffer(chunk);
    const half = bytes.subarray(0, Math.floor(bytes.length / 2));
    if (half.length === 0) {
      res.socket?.destroy();
      return;
    }
    write(half, () => res.socket?.destroy());
  };
  res.write = ((chunk: unknown) => {
    breakOff(chunk);
    return true;
  }) as typeof res.write;
  res.end = ((chunk?: unknown) => {
    breakOff(typeof chunk === 'function' ? undefined : chunk);
    return res;
  }) as typeof res.end;
}

function toBuffer(chunk: unknown): Buffer {
  if (chunk === undefined || chunk === null) return Buffer.alloc(0);
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk);
  return Buffer.from(String(chunk), 'utf8');
}

type ResponseHeaders = OutgoingHttpHeaders | OutgoingHttpHeader[];

/**
 * Responses dated by the org's clock rather than the wall clock: a test that moves the org's time
 * (`org.clock.advance()`) sees the same time in `Date` as in the records, sessions and events.
 */
function responseOnOrgTime(clock: Clock): typeof ServerResponse {
  return class ResponseOnOrgTime<
    Request extends IncomingMessage = IncomingMessage,
  > extends ServerResponse<Request> {
    override writeHead(statusCode: number, statusMessage?: string, headers?: ResponseHeaders): this;
    override writeHead(statusCode: number, headers?: ResponseHeaders): this;
    override writeHead(
      statusCode: number,
      messageOrHeaders?: string | ResponseHeaders,
      headers?: ResponseHeaders,
    ): this {
      // Every answer goes through here, an implicit one (a bare `end()`) included.
      if (!this.headersSent && !this.hasHeader('date')) {
        this.setHeader('Date', new Date(clock.now()).toUTCString());
      }
      return typeof messageOrHeaders === 'string'
        ? super.writeHead(statusCode, messageOrHeaders, headers)
        : super.writeHead(statusCode, messageOrHeaders);
    }
  };
}

function printUnexpectedError(error: unknown, request: { method: string; path: string }): void {
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`[forcekit-emulator] ${request.method} ${request.path} failed: ${detail}\n`);
}

let sharedKeyPair: Promise<{ privateKey: string; publicKey: string }> | undefined;

function processKeyPair(): Promise<{ privateKey: string; publicKey: string }> {
  sharedKeyPair ??= generateRsaKeyPair().catch((error: unknown) => {
    sharedKeyPair = undefined;
    throw error;
  });
  return sharedKeyPair;
}

function generateRsaKeyPair(): Promise<{ privateKey: string; publicKey: string }> {
  return new Promise((resolve, reject) => {
    generateKeyPair(
      'rsa',
      {
        modulusLength: 2048,
        publicKeyEncoding: { type: 'spki', format: 'pem' },
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      },
      (error, publicKey, privateKey) => (error ? reject(error) : resolve({ privateKey, publicKey })),
    );
  });
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
