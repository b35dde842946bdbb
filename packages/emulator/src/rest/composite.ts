import type { Dml } from '../data/dml.js';
import { type DmlError, DmlException } from '../data/errors.js';
import type { FieldDef, ObjectDef } from '../schema/field.js';
import { badRequest, type DataRequest, type DataResponse, json } from './request.js';
import { objectOf } from './sobjects.js';

/**
 * `composite` (subrequests with `@{ref.path}` references, all-or-none), `composite/batch` (independent
 * subrequests, haltOnError) and `composite/tree/X` (nested record trees, all or nothing).
 */

/** Runs a subrequest through the data routes; `dml` joins a composite all-or-none transaction. */
export type Dispatch = (sub: SubRequest, parent: DataRequest, dml: Dml | undefined) => DataResponse;

export interface SubRequest {
  readonly method: string;
  /** A path with query string, `/services/data/v62.0/...`. */
  readonly url: string;
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string>>;
}

const MAX_SUBREQUESTS = 25;
/** Of the 25, how many may be query operations (query, queryAll, a query locator) or sObject Collections. */
const MAX_QUERY_OR_COLLECTION = 5;
/** `query`, `queryAll` (their locators too) and `composite/sobjects` after `/services/data/vNN.N/`. */
const QUERY_OR_COLLECTION = /^\/services\/data\/v\d+\.\d\/(?:query|queryAll|composite\/sobjects)(?:[/?]|$)/i;
const HALTED_MESSAGE =
  'The transaction was rolled back since another operation in the same transaction failed.';

interface CompositeSub {
  readonly method: string;
  readonly url: string;
  readonly referenceId: string;
  readonly body: unknown;
  readonly httpHeaders: Record<string, string>;
}

function parseComposite(body: unknown): { allOrNone: boolean; subs: CompositeSub[] } | DataResponse {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest('JSON_PARSER_ERROR', 'The request body must be a JSON object with "compositeRequest"');
  }
  const { allOrNone, compositeRequest } = body as { allOrNone?: unknown; compositeRequest?: unknown };
  if (!Array.isArray(compositeRequest) || compositeRequest.length === 0) {
    throw badRequest('INVALID_FIELD', 'compositeRequest: at least one subrequest is required');
  }
  if (compositeRequest.length > MAX_SUBREQUESTS) {
    return limitExceeded('The request can’t contain more than 25 operations.');
  }
  const heavy = compositeRequest.filter(
    (sub: unknown) =>
      typeof sub === 'object' &&
      sub !== null &&
      typeof (sub as { url?: unknown }).url === 'string' &&
      QUERY_OR_COLLECTION.test((sub as { url: string }).url),
  ).length;
  if (heavy > MAX_QUERY_OR_COLLECTION) {
    return limitExceeded(
      `The request can’t contain more than ${MAX_QUERY_OR_COLLECTION} query or sObject Collections operations.`,
    );
  }
  const seen = new Set<string>();
  const subs = compositeRequest.map((raw, i): CompositeSub => {
    const sub = raw as Record<string, unknown>;
    const where = `compositeRequest[${i}]`;
    if (typeof sub !== 'object' || sub === null)
      throw badRequest('JSON_PARSER_ERROR', `${where} must be an object`);
    const method = typeof sub.method === 'string' ? sub.method.toUpperCase() : '';
    if (!['GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'HEAD'].includes(method)) {
      throw badRequest('INVALID_FIELD', `${where}.method: must be GET, POST, PATCH, PUT or DELETE`);
    }
    if (typeof sub.url !== 'string' || !/^\/services\/data\/v\d+\.\d\//i.test(sub.url)) {
      throw badRequest('INVALID_FIELD', `${where}.url: must start with /services/data/vNN.N/`);
    }
    if (typeof sub.referenceId !== 'string' || !/^[A-Za-z0-9_]+$/.test(sub.referenceId)) {
      throw badRequest('INVALID_FIELD', `${where}.referenceId: letters, digits and underscores are required`);
    }
    if (seen.has(sub.referenceId)) {
      throw badRequest(
        'DUPLICATE_VALUE',
        `Duplicate referenceId provided in the request: ${sub.referenceId}`,
      );
    }
    seen.add(sub.referenceId);
    const headers: Record<string, string> = {};
    if (typeof sub.httpHeaders === 'object' && sub.httpHeaders !== null) {
      for (const [k, v] of Object.entries(sub.httpHeaders)) headers[k.toLowerCase()] = String(v);
    }
    return { method, url: sub.url, referenceId: sub.referenceId, body: sub.body, httpHeaders: headers };
  });
  return { allOrNone: allOrNone === true, subs };
}

/** A request over a composite limit: nothing runs, and the one entry says why. */
function limitExceeded(message: string): DataResponse {
  return json(200, {
    compositeResponse: [
      {
        body: [{ errorCode: 'LIMIT_EXCEEDED', message }],
        httpHeaders: {},
        httpStatusCode: 400,
        referenceId: null,
      },
    ],
  });
}

const REFERENCE = /@\{([A-Za-z0-9_]+)((?:\.[A-Za-z0-9_]+|\[\d+\])*)\}/g;

class UnresolvedReference extends Error {
  readonly reference: string;
  readonly referenceId: string;

  constructor(reference: string, referenceId: string) {
    super(`unresolved ${reference}`);
    this.reference = reference;
    this.referenceId = referenceId;
  }
}

function walk(value: unknown, path: string): unknown {
  let current = value;
  for (const step of path.match(/\.[A-Za-z0-9_]+|\[\d+\]/g) ?? []) {
    if (current === null || typeof current !== 'object') return undefined;
    const key = step.startsWith('[') ? Number(step.slice(1, -1)) : step.slice(1);
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

/** Replaces `@{ref.path}` in a string; a string that is exactly one reference takes the value's type. */
function resolveString(
  text: string,
  results: ReadonlyMap<string, unknown>,
  failed: ReadonlySet<string>,
): unknown {
  const whole = /^@\{([A-Za-z0-9_]+)((?:\.[A-Za-z0-9_]+|\[\d+\])*)\}$/.exec(text);
  const lookup = (ref: string, path: string, raw: string) => {
    if (!results.has(ref) || failed.has(ref)) throw new UnresolvedReference(raw.slice(2, -1), ref);
    const value = walk(results.get(ref), path);
    if (value === undefined || value === null || typeof value === 'object') {
      throw new UnresolvedReference(raw.slice(2, -1), ref);
    }
    return value;
  };
  if (whole) return lookup(whole[1] as string, whole[2] ?? '', text);
  return text.replace(REFERENCE, (raw, ref: string, path: string) => String(lookup(ref, path, raw)));
}

function resolveDeep(
  value: unknown,
  results: ReadonlyMap<string, unknown>,
  failed: ReadonlySet<string>,
): unknown {
  if (typeof value === 'string') return value.includes('@{') ? resolveString(value, results, failed) : value;
  if (Array.isArray(value)) return value.map((v) => resolveDeep(v, results, failed));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = resolveDeep(v, results, failed);
    return out;
  }
  return value;
}

function subResponse(referenceId: string | null, res: DataResponse): Record<string, unknown> {
  return {
    body: res.body ?? null,
    httpHeaders: { ...(res.headers ?? {}) },
    httpStatusCode: res.status,
    referenceId,
  };
}

function halted(referenceId: string, message: string): Record<string, unknown> {
  return {
    body: [{ errorCode: 'PROCESSING_HALTED', message }],
    httpHeaders: {},
    httpStatusCode: 400,
    referenceId,
  };
}

class CompositeRollback extends Error {}

export function compositeHandler(dispatch: Dispatch): (req: DataRequest) => DataResponse {
  return (req) => {
    const parsed = parseComposite(req.body);
    if ('status' in parsed) return parsed;
    const { allOrNone, subs } = parsed;
    const results = new Map<string, unknown>();
    const failed = new Set<string>();
    const responses: Record<string, unknown>[] = [];

    const runOne = (sub: CompositeSub, dml: Dml | undefined): DataResponse => {
      let url: string;
      let body: unknown;
      try {
        url = resolveString(sub.url, results, failed) as string;
        body = resolveDeep(sub.body, results, failed);
      } catch (error) {
        if (!(error instanceof UnresolvedReference)) throw error;
        return json(400, [
          {
            errorCode: 'PROCESSING_HALTED',
            message: `Invalid reference specified. No value for ${error.reference} found in ${error.referenceId}. Provided referenceId ensure the referenced request was processed successfully.`,
          },
        ]);
      }
      return dispatch({ method: sub.method, url, body, headers: sub.httpHeaders }, req, dml);
    };

    if (!allOrNone) {
      for (const sub of subs) {
        const res = runOne(sub, undefined);
        results.set(sub.referenceId, res.body);
        if (res.status >= 400) failed.add(sub.referenceId);
        responses.push(subResponse(sub.referenceId, res));
      }
      return json(200, { compositeResponse: responses });
    }

    let failedAt = -1;
    let failure: DataResponse | undefined;
    try {
      req.org.data.transaction(
        (dml) => {
          subs.forEach((sub, i) => {
            const res = runOne(sub, dml);
            results.set(sub.referenceId, res.body);
            responses.push(subResponse(sub.referenceId, res));
            if (res.status >= 400) {
              failedAt = i;
              failure = res;
              throw new CompositeRollback();
            }
          });
        },
        { userId: req.userId },
      );
    } catch (error) {
      if (!(error instanceof CompositeRollback)) throw error;
    }
    if (failure === undefined) return json(200, { compositeResponse: responses });
    const rolledBack = subs.map((sub, i) =>
      i === failedAt
        ? subResponse(sub.referenceId, failure as DataResponse)
        : halted(sub.referenceId, HALTED_MESSAGE),
    );
    return json(200, { compositeResponse: rolledBack });
  };
}

// ---- composite/batch ------------------------------------------------------------------------------

export function batchHandler(dispatch: Dispatch): (req: DataRequest) => DataResponse {
  return (req) => {
    const body = req.body as { haltOnError?: unknown; batchRequests?: unknown } | undefined;
    if (typeof body !== 'object' || body === null || !Array.isArray(body.batchRequests)) {
      throw badRequest('JSON_PARSER_ERROR', 'The request body must be a JSON object with "batchRequests"');
    }
    if (body.batchRequests.length === 0)
      throw badRequest('INVALID_FIELD', 'batchRequests: at least one is required');
    if (body.batchRequests.length > MAX_SUBREQUESTS) {
      throw badRequest('LIMIT_EXCEEDED', 'The request can’t contain more than 25 operations.');
    }
    const haltOnError = body.haltOnError === true;
    let halted = false;
    let hasErrors = false;
    const results = body.batchRequests.map((raw, i) => {
      const sub = raw as { method?: unknown; url?: unknown; richInput?: unknown };
      if (halted) {
        hasErrors = true;
        return {
          statusCode: 412,
          result: [{ errorCode: 'BATCH_PROCESSING_HALTED', message: 'Batch processing halted per request' }],
        };
      }
      const method = typeof sub.method === 'string' ? sub.method.toUpperCase() : '';
      const url = typeof sub.url === 'string' ? sub.url : '';
      if (method === '' || !/^\/?(?:services\/data\/)?v\d+\.\d\//i.test(url)) {
        throw badRequest(
          'INVALID_FIELD',
          `batchRequests[${i}]: method and a url starting with vNN.N/ are required`,
        );
      }
      const path = url.startsWith('/services/data/')
        ? url
        : `/services/data/${url.replace(/^\/?(?:services\/data\/)?/, '')}`;
      const res = dispatch({ method, url: path, body: sub.richInput, headers: {} }, req, undefined);
      if (res.status >= 400) {
        hasErrors = true;
        if (haltOnError) halted = true;
      }
      return { statusCode: res.status, result: res.body ?? null };
    });
    return json(200, { hasErrors, results });
  };
}

// ---- composite/tree -------------------------------------------------------------------------------

const MAX_TREE_RECORDS = 200;
const MAX_TREE_DEPTH = 5;

interface TreeNode {
  readonly def: ObjectDef;
  readonly referenceId: string;
  readonly fields: Record<string, unknown>;
  readonly parent: { readonly node: TreeNode; readonly field: FieldDef } | undefined;
  readonly depth: number;
  id?: string;
}

function treeError(message: string): never {
  throw badRequest('INVALID_INPUT', message);
}

/** Flattens the request into nodes, level by level (roots first), checking the tree's limits. */
function flattenTree(req: DataRequest, root: ObjectDef): TreeNode[][] {
  const body = req.body as { records?: unknown } | undefined;
  if (typeof body !== 'object' || body === null || !Array.isArray(body.records)) {
    throw badRequest('JSON_PARSER_ERROR', 'The request body must be a JSON object with "records"');
  }
  const levels: TreeNode[][] = [];
  const referenceIds = new Set<string>();
  let count = 0;
  const visit = (records: unknown[], expected: ObjectDef, parent: TreeNode['parent'], depth: number) => {
    if (depth > MAX_TREE_DEPTH) treeError('Exceeded max depth of 5 levels');
    for (const raw of records) {
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
        treeError('Each record must be a JSON object');
      const record = raw as Record<string, unknown>;
      const attributes = record.attributes as { type?: unknown; referenceId?: unknown } | undefined;
      const type = attributes?.type;
      const referenceId = attributes?.referenceId;
      if (typeof type !== 'string' || req.org.data.object(type)?.name !== expected.name) {
        treeError(`Expected records of type ${expected.name} at this level, got ${String(type)}`);
      }
      if (typeof referenceId !== 'string' || referenceId === '') {
        treeError('Each record needs attributes.referenceId');
      }
      if (referenceIds.has(referenceId))
        treeError(`Duplicate ReferenceId provided in the request: ${referenceId}`);
      referenceIds.add(referenceId);
      if (++count > MAX_TREE_RECORDS) treeError('Exceeded max limit of 200 records in the request');
      const fields: Record<string, unknown> = {};
      const children: [string, unknown][] = [];
      for (const [key, value] of Object.entries(record)) {
        if (key === 'attributes') continue;
        const relation = expected.childRelationships.find(
          (rel) => rel.relationshipName !== null && rel.relationshipName.toLowerCase() === key.toLowerCase(),
        );
        if (relation !== undefined && typeof value === 'object' && value !== null && !Array.isArray(value)) {
          children.push([key, value]);
        } else fields[key] = value;
      }
      const node: TreeNode = { def: expected, referenceId, fields, parent, depth };
      const level = levels[depth - 1] ?? [];
      levels[depth - 1] = level;
      level.push(node);
      for (const [key, value] of children) {
        const relation = expected.childRelationships.find(
          (rel) => rel.relationshipName?.toLowerCase() === key.toLowerCase(),
        );
        const childDef = relation === undefined ? undefined : req.org.data.object(relation.childSObject);
        const field = childDef?.fields.find((f) => f.name === relation?.field);
        const childRecords = (value as { records?: unknown }).records;
        if (childDef === undefined || field === undefined || !Array.isArray(childRecords)) {
          treeError(`${key}: child records must be {"records": [...]}`);
        }
        visit(childRecords, childDef, { node, field }, depth + 1);
      }
    }
  };
  visit(body.records, root, undefined, 1);
  return levels;
}

export function treeHandler(req: DataRequest): DataResponse {
  const root = objectOf(req);
  const levels = flattenTree(req, root);
  const failures: { referenceId: string; errors: DmlError[] }[] = [];
  const nodes = levels.flat();
  try {
    req.org.data.transaction(
      (dml) => {
        for (const node of nodes) {
          if (node.parent !== undefined && node.parent.node.id === undefined) continue;
          const fields = { ...node.fields };
          if (node.parent !== undefined) fields[node.parent.field.name] = node.parent.node.id;
          try {
            node.id = dml.savepoint(() => dml.create(node.def.name, fields));
          } catch (error) {
            if (!(error instanceof DmlException)) throw error;
            failures.push({ referenceId: node.referenceId, errors: [...error.errors] });
          }
        }
        if (failures.length > 0) throw new CompositeRollback();
      },
      { userId: req.userId },
    );
  } catch (error) {
    if (!(error instanceof CompositeRollback)) throw error;
    return json(400, {
      hasErrors: true,
      results: failures.map((f) => ({
        referenceId: f.referenceId,
        errors: f.errors.map((e) => ({ statusCode: e.statusCode, message: e.message, fields: e.fields })),
      })),
    });
  }
  return json(201, {
    hasErrors: false,
    results: nodes.map((node) => ({ referenceId: node.referenceId, id: node.id })),
  });
}
