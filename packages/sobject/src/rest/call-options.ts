import type { RequestOptions } from '@forcekit/core';

/**
 * Per-call options every REST extra takes: the second of the three option tiers (the client's options
 * are the first). `session` signs this one call (multi-user mode without a bound `as(session)` view).
 */
export type CallOptions = Pick<RequestOptions, 'signal' | 'timeout' | 'maxRetries' | 'headers' | 'session'>;

/** Copies the call options that are set onto a request, so `exactOptionalPropertyTypes` stays happy. */
export function withCallOptions<R extends object>(
  request: R,
  options: CallOptions | undefined,
): R & CallOptions {
  if (options === undefined) return request;
  const out: Record<string, unknown> = { ...(request as Record<string, unknown>) };
  for (const key of ['signal', 'timeout', 'maxRetries', 'headers', 'session'] as const) {
    if (options[key] !== undefined) out[key] = options[key];
  }
  return out as R & CallOptions;
}
