// Exponential backoff with full jitter for retries inside one invocation. One convention everywhere:
// `retry` counts retries from 1 (the first retry after the first failure is retry 1).
import { RETRY_POLICY, type BackoffPolicy } from '../retry-policy';

export type { BackoffPolicy } from '../retry-policy';

/** A provider call's backoff (the retry table's). */
export const DEFAULT_BACKOFF: BackoffPolicy = RETRY_POLICY.providerCall.backoff;

/** Uniform in [0, min(cap, base·2^(retry−1))] ms, so many clients that failed together do not retry in step. */
export function fullJitterMs(
  retry: number,
  random: () => number = Math.random,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, retry - 1));
  return Math.round(random() * ceiling);
}
