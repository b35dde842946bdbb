import type { RequestContext } from './context.js';

export type Handler = (ctx: RequestContext) => Promise<void> | void;

/**
 * How a route authenticates. `session`: a valid `Authorization: Bearer|OAuth <token>` (REST, Bulk 2.0,
 * Apex REST, CometD); `bulk-session`: the `X-SFDC-Session` header of the classic Bulk API; `none`: OAuth,
 * SOAP login, versions list and the emulator's own control routes.
 */
export type RouteAuth = 'session' | 'bulk-session' | 'none';

export interface RouteOptions {
  readonly auth?: RouteAuth;
}

export interface Route {
  readonly methods: readonly string[];
  readonly pattern: string;
  readonly handler: Handler;
  readonly auth: RouteAuth;
}

export type RouteMatch =
  | { readonly kind: 'found'; readonly route: Route; readonly params: Record<string, string> }
  | { readonly kind: 'method-not-allowed'; readonly allowed: readonly string[] }
  | { readonly kind: 'not-found' };

interface CompiledRoute extends Route {
  readonly segments: readonly Segment[];
}

type Segment =
  | { readonly kind: 'literal'; readonly value: string }
  | { readonly kind: 'param'; readonly name: string }
  | { readonly kind: 'version' }
  | { readonly kind: 'rest'; readonly name: string };

/**
 * A small path router. Patterns are `/`-separated segments:
 * - `literal` matches exactly (case-insensitive, as Salesforce's resource names are);
 * - `:name` captures one segment (percent-decoded);
 * - `:version` (the literal param name) captures `vNN.N` only, without the `v`, e.g. `62.0`;
 * - `*name` as the last segment captures the rest of the path (possibly empty), decoded per segment.
 * A trailing slash on the request is ignored (`/sobjects/` = `/sobjects`). Routes match in the order
 * they were added, so add specific patterns before general ones.
 */
export class Router {
  readonly #routes: CompiledRoute[] = [];

  add(
    methods: string | readonly string[],
    pattern: string,
    handler: Handler,
    options: RouteOptions = {},
  ): this {
    const list = (typeof methods === 'string' ? [methods] : methods).map((m) => m.toUpperCase());
    this.#routes.push({
      methods: list,
      pattern,
      handler,
      auth: options.auth ?? 'session',
      segments: compile(pattern),
    });
    return this;
  }

  get(pattern: string, handler: Handler, options?: RouteOptions): this {
    return this.add(['GET', 'HEAD'], pattern, handler, options);
  }

  post(pattern: string, handler: Handler, options?: RouteOptions): this {
    return this.add('POST', pattern, handler, options);
  }

  patch(pattern: string, handler: Handler, options?: RouteOptions): this {
    return this.add('PATCH', pattern, handler, options);
  }

  put(pattern: string, handler: Handler, options?: RouteOptions): this {
    return this.add('PUT', pattern, handler, options);
  }

  delete(pattern: string, handler: Handler, options?: RouteOptions): this {
    return this.add('DELETE', pattern, handler, options);
  }

  match(method: string, pathname: string): RouteMatch {
    const parts = splitPath(pathname);
    const allowed = new Set<string>();
    for (const route of this.#routes) {
      const params = matchSegments(route.segments, parts);
      if (params === undefined) continue;
      if (route.methods.includes(method)) return { kind: 'found', route, params };
      for (const m of route.methods) allowed.add(m);
    }
    return allowed.size > 0 ? { kind: 'method-not-allowed', allowed: [...allowed] } : { kind: 'not-found' };
  }
}

function compile(pattern: string): Segment[] {
  const parts = splitPath(pattern);
  return parts.map((part, index): Segment => {
    if (part.startsWith('*')) {
      if (index !== parts.length - 1) throw new Error(`"${part}" must be the last segment of ${pattern}`);
      return { kind: 'rest', name: part.slice(1) };
    }
    if (part === ':version') return { kind: 'version' };
    if (part.startsWith(':')) return { kind: 'param', name: part.slice(1) };
    return { kind: 'literal', value: part.toLowerCase() };
  });
}

function splitPath(pathname: string): string[] {
  const parts = pathname.split('/');
  // Leading "" from the first slash; trailing "" from a trailing slash.
  return parts.filter((part, index) => !(part === '' && (index === 0 || index === parts.length - 1)));
}

const VERSION_SEGMENT = /^v(\d{2}\.\d)$/;

function matchSegments(
  segments: readonly Segment[],
  parts: readonly string[],
): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] as Segment;
    if (segment.kind === 'rest') {
      params[segment.name] = parts.slice(i).map(decode).join('/');
      return params;
    }
    const part = parts[i];
    if (part === undefined) return undefined;
    switch (segment.kind) {
      case 'literal':
        if (part.toLowerCase() !== segment.value) return undefined;
        break;
      case 'param':
        params[segment.name] = decode(part);
        break;
      case 'version': {
        const match = VERSION_SEGMENT.exec(part);
        if (!match) return undefined;
        params.version = match[1] as string;
        break;
      }
    }
  }
  return parts.length === segments.length ? params : undefined;
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
