import { z } from 'zod';
import { ConfigurationError } from '../errors.js';
import { lazy } from '../lazy.js';
import type { RequestOptions } from '../requester.js';

/** The longest delay a Node timer can hold; a larger one fires at once. */
export const MAX_TIMER_MS = 2_147_483_647;

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
const METHOD_SET: ReadonlySet<string> = new Set(METHODS);

const milliseconds = () =>
  z
    .int({ error: 'must be a positive integer number of ms' })
    .min(1, 'must be a positive integer number of ms')
    .max(MAX_TIMER_MS, `must be at most ${MAX_TIMER_MS} ms`);

/**
 * The per-request options that would otherwise fail deep inside undici (or, for a timer, silently fire
 * at once). Other keys pass: `RequestOptions` is an open interface callers build by spreading.
 */
export const requestOptionsSchema = lazy(() =>
  z.object({
    path: z.string({ error: 'must be a string' }),
    method: z.enum(METHODS, { error: `must be one of ${METHODS.join(', ')}` }).optional(),
    timeout: milliseconds().optional(),
    totalTimeout: milliseconds().optional(),
    maxRetries: z
      .int({ error: 'must be a non-negative integer' })
      .min(0, 'must be a non-negative integer')
      .optional(),
  }),
);

const isMs = (value: unknown) =>
  value === undefined ||
  (Number.isInteger(value) && (value as number) > 0 && (value as number) <= MAX_TIMER_MS);
const isCount = (value: unknown) =>
  value === undefined || (Number.isInteger(value) && (value as number) >= 0);

/**
 * Checks a request's options before anything is sent. Every request passes here, so the common case is a
 * few comparisons; only a request that fails them pays for the zod schema, which names every bad field.
 */
export function checkRequest(request: RequestOptions): void {
  if (
    typeof request.path === 'string' &&
    (request.method === undefined || METHOD_SET.has(request.method)) &&
    isMs(request.timeout) &&
    isMs(request.totalTimeout) &&
    isCount(request.maxRetries)
  ) {
    return;
  }
  const parsed = requestOptionsSchema().safeParse(request);
  if (parsed.success) return;
  throw new ConfigurationError(
    parsed.error.issues.map((issue) => ({
      field: issue.path.join('.') || '(request)',
      message: issue.message,
    })),
    'request options',
  );
}
