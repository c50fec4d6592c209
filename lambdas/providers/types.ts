// The provider contract (docs/architecture.md, "The provider contract"). A provider is a stateless
// adapter: every value it hands back must survive JSON.stringify, because it travels through Step
// Functions state. What is known of a provider without calling it lives in its descriptor (descriptor.ts).
import type { Readable } from 'node:stream';
import type { Clock } from '#shared/clock';
import type { JobState } from './job-states';
import type { Logger } from '#shared/logger';
import type { ProviderName } from '#shared/provider-names';

export type { ProviderName } from '#shared/provider-names';

/** A half-open time window [start, end), both ISO-8601 UTC instants without milliseconds. */
export interface ExportWindow {
  readonly start: string;
  readonly end: string;
}

export interface ProviderLimits {
  /** Longest window one job may cover (Marketo: 31 days). */
  readonly maxWindowDays: number;
  /** Jobs that may run at once for one export (the Map's MaxConcurrency). */
  readonly maxConcurrentJobs: number;
  /** Never poll a job faster than this. */
  readonly minPollSeconds: number;
  /** How long the provider keeps a finished file. */
  readonly fileRetentionDays: number;
  /** Whether the provider can cancel a running job (Clickwrap has no cancel route): reports never claim a cancel it cannot make. */
  readonly cancelsJobs: boolean;
  /**
   * Whether the provider deletes a landed job (ExportProvider.releaseJob): the ReleaseJob step builds no
   * provider (reads no secret) for the others.
   */
  readonly releasesJobs?: boolean;
}

/** A remote job, as the provider needs to find it again. Small and JSON-only. */
/** What a cancel achieved (see ExportProvider.cancelJob). */
export type CancelOutcome = 'cancelled' | 'ended' | 'unsupported';

export interface JobRef {
  readonly id: string;
  /** Marketo: the job was created but not (yet) enqueued, e.g. the queue was full. */
  readonly enqueued?: boolean;
  /** When the job was created (ISO-8601), for deadlines and manifests. */
  readonly createdAt?: string;
}

export type StartJobResult =
  /** The job exists and is queued/running: poll it after `pollAfterSeconds`. */
  | { readonly kind: 'started'; readonly job: JobRef; readonly pollAfterSeconds: number }
  /** A quota is used up: call startJob again (with `job` if one exists) at `until`. */
  | { readonly kind: 'deferred'; readonly until: string; readonly job?: JobRef; readonly reason: string }
  /** The provider's queue is full: call startJob again (with `job`) after `retryAfterSeconds`. */
  | { readonly kind: 'busy'; readonly retryAfterSeconds: number; readonly job?: JobRef; readonly reason: string };

/** The job states and which end a job: data, in job-states.ts. */
export { TERMINAL_JOB_STATES, type JobState } from './job-states';

/** Where a file's bytes come from: behind the provider API (credentials sent) or a bare link. */
export type FileSource =
  { readonly kind: 'api'; readonly path: string } | { readonly kind: 'url'; readonly url: string };

export interface RemoteFile {
  /** 1-based position among the job's files; names the object when a job has several files. */
  readonly index: number;
  readonly source: FileSource;
  /** Whether the provider's credentials go with the request (never for links to foreign hosts). */
  readonly sendCredentials: boolean;
  /** Byte size if the provider states it. */
  readonly size?: number;
  /** Lower-case hex SHA-256 of the whole file if the provider states it. */
  readonly sha256?: string;
  /** Whether the source honours HTTP Range: known yes/no, or to be found out on the first request. */
  readonly rangeSupport: 'yes' | 'no' | 'unknown';
  /** File extension and delimiter family. */
  readonly format: 'csv' | 'tsv' | 'ssv';
}

export interface JobStatus {
  readonly state: JobState;
  /** Present when state is 'succeeded' (may be empty: a job with zero records may have no file). */
  readonly files: readonly RemoteFile[];
  /** Records the provider says the job produced, when it says. */
  readonly records?: number;
  /**
   * Seconds until the next poll while the job is queued or running (provider's minimum,
   * growing, jittered; > 0). 0 when the state is terminal: a terminal status asks for no further poll.
   */
  readonly nextPollSeconds: number;
  /** The provider's own status word, for logs and manifests. */
  readonly providerStatus: string;
  /** The provider's failure message when state is 'failed'. */
  readonly message?: string;
  /** When the provider says the job was queued, started and finished (ISO-8601), for its metrics. */
  readonly timings?: { readonly queuedAt?: string; readonly startedAt?: string; readonly finishedAt?: string };
}

/** How much of a daily export allowance is spent (Marketo's 500 MB of bulk files a day). */
export interface ExportQuotaUse {
  readonly usedBytes: number;
  readonly limitBytes: number;
}

export interface RangeRequest {
  /** First byte wanted. */
  readonly start: number;
  /** Last byte wanted, inclusive; omitted means to the end of the file. */
  readonly endInclusive?: number;
  /**
   * A position the provider handed back (OpenedRange.positionAt) with `at` ≤ `start`: a source made
   * of pages continues there instead of paging from the file's beginning. Others ignore it.
   */
  readonly resumeFrom?: SourcePosition;
}

/**
 * Where a source made of pages stands after its bytes up to `at` (exclusive): every page before `at`
 * is wholly in those bytes, and `position` (opaque to everyone but the provider: a paging token) names
 * the next page.
 */
export interface SourcePosition {
  readonly at: number;
  readonly position: string;
}

export interface OpenedRange {
  /**
   * true: the server answered 206 and the body starts at the requested `start` (the client has
   * checked Content-Range against the request). false: the server ignored Range (200) and the body
   * is the whole file from byte 0: the caller must skip what it already has.
   */
  readonly ranged: boolean;
  /** Offset within the file of the body's first byte. */
  readonly start: number;
  /** Whole-file size when the server told it (Content-Range total, or Content-Length of a 200). */
  readonly totalSize?: number;
  readonly body: Readable;
  /** The host sending the body (`name:port`, never a path or query): named when the body fails. */
  readonly host?: string;
  /**
   * Milliseconds (on the wall clock) the body has so far spent in the client's own waits: rate-limit
   * backoffs (Marketo 606/615, 604-class retries) and the call limiter, between calls of a body made of
   * many API calls (a paged route). Not the source's slowness: the minimum-rate guard leaves it out.
   */
  readonly ownWaitMs?: () => number;
  /**
   * A paged source: the latest page boundary the body has passed at or before file offset `offset`, so
   * a later open can resume there (RangeRequest.resumeFrom); undefined when none is known.
   */
  readonly positionAt?: (offset: number) => SourcePosition | undefined;
}

export interface StartJobHooks {
  onCreated?(job: JobRef): Promise<void>;
}

/** What an export asks of its provider besides the window (filters, fields, format). Provider-specific. */
export type ProviderRequest = Readonly<Record<string, unknown>>;

export interface ExportProvider {
  readonly name: ProviderName;
  /** The API's host (no scheme, path or query): recorded as the source of the data it exports. */
  readonly host: string;
  readonly limits: ProviderLimits;
  /**
   * Pure (no I/O): rejects a bad request before any API call, with a ValidationError naming the field.
   * Returns the request normalized (defaults filled in); the normalized request validates to itself.
   */
  validate(request: unknown, window?: ExportWindow): ProviderRequest;
  /**
   * Creates (and enqueues) the job for one window. With `existing`, resumes that job rather than
   * creating another, as long as it can still produce the file (queued, running, succeeded or created
   * but not enqueued); only a job that ended without a file (failed, cancelled) may be replaced by a new
   * one. `hooks.onCreated` runs once for every job created, as soon as it exists and before any further
   * call (enqueue) that could fail; when it rejects, startJob rejects and nothing more is sent: the
   * caller records the job so a retry resumes it instead of creating a second.
   */
  startJob(
    window: ExportWindow,
    request: ProviderRequest,
    existing?: JobRef,
    hooks?: StartJobHooks,
  ): Promise<StartJobResult>;
  /**
   * `pollCount` is how many times this job has been polled before (drives the growing wait). `resume` is
   * the progress a deferred check of the same job carried (QuotaExceededError.progress): a check that
   * pages to count (Marketo deleted leads) goes on from there instead of counting again.
   */
  checkJob(job: JobRef, pollCount: number, resume?: string): Promise<JobStatus>;
  /** A range starting at the file's size opens an empty body (a finished transfer asks for it). */
  openRange(file: RemoteFile, range: RangeRequest, signal?: AbortSignal): Promise<OpenedRange>;
  /**
   * Best effort: cancelling a job that already ended is not an error and changes nothing ('ended'). A
   * provider without a cancel route resolves without a call ('unsupported': the job is left to
   * expire). Only 'cancelled' means the provider was asked and agreed: reports claim nothing more.
   */
  cancelJob(job: JobRef): Promise<CancelOutcome>;
  /**
   * Deletes a job whose window has landed, where the provider advises it (Salesforce keeps a query job
   * and its results 7 days otherwise). Best effort: the caller logs and counts a failure and the window
   * stays landed; a job already gone resolves. Providers that set `limits.releasesJobs` implement it.
   */
  releaseJob?(job: JobRef): Promise<void>;
  /** For links that expire (Clickwrap): poll the job again and return the same file with a fresh link. */
  refreshFile?(job: JobRef, file: RemoteFile): Promise<RemoteFile>;
  /**
   * The rows of a reference table the dataset's descriptor names (Marketo's activity types), keyed by
   * the descriptor's column names; values are text, numbers or null.
   */
  fetchReferenceTable?(name: string): Promise<ReferenceRow[]>;
  /** For providers with a daily export allowance (Marketo): what today's jobs have used of it (Marketo: one listing per bulk type). */
  exportQuotaUse?(): Promise<ExportQuotaUse>;
}

export type ReferenceRow = Readonly<Record<string, string | number | null>>;

/** What every provider factory receives besides its credentials. */
export interface ProviderContext {
  /**
   * Providers return real seconds (poll waits, retry-after) and sleep real milliseconds through
   * `clock.sleep`; a local run against a simulator passes a clock whose sleeps are shortened.
   */
  readonly clock: Clock;
  readonly logger: Logger;
  /** Told of every API call and in-process retry, for the metrics (the caller binds the export). */
  readonly telemetry?: ProviderTelemetry;
  /** The ledger of call budgets shared by every export and step (absent: no budget is kept). */
  readonly callBudget?: CallBudgetLedger;
}

/**
 * Shared counts of calls per instance and period (Marketo: a day in America/Chicago), kept where every
 * Lambda of the pipeline sees them. Calls are taken in blocks, so a busy step asks once per block.
 */
export interface CallBudgetLedger {
  /** Takes up to `count` calls of `instance`'s `limit` for `period`; resolves with how many it got (0: spent). */
  reserve(instance: string, period: string, limit: number, count: number): Promise<number>;
}

export interface ProviderTelemetry {
  /**
   * One request sent; `kind` is what it is for (create, status, file, token, …), `instance` the host
   * whose limits it counts against (Marketo's daily call quota is the instance's, not the export's).
   */
  apiCall(kind: string, instance?: string): void;
  /** A failed request about to be tried again in-process; `reason` is a code (606, http503, network, …). */
  retry(reason: string): void;
}
