import { ConfigurationError, encodePathSegment } from '@forcekit/core';
import type { SoqlSource } from '@forcekit/soql';
import { isReference } from './references.js';

export type SubrequestMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';

/**
 * One subrequest of a composite or composite-batch request. `url` is relative to the REST base
 * (`sobjects/Account/001…`); a `/services/data/vNN.N/…` URL is taken as is.
 */
export interface Subrequest {
  readonly method: SubrequestMethod;
  readonly url: string;
  /** The JSON body (composite `body`, batch `richInput`). */
  readonly body?: unknown;
  /** Per-subrequest headers (composite only), e.g. `If-Modified-Since`, `Sforce-Auto-Assign`. */
  readonly httpHeaders?: Readonly<Record<string, string>>;
}

/** A value in one URL segment: escaped, unless it is a whole `@{ref.field}` reference. */
function segment(value: string): string {
  if (typeof value !== 'string') {
    throw new ConfigurationError([{ field: 'path', message: 'a path value must be a string' }], 'subrequest');
  }
  return isReference(value) ? value : encodePathSegment(value);
}

function fieldList(fields: readonly string[] | undefined): string {
  if (fields === undefined) return '';
  if (!Array.isArray(fields) || fields.some((f) => typeof f !== 'string' || !/^[\w.]+$/.test(f))) {
    throw new ConfigurationError(
      [{ field: 'fields', message: 'must be an array of field names' }],
      'subrequest',
    );
  }
  return `?${new URLSearchParams({ fields: fields.join(',') }).toString()}`;
}

function soqlOf(query: string | SoqlSource): string {
  if (typeof query === 'string') return query;
  if (typeof query?.toSOQL === 'function') return query.toSOQL();
  throw new ConfigurationError(
    [{ field: 'query', message: 'must be SOQL text or a query builder' }],
    'subrequest',
  );
}

/**
 * Builders for the common subrequests, with every id and external-id value escaped (a reference such
 * as `reference('acct').id` is kept as is, for the server to resolve):
 *
 * ```ts
 * await conn.composite({
 *   acct: subrequest.create('Account', { Name: 'Acme' }),
 *   contact: subrequest.create('Contact', { LastName: 'Ng', AccountId: reference('acct').id }),
 * }, { allOrNone: true });
 * ```
 */
export const subrequest = {
  /** `POST sobjects/<type>`: answers `{ id, success, errors }` with 201. */
  create(type: string, record: Readonly<Record<string, unknown>>): Subrequest {
    return { method: 'POST', url: `sobjects/${segment(type)}`, body: record };
  },
  /** `GET sobjects/<type>/<id>?fields=…`. */
  retrieve(type: string, id: string, fields?: readonly string[]): Subrequest {
    return { method: 'GET', url: `sobjects/${segment(type)}/${segment(id)}${fieldList(fields)}` };
  },
  /** `PATCH sobjects/<type>/<id>`: answers 204. */
  update(type: string, id: string, record: Readonly<Record<string, unknown>>): Subrequest {
    return { method: 'PATCH', url: `sobjects/${segment(type)}/${segment(id)}`, body: record };
  },
  /** `PATCH sobjects/<type>/<field>/<value>`: 201 with `created: true`, or 200. */
  upsert(
    type: string,
    externalIdField: string,
    value: string,
    record: Readonly<Record<string, unknown>>,
  ): Subrequest {
    return {
      method: 'PATCH',
      url: `sobjects/${segment(type)}/${segment(externalIdField)}/${segment(value)}`,
      body: record,
    };
  },
  /** `DELETE sobjects/<type>/<id>`: answers 204. */
  delete(type: string, id: string): Subrequest {
    return { method: 'DELETE', url: `sobjects/${segment(type)}/${segment(id)}` };
  },
  /** `GET query?q=…`: answers a query page; refer to rows with `reference(id).field('records[0].Id')`. */
  query(soql: string | SoqlSource): Subrequest {
    return { method: 'GET', url: `query?${new URLSearchParams({ q: soqlOf(soql) }).toString()}` };
  },
  /** `GET queryAll?q=…`: deleted and archived rows too. */
  queryAll(soql: string | SoqlSource): Subrequest {
    return { method: 'GET', url: `queryAll?${new URLSearchParams({ q: soqlOf(soql) }).toString()}` };
  },
} as const;

const METHODS: ReadonlySet<string> = new Set<SubrequestMethod>([
  'GET',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'HEAD',
]);

/** Checks one subrequest's shape, naming the field at fault. */
export function checkSubrequest(value: Subrequest, field: string, subject: string): void {
  const issues: { field: string; message: string }[] = [];
  if (typeof value !== 'object' || value === null) {
    throw new ConfigurationError([{ field, message: 'must be a subrequest object' }], subject);
  }
  if (!METHODS.has(value.method))
    issues.push({ field: `${field}.method`, message: `must be one of ${[...METHODS].join(', ')}` });
  if (typeof value.url !== 'string' || value.url === '') {
    issues.push({ field: `${field}.url`, message: 'must be a non-empty string' });
  } else if (/^[a-z][a-z0-9+.-]*:/i.test(value.url)) {
    issues.push({ field: `${field}.url`, message: 'must be a REST path, not a full URL' });
  }
  if (issues.length > 0) throw new ConfigurationError(issues, subject);
}
