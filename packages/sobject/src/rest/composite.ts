import { ConfigurationError, type Requester } from '@forcekit/core';
import { type CallOptions, withCallOptions } from './call-options.js';
import { REFERENCE_ID, referencedIds } from './references.js';
import { checkSubrequest, type Subrequest } from './subrequest.js';

/** Salesforce takes at most 25 subrequests in one composite or composite-batch request. */
export const MAX_SUBREQUESTS = 25;

/** A composite subrequest with its `referenceId`, for the array form of `composite()`. */
export interface ReferencedSubrequest extends Subrequest {
  readonly referenceId: string;
}

export interface CompositeOptions extends CallOptions {
  /** Roll everything back when any subrequest fails. Default: false. */
  readonly allOrNone?: boolean | undefined;
  /** Let Salesforce group independent subrequests to run faster. Default: false. */
  readonly collateSubrequests?: boolean | undefined;
}

/** One subresponse, as Salesforce sends it. */
export interface CompositeSubresponse<B = unknown> {
  /** The subrequest's response body: a record, `{ id, success, errors }`, an error array, or null (204). */
  readonly body: B;
  readonly httpHeaders: Readonly<Record<string, string>>;
  readonly httpStatusCode: number;
  readonly referenceId: string;
}

export interface CompositeResult<K extends string = string> {
  /** One subresponse per subrequest, in order. */
  readonly compositeResponse: readonly CompositeSubresponse[];
  /** The same subresponses keyed by referenceId. */
  readonly responses: Readonly<Record<K, CompositeSubresponse>>;
  /** True when every subrequest answered with a 2xx status. */
  readonly success: boolean;
}

const SUBJECT = 'composite request';

/** `sobjects/Account` -> `/services/data/v62.0/sobjects/Account`; a `/services/...` URL is kept. */
function compositeUrl(url: string, version: string): string {
  return url.startsWith('/') ? url : `/services/data/v${version}/${url}`;
}

/** The subrequests with their referenceIds, from either input form, checked and in order. */
function normalise(
  input: Readonly<Record<string, Subrequest>> | readonly ReferencedSubrequest[],
): ReferencedSubrequest[] {
  if (typeof input !== 'object' || input === null) {
    throw new ConfigurationError(
      [{ field: 'subrequests', message: 'must be an array or an object' }],
      SUBJECT,
    );
  }
  const list: ReferencedSubrequest[] = Array.isArray(input)
    ? [...(input as readonly ReferencedSubrequest[])]
    : Object.entries(input as Readonly<Record<string, Subrequest>>).map(([referenceId, sub]) => ({
        ...sub,
        referenceId,
      }));
  if (list.length === 0 || list.length > MAX_SUBREQUESTS) {
    throw new ConfigurationError(
      [
        {
          field: 'subrequests',
          message: `must hold 1 to ${MAX_SUBREQUESTS} subrequests (got ${list.length})`,
        },
      ],
      SUBJECT,
    );
  }
  const seen = new Set<string>();
  const issues: { field: string; message: string }[] = [];
  list.forEach((sub, index) => {
    const field = `subrequests[${index}]`;
    checkSubrequest(sub, field, SUBJECT);
    if (typeof sub.referenceId !== 'string' || !REFERENCE_ID.test(sub.referenceId)) {
      issues.push({
        field: `${field}.referenceId`,
        message: 'must start with a letter and hold only letters, digits and _',
      });
    } else if (seen.has(sub.referenceId)) {
      issues.push({ field: `${field}.referenceId`, message: `"${sub.referenceId}" is used twice` });
    }
    // A reference may only point back: Salesforce resolves them in order.
    const text = sub.url + (sub.body === undefined ? '' : JSON.stringify(sub.body));
    for (const target of referencedIds(text)) {
      if (!seen.has(target)) {
        issues.push({
          field,
          message:
            target === sub.referenceId
              ? `refers to itself (@{${target}…})`
              : `refers to "${target}", which no earlier subrequest defines`,
        });
      }
    }
    seen.add(sub.referenceId);
  });
  if (issues.length > 0) throw new ConfigurationError(issues, SUBJECT);
  return list;
}

/**
 * `POST /composite`: up to 25 subrequests in one round trip, later ones referring to earlier results
 * (`reference('acct').id`). Subrequest failures come back in their subresponse (HTTP 200 overall),
 * never thrown; with `allOrNone` one failure rolls back the rest. Pass an object keyed by referenceId
 * (insertion order is request order) or an array of subrequests with a `referenceId` each.
 */
export async function composite<K extends string>(
  requester: Requester,
  subrequests:
    | Readonly<Record<K, Subrequest>>
    | readonly (ReferencedSubrequest & { readonly referenceId: K })[],
  options: CompositeOptions = {},
): Promise<CompositeResult<K>> {
  const list = normalise(subrequests as Readonly<Record<string, Subrequest>>);
  const body = {
    allOrNone: options.allOrNone ?? false,
    collateSubrequests: options.collateSubrequests ?? false,
    compositeRequest: list.map((sub) => ({
      method: sub.method,
      url: compositeUrl(sub.url, requester.version),
      referenceId: sub.referenceId,
      ...(sub.body === undefined ? {} : { body: sub.body }),
      ...(sub.httpHeaders === undefined ? {} : { httpHeaders: sub.httpHeaders }),
    })),
  };
  const response = await requester.request<{ compositeResponse: CompositeSubresponse[] }>(
    withCallOptions({ method: 'POST', path: 'composite', body }, options),
  );
  const compositeResponse = response.compositeResponse;
  const responses: Record<string, CompositeSubresponse> = {};
  for (const sub of compositeResponse) responses[sub.referenceId] = sub;
  return {
    compositeResponse,
    responses: responses as Record<K, CompositeSubresponse>,
    success: compositeResponse.every((sub) => sub.httpStatusCode >= 200 && sub.httpStatusCode < 300),
  };
}

export interface CompositeBatchOptions extends CallOptions {
  /** Stop at the first failure; the rest answer 412 `BATCH_PROCESSING_HALTED`. Default: false. */
  readonly haltOnError?: boolean | undefined;
}

/** One batch result, as Salesforce sends it. */
export interface BatchSubresponse<R = unknown> {
  readonly statusCode: number;
  /** The subrequest's response body (an error array when it failed; null for 204). */
  readonly result: R;
}

export interface CompositeBatchResult {
  readonly hasErrors: boolean;
  readonly results: readonly BatchSubresponse[];
}

/** `sobjects/Account` -> `v62.0/sobjects/Account`: batch URLs are relative and start with the version. */
function batchUrl(url: string, version: string): string {
  const data = /^\/services\/data\/(v\d+\.\d+\/.*)$/.exec(url);
  if (data) return data[1] as string;
  return /^v\d+\.\d+\//.test(url) ? url : `v${version}/${url}`;
}

/**
 * `POST /composite/batch`: up to 25 independent subrequests, each its own transaction (no references
 * between them). Failures come back in `results`, never thrown.
 */
export async function compositeBatch(
  requester: Requester,
  subrequests: readonly Subrequest[],
  options: CompositeBatchOptions = {},
): Promise<CompositeBatchResult> {
  const subject = 'composite batch request';
  if (!Array.isArray(subrequests) || subrequests.length === 0 || subrequests.length > MAX_SUBREQUESTS) {
    throw new ConfigurationError(
      [{ field: 'subrequests', message: `must be an array of 1 to ${MAX_SUBREQUESTS} subrequests` }],
      subject,
    );
  }
  const batchRequests = subrequests.map((sub, index) => {
    checkSubrequest(sub, `subrequests[${index}]`, subject);
    const text = sub.url + (sub.body === undefined ? '' : JSON.stringify(sub.body));
    if (referencedIds(text).length > 0) {
      throw new ConfigurationError(
        [
          {
            field: `subrequests[${index}]`,
            message: 'batch subrequests cannot use references: use composite()',
          },
        ],
        subject,
      );
    }
    return {
      method: sub.method,
      url: batchUrl(sub.url, requester.version),
      ...(sub.body === undefined ? {} : { richInput: sub.body }),
    };
  });
  return requester.request<CompositeBatchResult>(
    withCallOptions(
      {
        method: 'POST',
        path: 'composite/batch',
        body: { haltOnError: options.haltOnError ?? false, batchRequests },
      },
      options,
    ),
  );
}
