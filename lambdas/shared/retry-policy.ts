// The retry numbers, said once beside the error policy: errors.ts says which errors are retried and in
// which group, this table says how often and how long. Pure data (no imports but types): lib/ builds
// every Retry rule and retry policy of the deployment from it, and the providers and the transfer read
// their in-process retries from it. Changing a number here changes it everywhere it applies;
// test/lib/constructs/step-time-budget.test.ts checks the in-process numbers still fit the steps' timeouts.
import type { RetriedPolicy } from './errors';

/** A Step Functions Retry rule's numbers. */
export interface StateRetry {
  readonly intervalSeconds: number;
  readonly backoffRate: number;
  readonly maxAttempts: number;
  readonly maxDelaySeconds?: number;
  /** Full jitter: each wait uniform in [0, the computed interval], so retries of many states spread out. */
  readonly jitter?: 'full';
}

/** An EventBridge target's retry policy (scheduler and rule targets). */
export interface TargetRetry {
  readonly retryAttempts: number;
  readonly maxEventAgeSeconds: number;
}

/** Exponential backoff with full jitter inside one invocation: retry n waits up to min(cap, base·2^(n−1)) ms. */
export interface BackoffPolicy {
  /** The first retry waits up to this long. */
  readonly baseMs: number;
  /** No retry waits longer than this. */
  readonly capMs: number;
}

const STATE_RETRIES = {
  transient: { intervalSeconds: 5, backoffRate: 2, maxAttempts: 6, maxDelaySeconds: 300, jitter: 'full' },
  // Marketo asks for at least 20 s after a 606; the provider already waited once in-process.
  'rate-limited': { intervalSeconds: 20, backoffRate: 2, maxAttempts: 6, maxDelaySeconds: 300, jitter: 'full' },
} as const satisfies Record<RetriedPolicy, StateRetry>;

export const RETRY_POLICY = {
  /** The state machine: one Retry rule per retried error group (errors.ts RETRY_GROUPS) on every Lambda Task state. */
  states: STATE_RETRIES,
  /**
   * StartJob's transient attempts (instead of `states.transient.maxAttempts`): safe to retry, since the
   * window's job is recorded the moment it is created, but few, since a create whose outcome stayed
   * unknown may leave a stray job in Created.
   */
  startJobTransientAttempts: 2,
  /** A Lambda that timed out, on the steps whose row says a re-run is safe. */
  lambdaTimeout: { intervalSeconds: 5, backoffRate: 2, maxAttempts: 2 },
  /** The native EventBridge PutEvents states (PublishSucceeded, PublishFailed). */
  publishEvent: { intervalSeconds: 5, backoffRate: 2, maxAttempts: 4 },
  /** A schedule's StartExecution: a start that keeps failing only hides the problem, so a few, then dead-letter. */
  scheduledStart: { retryAttempts: 3, maxEventAgeSeconds: 3600 },
  /** The status-change rule's call of the StoppedExecutions cleanup: idempotent, a few within the hour. */
  stoppedExecutionCleanup: { retryAttempts: 4, maxEventAgeSeconds: 3600 },
  /** A full provider queue: StartJob waits (jittered) and tries again, at most this many times in a row (about a day). */
  queueFull: { waitSeconds: 240, jitterSeconds: 120, maxTries: 288 },

  /** In process: one provider HTTP call's attempts, the full-jitter backoff between them, and the budget of all of it. */
  providerCall: { maxAttempts: 5, backoff: { baseMs: 1_000, capMs: 30_000 }, budgetMs: 180_000 },
  /** In process: Marketo creates whose outcome stayed unknown (each is checked against the listing first). */
  marketoCreateAttempts: 3,
  /** In process: Marketo counts 100 calls per sliding 20 s (606) and 10 in flight (615); waiting a full window clears both, jittered. */
  marketoRateLimit: { waitMs: 20_000, jitterMs: 5_000 },
  /** In process: a 429's Retry-After when it has none (readable), and the most a hostile one may ask. */
  retryAfter: { defaultSeconds: 30, maxSeconds: 300 },
  /** In process: a ranged download's failed attempts in a row (no byte in between), doubling from base to cap, half-jittered. */
  rangeRead: { maxAttempts: 5, baseMs: 1_000, capMs: 20_000 },
} as const satisfies {
  readonly states: Record<RetriedPolicy, StateRetry>;
  readonly lambdaTimeout: StateRetry;
  readonly publishEvent: StateRetry;
  readonly scheduledStart: TargetRetry;
  readonly stoppedExecutionCleanup: TargetRetry;
  readonly providerCall: { readonly maxAttempts: number; readonly backoff: BackoffPolicy; readonly budgetMs: number };
  readonly [key: string]: unknown;
};
