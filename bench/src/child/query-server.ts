// The fixture server: answers the REST query resource with pre-serialised pages of Account rows, so the
// server's cost per page is one buffer write and what is measured is the client. Runs in its own
// process; reports its address over IPC. Config (JSON in argv[2]): { totalSize, pageSize, gzip }.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { pageJson } from '../fixture/accounts.js';
import type { ServerReady } from './protocol.js';

interface Config {
  readonly totalSize: number;
  readonly pageSize: number;
  /** Answer `Accept-Encoding: gzip` with gzipped pages, as Salesforce does. */
  readonly gzip: boolean;
}

const API_VERSION = '62.0';
const LOCATOR = '01gDn00000BenchAAA';
const ACCESS_TOKEN = '00DDn0000000Bench!fixture.session.token';
const DAILY_MAX = 15_000_000;

const config = JSON.parse(process.argv[2] ?? '{}') as Config;
const spec = { ...config, apiVersion: API_VERSION, locator: LOCATOR };
const pageCount = Math.ceil(config.totalSize / config.pageSize);
const pages: Buffer[] = [];
const gzipped: Buffer[] = [];
for (let i = 0; i < pageCount; i++) {
  const page = Buffer.from(pageJson(spec, i));
  pages.push(page);
  if (config.gzip) gzipped.push(gzipSync(page));
}

const QUERY = /^\/services\/data\/v\d+\.\d\/query(?:All)?(?:\?q=.+|\/01g[0-9A-Za-z]{12,15}-(\d+))$/;
let used = 0;

function sendJson(res: ServerResponse, status: number, body: Buffer, encoding?: 'gzip'): void {
  used++;
  res.writeHead(status, {
    'content-type': 'application/json;charset=UTF-8',
    'content-length': body.length,
    'sforce-limit-info': `api-usage=${used}/${DAILY_MAX}`,
    ...(encoding === undefined ? {} : { 'content-encoding': encoding, vary: 'Accept-Encoding' }),
  });
  res.end(body);
}

function error(res: ServerResponse, status: number, errorCode: string, message: string): void {
  sendJson(res, status, Buffer.from(JSON.stringify([{ message, errorCode }])));
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  if (req.headers.authorization !== `Bearer ${ACCESS_TOKEN}`) {
    error(res, 401, 'INVALID_SESSION_ID', 'Session expired or invalid');
    return;
  }
  const match = req.method === 'GET' ? QUERY.exec(req.url ?? '') : null;
  if (match === null) {
    error(res, 404, 'NOT_FOUND', 'The requested resource does not exist');
    return;
  }
  const offset = match[1] === undefined ? 0 : Number(match[1]);
  const index = offset / config.pageSize;
  if (!Number.isInteger(index) || index >= pageCount) {
    error(res, 400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    return;
  }
  const acceptsGzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  if (config.gzip && acceptsGzip) sendJson(res, 200, gzipped[index] as Buffer, 'gzip');
  else sendJson(res, 200, pages[index] as Buffer);
}

const server = createServer({ keepAliveTimeout: 30_000 }, handle);
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  const ready: ServerReady = {
    type: 'ready',
    target: { instanceUrl: `http://127.0.0.1:${port}`, accessToken: ACCESS_TOKEN, apiVersion: API_VERSION },
  };
  process.send?.(ready);
});
// The runner ends this process; should the runner die first, the IPC channel closes and so do we.
process.on('disconnect', () => process.exit(0));
