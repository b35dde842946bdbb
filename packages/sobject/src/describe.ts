import { createHash } from 'node:crypto';
import { text } from 'node:stream/consumers';
import { apiPath, ConfigurationError, type Requester, ResponseError, type Session } from '@forcekit/core';

/** A picklist entry of a describe field. */
export interface PicklistEntry {
  readonly active: boolean;
  readonly defaultValue: boolean;
  readonly label: string | null;
  readonly validFor: string | null;
  readonly value: string;
}

/** One entry of `fields` in an sObject describe (the commonly used keys; the JSON carries more). */
export interface DescribeField {
  readonly name: string;
  readonly label: string;
  /** `id`, `string`, `picklist`, `reference`, `currency`, `double`, `boolean`, `date`, `datetime`, ... */
  readonly type: string;
  readonly soapType: string;
  readonly length: number;
  readonly byteLength: number;
  readonly precision: number;
  readonly scale: number;
  readonly digits: number;
  readonly nillable: boolean;
  readonly createable: boolean;
  readonly updateable: boolean;
  readonly custom: boolean;
  readonly calculated: boolean;
  readonly defaultedOnCreate: boolean;
  readonly externalId: boolean;
  readonly idLookup: boolean;
  readonly unique: boolean;
  readonly nameField: boolean;
  readonly relationshipName: string | null;
  readonly referenceTo: readonly string[];
  readonly picklistValues: readonly PicklistEntry[];
  readonly [key: string]: unknown;
}

/** One entry of `childRelationships`: what child subqueries (`include('Contacts')`) name. */
export interface ChildRelationship {
  readonly childSObject: string;
  readonly field: string;
  readonly relationshipName: string | null;
  readonly cascadeDelete: boolean;
  readonly restrictedDelete: boolean;
  readonly [key: string]: unknown;
}

export interface RecordTypeInfo {
  readonly active: boolean;
  readonly available: boolean;
  readonly defaultRecordTypeMapping: boolean;
  readonly developerName: string;
  readonly master: boolean;
  readonly name: string;
  readonly recordTypeId: string;
  readonly [key: string]: unknown;
}

/** `GET sobjects/{type}/describe` (the commonly used keys; the JSON carries more). */
export interface DescribeSObjectResult {
  readonly name: string;
  readonly label: string;
  readonly labelPlural: string;
  readonly keyPrefix: string | null;
  readonly custom: boolean;
  readonly createable: boolean;
  readonly updateable: boolean;
  readonly deletable: boolean;
  readonly queryable: boolean;
  readonly retrieveable: boolean;
  readonly searchable: boolean;
  readonly undeletable: boolean;
  readonly triggerable: boolean;
  readonly fields: readonly DescribeField[];
  readonly childRelationships: readonly ChildRelationship[];
  readonly recordTypeInfos: readonly RecordTypeInfo[];
  readonly urls: Readonly<Record<string, string>>;
  readonly [key: string]: unknown;
}

/** One entry of `sobjects` in the global describe. */
export interface DescribeGlobalSObject {
  readonly name: string;
  readonly label: string;
  readonly labelPlural: string;
  readonly keyPrefix: string | null;
  readonly custom: boolean;
  readonly createable: boolean;
  readonly queryable: boolean;
  readonly urls: Readonly<Record<string, string>>;
  readonly [key: string]: unknown;
}

/** `GET sobjects/`. */
export interface DescribeGlobalResult {
  readonly encoding: string;
  readonly maxBatchSize: number;
  readonly sobjects: readonly DescribeGlobalSObject[];
}

export interface DescribeOptions {
  /** Revalidate now (`If-Modified-Since`) even when the cached copy is younger than `maxAge`. */
  readonly refresh?: boolean | undefined;
  readonly signal?: AbortSignal | undefined;
}

export interface DescribeCacheOptions {
  /**
   * How long (ms) a cached describe is served without asking Salesforce. After that the next call
   * revalidates it with `If-Modified-Since`: a `304 Not Modified` keeps the cached copy. Default 300000
   * (5 minutes); 0 revalidates on every call.
   */
  readonly maxAge?: number | undefined;
  /** Describes kept (least recently used dropped first). Default 500. */
  readonly maxEntries?: number | undefined;
}

interface Entry {
  readonly value: unknown;
  /** What to send as `If-Modified-Since`: the response's `Last-Modified`, else its `Date`. */
  readonly lastModified: string;
  checkedAt: number;
}

/**
 * Cached describes, per org, user and API version (field visibility differs between users, so users
 * never share an entry). One cache serves a connection and all its `as(session)` views; the facade keeps
 * one per connection. Concurrent requests for the same describe share one request. Results are frozen.
 */
export class DescribeCache {
  readonly #maxAge: number;
  readonly #maxEntries: number;
  readonly #entries = new Map<string, Entry>();
  readonly #inFlight = new Map<string, Promise<unknown>>();

  constructor(options: DescribeCacheOptions = {}) {
    const issues: { field: string; message: string }[] = [];
    if (options.maxAge !== undefined && !(Number.isFinite(options.maxAge) && options.maxAge >= 0)) {
      issues.push({ field: 'maxAge', message: 'must be a number of milliseconds >= 0' });
    }
    if (
      options.maxEntries !== undefined &&
      !(Number.isInteger(options.maxEntries) && options.maxEntries >= 1)
    ) {
      issues.push({ field: 'maxEntries', message: 'must be an integer >= 1' });
    }
    if (issues.length > 0) throw new ConfigurationError(issues, 'describe cache options');
    this.#maxAge = options.maxAge ?? 300_000;
    this.#maxEntries = options.maxEntries ?? 500;
  }

  /** `GET sobjects/{type}/describe`, cached. */
  describe(
    requester: Requester,
    type: string,
    options: DescribeOptions = {},
  ): Promise<DescribeSObjectResult> {
    return this.#get(
      requester,
      apiPath`sobjects/${type}/describe`,
      options,
    ) as Promise<DescribeSObjectResult>;
  }

  /** `GET sobjects/`, cached. */
  describeGlobal(requester: Requester, options: DescribeOptions = {}): Promise<DescribeGlobalResult> {
    return this.#get(requester, 'sobjects/', options) as Promise<DescribeGlobalResult>;
  }

  /** Forgets every cached describe. */
  clear(): void {
    this.#entries.clear();
  }

  /** How many describes are cached. */
  get size(): number {
    return this.#entries.size;
  }

  async #get(requester: Requester, path: string, options: DescribeOptions): Promise<unknown> {
    const key = cacheKey(await requester.getSession(), requester.version, path);
    const entry = this.#entries.get(key);
    if (entry !== undefined && options.refresh !== true && Date.now() - entry.checkedAt < this.#maxAge) {
      this.#touch(key, entry);
      return entry.value;
    }
    const running = this.#inFlight.get(key);
    if (running !== undefined) return running;
    const fetching = this.#fetch(requester, path, key, entry, options.signal).finally(() => {
      this.#inFlight.delete(key);
    });
    this.#inFlight.set(key, fetching);
    return fetching;
  }

  async #fetch(
    requester: Requester,
    path: string,
    key: string,
    entry: Entry | undefined,
    signal: AbortSignal | undefined,
  ): Promise<unknown> {
    const response = await requester.raw({
      path,
      headers:
        entry === undefined
          ? { accept: 'application/json' }
          : { accept: 'application/json', 'if-modified-since': entry.lastModified },
      signal,
    });
    const body = await text(response.body);
    if (response.status === 304 && entry !== undefined) {
      entry.checkedAt = Date.now();
      this.#touch(key, entry);
      return entry.value;
    }
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch (cause) {
      throw new ResponseError({ method: 'GET', path }, response.status, 'the describe is not valid JSON', {
        cause,
      });
    }
    const lastModified =
      headerOf(response.headers, 'last-modified') ??
      headerOf(response.headers, 'date') ??
      new Date().toUTCString();
    this.#touch(key, { value: deepFreeze(value), lastModified, checkedAt: Date.now() });
    return value;
  }

  #touch(key: string, entry: Entry): void {
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
  }
}

/** The cache every repository uses unless given its own. */
export const sharedDescribeCache = new DescribeCache();

function headerOf(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  name: string,
): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Org + user + version + resource. Without a user id, a hash of the token stands for the user (never the token). */
function cacheKey(session: Session, version: string, path: string): string {
  const user =
    session.userId ?? `token:${createHash('sha256').update(session.accessToken).digest('hex').slice(0, 24)}`;
  return `${session.instanceUrl}\n${user}\n${version}\n${path}`;
}

function deepFreeze(value: unknown): unknown {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

/** `GET sobjects/` through the shared cache (or `cache`). */
export function describeGlobal(
  requester: Requester,
  options: DescribeOptions & { readonly cache?: DescribeCache | undefined } = {},
): Promise<DescribeGlobalResult> {
  return (options.cache ?? sharedDescribeCache).describeGlobal(requester, options);
}
