// Enqueueing a created job and resuming a recorded one, for startJob. Enqueue the SAME export id
// whatever happened before: a full queue or a spent quota leaves the job in Created, and the next
// startJob enqueues it rather than creating a second one.
import { ProviderApiError, QueueFullError, QuotaExceededError } from '#shared/errors';
import type { Logger } from '#shared/logger';
import type { JobRef, StartJobResult } from '#providers/types';
import type { BulkEndpoint } from './bulk-endpoint';
import type { BulkExportClient } from './bulk-export-client';
import type { BulkJob } from './envelope';
import { isUnknownJob } from './job-ref';
import { normalizeJobState } from './job-status';

export interface JobResumer {
  /** Started, or parked (busy or deferred) with the job to enqueue next time. */
  enqueue(job: JobRef): Promise<StartJobResult>;
  /** A recorded job's start, or undefined when a new job must be created instead. */
  resume(job: JobRef): Promise<StartJobResult | undefined>;
}

export function jobResumer(
  client: BulkExportClient,
  endpoint: BulkEndpoint,
  logger: Logger,
  pollAfter: (pollCount: number) => number,
): JobResumer {
  const started = (job: JobRef): StartJobResult => ({
    kind: 'started',
    job: { ...job, enqueued: true },
    pollAfterSeconds: pollAfter(0),
  });

  async function enqueue(job: JobRef): Promise<StartJobResult> {
    try {
      const { alreadyQueued } = await client.enqueueJob(endpoint, job.id);
      logger.info('marketo job enqueued', { exportId: job.id, alreadyQueued });
      return started(job);
    } catch (error) {
      const parked = { ...job, enqueued: false };
      if (error instanceof QueueFullError) {
        return { kind: 'busy', retryAfterSeconds: error.retryAfterSeconds, job: parked, reason: error.message };
      }
      if (error instanceof QuotaExceededError)
        return { kind: 'deferred', until: error.resetAt, job: parked, reason: error.reason };
      throw error;
    }
  }

  async function status(job: JobRef): Promise<BulkJob> {
    return client.jobStatus(endpoint, job.id);
  }

  // What an existing job means for startJob: Created → enqueue it; Queued, Processing or Completed →
  // started (a completed job's file is reused); Failed or Cancelled → undefined: it can never produce
  // the file, and Marketo wants a failed job created anew.
  async function fromStatus(job: JobRef, current: BulkJob): Promise<StartJobResult | undefined> {
    if (current.status.toLowerCase() === 'created') return enqueue(job);
    const state = normalizeJobState(current.status);
    if (state === 'failed' || state === 'cancelled') {
      logger.warn('marketo job ended without a file; creating a new one', {
        exportId: job.id,
        status: current.status,
      });
      return undefined;
    }
    // A resumed job that already finished (the run before was interrupted) is looked at at once.
    return state === 'succeeded'
      ? { kind: 'started', job: { ...job, enqueued: true }, pollAfterSeconds: 0 }
      : started(job);
  }

  async function resumeKnown(job: JobRef): Promise<StartJobResult | undefined> {
    // Believed enqueued: one status call confirms it.
    if (job.enqueued) return fromStatus(job, await status(job));
    try {
      return await enqueue(job);
    } catch (error) {
      // Marketo refuses to enqueue a job that is not Created (e.g. it failed, or was cancelled by Cleanup).
      if (!(error instanceof ProviderApiError)) throw error;
      const current = await status(job);
      if (current.status.toLowerCase() === 'created') throw error;
      return fromStatus(job, current);
    }
  }

  /**
   * A recorded job Marketo no longer knows (purged, or recorded against another instance, as a killed
   * local run against a simulator leaves it) is a leftover, not a failure: the window starts afresh.
   */
  async function resume(job: JobRef): Promise<StartJobResult | undefined> {
    try {
      return await resumeKnown(job);
    } catch (error) {
      if (!isUnknownJob(error)) throw error;
      logger.warn('the recorded marketo job is unknown to Marketo; creating a new one', { exportId: job.id });
      return undefined;
    }
  }

  return { enqueue, resume };
}
