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
  MalformedCsvError: 'fatal',
  PartWorkerError: 'transient',
  TlsVerificationError: 'fatal',
  WindowsFailedError: 'fatal',
  TransferTooSlowError: 'fatal',
  SourcePositionExpiredError: 'handled',
  ExportBusyError: 'fatal',
} as const satisfies Record<string, ErrorPolicy>;

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
