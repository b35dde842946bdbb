import { ConfigurationError, encodePathSegment, type Requester } from '@forcekit/core';
import { type CallOptions, withCallOptions } from './call-options.js';
import { REFERENCE_ID } from './references.js';

/**
 * A record of an sObject tree: its fields, plus child collections keyed by child relationship name
 * (`Contacts: { records: [...] }`). Child records name their type in `attributes.type`; a root's type
 * is the one `compositeTree` is called with. `attributes.referenceId` names the record in the result;
 * one is made up (`ref1`, `ref2`, …) when it is missing.
 */
export interface TreeRecord {
  readonly attributes?: { readonly type?: string; readonly referenceId?: string } | undefined;
  readonly [field: string]: unknown;
}

export interface TreeResult {
  readonly hasErrors: boolean;
  /** Roots first, then children by level, as Salesforce answers. */
  readonly results: readonly { readonly referenceId: string; readonly id: string }[];
  /** The new ids by referenceId. */
  readonly ids: Readonly<Record<string, string>>;
}

/** Salesforce's limits for one tree request. */
export const MAX_TREE_RECORDS = 200;
const MAX_TREE_DEPTH = 5;

const SUBJECT = 'sObject tree';

function isChildCollection(value: unknown): value is { records: unknown[] } {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Array.isArray((value as { records?: unknown }).records)
  );
}

interface Walk {
  count: number;
  readonly used: Set<string>;
  readonly pending: { attributes: Record<string, unknown> }[];
}

function walk(
  record: TreeRecord,
  path: string,
  depth: number,
  rootType: string | undefined,
  state: Walk,
): Record<string, unknown> {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    throw new ConfigurationError([{ field: path, message: 'must be a record object' }], SUBJECT);
  }
  if (depth > MAX_TREE_DEPTH) {
    throw new ConfigurationError(
      [{ field: path, message: `trees are at most ${MAX_TREE_DEPTH} levels deep` }],
      SUBJECT,
    );
  }
  state.count++;
  const given = record.attributes ?? {};
  const type = given.type ?? rootType;
  if (typeof type !== 'string' || type === '') {
    throw new ConfigurationError(
      [{ field: `${path}.attributes.type`, message: 'a child record must name its type' }],
      SUBJECT,
    );
  }
  if (rootType !== undefined && type !== rootType) {
    throw new ConfigurationError(
      [{ field: `${path}.attributes.type`, message: `a root record must be a ${rootType}` }],
      SUBJECT,
    );
  }
  const attributes: Record<string, unknown> = { type };
  const out: Record<string, unknown> = { attributes };
  if (given.referenceId !== undefined) {
    if (typeof given.referenceId !== 'string' || !REFERENCE_ID.test(given.referenceId)) {
      throw new ConfigurationError(
        [
          {
            field: `${path}.attributes.referenceId`,
            message: 'must start with a letter and hold only letters, digits and _',
          },
        ],
        SUBJECT,
      );
    }
    if (state.used.has(given.referenceId)) {
      throw new ConfigurationError(
        [{ field: `${path}.attributes.referenceId`, message: `"${given.referenceId}" is used twice` }],
        SUBJECT,
      );
    }
    state.used.add(given.referenceId);
    attributes.referenceId = given.referenceId;
  } else {
    state.pending.push({ attributes });
  }
  for (const [key, value] of Object.entries(record)) {
    if (key === 'attributes' || value === undefined) continue;
    if (isChildCollection(value)) {
      out[key] = {
        records: value.records.map((child, i) =>
          walk(child as TreeRecord, `${path}.${key}.records[${i}]`, depth + 1, undefined, state),
        ),
      };
    } else {
      out[key] = value;
    }
  }
  return out;
}

/**
 * `POST /composite/tree/<type>`: creates up to 200 records with their children in one transaction
 * (roots of `type`, children nested by relationship name, five levels at most). On success returns
 * the new ids by referenceId. When any record fails nothing is saved and the call throws an `ApiError`
 * (HTTP 400).
 */
export async function compositeTree(
  requester: Requester,
  type: string,
  records: readonly TreeRecord[],
  options?: CallOptions,
): Promise<TreeResult> {
  if (typeof type !== 'string' || !/^[A-Za-z][A-Za-z0-9_]*$/.test(type)) {
    throw new ConfigurationError([{ field: 'type', message: 'must be an sObject name' }], SUBJECT);
  }
  if (!Array.isArray(records) || records.length === 0) {
    throw new ConfigurationError([{ field: 'records', message: 'must be a non-empty array' }], SUBJECT);
  }
  const state: Walk = { count: 0, used: new Set(), pending: [] };
  const tree = records.map((record, i) => walk(record, `records[${i}]`, 1, type, state));
  if (state.count > MAX_TREE_RECORDS) {
    throw new ConfigurationError(
      [
        {
          field: 'records',
          message: `a tree holds at most ${MAX_TREE_RECORDS} records (got ${state.count})`,
        },
      ],
      SUBJECT,
    );
  }
  let next = 1;
  for (const record of state.pending) {
    while (state.used.has(`ref${next}`)) next++;
    record.attributes.referenceId = `ref${next}`;
    state.used.add(`ref${next}`);
  }
  const response = await requester.request<Omit<TreeResult, 'ids'>>(
    withCallOptions(
      { method: 'POST', path: `composite/tree/${encodePathSegment(type)}`, body: { records: tree } },
      options,
    ),
  );
  const ids: Record<string, string> = {};
  for (const result of response.results) ids[result.referenceId] = result.id;
  return { hasErrors: response.hasErrors, results: response.results, ids };
}
