// Named errors. A class's `name` is what the state machine's Retry/Catch `ErrorEquals` matches
// (Lambda reports it as errorType), so names are part of the contract with lib/: rename with care.
// Providers throw these classes (not their own), so one list serves every provider.

import { ERROR_POLICY, type ErrorPolicy, type PipelineErrorName } from './error-policy';

export {
  DEFERRAL_INSTANT_WORD,
  DEFERRED_ERRORS,
  ERROR_POLICY,
  RETRY_GROUPS,
  type ErrorPolicy,
  type PipelineErrorName,
  type RetriedPolicy,
} from './error-policy';

function deferralMessage(resetAt: string, reason: string): string {
  return `deferred until ${resetAt} (${reason})`;
}

type ErrorOptions = { cause?: unknown };

export abstract class PipelineError extends Error {
  /** The class name, which must have an entry in ERROR_POLICY. */
  abstract override readonly name: PipelineErrorName;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }

  get policy(): ErrorPolicy {
    return ERROR_POLICY[this.name];
  }

  /** Whether a later attempt may succeed (by the state machine's Retry or by the code that handles it). */
  get retryable(): boolean {
    return this.policy !== 'fatal';
  }
}

/** A request, config or event failed validation before any network call. */
export class ValidationError extends PipelineError {
  override readonly name = 'ValidationError';
  constructor(
    /** Dotted path of the offending field, e.g. `filter.createdAt.endAt`. */
    readonly field: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(`${field}: ${message}`, options);
  }
}

/** Timeouts, 5xx, connection resets, provider "temporarily unavailable" codes: retry with backoff. */
export class TransientApiError extends PipelineError {
  override readonly name = 'TransientApiError';
  constructor(
    message: string,
    readonly code?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The provider throttled us (Marketo 606/615, HTTP 429): wait at least `retryAfterSeconds`. */
export class RateLimitedError extends PipelineError {
  override readonly name = 'RateLimitedError';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    readonly code?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The provider's job queue is full (Marketo 1029 "Too many jobs in queue"): try again later. */
export class QueueFullError extends PipelineError {
  override readonly name = 'QueueFullError';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * A daily quota is used up (Marketo 607, 1029 export quota): nothing works before `resetAt`. Never a
 * failure: the step is run again after the reset, on the same job and cursor.
 */
export class QuotaExceededError extends PipelineError {
  override readonly name = 'QuotaExceededError';
  constructor(
    /** What the provider said (the message adds the instant in front, see DEFERRAL_INSTANT_WORD). */
    readonly reason: string,
    /** ISO-8601 instant at which the quota resets (no spaces). */
    readonly resetAt: string,
    readonly code?: string,
    options?: ErrorOptions & {
      /**
       * How far the step got, for the attempt after the wait (opaque to all but the thrower: a provider's
       * paging position and counts). The state cannot carry it, so the step keeps it beside the window.
       */
      readonly progress?: string;
    },
  ) {
    super(deferralMessage(resetAt, reason), options);
    if (options?.progress !== undefined) this.progress = options.progress;
  }

  readonly progress?: string;
}

/** Credentials rejected even after a fresh token: a person must fix the secret. */
export class AuthenticationError extends PipelineError {
  override readonly name = 'AuthenticationError';
}

/** The provider answered an error that retrying will not fix; code and message are the provider's. */
export class ProviderApiError extends PipelineError {
  override readonly name = 'ProviderApiError';
  constructor(
    message: string,
    readonly code?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * The provider does not offer the request's filter on this account (Marketo 1035: e.g. smart list
 * filters on some subscriptions): retrying cannot help; the export must use another filter.
 */
export class FilterNotSupportedError extends PipelineError {
  override readonly name = 'FilterNotSupportedError';
  constructor(
    message: string,
    readonly code?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The file is not downloadable yet (Marketo answers 404 with plain text before completion). */
export class FileNotReadyError extends PipelineError {
  override readonly name = 'FileNotReadyError';
}

/** A download link has expired (Clickwrap 403 on a pre-signed link): poll the job again for new links. */
export class LinkExpiredError extends PipelineError {
  override readonly name = 'LinkExpiredError';
}

/** A link points somewhere we refuse to fetch (not https, host not allowed). */
export class ForbiddenLinkError extends PipelineError {
  override readonly name = 'ForbiddenLinkError';
}

/** The server's answer to a Range request does not match what was asked (or 416). */
export class RangeMismatchError extends PipelineError {
  override readonly name = 'RangeMismatchError';
}

/** The remote job ended in failure (Marketo Failed, Clickwrap failed task). */
export class JobFailedError extends PipelineError {
  override readonly name = 'JobFailedError';
}

/** The remote job was cancelled by someone else. */
export class JobCancelledError extends PipelineError {
  override readonly name = 'JobCancelledError';
}

/** The remote job did not finish before its deadline; it has been (or must be) cancelled. */
export class JobDeadlineExceededError extends PipelineError {
  override readonly name = 'JobDeadlineExceededError';
}

/** The downloaded bytes do not hash to the provider's checksum. */
export class ChecksumMismatchError extends PipelineError {
  override readonly name = 'ChecksumMismatchError';
}

/** The downloaded byte count differs from the provider's file size. */
export class SizeMismatchError extends PipelineError {
  override readonly name = 'SizeMismatchError';
}

/** The CSV record count differs from the provider's record count. */
export class RecordCountMismatchError extends PipelineError {
  override readonly name = 'RecordCountMismatchError';
}

/**
 * A conditional write lost: the object changed (If-Match) or already exists (If-None-Match: *) since
 * it was read. The caller re-reads and decides; retrying the same write blindly would fail again.
 */
export class PreconditionFailedError extends PipelineError {
  override readonly name = 'PreconditionFailedError';
}

/** Several invocations in a row stored no byte of a file: looping further would never end. */
export class TransferStalledError extends PipelineError {
  override readonly name = 'TransferStalledError';
}

/** A run names an export this deployment does not define (the definition never comes from the input). */
export class UnknownExportError extends PipelineError {
  override readonly name = 'UnknownExportError';
}

/** A raw value cannot take its column's type (a non-numeric id, a malformed date): never a silent NULL. */
export class UntypeableValueError extends PipelineError {
  override readonly name = 'UntypeableValueError';
}

/**
 * A `badValues: "null"` split has more untypeable values than the rejects of one split may hold: so
 * many are a wrong column type or a changed format, not a few bad values, and landing them as NULL
 * would empty a column silently. A data error, like UntypeableValueError.
 */
export class TooManyRejectsError extends PipelineError {
  override readonly name = 'TooManyRejectsError';
}

/** The raw file is not strict RFC 4180 for its format (unbalanced quote, a record with more or fewer fields than the header). */
export class MalformedCsvError extends PipelineError {
  override readonly name = 'MalformedCsvError';
}

/** The hashing/counting worker thread died mid-part: the invocation re-sends the part with a fresh worker. */
export class PartWorkerError extends PipelineError {
  override readonly name = 'PartWorkerError';
}

/** The host's TLS certificate could not be verified (expired, self-signed, wrong name): never retried. */
export class TlsVerificationError extends PipelineError {
  override readonly name = 'TlsVerificationError';
}

/** More than one window of a run failed (each window's own error is in the failure event). */
export class WindowsFailedError extends PipelineError {
  override readonly name = 'WindowsFailedError';
}

/** The source kept sending below the minimum transfer rate, on several requests in a row: it would not finish. */
export class TransferTooSlowError extends PipelineError {
  override readonly name = 'TransferTooSlowError';
}

/**
 * A source made of pages refused the saved position it was asked to resume from (a paging token that
 * expired while the step waited): the transfer starts the file over from its first byte.
 */
export class SourcePositionExpiredError extends PipelineError {
  override readonly name = 'SourcePositionExpiredError';
}

/**
 * Another run holds the export's lease (one run per export at a time). Raised before any provider
 * call; a scheduled start that meets it is skipped and counted, not alarmed as a failure.
 */
export class ExportBusyError extends PipelineError {
  override readonly name = 'ExportBusyError';
  constructor(
    readonly exportName: string,
    /** The run that holds the lease. */
    readonly holder: string,
    message: string,
  ) {
    super(message);
  }
}
