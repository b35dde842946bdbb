/** How reconnection waits grow: doubling from `initialMs` up to `maxMs`. */
export interface BackoffPolicy {
  readonly initialMs: number;
  readonly maxMs: number;
}

/**
 * The delay before reconnection attempt `attempt` (0 for the first retry): exponential with "equal
 * jitter", so it lies in [ceiling / 2, ceiling] where ceiling = min(maxMs, initialMs * 2^attempt).
 * The jitter spreads the reconnections of many clients cut off by the same outage; the lower half
 * bound keeps a client from hammering the server with near-zero waits.
 */
export function reconnectDelayMs(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const exponent = Math.min(Math.max(0, Math.floor(attempt)), 30);
  const ceiling = Math.min(policy.maxMs, policy.initialMs * 2 ** exponent);
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}
