/**
 * A small Salesforce stand-in on 127.0.0.1 (port 0) for @forcekit/core's tests, until @forcekit/emulator
 * lands. It answers the OAuth token, revoke, identity, userinfo and SOAP partner endpoints the way
 * Salesforce does (shapes per ../shared/fixtures and the protocol notes), signs every REST response with
 * `Sforce-Limit-Info`, gzips when asked, and lets a test script any REST route (status sequences for
 * retries, slow or dropped responses).
 */
import {
  createHash,
  createHmac,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  verify,
} from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gzipSync } from 'node:zlib';

export interface FakeUser {
  readonly username: string;
  readonly password: string;
  readonly securityToken: string;
  readonly userId: string;
  readonly organizationId: string;
}

export interface RecordedRequest {
  readonly method: string;
  /** Path and query as received. */
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

export interface RouteContext {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  /** The user the bearer token belongs to (REST routes only). */
  readonly user: FakeUser;
  readonly accessToken: string;
  /** How many times this route has been called, including this call (1-based). */
  readonly call: number;
}

export interface FakeResponse {
  readonly status?: number;
  readonly headers?: Record<string, string>;
  /** An object or array is sent as JSON; a string or Buffer as is. */
  readonly body?: unknown;
  /** Wait before answering. */
  readonly delayMs?: number;
  /** Destroy the socket instead of answering (a connection reset). */
  readonly reset?: boolean;
  /** Send the headers, then stall the body forever. */
  readonly stallBody?: boolean;
  /** Never answer. */
  readonly hang?: boolean;
}

export type RouteHandler = (ctx: RouteContext) => FakeResponse | Promise<FakeResponse>;

export const API_VERSION = '62.0';
export const CLIENT_ID = '3MVG9fake.client.id';
export const CLIENT_SECRET = 'fake-client-secret-5511';
export const REDIRECT_URI = 'https://app.example.com/oauth/callback';

export const ALICE: FakeUser = {
  username: 'alice@example.com',
  password: 'alice-Pa55word',
  securityToken: 'aliceSECtoken',
  userId: '005xx000001AliceAAA',
  organizationId: '00Dxx0000001gEREAY',
};

export const BOB: FakeUser = {
  username: 'bob@example.com',
  password: 'bob-Pa55word',
  securityToken: 'bobSECtoken',
  userId: '005xx000001BobAAAA',
  organizationId: '00Dxx0000001gEREAY',
};

interface TokenRecord {
  readonly user: FakeUser;
  readonly refreshToken: string | undefined;
}

interface PendingCode {
  readonly user: FakeUser;
  readonly redirectUri: string;
  readonly codeChallenge: string | undefined;
}

const INVALID_SESSION = [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }];

const token = (prefix: string) => `${prefix}!${randomBytes(36).toString('base64url')}`;

export class FakeSalesforce {
  readonly users: readonly FakeUser[] = [ALICE, BOB];
  readonly requests: RecordedRequest[] = [];
  /** The user the client-credentials flow runs as. */
  runAsUser: FakeUser = ALICE;
  /** Gzip responses when the request accepts it. */
  gzip = true;
  apiUsage = 0;

  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  readonly #tokens = new Map<string, TokenRecord>();
  readonly #refreshTokens = new Map<string, FakeUser>();
  readonly #codes = new Map<string, PendingCode>();
  readonly #routes = new Map<string, { handler: RouteHandler; calls: number; rest: boolean }>();
  readonly #grants = new Map<string, number>();
  #url = '';
  #keys: { readonly privateKey: string; readonly publicKey: string } | undefined;

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

  /** The connected app's certificate key pair for the JWT bearer flow, made on first use (it takes a while). */
  get keys(): { readonly privateKey: string; readonly publicKey: string } {
    this.#keys ??= generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    return this.#keys;
  }

  /** The org's base URL: login host and instance at once. */
  get url(): string {
    return this.#url;
  }

  /** Token-endpoint calls per grant type. */
  grants(grantType: string): number {
    return this.#grants.get(grantType) ?? 0;
  }

  /** The user approves an authorization request: returns the code the callback would carry. */
  approve(user: FakeUser, redirectUri: string, codeChallenge?: string): string {
    const code = `aPrx${randomBytes(24).toString('base64url')}==`;
    this.#codes.set(code, { user, redirectUri, codeChallenge });
    return code;
  }

  /** A valid session token for a user, as if a login had happened out of band. */
  issueToken(user: FakeUser, refreshToken?: string): string {
    const accessToken = token(user.organizationId.slice(0, 15));
    this.#tokens.set(accessToken, { user, refreshToken });
    return accessToken;
  }

  issueRefreshToken(user: FakeUser): string {
    const refreshToken = `5Aep861${randomBytes(30).toString('base64url')}`;
    this.#refreshTokens.set(refreshToken, user);
    return refreshToken;
  }

  /** Makes an access token invalid, as an expired session is. */
  expire(accessToken: string): void {
    this.#tokens.delete(accessToken);
  }

  isValid(accessToken: string): boolean {
    return this.#tokens.has(accessToken);
  }

  isValidRefreshToken(refreshToken: string): boolean {
    return this.#refreshTokens.has(refreshToken);
  }

  /** Scripts an authenticated REST route, relative to `/services/data/v62.0/` or absolute. */
  rest(method: string, path: string, handler: RouteHandler): void {
    this.#routes.set(`${method} ${this.#absolute(path)}`, { handler, calls: 0, rest: true });
  }

  /** Scripts any route without authentication (it overrides the built-in OAuth and SOAP ones). */
  route(
    method: string,
    path: string,
    handler: (ctx: Omit<RouteContext, 'user' | 'accessToken'>) => FakeResponse,
  ): void {
    this.#routes.set(`${method} ${this.#absolute(path)}`, {
      handler: handler as RouteHandler,
      calls: 0,
      rest: false,
    });
  }

  /** Removes a scripted route, restoring the built-in behaviour. */
  unroute(method: string, path: string): void {
    this.#routes.delete(`${method} ${this.#absolute(path)}`);
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
    const body = Buffer.concat(chunks).toString('utf8');
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', this.#url);
    this.requests.push({ method, url: req.url ?? '/', headers: req.headers, body });

    const route = this.#routes.get(`${method} ${url.pathname}`);
    if (route !== undefined) {
      const base = { method, path: url.pathname, query: url.searchParams, headers: req.headers, body };
      if (!route.rest) {
        route.calls++;
        return this.#send(req, res, await route.handler({ ...base, call: route.calls } as RouteContext));
      }
      const auth = this.#authenticate(req);
      if (auth === undefined) return this.#send(req, res, { status: 401, body: INVALID_SESSION }, true);
      route.calls++;
      return this.#send(req, res, await route.handler({ ...base, ...auth, call: route.calls }), true);
    }

    if (method === 'POST' && url.pathname === '/services/oauth2/token')
      return this.#send(req, res, this.#token(body));
    if (method === 'POST' && url.pathname === '/services/oauth2/revoke')
      return this.#send(req, res, this.#revoke(body));
    if (url.pathname.startsWith('/services/Soap/u/')) return this.#send(req, res, this.#soap(body));
    const auth = this.#authenticate(req);
    if (auth === undefined) {
      return this.#send(
        req,
        res,
        { status: 401, body: INVALID_SESSION },
        url.pathname.startsWith('/services/data'),
      );
    }
    if (method === 'GET' && /^\/id\/[^/]+\/[^/]+$/.test(url.pathname)) {
      return this.#send(req, res, { body: this.#identity(auth.user) });
    }
    if (method === 'GET' && url.pathname === '/services/oauth2/userinfo') {
      return this.#send(req, res, { body: this.#userInfo(auth.user) });
    }
    if (method === 'GET' && url.pathname === `/services/data/v${API_VERSION}/`) {
      return this.#send(req, res, { body: this.#resources(auth.user) }, true);
    }
    return this.#send(
      req,
      res,
      { status: 404, body: [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }] },
      true,
    );
  }

  #authenticate(req: IncomingMessage): { user: FakeUser; accessToken: string } | undefined {
    const header = req.headers.authorization ?? '';
    const accessToken = header.replace(/^(Bearer|OAuth) /, '');
    const record = this.#tokens.get(accessToken);
    return record === undefined ? undefined : { user: record.user, accessToken };
  }

  async #send(
    req: IncomingMessage,
    res: ServerResponse,
    response: FakeResponse,
    rest = false,
  ): Promise<void> {
    if (response.delayMs !== undefined) await new Promise((resolve) => setTimeout(resolve, response.delayMs));
    if (response.hang) return;
    if (response.reset) {
      req.socket.destroy();
      return;
    }
    const headers: Record<string, string> = { ...response.headers };
    let payload: Buffer;
    if (response.body === undefined) payload = Buffer.alloc(0);
    else if (Buffer.isBuffer(response.body)) payload = response.body;
    else if (typeof response.body === 'string') payload = Buffer.from(response.body);
    else {
      payload = Buffer.from(JSON.stringify(response.body));
      headers['content-type'] ??= 'application/json;charset=UTF-8';
    }
    if (rest) headers['sforce-limit-info'] ??= `api-usage=${++this.apiUsage}/15000`;
    if (this.gzip && payload.length > 0 && /gzip/.test(String(req.headers['accept-encoding'] ?? ''))) {
      payload = gzipSync(payload);
      headers['content-encoding'] = 'gzip';
    }
    if (response.stallBody) {
      res.writeHead(response.status ?? 200, { ...headers, 'content-length': String(payload.length + 100) });
      res.write(payload);
      return;
    }
    headers['content-length'] = String(payload.length);
    res.writeHead(response.status ?? 200, headers);
    res.end(payload);
  }

  #countGrant(grantType: string): void {
    this.#grants.set(grantType, (this.#grants.get(grantType) ?? 0) + 1);
  }

  #tokenSuccess(user: FakeUser, extra: { refreshToken?: string; jwt?: boolean }): FakeResponse {
    const accessToken = this.issueToken(user, extra.refreshToken);
    const id = `${this.#url}/id/${user.organizationId}/${user.userId}`;
    if (extra.jwt) {
      // A JWT bearer response carries no issued_at, signature or refresh_token.
      return {
        body: {
          access_token: accessToken,
          scope: 'web id api',
          instance_url: this.#url,
          id,
          token_type: 'Bearer',
        },
      };
    }
    const issuedAt = String(Date.now());
    const signature = createHmac('sha256', CLIENT_SECRET)
      .update(id + issuedAt)
      .digest('base64');
    return {
      body: {
        access_token: accessToken,
        ...(extra.refreshToken === undefined ? {} : { refresh_token: extra.refreshToken }),
        signature,
        scope: extra.refreshToken === undefined ? 'api' : 'api refresh_token',
        instance_url: this.#url,
        id,
        token_type: 'Bearer',
        issued_at: issuedAt,
      },
    };
  }

  #oauthError(error: string, description: string, status = 400): FakeResponse {
    return { status, body: { error, error_description: description } };
  }

  #token(body: string): FakeResponse {
    const form = new URLSearchParams(body);
    const grantType = form.get('grant_type') ?? '';
    this.#countGrant(grantType);
    if (grantType === 'urn:ietf:params:oauth:grant-type:jwt-bearer')
      return this.#jwtBearer(form.get('assertion') ?? '');
    if (form.get('client_id') !== CLIENT_ID)
      return this.#oauthError('invalid_client_id', 'client identifier invalid');
    const secret = form.get('client_secret');
    if (secret !== null && secret !== CLIENT_SECRET)
      return this.#oauthError('invalid_client', 'invalid client credentials');
    switch (grantType) {
      case 'password': {
        const user = this.users.find(
          (u) => u.username === form.get('username') && u.password + u.securityToken === form.get('password'),
        );
        if (user === undefined) return this.#oauthError('invalid_grant', 'authentication failure');
        return this.#tokenSuccess(user, {});
      }
      case 'authorization_code': {
        const code = form.get('code') ?? '';
        const pending = this.#codes.get(code);
        this.#codes.delete(code); // codes are single-use
        if (pending === undefined) return this.#oauthError('invalid_grant', 'invalid authorization code');
        if (pending.redirectUri !== form.get('redirect_uri')) {
          return this.#oauthError('redirect_uri_mismatch', 'redirect_uri must match configuration');
        }
        if (pending.codeChallenge !== undefined) {
          const verifier = form.get('code_verifier');
          if (verifier === null) return this.#oauthError('invalid_grant', 'invalid code verifier');
          const challenge = createHash('sha256').update(verifier).digest('base64url');
          if (challenge !== pending.codeChallenge)
            return this.#oauthError('invalid_request', 'invalid code verifier');
        }
        return this.#tokenSuccess(pending.user, { refreshToken: this.issueRefreshToken(pending.user) });
      }
      case 'refresh_token': {
        const user = this.#refreshTokens.get(form.get('refresh_token') ?? '');
        if (user === undefined) return this.#oauthError('invalid_grant', 'expired access/refresh token');
        return this.#tokenSuccess(user, {});
      }
      case 'client_credentials': {
        if (secret === null) return this.#oauthError('invalid_client', 'invalid client credentials');
        return this.#tokenSuccess(this.runAsUser, {});
      }
      default:
        return this.#oauthError('unsupported_grant_type', 'grant type not supported');
    }
  }

  #jwtBearer(assertion: string): FakeResponse {
    const [header, payload, signature] = assertion.split('.');
    if (header === undefined || payload === undefined || signature === undefined) {
      return this.#oauthError('invalid_grant', 'invalid assertion');
    }
    const alg = JSON.parse(Buffer.from(header, 'base64url').toString()).alg;
    const valid = verify(
      'sha256',
      Buffer.from(`${header}.${payload}`),
      createPublicKey(this.keys.publicKey),
      Buffer.from(signature, 'base64url'),
    );
    if (alg !== 'RS256' || !valid) return this.#oauthError('invalid_grant', 'invalid assertion');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    if (claims.iss !== CLIENT_ID) return this.#oauthError('invalid_client_id', 'client identifier invalid');
    if (claims.aud !== this.#url) return this.#oauthError('invalid_grant', 'audience is invalid');
    const now = Date.now() / 1000;
    if (typeof claims.exp !== 'number' || claims.exp < now || claims.exp > now + 300 + 30) {
      return this.#oauthError('invalid_grant', 'expired authorization code');
    }
    const user = this.users.find((u) => u.username === (claims.sub ?? claims.prn));
    if (user === undefined) return this.#oauthError('invalid_grant', "user hasn't approved this consumer");
    return this.#tokenSuccess(user, { jwt: true });
  }

  #revoke(body: string): FakeResponse {
    const value = new URLSearchParams(body).get('token') ?? '';
    const user = this.#refreshTokens.get(value);
    if (user !== undefined) {
      this.#refreshTokens.delete(value);
      for (const [accessToken, record] of this.#tokens) {
        if (record.refreshToken === value) this.#tokens.delete(accessToken);
      }
      return { status: 200 };
    }
    if (this.#tokens.delete(value)) return { status: 200 };
    return this.#oauthError('invalid_token', 'invalid token');
  }

  #identity(user: FakeUser): Record<string, unknown> {
    const rest = `${this.#url}/services/data/v{version}/`;
    return {
      id: `${this.#url}/id/${user.organizationId}/${user.userId}`,
      asserted_user: true,
      user_id: user.userId,
      organization_id: user.organizationId,
      username: user.username,
      display_name: user.username.split('@')[0],
      email: user.username,
      active: true,
      user_type: 'STANDARD',
      language: 'en_US',
      locale: 'en_US',
      utcOffset: -28800000,
      urls: { rest, sobjects: `${rest}sobjects/`, query: `${rest}query/` },
    };
  }

  #userInfo(user: FakeUser): Record<string, unknown> {
    return {
      sub: `${this.#url}/id/${user.organizationId}/${user.userId}`,
      user_id: user.userId,
      organization_id: user.organizationId,
      preferred_username: user.username,
      email: user.username,
      active: true,
    };
  }

  #resources(user: FakeUser): Record<string, string> {
    const base = `/services/data/v${API_VERSION}`;
    return {
      sobjects: `${base}/sobjects`,
      query: `${base}/query`,
      identity: `${this.#url}/id/${user.organizationId}/${user.userId}`,
    };
  }

  #soap(body: string): FakeResponse {
    const text = (tag: string) => new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(body)?.[1];
    const decode = (value: string) =>
      value
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&apos;/g, "'")
        .replace(/&amp;/g, '&');
    const xml = { 'content-type': 'text/xml;charset=UTF-8' };
    if (body.includes('<logout')) {
      const sessionId = decode(text('sessionId') ?? '');
      if (!this.#tokens.delete(sessionId)) {
        return {
          status: 500,
          headers: xml,
          body: soapFault(
            'sf:INVALID_SESSION_ID',
            'INVALID_SESSION_ID: Invalid Session ID found in SessionHeader: Illegal Session',
          ),
        };
      }
      return { headers: xml, body: soapEnvelope('<logoutResponse/>') };
    }
    const username = decode(text('username') ?? '');
    const password = decode(text('password') ?? '');
    const user = this.users.find((u) => u.username === username && u.password + u.securityToken === password);
    if (user === undefined) {
      return {
        status: 500,
        headers: xml,
        body: soapFault(
          'INVALID_LOGIN',
          'INVALID_LOGIN: Invalid username, password, security token; or user locked out.',
        ),
      };
    }
    const sessionId = this.issueToken(user);
    const org15 = user.organizationId.slice(0, 15);
    return {
      headers: xml,
      body: soapEnvelope(
        '<loginResponse><result>' +
          `<metadataServerUrl>${this.#url}/services/Soap/m/${API_VERSION}/${org15}</metadataServerUrl>` +
          '<passwordExpired>false</passwordExpired><sandbox>false</sandbox>' +
          `<serverUrl>${this.#url}/services/Soap/u/${API_VERSION}/${org15}</serverUrl>` +
          `<sessionId>${sessionId}</sessionId><userId>${user.userId}</userId>` +
          `<userInfo><organizationId>${user.organizationId}</organizationId><sessionSecondsValid>7200</sessionSecondsValid>` +
          `<userId>${user.userId}</userId><userName>${user.username}</userName></userInfo>` +
          '</result></loginResponse>',
      ),
    };
  }
}

function soapEnvelope(content: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ' +
    'xmlns="urn:partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<soapenv:Body>${content}</soapenv:Body></soapenv:Envelope>`
  );
}

function soapFault(code: string, message: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ' +
    'xmlns:sf="urn:fault.partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<soapenv:Body><soapenv:Fault><faultcode>${code}</faultcode><faultstring>${message}</faultstring>` +
    '</soapenv:Fault></soapenv:Body></soapenv:Envelope>'
  );
}
