/**
 * Apex REST classes a test stands in for: `org.apexRoute('GET', '/accounts/:id', handler)` answers
 * `GET /services/apexrest/accounts/001...` the way an `@RestResource(urlMapping='/accounts/*')` would.
 */

export type ApexMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ApexRequest {
  readonly method: ApexMethod;
  /** The path after `/services/apexrest`, e.g. `/accounts/001...`. */
  readonly path: string;
  /** `:name` segments of the route, percent-decoded. */
  readonly params: Readonly<Record<string, string>>;
  /** The query string. */
  readonly query: URLSearchParams;
  /** Request headers, lower-case names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The body parsed as JSON when it is JSON, else the text; undefined when empty. */
  readonly body: unknown;
  readonly rawBody: Buffer;
  /** The calling user. */
  readonly userId: string;
}

export interface ApexResponse {
  /** Default 200. */
  readonly status?: number;
  /** Serialized as JSON (a string is sent as a JSON string, as Apex serializes it); undefined sends no body. */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A handler returns the response, or throws to answer 500 `APEX_ERROR` as an unhandled exception does. */
export type ApexHandler = (
  request: ApexRequest,
) => ApexResponse | undefined | Promise<ApexResponse | undefined>;

interface ApexRoute {
  readonly method: ApexMethod;
  readonly segments: readonly string[];
  readonly handler: ApexHandler;
}

const METHODS: readonly ApexMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

function split(path: string): string[] {
  return path.split('/').filter((part) => part !== '');
}

/** The routes, matched in registration order; `:name` captures a segment, a trailing `*` the rest. */
export class ApexRoutes {
  readonly #routes: ApexRoute[] = [];

  add(method: string, path: string, handler: ApexHandler): void {
    const upper = method.toUpperCase() as ApexMethod;
    if (!METHODS.includes(upper))
      throw new Error(`apexRoute: method must be one of ${METHODS.join(', ')}, got ${method}`);
    if (!path.startsWith('/')) throw new Error(`apexRoute: path must start with "/", got "${path}"`);
    if (typeof handler !== 'function') throw new Error('apexRoute: handler must be a function');
    const segments = split(path);
    const star = segments.indexOf('*');
    if (star !== -1 && star !== segments.length - 1)
      throw new Error(`apexRoute: "*" must be the last segment of ${path}`);
    this.#routes.push({ method: upper, segments, handler });
  }

  clear(): void {
    this.#routes.length = 0;
  }

  /** The handler for a request, with its params; undefined when no route matches. */
  match(method: string, path: string): { handler: ApexHandler; params: Record<string, string> } | undefined {
    const parts = split(path);
    for (const route of this.#routes) {
      if (route.method !== method) continue;
      const params = matchSegments(route.segments, parts);
      if (params !== undefined) return { handler: route.handler, params };
    }
    return undefined;
  }
}

function matchSegments(
  segments: readonly string[],
  parts: readonly string[],
): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] as string;
    if (segment === '*') return params;
    const part = parts[i];
    if (part === undefined) return undefined;
    if (segment.startsWith(':')) params[segment.slice(1)] = safeDecode(part);
    else if (segment.toLowerCase() !== part.toLowerCase()) return undefined;
  }
  return parts.length === segments.length ? params : undefined;
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
