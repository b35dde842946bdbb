import type { Requester } from '@forcekit/core';
import { type CallOptions, withCallOptions } from './call-options.js';
import { buildSosl, type SoslSpec } from './sosl.js';

/** One record of a search result: its `attributes` first, then the fields the RETURNING clause named. */
export interface SearchRecord {
  readonly attributes: { readonly type: string; readonly url: string };
  readonly Id?: string;
  readonly [field: string]: unknown;
}

/** `GET /search` answers `{ searchRecords }` (API 37.0 and later), records of every type mixed. */
export interface SearchResult<R extends object = SearchRecord> {
  readonly searchRecords: R[];
  /** Present with `WITH METADATA='LABELS'`. */
  readonly metadata?: unknown;
}

/**
 * Runs a SOSL search (`GET /search?q=…`). Pass SOSL text (escape user input with `escapeSosl`) or a
 * `SoslSpec`, which `buildSosl` compiles and escapes for you.
 */
export async function search<R extends object = SearchRecord>(
  requester: Requester,
  sosl: string | SoslSpec,
  options?: CallOptions,
): Promise<SearchResult<R>> {
  const q = typeof sosl === 'string' ? sosl : buildSosl(sosl);
  const result = await requester.request<SearchResult<R> | R[]>(
    withCallOptions({ path: 'search', query: { q } }, options),
  );
  // Before API 37.0 the answer was the bare array.
  return Array.isArray(result) ? { searchRecords: result } : result;
}
