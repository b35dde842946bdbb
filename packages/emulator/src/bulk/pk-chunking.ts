import { composeQuery, type Query } from '@jetstreamapp/soql-parser-js';
import type { StoredRecord } from '../schema/types.js';
import { parseSoqlText } from '../soql/index.js';

/**
 * Primary-key chunking of classic query jobs (`Sforce-Enable-PKChunking` on job creation): a query
 * batch is split into batches that each read one range of record ids, `chunkSize` ids wide.
 */

export interface PkChunking {
  /** Ids per chunk: 100,000 by default, 250,000 at most. */
  readonly chunkSize: number;
  /** The id the first chunk starts at (15 characters); the object's first record by default. */
  readonly startRow: string | undefined;
}

export const DEFAULT_CHUNK_SIZE = 100_000;
export const MAX_CHUNK_SIZE = 250_000;

/**
 * Reads the header: `true` (any case) for the defaults, `false` for none, or `;`-separated
 * `chunkSize=N`, `startRow=<id>` and `parent=<object>` (accepted; the emulator chunks the queried
 * object itself). Returns undefined for no chunking, or the error text for a bad header.
 */
export function parsePkChunkingHeader(value: string | undefined): PkChunking | undefined | { error: string } {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^false$/i.test(text)) return undefined;
  if (/^true$/i.test(text)) return { chunkSize: DEFAULT_CHUNK_SIZE, startRow: undefined };
  let chunkSize = DEFAULT_CHUNK_SIZE;
  let startRow: string | undefined;
  for (const part of text.split(';')) {
    if (part.trim() === '') continue;
    const [rawKey, ...rest] = part.split('=');
    const key = (rawKey ?? '').trim().toLowerCase();
    const setting = rest.join('=').trim();
    if (key === 'chunksize') {
      if (!/^\d+$/.test(setting) || Number(setting) < 1 || Number(setting) > MAX_CHUNK_SIZE) {
        return { error: `chunkSize must be a whole number from 1 to ${MAX_CHUNK_SIZE}, got '${setting}'` };
      }
      chunkSize = Number(setting);
    } else if (key === 'startrow') {
      if (!/^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/.test(setting)) {
        return { error: `startRow must be a record id, got '${setting}'` };
      }
      startRow = setting.slice(0, 15);
    } else if (key !== 'parent') {
      return { error: `unknown setting '${part.trim()}': use chunkSize, startRow or parent` };
    }
  }
  return { chunkSize, startRow };
}

/**
 * The id ranges of the chunks over an object's records (deleted ones count, as on Salesforce, so a
 * chunk may return fewer rows than its size): each range is `[from, to)` in 15-character ids, the last
 * one open-ended. An object without records still gets one chunk.
 */
export function chunkRanges(
  rows: readonly StoredRecord[],
  chunking: PkChunking,
  keyPrefix: string,
): { readonly from: string; readonly to: string | undefined }[] {
  const start = chunking.startRow;
  const ids = rows
    .map((row) => (row.Id as string).slice(0, 15))
    .filter((id) => start === undefined || id >= start)
    .sort();
  if (ids.length === 0) return [{ from: start ?? keyPrefix.padEnd(15, '0'), to: undefined }];
  const ranges: { from: string; to: string | undefined }[] = [];
  for (let i = 0; i < ids.length; i += chunking.chunkSize) {
    ranges.push({ from: ids[i] as string, to: ids[i + chunking.chunkSize] });
  }
  return ranges;
}

/**
 * Why a query cannot be chunked (PK chunking takes SELECT ... FROM ... with at most a WHERE clause), or
 * undefined when it can.
 */
export function unchunkable(soql: string): string | undefined {
  const query = parse(soql);
  if (query === undefined) return 'the query cannot be parsed';
  if (query.fields?.some((f) => f.type === 'FieldSubquery')) return 'a subquery is not allowed';
  const extra = (
    [
      ['groupBy', 'GROUP BY'],
      ['having', 'HAVING'],
      ['orderBy', 'ORDER BY'],
      ['limit', 'LIMIT'],
      ['offset', 'OFFSET'],
      ['for', 'FOR'],
      ['update', 'UPDATE'],
      ['withDataCategory', 'WITH DATA CATEGORY'],
    ] as const
  ).find(([key]) => query[key] !== undefined);
  return extra === undefined ? undefined : `${extra[1]} is not allowed`;
}

/** The query of one chunk: the original WHERE (in parentheses) and the chunk's id range. */
export function chunkQuery(
  soql: string,
  range: { readonly from: string; readonly to: string | undefined },
): string {
  const query = parse(soql) as Query;
  const withoutWhere: Query = { ...query };
  delete withoutWhere.where;
  const base = composeQuery(withoutWhere);
  const where =
    query.where === undefined
      ? undefined
      : composeQuery(query)
          .slice(base.length)
          .replace(/^\s*WHERE\s+/i, '');
  const bounds = [`Id >= '${range.from}'`, ...(range.to === undefined ? [] : [`Id < '${range.to}'`])];
  const conditions = where === undefined ? bounds : [`(${where})`, ...bounds];
  return `${base} WHERE ${conditions.join(' AND ')}`;
}

function parse(soql: string): Query | undefined {
  try {
    return parseSoqlText(soql);
  } catch {
    return undefined;
  }
}
