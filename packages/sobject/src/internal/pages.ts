import { ConfigurationError, type Requester, ResponseError } from '@forcekit/core';
import { mapLimit } from './concurrency.js';
import { isQueryResult, trackPage } from './tracking.js';

/** One page as Salesforce sends it: `{ totalSize, done, nextRecordsUrl?, records }`. */
export interface RawPage {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: unknown[];
}

/** Everything needed to fetch the pages of one query run. */
export interface PageSource {
  readonly requester: Requester;
  readonly soql: string;
  /** `queryAll`: deleted and archived records too. */
  readonly includeDeleted: boolean;
  /** `Sforce-Query-Options: batchSize=n`. */
  readonly batchSize: number | undefined;
  /** Wrap records as tracked records. */
  readonly tracked: boolean;
  /** Records may carry child subquery results: complete and track them (costs a key scan per record). */
  readonly children: boolean;
  readonly signal: AbortSignal | undefined;
}

/** Child subqueries whose `done` is false are completed this many at a time. */
const CHILD_FETCH_CONCURRENCY = 4;

/** A `(SELECT` in the text: the query may carry child subquery results (or a semi-join; scanning is harmless). */
const SUBQUERY = /\(\s*select\b/i;

/** Whether records of `soql` may carry child subquery results. */
export function hasSubquery(soql: string): boolean {
  return SUBQUERY.test(soql);
}

function headersOf(source: PageSource): Record<string, string> | undefined {
  return source.batchSize === undefined
    ? undefined
    : { 'sforce-query-options': `batchSize=${source.batchSize}` };
}

function checkPage(page: unknown, path: string): RawPage {
  if (page === null || typeof page !== 'object' || !Array.isArray((page as RawPage).records)) {
    throw new ResponseError(
      { method: 'GET', path },
      200,
      'a query page must be an object with a records array',
    );
  }
  return page as RawPage;
}

/** GET `query?q=` (or `queryAll`): the first page, as sent. */
export async function fetchFirstPage(source: PageSource): Promise<RawPage> {
  const path = source.includeDeleted ? 'queryAll' : 'query';
  const page = await source.requester.request<RawPage>({
    path,
    query: { q: source.soql },
    headers: headersOf(source),
    signal: source.signal,
  });
  return checkPage(page, path);
}

/** GET a `nextRecordsUrl` (top level or a child subquery's). */
export async function fetchPageAt(source: PageSource, url: string, signal = source.signal): Promise<RawPage> {
  if (typeof url !== 'string' || !url.startsWith('/services/data/')) {
    throw new ConfigurationError(
      [{ field: 'nextRecordsUrl', message: `must be a /services/data/ path, got ${JSON.stringify(url)}` }],
      'query locator',
    );
  }
  const page = await source.requester.request<RawPage>({ path: url, headers: headersOf(source), signal });
  return checkPage(page, url);
}

/**
 * Makes a page ready for the caller: fetches the rest of every child subquery result whose `done` is
 * false (so each record carries all its children), then wraps records and children as tracked records.
 */
export async function preparePage(
  source: PageSource,
  page: RawPage,
  signal = source.signal,
): Promise<RawPage> {
  const records = page.records;
  if (source.children && records.length > 0) await completeChildren(source, records, signal);
  if (source.tracked) trackPage(records, source.children);
  return page;
}

async function completeChildren(source: PageSource, records: unknown[], signal: AbortSignal | undefined) {
  const pending: { records: unknown[]; done: boolean; nextRecordsUrl?: string }[] = [];
  for (const record of records) {
    if (record === null || typeof record !== 'object') continue;
    for (const key in record) {
      const value = (record as Record<string, unknown>)[key];
      if (isQueryResult(value) && !value.done && typeof value.nextRecordsUrl === 'string')
        pending.push(value);
    }
  }
  if (pending.length === 0) return;
  await mapLimit(pending, CHILD_FETCH_CONCURRENCY, async (child) => {
    let url = child.nextRecordsUrl;
    while (url !== undefined) {
      const next = await fetchPageAt(source, url, signal);
      for (const record of next.records) child.records.push(record);
      url = next.done ? undefined : next.nextRecordsUrl;
    }
    child.done = true;
    delete child.nextRecordsUrl;
  });
}
