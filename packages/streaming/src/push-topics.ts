import { apiPath, NotFoundError, parseOptions, type Requester } from '@forcekit/core';
import type { SoqlSource } from '@forcekit/soql';
import { z } from 'zod';

/**
 * Which field changes of an updated record fire a PushTopic notification:
 * `'Referenced'` (default: fields in SELECT or WHERE), `'Select'`, `'Where'`, or `'All'`.
 */
export type NotifyForFields = 'All' | 'Referenced' | 'Select' | 'Where';

export type PushTopicOperation = 'create' | 'update' | 'delete' | 'undelete';

export interface PushTopicDefinition {
  /** The topic name and channel (`/topic/<name>`): letters, digits, underscores, at most 25 characters. */
  readonly name: string;
  /** The SOQL query (at most 1,300 characters), as text or a builder (`from('Account').find(...)`). */
  readonly query: string | SoqlSource;
  /** Default `'Referenced'`. */
  readonly notifyForFields?: NotifyForFields;
  /** The record operations that notify. Default all four. */
  readonly operations?: readonly PushTopicOperation[];
  /** The API version the query is evaluated at. Default: the requester's. */
  readonly apiVersion?: string;
  readonly description?: string;
}

export interface CreatedPushTopic {
  readonly id: string;
  /** `/topic/<name>`, ready for `subscribe()`. */
  readonly channel: `/topic/${string}`;
}

const OPERATIONS: readonly PushTopicOperation[] = ['create', 'update', 'delete', 'undelete'];
const TOPIC_NAME = /^[A-Za-z][A-Za-z0-9_]{0,24}$/;
const PUSH_TOPIC_ID = /^0IF[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?$/;

const definitionSchema = z.strictObject({
  name: z
    .string({ error: 'must be a string' })
    .regex(
      TOPIC_NAME,
      'must be letters, digits and underscores, starting with a letter, at most 25 characters',
    ),
  query: z
    .string({ error: 'must be SOQL text or have toSOQL()' })
    .trim()
    .regex(/^select\s/i, 'must be a SELECT query')
    .max(1300, 'must be at most 1300 characters (the PushTopic query limit)'),
  notifyForFields: z
    .enum(['All', 'Referenced', 'Select', 'Where'], {
      error: "must be 'All', 'Referenced', 'Select' or 'Where'",
    })
    .optional(),
  operations: z
    .array(z.enum(OPERATIONS, { error: "must be 'create', 'update', 'delete' or 'undelete'" }))
    .min(1, 'must name at least one operation')
    .optional(),
  apiVersion: z
    .string()
    .regex(/^\d+\.\d$/, 'must look like "62.0"')
    .optional(),
  description: z.string().max(400, 'must be at most 400 characters').optional(),
});

/**
 * Creates a PushTopic (`POST sobjects/PushTopic`), whose channel `/topic/<name>` then notifies the
 * record changes its query matches.
 */
export async function createPushTopic(
  requester: Requester,
  definition: PushTopicDefinition,
): Promise<CreatedPushTopic> {
  const source = definition as { query?: unknown };
  const query =
    typeof source?.query === 'object' &&
    source.query !== null &&
    typeof (source.query as SoqlSource).toSOQL === 'function'
      ? (source.query as SoqlSource).toSOQL()
      : source?.query;
  const parsed = parseOptions(definitionSchema, { ...definition, query }, 'PushTopic definition');
  const operations = new Set(parsed.operations ?? OPERATIONS);
  const body: Record<string, unknown> = {
    Name: parsed.name,
    Query: parsed.query,
    ApiVersion: Number(parsed.apiVersion ?? requester.version),
    NotifyForFields: parsed.notifyForFields ?? 'Referenced',
    NotifyForOperationCreate: operations.has('create'),
    NotifyForOperationUpdate: operations.has('update'),
    NotifyForOperationDelete: operations.has('delete'),
    NotifyForOperationUndelete: operations.has('undelete'),
  };
  if (parsed.description !== undefined) body.Description = parsed.description;
  const created = await requester.request<{ id: string }>({
    method: 'POST',
    path: 'sobjects/PushTopic',
    body,
  });
  return { id: created.id, channel: `/topic/${parsed.name}` as const };
}

/**
 * Deletes a PushTopic by id (`0IF…`) or by name. Resolves true when one was deleted, false when there
 * was none by that name or id.
 */
export async function deletePushTopic(requester: Requester, nameOrId: string): Promise<boolean> {
  const parsed = parseOptions(
    z.strictObject({
      nameOrId: z
        .string({ error: 'must be a string' })
        .refine(
          (value) => PUSH_TOPIC_ID.test(value) || TOPIC_NAME.test(value),
          'must be a PushTopic id or name',
        ),
    }),
    { nameOrId },
    'PushTopic to delete',
  );
  let id = parsed.nameOrId;
  if (!PUSH_TOPIC_ID.test(id)) {
    // The name was checked against [A-Za-z0-9_]: it cannot break out of the literal.
    const page = await requester.request<{ records?: { Id?: unknown }[] }>({
      path: 'query',
      query: { q: `SELECT Id FROM PushTopic WHERE Name = '${id}' LIMIT 1` },
    });
    const found = page.records?.[0]?.Id;
    if (typeof found !== 'string') return false;
    id = found;
  }
  try {
    await requester.request({ method: 'DELETE', path: apiPath`sobjects/PushTopic/${id}` });
    return true;
  } catch (error) {
    if (error instanceof NotFoundError) return false;
    throw error;
  }
}
