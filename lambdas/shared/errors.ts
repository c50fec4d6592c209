// Named errors. A class's `name` is what the state machine's Retry/Catch `ErrorEquals` matches
// (Lambda reports it as errorType), so names are part of the contract with lib/: rename with care.
// Providers throw these classes (not their own), so one list serves every provider.

export abstract class PipelineError extends Error {
  /** Whether the same call may succeed if simply tried again later. */
  abstract readonly retryable: boolean;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A request, config or event failed validation before any network call. */
export class ValidationError extends PipelineError {
  override readonly name = 'ValidationError';
  readonly retryable = false;
  constructor(
    /** Dotted path of the offending field, e.g. `filter.createdAt.endAt`. */
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

/** Timeouts, 5xx, connection resets, provider "temporarily unavailable" codes: retry with backoff. */
export class TransientApiError extends PipelineError {
  override readonly name = 'TransientApiError';
  readonly retryable = true;
  constructor(
    message: string,
    readonly code?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The provider throttled us (Marketo 606/615, HTTP 429): wait at least `retryAfterSeconds`. */
export class RateLimitedError extends PipelineError {
  override readonly name = 'RateLimitedError';
  readonly retryable = true;
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** The provider's job queue is full (Marketo 1029 "Too many jobs in queue"): try again later. */
export class QueueFullError extends PipelineError {
  override readonly name = 'QueueFullError';
  readonly retryable = true;
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** A daily quota is used up (Marketo 607, 1029 export quota): nothing works before `resetAt`. */
export class QuotaExceededError extends PipelineError {
  override readonly name = 'QuotaExceededError';
  readonly retryable = true;
  constructor(
    message: string,
    /** ISO-8601 instant at which the quota resets. */
    readonly resetAt: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** Credentials rejected even after a fresh token: a person must fix the secret. */
export class AuthenticationError extends PipelineError {
  override readonly name = 'AuthenticationError';
  readonly retryable = false;
}

/** The provider answered an error that retrying will not fix; code and message are the provider's. */
export class ProviderApiError extends PipelineError {
  override readonly name = 'ProviderApiError';
  readonly retryable = false;
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** The file is not downloadable yet (Marketo answers 404 with plain text before completion). */
export class FileNotReadyError extends PipelineError {
  override readonly name = 'FileNotReadyError';
  readonly retryable = true;
}

/** A download link has expired (Clickwrap 403 on a pre-signed link): poll the job again for new links. */
export class LinkExpiredError extends PipelineError {
  override readonly name = 'LinkExpiredError';
  readonly retryable = true;
}

/** A link points somewhere we refuse to fetch (not https, host not allowed). */
export class ForbiddenLinkError extends PipelineError {
  override readonly name = 'ForbiddenLinkError';
  readonly retryable = false;
}

/** The server's answer to a Range request does not match what was asked (or 416). */
export class RangeMismatchError extends PipelineError {
  override readonly name = 'RangeMismatchError';
  readonly retryable = false;
}

/** The remote job ended in failure (Marketo Failed, Clickwrap failed task). */
export class JobFailedError extends PipelineError {
  override readonly name = 'JobFailedError';
  readonly retryable = false;
}

/** The remote job was cancelled by someone else. */
export class JobCancelledError extends PipelineError {
  override readonly name = 'JobCancelledError';
  readonly retryable = false;
}

/** The remote job did not finish before its deadline; it has been (or must be) cancelled. */
export class JobDeadlineExceededError extends PipelineError {
  override readonly name = 'JobDeadlineExceededError';
  readonly retryable = false;
}

/** The downloaded bytes do not hash to the provider's checksum. */
export class ChecksumMismatchError extends PipelineError {
  override readonly name = 'ChecksumMismatchError';
  readonly retryable = false;
}

/** The downloaded byte count differs from the provider's file size. */
export class SizeMismatchError extends PipelineError {
  override readonly name = 'SizeMismatchError';
  readonly retryable = false;
}

/** The CSV record count differs from the provider's record count. */
export class RecordCountMismatchError extends PipelineError {
  override readonly name = 'RecordCountMismatchError';
  readonly retryable = false;
}

/** Names the state machine retries as transient (short exponential backoff with jitter). */
export const TRANSIENT_ERROR_NAMES = ['TransientApiError', 'RateLimitedError', 'FileNotReadyError'] as const;

/** How the state machine retries (lib/constructs/export-workflow.ts reads these, so names live in one place). */
export const RETRY_GROUPS = {
  /** Short exponential backoff with jitter. */
  transient: ['TransientApiError', 'FileNotReadyError'],
  /** At least 20 s: Marketo's 606 window. */
  rateLimited: ['RateLimitedError'],
  /** Hourly until the daily quota resets. */
  quota: ['QuotaExceededError'],
} as const satisfies Record<string, readonly string[]>;

/** Names that must never be retried blindly: they fail the run (after cleanup). */
export const FATAL_ERROR_NAMES = [
  'ValidationError',
  'AuthenticationError',
  'ProviderApiError',
  'ForbiddenLinkError',
  'RangeMismatchError',
  'JobFailedError',
  'JobCancelledError',
  'JobDeadlineExceededError',
  'ChecksumMismatchError',
  'SizeMismatchError',
  'RecordCountMismatchError',
  'PreconditionFailedError',
  'TransferStalledError',
  'UntypeableValueError',
  'MalformedCsvError',
] as const;

/**
 * A conditional write lost: the object changed (If-Match) or already exists (If-None-Match: *) since
 * it was read. The caller re-reads and decides; retrying the same write blindly would fail again.
 */
export class PreconditionFailedError extends PipelineError {
  override readonly name = 'PreconditionFailedError';
  readonly retryable = false;
}

/** Several invocations in a row stored no byte of a file: looping further would never end. */
export class TransferStalledError extends PipelineError {
  override readonly name = 'TransferStalledError';
  readonly retryable = false;
}

/** A raw value cannot take its column's type (a non-numeric id, a malformed date): never a silent NULL. */
export class UntypeableValueError extends PipelineError {
  override readonly name = 'UntypeableValueError';
  readonly retryable = false;
}

/** The raw file is not strict RFC 4180 for its format (unbalanced quote, a record with more or fewer fields than the header). */
export class MalformedCsvError extends PipelineError {
  override readonly name = 'MalformedCsvError';
  readonly retryable = false;
}
