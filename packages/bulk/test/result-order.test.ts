import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient } from '@forcekit/core';
import { type Emulator, startEmulator } from '@forcekit/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Bulk } from '../src/index.js';
import { FAST } from './support.js';

// Salesforce does not promise result files in upload order. A proxy in front of the emulator reverses
// the data rows of every result file it passes on (and forwards everything else untouched), so the
// loader must match rows by their fields, not by position.

let emulator: Emulator;
let proxy: Server;
let proxyUrl: string;
/** Result files the proxy reversed. */
let reversed = 0;

const RESULT_FILE = /\/jobs\/ingest\/[^/]+\/(successfulResults|failedResults|unprocessedrecords)/;

function forward(
  method: string,
  path: string,
  headers: IncomingHttpHeaders,
  body: Buffer,
): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  const target = new URL(emulator.url);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method,
        path,
        // Plain bodies, so the proxy can rewrite them.
        headers: { ...headers, host: target.host, 'accept-encoding': 'identity' },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 502,
            headers: response.headers,
            body: Buffer.concat(chunks),
          }),
        );
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** Reverses the rows after the header line (rows here hold no line breaks). */
function reverseRows(csv: string): string {
  const lines = csv.split('\n');
  const header = lines.shift() as string;
  const rows = lines.filter((line) => line !== '');
  return [header, ...rows.reverse()].map((line) => `${line}\n`).join('');
}

beforeAll(async () => {
  emulator = await startEmulator({ bulk: { queueDelayMs: 1, rowsPerChunk: 5000 } });
  proxy = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      forward(req.method ?? 'GET', req.url ?? '/', req.headers, Buffer.concat(chunks)).then(
        (answer) => {
          let body = answer.body;
          if (RESULT_FILE.test(req.url ?? '') && answer.status === 200) {
            body = Buffer.from(reverseRows(body.toString('utf8')));
            reversed++;
          }
          const headers = { ...answer.headers, 'content-length': String(body.length) };
          delete headers['transfer-encoding'];
          res.writeHead(answer.status, headers);
          res.end(body);
        },
        (error: Error) => {
          res.writeHead(502);
          res.end(error.message);
        },
      );
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => proxy.close(() => resolve()));
  await emulator.stop();
});

describe('results in another order than the upload', () => {
  it('matches every row by its fields: outcomes land on the right input rows', async () => {
    const client = createClient({ instanceUrl: proxyUrl, accessToken: emulator.credentials.accessToken });
    try {
      const bulk = new Bulk(client, FAST);
      const input = Array.from({ length: 1000 }, (_, i) =>
        i % 9 === 4 ? { Phone: `phone ${i}` } : { Name: `Ordered ${i}`, Phone: `phone ${i}` },
      );
      const result = await bulk.load('Account', 'insert', input);
      expect(result.summary).toMatchObject({
        total: 1000,
        failed: 111,
        succeeded: 889,
        matchedByPosition: 0,
      });
      expect(reversed).toBe(3);
      for (const row of result.rows) {
        expect(row.fields?.Phone).toBe(`phone ${row.index}`);
        expect(row.status).toBe(row.index % 9 === 4 ? 'failure' : 'success');
      }
      // The Ids really belong to the rows they were given to.
      const stored = new Map<string, string>();
      for await (const account of bulk.query<{ Id: string; Phone: string }>(
        'SELECT Id, Phone FROM Account',
      )) {
        stored.set(account.Id, account.Phone);
      }
      for (const success of result.successes) expect(stored.get(success.id)).toBe(`phone ${success.index}`);
    } finally {
      await client.close();
    }
  });
});
