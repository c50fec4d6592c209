// A Marketo bulk export (activities, leads, program members or a custom object) as an ExportProvider:
// stateless between calls (everything it needs again travels in the JobRef), named errors out, waits
// in nominal seconds.
import { Readable } from 'node:stream';
import {
  ForbiddenLinkError,
  ProviderApiError,
  QueueFullError,
  QuotaExceededError,
  RangeMismatchError,
  ValidationError,
} from '#shared/errors';
import {
  TERMINAL_JOB_STATES,
  type ExportProvider,
  type ExportWindow,
  type CancelOutcome,
  type JobRef,
  type JobStatus,
  type OpenedRange,
  type ProviderContext,
  type ProviderRequest,
  type RangeRequest,
  type ReferenceRow,
  type RemoteFile,
  type StartJobHooks,
  type StartJobResult,
} from '#providers/types';
import type { BackoffPolicy } from '#shared/http/backoff';
import { discardBody } from '#shared/http/discard-body';
import type { HttpTimeouts } from '#shared/http/timeouts';
import { pollIntervalSeconds } from './backoff';
import { BulkExportClient } from './bulk-export-client';
import { isBulkFilePath, type BulkEndpoint } from './bulk-endpoint';
import type { CallLimiter } from './call-limiter';
import { parseMarketoCredentials, type MarketoCredentials } from './credentials';
import type { BulkJob } from './envelope';
import { exportQuotaUsedToday } from './export-quota';
import { isoSeconds, isUnknownJob, parseJobRef } from './job-ref';
import { jobResumer } from './job-resume';
import { completedJobFiles, normalizeJobState } from './job-status';
import { MarketoApi } from './marketo-api';
import {
  FIXED_BULK_ENDPOINTS,
  MARKETO_DESCRIPTOR,
  MARKETO_LIMITS,
  bulkEndpoint,
  type MarketoBulkDatasetDescriptor,
} from './descriptor';
import { fetchReferenceRows } from './reference-rows';
import { quoteProviderText } from '#shared/redact';
import { parseRange } from './range-request';

export type { MarketoCredentials } from './credentials';

export { MARKETO_LIMITS } from './descriptor';

/** Constructor parameters beside the dataset's; unset, each takes the value a deployment runs with. */
export interface MarketoProviderOptions {
  readonly random?: () => number;
  readonly maxAttempts?: number;
  readonly maxCreateAttempts?: number;
  readonly limiter?: CallLimiter;
  readonly timeouts?: Partial<HttpTimeouts>;
  /** One call's attempts and pauses together. @default CALL_BUDGET_MS */
  readonly callBudgetMs?: number;
  readonly backoff?: BackoffPolicy;
  /** The bulk dataset's descriptor entry (its path, body and rules); activities by default. */
  readonly dataset?: MarketoBulkDatasetDescriptor;
  /** The export's request, which decides where its jobs live (a custom object's apiName); `{}` by default. */
  readonly request?: unknown;
}

export interface MarketoProvider extends ExportProvider {
  /** Closes the keep-alive connections of a caller done with the provider; a Lambda keeps them for the next invocation. */
  close(): Promise<void>;
}

export function createMarketoProvider(
  credentials: MarketoCredentials,
  ctx: ProviderContext,
  options: MarketoProviderOptions = {},
): MarketoProvider {
  const parsed = parseMarketoCredentials(credentials);
  const random = options.random ?? Math.random;
  const dataset: MarketoBulkDatasetDescriptor = options.dataset ?? MARKETO_DESCRIPTOR.datasets.activities;
  const endpoint: BulkEndpoint = bulkEndpoint(dataset, dataset.validate(options.request ?? {}));
  const api = new MarketoApi({
    credentials: parsed,
    clock: ctx.clock,
    logger: ctx.logger,
    random,
    maxAttempts: options.maxAttempts,
    limiter: options.limiter,
    timeouts: options.timeouts,
    ...(options.callBudgetMs !== undefined ? { callBudgetMs: options.callBudgetMs } : {}),
    backoff: options.backoff,
    telemetry: ctx.telemetry,
    ...(ctx.callBudget ? { callBudget: ctx.callBudget } : {}),
  });
  const client = new BulkExportClient(api, ctx.logger, { maxCreateAttempts: options.maxCreateAttempts });
  const pollAfter = (pollCount: number) => pollIntervalSeconds(pollCount, random);

  const { enqueue, resume } = jobResumer(client, endpoint, ctx.logger, pollAfter);

  async function status(job: JobRef): Promise<BulkJob> {
    return client.jobStatus(endpoint, job.id);
  }

  return {
    name: 'marketo',
    host: new URL(parsed.baseUrl).host,
    limits: MARKETO_LIMITS,

    validate(request: unknown, window?: ExportWindow): ProviderRequest {
      return dataset.validate(request, window);
    },

    async startJob(
      window: ExportWindow,
      request: ProviderRequest,
      existing?: JobRef,
      hooks?: StartJobHooks,
    ): Promise<StartJobResult> {
      // Everything is checked before the first call: a bad request never reaches Marketo.
      const validated = dataset.validate(request, window);
      if (dataset.bulk.basePath(validated) !== endpoint.basePath) {
        throw new ValidationError(
          'apiName',
          `names other jobs (${dataset.bulk.basePath(validated)}) than the export this provider serves (${endpoint.basePath})`,
        );
      }
      const body = dataset.bulk.createBody(validated);
      if (existing !== undefined) {
        const resumed = await resume(parseJobRef(existing));
        if (resumed) return resumed;
      }
      let created: BulkJob;
      try {
        created = await client.createJob(endpoint, body);
      } catch (error) {
        if (error instanceof QuotaExceededError)
          return { kind: 'deferred', until: error.resetAt, reason: error.reason };
        if (error instanceof QueueFullError)
          return { kind: 'busy', retryAfterSeconds: error.retryAfterSeconds, reason: error.message };
        throw error;
      }
      ctx.logger.info('marketo job created', { exportId: created.exportId, window });
      const job: JobRef = {
        id: created.exportId,
        enqueued: false,
        createdAt: isoSeconds(created.createdAt, ctx.clock.now()),
      };
      await hooks?.onCreated?.(job);
      return enqueue(job);
    },

    async checkJob(job: JobRef, pollCount: number): Promise<JobStatus> {
      const ref = parseJobRef(job);
      if (!Number.isSafeInteger(pollCount) || pollCount < 0)
        throw new ValidationError('pollCount', 'must be a non-negative integer');
      const current = await status(ref);
      const state = normalizeJobState(current.status);
      const terminal = TERMINAL_JOB_STATES.has(state);
      return {
        state,
        files: state === 'succeeded' ? completedJobFiles(endpoint, current) : [],
        ...(current.numberOfRecords !== undefined ? { records: current.numberOfRecords } : {}),
        nextPollSeconds: terminal ? 0 : pollAfter(pollCount),
        providerStatus: current.status,
        ...(state === 'failed'
          ? {
              message:
                current.errorMsg === undefined
                  ? 'Marketo reported the job Failed without a message'
                  : quoteProviderText(current.errorMsg),
            }
          : {}),
        timings: {
          ...(current.queuedAt !== undefined ? { queuedAt: current.queuedAt } : {}),
          ...(current.startedAt !== undefined ? { startedAt: current.startedAt } : {}),
          ...(current.finishedAt !== undefined ? { finishedAt: current.finishedAt } : {}),
        },
      };
    },

    // The quota is the instance's, shared by every bulk type: today's files of all of them count. Custom
    // objects are listed per object; only this export's own object is read (others are not known here).
    async exportQuotaUse() {
      const endpoints = FIXED_BULK_ENDPOINTS.some((e) => e.basePath === endpoint.basePath)
        ? FIXED_BULK_ENDPOINTS
        : [...FIXED_BULK_ENDPOINTS, endpoint];
      const listed = await Promise.all(endpoints.map((e) => client.listJobs(e)));
      return exportQuotaUsedToday(listed.flat(), ctx.clock.now());
    },

    async openRange(file: RemoteFile, range: RangeRequest, signal?: AbortSignal): Promise<OpenedRange> {
      if (file.source.kind !== 'api' || !isBulkFilePath(endpoint, file.source.path)) {
        throw new ForbiddenLinkError(
          `a Marketo file must be an API path of the form ${endpoint.basePath}/export/<id>/file.json`,
        );
      }
      const wanted = parseRange(range);
      if (file.size !== undefined && wanted.start >= file.size) {
        // Asking for the byte after the last is how a finished transfer looks: answer an empty range
        // rather than spending an API call on a 416.
        if (wanted.start === file.size)
          return { ranged: true, start: wanted.start, totalSize: file.size, body: Readable.from([]) };
        throw new RangeMismatchError(`range start ${wanted.start} is past the end of the ${file.size}-byte file`);
      }
      const opened = await client.openFileRange(file.source.path, wanted, signal);
      if (file.size !== undefined && opened.totalSize !== undefined && opened.totalSize !== file.size) {
        discardBody(opened.body);
        throw new RangeMismatchError(
          `Marketo serves ${opened.totalSize} bytes for ${file.source.path}, its status said ${file.size}`,
        );
      }
      return opened;
    },

    async cancelJob(job: JobRef): Promise<CancelOutcome> {
      const ref = parseJobRef(job);
      try {
        const cancelled = await client.cancelJob(endpoint, ref.id);
        ctx.logger.info('marketo job cancelled', { exportId: ref.id, status: cancelled.status });
        return 'cancelled';
      } catch (error) {
        if (!(error instanceof ProviderApiError)) throw error;
        if (isUnknownJob(error)) {
          // A job Marketo does not know (purged, or a dead local run's simulator job) runs nowhere.
          ctx.logger.info('marketo does not know the job; nothing to cancel', { exportId: ref.id });
          return 'ended';
        }
        // Marketo refuses to cancel a job that has already ended; that is the outcome we wanted.
        const current = await status(ref);
        if (TERMINAL_JOB_STATES.has(normalizeJobState(current.status))) {
          ctx.logger.info('marketo job already ended; nothing to cancel', { exportId: ref.id, status: current.status });
          return 'ended';
        }
        throw error;
      }
    },

    // Rows say which instance they describe: two instances may name one id differently.
    fetchReferenceTable: (name: string): Promise<ReferenceRow[]> =>
      fetchReferenceRows(api, name, new URL(parsed.baseUrl).host),

    close: () => api.close(),
  };
}
