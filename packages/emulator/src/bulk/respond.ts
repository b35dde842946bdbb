import type { OutgoingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import type { RequestContext } from '../http/context.js';
import { jobJson } from './v2-info.js';

/** A job info document as JSON (`apiVersion` written `62.0`), honouring `X-PrettyPrint: 1`. */
export function sendJobJson(ctx: RequestContext, status: number, body: unknown): Promise<void> {
  const text = jobJson(body, ctx.header('x-prettyprint') === '1');
  return ctx.send(status, text, 'application/json;charset=UTF-8');
}

/**
 * Streams text pieces (CSV rendered slice by slice) as the response body, gzipped when the client
 * accepts it, so a million-row answer is never one string in memory.
 */
export function sendPieces(
  ctx: RequestContext,
  status: number,
  pieces: Iterable<string>,
  contentType: string,
  headers: OutgoingHttpHeaders = {},
): Promise<void> {
  const source = Readable.from(toBuffers(pieces), { objectMode: false });
  if (/\bgzip\b/i.test(ctx.header('accept-encoding') ?? '') && ctx.method !== 'HEAD') {
    return ctx.sendStream(status, source.pipe(createGzip()), contentType, {
      ...headers,
      'Content-Encoding': 'gzip',
      Vary: 'Accept-Encoding',
    });
  }
  return ctx.sendStream(status, source, contentType, headers);
}

function* toBuffers(pieces: Iterable<string>): Generator<Buffer> {
  for (const piece of pieces) if (piece !== '') yield Buffer.from(piece, 'utf8');
}
