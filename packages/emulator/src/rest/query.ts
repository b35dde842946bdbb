import {
  executeSoql,
  executeSosl,
  parseSoqlText,
  type QueryResultSet,
  type RenderContext,
  SoqlError,
} from '../soql/index.js';
import type { QueryCursor } from './cursors.js';
import { badRequest, type DataRequest, type DataResponse, json } from './request.js';

/**
 * `query`, `queryAll`, query locators (`nextRecordsUrl`), `explain`, `search` and
 * `parameterizedSearch`, over the SOQL/SOSL engine. A query is evaluated once; its locator keeps the
 * result, so each further page is a slice of it.
 */

export const DEFAULT_BATCH_SIZE = 2000;
const MIN_BATCH_SIZE = 200;

/** `Sforce-Query-Options: batchSize=N`, clamped to 200..2000 as Salesforce treats it. */
export function batchSizeOf(req: DataRequest): number {
  const header = req.header('sforce-query-options');
  const match = header === undefined ? null : /(?:^|[,;\s])batchSize\s*=\s*(\d+)/i.exec(header);
  if (match === null) return DEFAULT_BATCH_SIZE;
  const n = Number(match[1]);
  return Math.min(DEFAULT_BATCH_SIZE, Math.max(MIN_BATCH_SIZE, n));
}

function soqlFailure(error: unknown): never {
  if (error instanceof SoqlError) throw badRequest(error.errorCode, error.message);
  throw error;
}

/** The relative URL of a locator page. */
function locatorUrl(version: string, locator: string, offset: number): string {
  return `/services/data/v${version}/query/${locator}-${offset}`;
}

/** Renders one page; registers child-subquery remainders as locators of their own. */
function renderPage(
  req: DataRequest,
  result: QueryResultSet,
  start: number,
  pageSize: number,
  cursor: { locator: string } | undefined,
): Record<string, unknown> {
  const ctx: RenderContext = {
    childLocator: (rest, nextOffset) => {
      const locator = req.org.queryCursors.open(rest, req.userId, Math.max(nextOffset, 1), true);
      return locatorUrl(req.version, locator, nextOffset);
    },
  };
  const end = Math.min(start + pageSize, result.size);
  const records = result.page(start, end, ctx);
  const done = end >= result.size;
  let locator = cursor?.locator;
  if (!done && locator === undefined) locator = req.org.queryCursors.open(result, req.userId, pageSize);
  // A cursor stays open after its last page (until idle expiry or the per-user cap releases it), so a
  // client may fetch a page again after a dropped connection, as it can from Salesforce.
  return done
    ? { totalSize: result.totalSize, done: true, records }
    : {
        totalSize: result.totalSize,
        done: false,
        nextRecordsUrl: locatorUrl(req.version, locator as string, end),
        records,
      };
}

function explain(req: DataRequest, soql: string, includeDeleted: boolean): DataResponse {
  let result: QueryResultSet;
  try {
    result = executeSoql(soql, req.org.data, options(req, includeDeleted));
  } catch (error) {
    soqlFailure(error);
  }
  const parsed = parseSoqlText(soql);
  const sobjectType = req.org.data.object(parsed.sObject ?? '')?.name ?? parsed.sObject ?? '';
  const cardinality = req.org.data.records(sobjectType).length;
  const hasFilter = parsed.where !== undefined;
  return json(200, {
    plans: [
      {
        cardinality: result.size,
        fields: [],
        leadingOperationType: 'TableScan',
        notes: hasFilter
          ? [
              {
                description: 'Not considering filter for optimization because unindexed',
                fields: [],
                tableEnumOrId: sobjectType,
              },
            ]
          : [],
        relativeCost:
          Math.round((cardinality / Math.max(cardinality, 1)) * 100) / 100 + (hasFilter ? 0.5 : 0),
        sobjectCardinality: cardinality,
        sobjectType,
      },
    ],
    sourceQuery: soql,
  });
}

function options(req: DataRequest, includeDeleted: boolean) {
  return { includeDeleted, apiVersion: req.version, now: new Date(req.org.clock.now()), userId: req.userId };
}

function runQuery(req: DataRequest, includeDeleted: boolean): DataResponse {
  const explainText = req.query.get('explain');
  const q = req.query.get('q');
  if (explainText !== null && (q === null || q === '')) return explain(req, explainText, includeDeleted);
  if (q === null || q.trim() === '') {
    throw badRequest('MALFORMED_QUERY', 'A query string has to be specified');
  }
  let result: QueryResultSet;
  try {
    result = executeSoql(q, req.org.data, options(req, includeDeleted));
  } catch (error) {
    soqlFailure(error);
  }
  return json(200, renderPage(req, result, 0, batchSizeOf(req), undefined));
}

export function queryHandler(req: DataRequest): DataResponse {
  return runQuery(req, false);
}

export function queryAllHandler(req: DataRequest): DataResponse {
  return runQuery(req, true);
}

const LOCATOR = /^(01g[A-Za-z0-9]{12,15})-(\d+)$/;

/** `GET /query/01g...-2000` (also under `/queryAll/`): the next page of an open cursor. */
export function locatorHandler(req: DataRequest): DataResponse {
  const match = LOCATOR.exec(req.params.locator as string);
  const cursor: QueryCursor | undefined =
    match === null ? undefined : req.org.queryCursors.use(match[1] as string, req.userId);
  const offset = match === null ? Number.NaN : Number(match[2]);
  if (cursor === undefined || !(offset >= 0) || offset > cursor.result.size) {
    throw badRequest('INVALID_QUERY_LOCATOR', 'invalid query locator');
  }
  const page = renderPage(req, cursor.result, offset, cursor.pageSize, cursor);
  return json(200, page);
}

// ---- search -------------------------------------------------------------------------------------

function runSosl(req: DataRequest, sosl: string): DataResponse {
  try {
    return json(200, { searchRecords: executeSosl(sosl, req.org.data, options(req, false)) });
  } catch (error) {
    soqlFailure(error);
  }
}

export function searchHandler(req: DataRequest): DataResponse {
  const q = req.query.get('q');
  if (q === null || q.trim() === '') {
    throw badRequest('MALFORMED_SEARCH', 'No search term found. The search term must be enclosed in braces.');
  }
  return runSosl(req, q);
}

/** Characters SOSL reserves inside `FIND {...}`, escaped with a backslash. */
function escapeSearchTerm(term: string): string {
  return term.replace(/[?&|!{}[\]()^~*:\\"'+-]/g, (c) => `\\${c}`);
}

interface SearchObjectSpec {
  readonly name: string;
  readonly fields?: readonly string[];
  readonly limit?: number;
}

const SCOPES = new Set(['ALL', 'NAME', 'EMAIL', 'PHONE', 'SIDEBAR']);

/**
 * `parameterizedSearch`: `q`, `sobject`/`sobjects`, `<Object>.fields`, `fields`, `in`, `overallLimit`,
 * `defaultLimit`, from the query string (GET) or a JSON body (POST), turned into a SOSL statement.
 */
export function parameterizedSearchHandler(req: DataRequest): DataResponse {
  const body = (req.method === 'POST' ? req.body : undefined) as Record<string, unknown> | undefined;
  if (req.method === 'POST' && (typeof body !== 'object' || body === null || Array.isArray(body))) {
    throw badRequest('JSON_PARSER_ERROR', 'The request body must be a JSON object');
  }
  const q = body !== undefined ? body.q : req.query.get('q');
  if (typeof q !== 'string' || q.trim() === '') {
    throw badRequest('MISSING_ARGUMENT', 'Missing argument: q');
  }
  const scope = String((body !== undefined ? body.in : req.query.get('in')) ?? 'ALL').toUpperCase();
  if (!SCOPES.has(scope)) throw badRequest('INVALID_SEARCH', `Invalid search scope: ${scope}`);
  const commonFields =
    body !== undefined ? (body.fields as string[] | undefined) : req.query.get('fields')?.split(',');
  let objects: SearchObjectSpec[];
  if (body !== undefined) {
    objects = Array.isArray(body.sobjects) ? (body.sobjects as SearchObjectSpec[]) : [];
  } else {
    const names = (req.query.get('sobject') ?? '').split(',').filter((n) => n.trim() !== '');
    objects = names.map((name) => {
      const fields = req.query.get(`${name}.fields`)?.split(',');
      const limit = req.query.get(`${name}.limit`);
      return {
        name: name.trim(),
        ...(fields === undefined ? {} : { fields }),
        ...(limit === null ? {} : { limit: Number(limit) }),
      };
    });
  }
  const defaultLimit = Number(
    (body !== undefined ? body.defaultLimit : req.query.get('defaultLimit')) ?? Number.NaN,
  );
  const overallLimit = Number(
    (body !== undefined ? body.overallLimit : req.query.get('overallLimit')) ?? Number.NaN,
  );
  const returning = objects.map((spec) => {
    if (typeof spec?.name !== 'string' || !/^[A-Za-z][A-Za-z0-9_]*$/.test(spec.name)) {
      throw badRequest('INVALID_SEARCH', `Invalid sobject name: ${String(spec?.name)}`);
    }
    const fields = [...new Set(['Id', ...(spec.fields ?? commonFields ?? [])].map((f) => f.trim()))];
    for (const f of fields) {
      if (!/^[A-Za-z][A-Za-z0-9_.]*$/.test(f)) throw badRequest('INVALID_FIELD', `Invalid field name: ${f}`);
    }
    const limit = spec.limit ?? (Number.isFinite(defaultLimit) ? defaultLimit : undefined);
    return `${spec.name}(${fields.join(', ')}${limit !== undefined && Number.isFinite(limit) ? ` LIMIT ${Math.floor(limit)}` : ''})`;
  });
  let sosl = `FIND {${escapeSearchTerm(q)}} IN ${scope} FIELDS`;
  if (returning.length > 0) sosl += ` RETURNING ${returning.join(', ')}`;
  if (Number.isFinite(overallLimit)) sosl += ` LIMIT ${Math.floor(overallLimit)}`;
  return runSosl(req, sosl);
}
