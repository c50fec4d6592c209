// The Salesforce adapter behind the provider contract: one Bulk API 2.0 query job per window (daily
// limits read first), polled with a growing wait, its result sets landed as one verified file, aborted
// when abandoned and deleted once landed (releaseJob).
import { QuotaExceededError, ValidationError } from '#shared/errors';
import type {
  CancelOutcome,
  ExportProvider,
  ExportWindow,
  JobRef,
  JobStatus,
  ProviderContext,
  StartJobResult,
} from '#providers/types';
import { TERMINAL_JOB_STATES } from '#providers/types';
import { jobStateOf } from '#providers/job-states';
import { SalesforceApi, type SalesforceApiDeps } from './api';
import { nextPollSeconds } from './backoff';
import { SALESFORCE_LIMITS } from './constants';
import { parseSalesforceCredentials, type SalesforceCredentials } from './credentials';
import { abortJob, createQueryJob, deleteJob, readJob } from './job-calls';
import { SALESFORCE_JOB_STATES } from './job-status';
import { assertLimitsLeft, readLimits } from './limits';
import { validateSalesforceRequest } from './request';
import { resultsFile, targetOfFile, versionText } from './results-file';
import { openResults } from './results-range';
import { ResultsPager } from './results-pager';
import type { JobInfo } from './schemas';

export interface SalesforceProviderOptions {
  /** The export's request: openRange is not handed it, yet its `pageRecords` sizes each result set. */
  readonly request?: unknown;
  readonly maxAttempts?: number;
  readonly dispatcher?: SalesforceApiDeps['dispatcher'];
  readonly random?: () => number;
}

/** The contract, with the optional calls Salesforce makes (releaseJob) always there. */
export interface SalesforceProvider extends ExportProvider {
  /** Deletes a landed job and its results (the org keeps them 7 days otherwise). */
  releaseJob(job: JobRef): Promise<void>;
  close(): Promise<void>;
}

const isoSeconds = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
/** Job-info dates (`2018-12-10T17:50:19.000+0000`) as ISO-8601. */
const isoOf = (text: string | undefined) => {
  const ms = text ? Date.parse(text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) : NaN;
  return Number.isNaN(ms) ? undefined : isoSeconds(new Date(ms));
};

export function createSalesforceProvider(
  credentials: SalesforceCredentials,
  ctx: ProviderContext,
  options: SalesforceProviderOptions = {},
): SalesforceProvider {
  const api = new SalesforceApi({
    credentials: parseSalesforceCredentials(credentials),
    clock: ctx.clock,
    logger: ctx.logger,
    ...(ctx.telemetry ? { telemetry: ctx.telemetry } : {}),
    ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
    ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
    ...(options.random ? { random: options.random } : {}),
  });
  const pager = new ResultsPager(api, ctx.logger);
  const pageRecords = () => validateSalesforceRequest(options.request ?? placeholderRequest).pageRecords;
  const random = options.random ?? Math.random;
  const ownWaitMs = () => api.waitedMs;

  const stateOf = (info: JobInfo) => jobStateOf(SALESFORCE_JOB_STATES, info.state, 'Salesforce');

  async function createJob(window: ExportWindow, request: ReturnType<typeof validateSalesforceRequest>) {
    assertLimitsLeft(await readLimits(api), ctx.clock.now());
    const info = await createQueryJob(api, request, window);
    ctx.logger.info('salesforce query job created', { jobId: info.id, object: request.object, window });
    return { id: info.id, createdAt: isoOf(info.createdDate) ?? isoSeconds(ctx.clock.now()) };
  }

  return {
    name: 'salesforce',
    host: api.origin.host,
    limits: SALESFORCE_LIMITS,

    validate: (request, window) => validateSalesforceRequest(request, window),

    async startJob(window, request, existing, hooks): Promise<StartJobResult> {
      const req = validateSalesforceRequest(request, window);
      if (existing) {
        const info = await readJob(api, existing.id);
        // A live or finished job still yields the window: resume it. One that failed, was aborted or is
        // gone (deleted, or past its 7 days) yields nothing: only then is a new one created.
        if (info && !['failed', 'cancelled'].includes(stateOf(info)))
          return { kind: 'started', job: existing, pollAfterSeconds: nextPollSeconds(0, random) };
      }
      let job: JobRef;
      try {
        job = await createJob(window, req);
      } catch (error) {
        if (!(error instanceof QuotaExceededError)) throw error;
        return { kind: 'deferred', until: error.resetAt, reason: error.reason };
      }
      await hooks?.onCreated?.(job);
      return { kind: 'started', job, pollAfterSeconds: nextPollSeconds(0, random) };
    },

    async checkJob(job, pollCount): Promise<JobStatus> {
      if (!Number.isSafeInteger(pollCount) || pollCount < 0)
        throw new ValidationError('pollCount', 'must be a non-negative integer');
      const info = await readJob(api, job.id);
      if (!info)
        return {
          state: 'failed',
          files: [],
          nextPollSeconds: 0,
          providerStatus: 'NOT_FOUND',
          message: `query job ${job.id} no longer exists (deleted, or past the 7 days the org keeps jobs)`,
        };
      const state = stateOf(info);
      const records = info.numberRecordsProcessed ?? 0;
      // The whole job info is logged: a failed query job does not always say why in errorMessage.
      ctx.logger.info('salesforce query job polled', { jobInfo: info, state, pollCount });
      const files =
        state === 'succeeded' && records > 0 ? [resultsFile(info.id, versionText(info.apiVersion), records)] : [];
      const finishedAt = TERMINAL_JOB_STATES.has(state) ? isoOf(info.systemModstamp) : undefined;
      const queuedAt = isoOf(info.createdDate);
      return {
        state,
        files,
        ...(state === 'succeeded' ? { records } : {}),
        nextPollSeconds: TERMINAL_JOB_STATES.has(state) ? 0 : nextPollSeconds(pollCount + 1, random),
        providerStatus: info.state,
        ...(state === 'failed'
          ? { message: info.errorMessage || `query job ${info.id} Failed without errorMessage` }
          : {}),
        timings: { ...(queuedAt ? { queuedAt } : {}), ...(finishedAt ? { finishedAt } : {}) },
      };
    },

    // A range with `resumeFrom` starts at the set it names (results-range.ts): no set before it is fetched.
    openRange: async (file, range, signal) =>
      openResults(pager, targetOfFile(file, pageRecords()), range, ctx.logger, ownWaitMs, signal),

    async cancelJob(job): Promise<CancelOutcome> {
      const info = await readJob(api, job.id);
      if (!info || TERMINAL_JOB_STATES.has(stateOf(info))) return 'ended';
      try {
        await abortJob(api, job.id);
      } catch (error) {
        // It may have ended between the read and the abort (only a live job can be aborted).
        const after = await readJob(api, job.id);
        if (!after || (TERMINAL_JOB_STATES.has(stateOf(after)) && stateOf(after) !== 'cancelled')) return 'ended';
        throw error;
      }
      ctx.logger.info('salesforce query job aborted', { jobId: job.id });
      return 'cancelled';
    },

    async releaseJob(job) {
      await deleteJob(api, job.id);
      ctx.logger.info('salesforce query job deleted after landing', { jobId: job.id });
    },

    close: () => api.close(),
  };
}

/** Only `pageRecords` is read from it: a provider built without a request pages at the default size. */
const placeholderRequest = { object: 'Account', fields: ['Id', 'SystemModstamp'], operation: 'query' };
