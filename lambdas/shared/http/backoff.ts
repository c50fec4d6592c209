// Exponential backoff with full jitter for retries inside one invocation. One convention everywhere:
// `retry` counts retries from 1 (the first retry after the first failure is retry 1).

export interface BackoffPolicy {
  /** The first retry waits up to this long. */
  readonly baseMs: number;
  /** No retry waits longer than this. */
  readonly capMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, capMs: 30_000 };

/** Uniform in [0, min(cap, base·2^(retry−1))] ms, so many clients that failed together do not retry in step. */
export function fullJitterMs(retry: number, random: () => number = Math.random, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, retry - 1));
  return Math.round(random() * ceiling);
}
