import { pipeline, type Readable } from 'node:stream';
import { promisify } from 'node:util';
import { createGunzip, createInflate, gunzip, inflate } from 'node:zlib';
import type { RequestBody } from '../requester.js';

/** A request body ready for undici, encoded once so that retries and refresh replays reuse it. */
export interface EncodedBody {
  readonly payload: string | Uint8Array | Readable | AsyncIterable<Uint8Array | string> | undefined;
  readonly contentType: string | undefined;
  /** False for streams: once sent they are gone, so the request can never be repeated. */
  readonly replayable: boolean;
}

const NO_BODY: EncodedBody = { payload: undefined, contentType: undefined, replayable: true };

function isStreamLike(body: object): body is Readable | AsyncIterable<Uint8Array | string> {
  return Symbol.asyncIterator in body || typeof (body as Readable).pipe === 'function';
}

export function encodeBody(body: RequestBody | undefined): EncodedBody {
  if (body === undefined) return NO_BODY;
  if (typeof body === 'string') {
    return { payload: body, contentType: 'text/plain; charset=UTF-8', replayable: true };
  }
  if (body instanceof Uint8Array) {
    return { payload: body, contentType: 'application/octet-stream', replayable: true };
  }
  if (body instanceof URLSearchParams) {
    return { payload: body.toString(), contentType: 'application/x-www-form-urlencoded', replayable: true };
  }
  if (isStreamLike(body)) {
    return { payload: body, contentType: 'application/octet-stream', replayable: false };
  }
  return { payload: JSON.stringify(body), contentType: 'application/json', replayable: true };
}

const gunzipAsync = promisify(gunzip);
const inflateAsync = promisify(inflate);

/** Collects a response body into one buffer. */
async function collect(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return chunks.length === 1 ? Buffer.from(chunks[0] as Uint8Array) : Buffer.concat(chunks);
}

/** The response body as bytes, decompressed according to `Content-Encoding`. */
export async function readBytes(
  body: AsyncIterable<Uint8Array>,
  encoding: string | string[] | undefined,
): Promise<Buffer> {
  const bytes = await collect(body);
  if (encoding === undefined || bytes.length === 0) return bytes;
  const name = String(encoding).trim().toLowerCase();
  if (name === 'gzip' || name === 'x-gzip') return gunzipAsync(bytes);
  if (name === 'deflate') return inflateAsync(bytes);
  return bytes;
}

/** The response body as a stream, decompressed according to `Content-Encoding`. */
export function decodeStream(body: Readable, encoding: string | string[] | undefined): Readable {
  const name = encoding === undefined ? '' : String(encoding).trim().toLowerCase();
  if (name === 'gzip' || name === 'x-gzip') return pipeline(body, createGunzip(), ignore);
  if (name === 'deflate') return pipeline(body, createInflate(), ignore);
  return body;
}

function ignore(): void {}
