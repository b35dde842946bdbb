import type { RawResponse, Requester, RequestOptions } from '@forcekit/core';
import { decodeCsvStream } from '../csv/stream.js';

/** Bulk API 2.0 job control is JSON with this content type. */
export const JSON_HEADERS = { 'content-type': 'application/json; charset=UTF-8' } as const;
export const CSV_ACCEPT = { accept: 'text/csv' } as const;

/** The first value of a header (undici gives arrays for repeated ones). */
export function headerValue(response: RawResponse, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * A CSV response decoded as it arrives: the first batch starts with the header row. The body is
 * released even when the caller stops early.
 */
export async function* csvResponse(
  requester: Requester,
  request: RequestOptions,
  delimiter: string,
  onResponse?: (response: RawResponse) => void,
): AsyncGenerator<string[][]> {
  const response = await requester.raw({ ...request, headers: { ...CSV_ACCEPT, ...request.headers } });
  onResponse?.(response);
  try {
    yield* decodeCsvStream(response.body, { delimiter });
  } finally {
    response.body.destroy();
  }
}
