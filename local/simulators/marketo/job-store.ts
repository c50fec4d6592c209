// Bulk jobs of every type and their lifecycle, driven by the injected clock. Nothing runs on a timer: every
// API call first replays, in time order, the transitions that became due since the last call
// (queued → processing when a slot is free, processing → completed/failed), so a test that moves its
// clock sees exactly the history the real service would have had.
import { randomUUID } from 'node:crypto';
import type { BulkTarget } from './bulk-target';
import { sameTarget } from './bulk-target';
import { startBuildingFile, type JobFileSettings } from './job-file-build';
import {
  jobView,
  simulatedJob,
  type JobFile,
  type JobRecord,
  type JobRequest,
  type JobView,
  type SimulatedJob,
} from './job-record';
import { JOB_ALREADY_QUEUED, MarketoApiFailure, TOO_MANY_JOBS, exportQuotaExceededMessage } from './marketo-errors';
import { chicagoDay } from './marketo-time';

export interface JobStoreConfig extends JobFileSettings {
  readonly now: () => Date;
  readonly queuedMs: number;
  readonly processingMs: number;
  readonly maxProcessing: number;
  readonly maxQueued: number;
  readonly dailyExportQuotaBytes: number;
  readonly fileRetentionMs: number;
}

const DAY_MS = 86_400_000;

export class JobStore {
  private readonly jobs = new Map<string, JobRecord>();
  /** Time of the last transition replayed: nothing may be replayed before it. */
  private cursor = Number.NEGATIVE_INFINITY;

  constructor(private readonly config: JobStoreConfig) {}

  private nowMs(): number {
    return this.config.now().getTime();
  }

  /** Replays due transitions, waiting for the files of jobs whose processing time is over. */
  async settle(): Promise<void> {
    for (;;) {
      const blocker = this.advance(this.nowMs());
      if (!blocker) return;
      await blocker;
    }
  }

  /**
   * Replays due transitions in time order. Returns the pending file build that blocks the next due
   * transition (a job cannot complete before its size and checksum are known), or undefined.
   */
  advance(now: number): Promise<void> | undefined {
    const { queuedMs, processingMs, maxProcessing, faults } = this.config;
    for (;;) {
      const processing = [...this.jobs.values()].filter((j) => j.status === 'Processing');
      let completion: JobRecord | undefined;
      if (!faults.stuckJobs) {
        for (const job of processing) {
          if (!completion || (job.startedAtMs ?? 0) < (completion.startedAtMs ?? 0)) completion = job;
        }
      }
      const completionAt = completion ? (completion.startedAtMs ?? 0) + processingMs : Number.POSITIVE_INFINITY;

      let start: JobRecord | undefined;
      let startAt = Number.POSITIVE_INFINITY;
      if (processing.length < maxProcessing) {
        for (const job of this.jobs.values()) {
          if (job.status !== 'Queued') continue;
          if (!start || (job.queuedAtMs ?? 0) < (start.queuedAtMs ?? 0)) start = job;
        }
        if (start) startAt = Math.max((start.queuedAtMs ?? 0) + queuedMs, this.cursor);
      }

      if (completion && completionAt <= now && completionAt <= startAt) {
        if (!completion.failWith && !completion.file && !completion.indexError) return completion.indexing;
        this.finish(completion, completionAt);
      } else if (start && startAt <= now) {
        this.begin(start, startAt);
      } else {
        return undefined;
      }
    }
  }

  private begin(job: JobRecord, at: number): void {
    this.cursor = at;
    job.status = 'Processing';
    job.startedAtMs = at;
    const { faults } = this.config;
    if (faults.failNextJob !== undefined) {
      job.failWith = faults.failNextJob;
      delete faults.failNextJob;
      return;
    }
    if (faults.failJobsStartingAt && faults.failJobsStartingAt.startMs === job.request.startMs) {
      job.failWith = faults.failJobsStartingAt.errorMsg;
      return;
    }
    startBuildingFile(job, this.config);
  }

  private finish(job: JobRecord, at: number): void {
    this.cursor = at;
    job.finishedAtMs = at;
    const failure = job.failWith ?? job.indexError;
    if (failure !== undefined) {
      job.status = 'Failed';
      job.errorMsg = failure;
      delete job.file;
    } else {
      job.status = 'Completed';
    }
  }

  /** A job by id; with `target`, only one of that bulk type (another type's route does not know it). */
  private get(exportId: string, target?: BulkTarget): JobRecord {
    const job = this.jobs.get(exportId);
    if (!job || (target && !sameTarget(job.target, target)))
      throw new MarketoApiFailure('1003', `Export id '${exportId}' not found`);
    return job;
  }

  private checkExportQuota(now: number): void {
    const quota = this.config.dailyExportQuotaBytes;
    if (this.exportedBytesOn(now) >= quota) throw new MarketoApiFailure('1029', exportQuotaExceededMessage(quota));
  }

  create(request: JobRequest, target: BulkTarget = { type: 'activities' }): JobRecord {
    const now = this.nowMs();
    this.checkExportQuota(now);
    const job: JobRecord = { exportId: randomUUID(), target, request, createdAtMs: now, status: 'Created' };
    this.jobs.set(job.exportId, job);
    return job;
  }

  enqueue(exportId: string, target?: BulkTarget): JobRecord {
    const job = this.get(exportId, target);
    if (job.status === 'Queued' || job.status === 'Processing') throw new MarketoApiFailure('1029', JOB_ALREADY_QUEUED);
    if (job.status !== 'Created') {
      throw new MarketoApiFailure('1003', `Export id '${exportId}' cannot be enqueued: its status is ${job.status}`);
    }
    const now = this.nowMs();
    this.checkExportQuota(now);
    const inQueue = [...this.jobs.values()].filter((j) => j.status === 'Queued' || j.status === 'Processing').length;
    if (inQueue >= this.config.maxQueued) throw new MarketoApiFailure('1029', TOO_MANY_JOBS);
    job.status = 'Queued';
    job.queuedAtMs = now;
    return job;
  }

  cancel(exportId: string, target?: BulkTarget): JobRecord {
    const job = this.get(exportId, target);
    if (job.status === 'Cancelled') return job;
    if (job.status === 'Completed' || job.status === 'Failed') {
      throw new MarketoApiFailure('1003', `Export id '${exportId}' cannot be cancelled: its status is ${job.status}`);
    }
    const now = this.nowMs();
    if (job.status === 'Processing') this.cursor = Math.max(this.cursor, now);
    job.status = 'Cancelled';
    job.finishedAtMs = now;
    job.abort?.abort();
    delete job.file;
    return job;
  }

  status(exportId: string, target?: BulkTarget): JobRecord {
    return this.get(exportId, target);
  }

  /** Jobs created in the last 7 days, newest first (what the list endpoint shows), of one bulk type if given. */
  recent(target?: BulkTarget): JobRecord[] {
    const since = this.nowMs() - 7 * DAY_MS;
    return [...this.jobs.values()]
      .filter((j) => j.createdAtMs >= since && (!target || sameTarget(j.target, target)))
      .sort((a, b) => b.createdAtMs - a.createdAtMs);
  }

  /** The file of a completed job still within retention, or undefined (the API answers 404). */
  fileOf(exportId: string, target?: BulkTarget): JobFile | undefined {
    const job = this.jobs.get(exportId);
    if (!job || (target && !sameTarget(job.target, target)) || job.status !== 'Completed' || !job.file)
      return undefined;
    if (this.nowMs() - (job.finishedAtMs ?? 0) > this.config.fileRetentionMs) return undefined;
    return job.file;
  }

  /** Sum of fileSize of jobs completed on the Chicago day holding `at`. */
  exportedBytesOn(at: number): number {
    const day = chicagoDay(at);
    let total = 0;
    for (const job of this.jobs.values()) {
      const finished = job.finishedAtMs ?? Number.NaN;
      if (job.status === 'Completed' && job.file && finished >= day.start && finished < day.end)
        total += job.file.index.size;
    }
    return total;
  }

  exportedBytesToday(): number {
    this.advance(this.nowMs());
    return this.exportedBytesOn(this.nowMs());
  }

  /** The API's view of a job. */
  describe(job: JobRecord): JobView {
    return jobView(job);
  }

  snapshot(): SimulatedJob[] {
    this.advance(this.nowMs());
    return [...this.jobs.values()].map(simulatedJob);
  }

  stop(): void {
    for (const job of this.jobs.values()) job.abort?.abort();
  }
}
