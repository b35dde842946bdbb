import { type Requester, ResponseError } from '@forcekit/core';
import { type CallOptions, withCallOptions } from './call-options.js';

/** One entry of `GET /services/data`: every API version the org serves, oldest first. */
export interface ApiVersion {
  readonly label: string;
  readonly url: string;
  readonly version: string;
}

/** One limit of `GET /limits`; some nest a per-connected-app breakdown by app name. */
export interface Limit {
  readonly Max: number;
  readonly Remaining: number;
  readonly [appName: string]: number | { readonly Max: number; readonly Remaining: number };
}

/** `GET /limits`: limit name (`DailyApiRequests`, `DataStorageMB`, …) to its maximum and what remains. */
export type Limits = Readonly<Record<string, Limit>>;

/** `GET /services/data/vNN.N/`: resource name (`sobjects`, `query`, …) to its path, plus `identity`. */
export type Resources = Readonly<Record<string, string>>;

/** The identity URL's JSON (`GET <id URL>?format=json`), with Salesforce's field names. */
export interface IdentityInfo {
  readonly id: string;
  readonly user_id: string;
  readonly organization_id: string;
  readonly username: string;
  readonly display_name?: string;
  readonly email?: string;
  readonly [key: string]: unknown;
}

/** The API versions the org serves (`GET /services/data`), oldest first. */
export function versions(requester: Requester, options?: CallOptions): Promise<ApiVersion[]> {
  return requester.request<ApiVersion[]>(withCallOptions({ path: '/services/data' }, options));
}

/** The resources of the requester's API version (`GET /services/data/vNN.N/`). */
export function resources(requester: Requester, options?: CallOptions): Promise<Resources> {
  return requester.request<Resources>(withCallOptions({ path: '' }, options));
}

/** The org's limits and what remains of each (`GET /limits`). */
export function limits(requester: Requester, options?: CallOptions): Promise<Limits> {
  return requester.request<Limits>(withCallOptions({ path: 'limits' }, options));
}

/**
 * Who the session belongs to: the identity URL's JSON. The URL is the session's `idUrl` when the login
 * returned one, else the `identity` entry of the resources list.
 */
export async function identity(requester: Requester, options?: CallOptions): Promise<IdentityInfo> {
  const session = options?.session ?? (await requester.getSession());
  let url = session.idUrl;
  if (url === undefined) {
    const list = await resources(requester, options);
    url = list.identity;
    if (typeof url !== 'string') {
      throw new ResponseError(
        { method: 'GET', path: '/services/data/' },
        200,
        'the resources list names no identity URL',
      );
    }
  }
  // The identity URL answers an expired session with 403 `Bad_OAuth_Token` (not the REST API's 401); the
  // transport takes that for an expiry and refreshes, as it does a 401.
  return requester.request<IdentityInfo>(withCallOptions({ path: url, query: { format: 'json' } }, options));
}
