import type { Dml } from '../data/dml.js';
import { HttpError, type RequestContext } from '../http/context.js';
import { type Handler, Router } from '../http/router.js';
import type { Org } from '../org.js';
import type { ApexMethod } from './apex.js';
import {
  collectionCreateHandler,
  collectionDeleteHandler,
  collectionRetrieveHandler,
  collectionUpdateHandler,
  collectionUpsertHandler,
} from './collections.js';
import { batchHandler, compositeHandler, type Dispatch, treeHandler } from './composite.js';
import { multipartBoundary, parseMultipart } from './multipart.js';
import {
  locatorHandler,
  parameterizedSearchHandler,
  queryAllHandler,
  queryHandler,
  searchHandler,
} from './query.js';
import {
  badRequest,
  type DataHandler,
  type DataRequest,
  type DataResponse,
  errorResponse,
  notFoundError,
  type UploadedFile,
} from './request.js';
import {
  basicInfoHandler,
  createHandler,
  deleteByExternalIdHandler,
  deletedHandler,
  deleteRecordHandler,
  describeGlobalHandler,
  describeHandler,
  getByExternalIdHandler,
  getRecordHandler,
  postToRecordHandler,
  updatedHandler,
  updateRecordHandler,
  upsertHandler,
} from './sobjects.js';

const V = '/services/data/:version';
const GET = ['GET', 'HEAD'] as const;

interface DataRoute {
  readonly methods: readonly string[];
  readonly pattern: string;
  readonly handler: DataHandler;
}

/**
 * Registers the data area's REST routes (sObjects, query, search, collections, composite, Apex REST)
 * on the emulator's router. The same route table serves composite subrequests in-process.
 */
export function registerDataRoutes(router: Router, org: Org): void {
  const internal = new Router();
  const handlers = new Map<Handler, DataHandler>();
  const dispatch: Dispatch = (sub, parent, dml) => runSubrequest(org, internal, handlers, sub, parent, dml);

  const routes: DataRoute[] = [
    { methods: GET, pattern: `${V}/sobjects`, handler: describeGlobalHandler },
    { methods: GET, pattern: `${V}/sobjects/:object`, handler: basicInfoHandler },
    { methods: ['POST'], pattern: `${V}/sobjects/:object`, handler: createHandler },
    { methods: GET, pattern: `${V}/sobjects/:object/describe`, handler: describeHandler },
    { methods: GET, pattern: `${V}/sobjects/:object/updated`, handler: updatedHandler },
    { methods: GET, pattern: `${V}/sobjects/:object/deleted`, handler: deletedHandler },
    { methods: GET, pattern: `${V}/sobjects/:object/:id`, handler: getRecordHandler },
    { methods: ['PATCH'], pattern: `${V}/sobjects/:object/:id`, handler: updateRecordHandler },
    { methods: ['DELETE'], pattern: `${V}/sobjects/:object/:id`, handler: deleteRecordHandler },
    { methods: ['POST'], pattern: `${V}/sobjects/:object/:id`, handler: postToRecordHandler },
    { methods: GET, pattern: `${V}/sobjects/:object/:field/:value`, handler: getByExternalIdHandler },
    { methods: ['PATCH'], pattern: `${V}/sobjects/:object/:field/:value`, handler: upsertHandler },
    {
      methods: ['DELETE'],
      pattern: `${V}/sobjects/:object/:field/:value`,
      handler: deleteByExternalIdHandler,
    },
    { methods: GET, pattern: `${V}/query`, handler: queryHandler },
    { methods: GET, pattern: `${V}/query/:locator`, handler: locatorHandler },
    { methods: GET, pattern: `${V}/queryAll`, handler: queryAllHandler },
    { methods: GET, pattern: `${V}/queryAll/:locator`, handler: locatorHandler },
    { methods: GET, pattern: `${V}/search`, handler: searchHandler },
    {
      methods: ['GET', 'HEAD', 'POST'],
      pattern: `${V}/parameterizedSearch`,
      handler: parameterizedSearchHandler,
    },
    { methods: ['POST'], pattern: `${V}/composite/sobjects`, handler: collectionCreateHandler },
    { methods: ['PATCH'], pattern: `${V}/composite/sobjects`, handler: collectionUpdateHandler },
    { methods: ['DELETE'], pattern: `${V}/composite/sobjects`, handler: collectionDeleteHandler },
    {
      methods: [...GET, 'POST'],
      pattern: `${V}/composite/sobjects/:object`,
      handler: collectionRetrieveHandler,
    },
    {
      methods: ['PATCH'],
      pattern: `${V}/composite/sobjects/:object/:field`,
      handler: collectionUpsertHandler,
    },
    { methods: ['POST'], pattern: `${V}/composite`, handler: compositeHandler(dispatch) },
    { methods: ['POST'], pattern: `${V}/composite/batch`, handler: batchHandler(dispatch) },
    { methods: ['POST'], pattern: `${V}/composite/tree/:object`, handler: treeHandler },
  ];

  for (const route of routes) {
    const adapter = httpAdapter(org, route.handler);
    router.add(route.methods, route.pattern, adapter);
    internal.add(route.methods, route.pattern, adapter);
    handlers.set(adapter, route.handler);
  }
  router.add(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'], '/services/apexrest/*path', apexAdapter(org));
}

/** A composite/batch subrequest, run through the same handlers without HTTP. */
function runSubrequest(
  org: Org,
  internal: Router,
  handlers: Map<Handler, DataHandler>,
  sub: Parameters<Dispatch>[0],
  parent: DataRequest,
  dml: Dml | undefined,
): DataResponse {
  const url = new URL(sub.url, 'http://composite.invalid');
  const match = internal.match(sub.method, url.pathname);
  try {
    if (match.kind !== 'found') {
      if (match.kind === 'method-not-allowed') {
        throw HttpError.rest(
          405,
          'METHOD_NOT_ALLOWED',
          `HTTP Method '${sub.method}' not allowed. Allowed are ${match.allowed.join(',')}`,
        );
      }
      throw notFoundError();
    }
    const handler = handlers.get(match.route.handler) as DataHandler;
    const headers = sub.headers;
    const version = match.params.version as string;
    return handler({
      org,
      method: sub.method,
      path: url.pathname,
      params: match.params,
      query: url.searchParams,
      header: (name) => headers[name.toLowerCase()],
      body: sub.body ?? undefined,
      files: new Map(),
      version,
      userId: parent.userId,
      dml,
    });
  } catch (error) {
    const response = errorResponse(error);
    if (response === undefined) throw error;
    return response;
  }
}

/** Reads the body (JSON, or multipart with an `entity_content` JSON part), runs the handler, answers. */
function httpAdapter(org: Org, handler: DataHandler): Handler {
  return async (ctx: RequestContext) => {
    const { body, files } = await readBody(ctx);
    const auth = ctx.auth;
    if (auth === undefined) throw new Error('data route reached without a session');
    let response: DataResponse;
    try {
      response = handler({
        org,
        method: ctx.method,
        path: ctx.path,
        params: ctx.params,
        query: ctx.query,
        header: (name) => ctx.header(name),
        body,
        files,
        version: ctx.params.version as string,
        userId: auth.userId,
        dml: undefined,
      });
    } catch (error) {
      const converted = errorResponse(error);
      if (converted === undefined) throw error;
      response = converted;
    }
    await send(ctx, response);
  };
}

async function readBody(ctx: RequestContext): Promise<{ body: unknown; files: Map<string, UploadedFile> }> {
  const files = new Map<string, UploadedFile>();
  if (ctx.method === 'GET' || ctx.method === 'HEAD' || ctx.method === 'DELETE')
    return { body: undefined, files };
  const boundary = multipartBoundary(ctx.header('content-type'));
  if (boundary === undefined) {
    const raw = await ctx.body();
    return { body: raw.length === 0 ? undefined : await ctx.json(), files };
  }
  let parts: ReturnType<typeof parseMultipart>;
  try {
    parts = parseMultipart(await ctx.body(), boundary);
  } catch (error) {
    throw badRequest('MALFORMED_REQUEST', `Malformed multipart body: ${(error as Error).message}`);
  }
  let body: unknown;
  for (const part of parts) {
    if (part.name === 'entity_content' || part.name === 'entity_document' || part.name === 'json') {
      try {
        body = JSON.parse(part.bytes.toString('utf8'));
      } catch (error) {
        throw badRequest(
          'JSON_PARSER_ERROR',
          `Unexpected character in entity_content: ${(error as Error).message}`,
        );
      }
    } else {
      files.set(part.name, {
        bytes: Buffer.from(part.bytes),
        filename: part.filename,
        contentType: part.contentType,
      });
    }
  }
  if (body === undefined) {
    throw badRequest(
      'INVALID_MULTIPART_REQUEST',
      'The multipart request needs a JSON part named entity_content',
    );
  }
  return { body, files };
}

async function send(ctx: RequestContext, response: DataResponse): Promise<void> {
  const headers = response.headers ?? {};
  if (response.raw !== undefined) {
    await ctx.send(response.status, response.raw.bytes, response.raw.contentType, headers);
  } else if (response.body === undefined) {
    ctx.noContent(response.status, headers);
  } else {
    await ctx.sendJson(response.status, response.body, headers);
  }
}

/** `/services/apexrest/...`: the handler a test registered with `org.apexRoute()`, or 404. */
function apexAdapter(org: Org): Handler {
  return async (ctx: RequestContext) => {
    const auth = ctx.auth;
    if (auth === undefined) throw new Error('Apex REST reached without a session');
    const path = `/${ctx.params.path ?? ''}`;
    const method = (ctx.method === 'HEAD' ? 'GET' : ctx.method) as ApexMethod;
    const match = org.apex.match(method, path);
    if (match === undefined) {
      throw HttpError.rest(404, 'NOT_FOUND', `Could not find a match for URL ${path}`);
    }
    const rawBody = await ctx.body();
    const text = rawBody.toString('utf8');
    let body: unknown;
    if (rawBody.length > 0) {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    const headers: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(ctx.req.headers)) {
      headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    let result: Awaited<ReturnType<typeof match.handler>>;
    try {
      result = await match.handler({
        method,
        path,
        params: match.params,
        query: ctx.query,
        headers,
        body,
        rawBody,
        userId: auth.userId,
      });
    } catch (error) {
      const name = error instanceof Error ? error.name : 'Error';
      const message = error instanceof Error ? error.message : String(error);
      throw HttpError.rest(
        500,
        'APEX_ERROR',
        `${name}: ${message}\n\nClass.EmulatorApexRoute: line 1, column 1`,
      );
    }
    const status = result?.status ?? 200;
    const extra = result?.headers ?? {};
    if (result?.body === undefined) {
      ctx.noContent(status, extra);
      return;
    }
    await ctx.sendJson(status, result.body, extra);
  };
}
