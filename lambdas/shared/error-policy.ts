// What happens to each named error (lambdas/shared/errors.ts), said once: the state machine's Retry and
// Catch rules (lib/) and the in-process handling read this table. Pure: lib/ imports it at synth.

/**
 * What happens to each error, by class name:
 * - transient: the state machine retries with short exponential backoff and jitter;
 * - rate-limited: the state machine retries after at least Marketo's 20 s window;
 * - deferred: a daily quota is spent (Marketo 607, the 1029 export quota): the state machine catches it,
 *   waits in a Wait state until the instant the error carries, then runs the same step again on the
 *   same state (lib/constructs/quota-deferral.ts), so the job record and the transfer cursor survive;
 * - handled: the code that calls the thrower catches it and recovers (waits, refreshes, re-reads);
 *   one that escapes fails the run like a fatal one;
 * - fatal: fails the run (after cleanup).
 * A class whose `name` is not a key here does not compile (see PipelineError.name). How often and how
 * long each retried group is retried (and every in-process retry): RETRY_POLICY in retry-policy.ts.
 */
export const ERROR_POLICY = {
  ValidationError: 'fatal',
  TransientApiError: 'transient',
  RateLimitedError: 'rate-limited',
  QueueFullError: 'handled',
  QuotaExceededError: 'deferred',
  AuthenticationError: 'fatal',
  ProviderApiError: 'fatal',
  FilterNotSupportedError: 'fatal',
  FileNotReadyError: 'transient',
  LinkExpiredError: 'handled',
  ForbiddenLinkError: 'fatal',
  RangeMismatchError: 'fatal',
  JobFailedError: 'fatal',
  JobCancelledError: 'fatal',
  JobDeadlineExceededError: 'fatal',
  ChecksumMismatchError: 'fatal',
  SizeMismatchError: 'fatal',
  RecordCountMismatchError: 'fatal',
  PreconditionFailedError: 'handled',
  TransferStalledError: 'fatal',
  UnknownExportError: 'fatal',
  UntypeableValueError: 'fatal',
  TooManyRejectsError: 'fatal',
  MalformedCsvError: 'fatal',
  PartWorkerError: 'transient',
  TlsVerificationError: 'fatal',
  WindowsFailedError: 'fatal',
  TransferTooSlowError: 'fatal',
  SourcePositionExpiredError: 'handled',
  ExportBusyError: 'fatal',
} as const satisfies Record<string, ErrorPolicy>;

/**
 * The second column of the table: what a window's failure with this error says about the window.
 * `data`: its data itself failed (an untypeable value, a malformed CSV or a header that drifted, a
 * checksum, size or record count that still disagrees after the retries): the same bytes fail the
 * same way, so each such failure counts as one of the window's attempts, and `maxWindowAttempts`
 * of them quarantine it (lambdas/window/ledger.ts). `operational`: an outage, a quota, a timeout, a
 * refused credential, a job the provider failed: a later run may well succeed, so it counts nothing.
 * Exhaustive, like the table: a new error name does not compile until it is classified here.
 */
export const WINDOW_FAILURE_KIND = {
  ValidationError: 'operational',
  TransientApiError: 'operational',
  RateLimitedError: 'operational',
  QueueFullError: 'operational',
  QuotaExceededError: 'operational',
  AuthenticationError: 'operational',
  ProviderApiError: 'operational',
  FilterNotSupportedError: 'operational',
  FileNotReadyError: 'operational',
  LinkExpiredError: 'operational',
  ForbiddenLinkError: 'operational',
  RangeMismatchError: 'operational',
  JobFailedError: 'operational',
  JobCancelledError: 'operational',
  JobDeadlineExceededError: 'operational',
  ChecksumMismatchError: 'data',
  SizeMismatchError: 'data',
  RecordCountMismatchError: 'data',
  PreconditionFailedError: 'operational',
  TransferStalledError: 'operational',
  UnknownExportError: 'operational',
  UntypeableValueError: 'data',
  MalformedCsvError: 'data',
  TooManyRejectsError: 'data',
  PartWorkerError: 'operational',
  TlsVerificationError: 'operational',
  WindowsFailedError: 'operational',
  TransferTooSlowError: 'operational',
  ExportBusyError: 'operational',
  SourcePositionExpiredError: 'operational',
} as const satisfies Record<PipelineErrorName, 'data' | 'operational'>;

/**
 * Whether a window's failure, by the error name Step Functions caught, is its data's fault. A name
 * that is not ours (States.Timeout, Lambda's own Sandbox errors) is operational: a rerun may pass.
 */
export function isDataError(name: string): boolean {
  return (WINDOW_FAILURE_KIND as Record<string, string>)[name] === 'data';
}

export type ErrorPolicy = 'transient' | 'rate-limited' | 'deferred' | 'handled' | 'fatal';
export type PipelineErrorName = keyof typeof ERROR_POLICY;

/** The policies the state machine retries, with the group lib/ attaches one Retry rule to. */
export type RetriedPolicy = Exclude<ErrorPolicy, 'handled' | 'fatal' | 'deferred'>;

function namesWith(policy: ErrorPolicy): PipelineErrorName[] {
  return (Object.keys(ERROR_POLICY) as PipelineErrorName[]).filter((name) => ERROR_POLICY[name] === policy);
}

/** How the state machine retries: one Retry rule per group, error names in table order. */
export const RETRY_GROUPS: Readonly<Record<RetriedPolicy, readonly PipelineErrorName[]>> = {
  transient: namesWith('transient'),
  'rate-limited': namesWith('rate-limited'),
};

/** What the state machine catches to wait until a quota resets (lib/constructs/quota-deferral.ts). */
export const DEFERRED_ERRORS: readonly PipelineErrorName[] = namesWith('deferred');

/**
 * A deferral's message starts `deferred until <instant> `: the state machine has only the error's
 * message (Lambda's error report carries no other field), and splits it at spaces to find the instant
 * at this word (0-based) for its Wait state.
 */
export const DEFERRAL_INSTANT_WORD = 2;
