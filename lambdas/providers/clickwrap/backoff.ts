// Waits, in real seconds: how long a 429 asks us to wait (bounded by the retry table,
// shared/retry-policy.ts), and when the workflow should poll a task next.
import { RETRY_POLICY } from '#shared/retry-policy';

/** Used when a 429 carries no (readable) Retry-After. */
export const DEFAULT_RETRY_AFTER_SECONDS: number = RETRY_POLICY.retryAfter.defaultSeconds;
/** A hostile or broken Retry-After must not park a Lambda for hours. */
export const MAX_RETRY_AFTER_SECONDS: number = RETRY_POLICY.retryAfter.maxSeconds;

/** `Retry-After` as seconds (delta-seconds or an HTTP date), bounded; the default when absent or unreadable. */
export function parseRetryAfter(header: string | string[] | undefined, now: Date): number {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === '') return DEFAULT_RETRY_AFTER_SECONDS;
  const trimmed = value.trim();
  let seconds: number;
  if (/^\d+(\.\d+)?$/.test(trimmed)) seconds = Number(trimmed);
  else {
    const at = Date.parse(trimmed);
    if (Number.isNaN(at)) return DEFAULT_RETRY_AFTER_SECONDS;
    seconds = (at - now.getTime()) / 1000;
  }
  return Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(0, seconds));
}

/**
 * Seconds until the next status poll: 30-60 s (the notes' "every 30-60 s at most"), growing with the
 * number of polls so far and jittered so many exports do not poll in step.
 */
export function nextPollSeconds(pollCount: number, random: () => number = Math.random): number {
  const n = Math.max(0, pollCount);
  // 30-60 s for the first polls (the notes' pace); a task still running after that backs off
  // towards 5 minutes, so one slow window cannot fill the execution's 25,000-event history.
  const growth = Math.min(30, 5 * (n + 1));
  const slow = n < 12 ? 1 : Math.min(5, 1.15 ** (n - 11));
  const seconds = (30 + growth * (0.5 + 0.5 * random())) * slow;
  return Math.round(seconds);
}
