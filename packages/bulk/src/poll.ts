import { setTimeout as sleep } from 'node:timers/promises';
import { AbortError, type RequestTarget } from '@forcekit/core';

/** How a waiting call polls a job. */
export interface PollOptions {
  /** The first delay between two polls, in ms. Each following delay is 1.5 times the last. Default 1000. */
  readonly pollInterval?: number | undefined;
  /** The longest delay between two polls, in ms. Default ten times `pollInterval`, at most 10,000. */
  readonly maxPollInterval?: number | undefined;
  /**
   * How long to keep polling, in ms, before giving up with `PollTimeoutError` (the job is not aborted:
   * it keeps running and `bulk.job(id)` can wait for it later). Default 1,800,000 (30 minutes).
   */
  readonly pollTimeout?: number | undefined;
  /** Stops waiting (and, for jobs this call created, aborts them on the server). */
  readonly signal?: AbortSignal | undefined;
}

export interface PollPolicy {
  readonly interval: number;
  readonly maxInterval: number;
  readonly timeout: number;
}

export const DEFAULT_POLL_INTERVAL = 1000;
export const DEFAULT_POLL_TIMEOUT = 30 * 60 * 1000;
const GROWTH = 1.5;

/** Fills in the defaults. */
export function pollPolicy(options: PollOptions = {}): PollPolicy {
  const interval = options.pollInterval ?? DEFAULT_POLL_INTERVAL;
  const maxInterval = options.maxPollInterval ?? Math.max(interval, Math.min(10_000, interval * 10));
  return {
    interval,
    maxInterval: Math.max(interval, maxInterval),
    timeout: options.pollTimeout ?? DEFAULT_POLL_TIMEOUT,
  };
}

/** The delay before poll number `attempt + 1` (attempt 0 is the delay after the first poll). */
export function pollDelay(policy: PollPolicy, attempt: number): number {
  return Math.min(policy.maxInterval, Math.round(policy.interval * GROWTH ** Math.max(0, attempt)));
}

/**
 * The delay to sleep now, or undefined when the deadline has passed: never sleeps past the deadline,
 * so the last poll happens right at it.
 */
export function delayWithin(
  policy: PollPolicy,
  attempt: number,
  startedAt: number,
  now: number,
): number | undefined {
  const left = startedAt + policy.timeout - now;
  if (left <= 0) return undefined;
  return Math.min(pollDelay(policy, attempt), left);
}

/** Sleeps `ms`, or throws core's `AbortError` (naming what was being waited for) when `signal` fires. */
export async function pause(
  ms: number,
  signal: AbortSignal | undefined,
  target: RequestTarget,
): Promise<void> {
  if (signal?.aborted) throw new AbortError(target, { cause: signal.reason });
  try {
    await sleep(ms, undefined, signal === undefined ? undefined : { signal });
  } catch {
    throw new AbortError(target, { cause: signal?.reason });
  }
}
