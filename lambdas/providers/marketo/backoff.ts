// How long to wait, in real (nominal) time: Marketo's rate-limit and full-queue waits (their numbers
// are the retry table's, shared/retry-policy.ts), and a growing, jittered poll interval that never goes
// below 60 s (transient failures use the shared full-jitter backoff).
import { RETRY_POLICY } from '#shared/retry-policy';

const { marketoRateLimit, queueFull } = RETRY_POLICY;

/** Marketo counts 100 calls per sliding 20 s (606) and 10 in flight (615): waiting a full window clears both. */
export const RATE_LIMIT_WAIT_MS: number = marketoRateLimit.waitMs;

/** A full window, plus jitter so workers that were throttled together do not come back together. */
export function rateLimitWaitMs(random: () => number): number {
  return RATE_LIMIT_WAIT_MS + Math.round(random() * marketoRateLimit.jitterMs);
}

export const MIN_POLL_SECONDS = 60;
export const MAX_POLL_SECONDS = 300;

/**
 * Seconds until the next status poll: the ceiling grows ×1.5 per poll (90, 135, 202, 300, capped) and
 * the wait is uniform between two thirds of the ceiling and the ceiling, never under 60 s. Marketo
 * updates status at most once a minute, and Adobe suggests 5 minutes for long jobs.
 */
export function pollIntervalSeconds(pollCount: number, random: () => number): number {
  const ceiling = Math.min(MAX_POLL_SECONDS, MIN_POLL_SECONDS * 1.5 ** (Math.max(0, pollCount) + 1));
  const floor = Math.max(MIN_POLL_SECONDS, (ceiling * 2) / 3);
  return Math.round(floor + random() * (ceiling - floor));
}

/** A queue slot frees when some job finishes: minutes, not seconds (4-6 minutes, jittered). */
export function queueFullWaitSeconds(random: () => number): number {
  return Math.round(queueFull.waitSeconds + random() * queueFull.jitterSeconds);
}
