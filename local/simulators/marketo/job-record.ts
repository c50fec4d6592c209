// A bulk job as the store keeps it, and the two ways it is shown: the API's view (status.json, list,
// and the create/enqueue/cancel answers) and what a test sees.
import type { BulkTarget } from './bulk-target';
import type { ExportRequest } from './create-request';
import type { EntityExportRequest } from './entity-request';
import type { ExportFormat } from './delimited-format';
import type { FileIndex } from './file-index';
import { formatMarketoTime } from './marketo-time';
import type { RowSource } from './row-source';

/** What a job was asked for: an activity request, or one of an entity type. */
export type JobRequest = ExportRequest | EntityExportRequest;

export type JobStatusName = 'Created' | 'Queued' | 'Processing' | 'Completed' | 'Failed' | 'Cancelled';

/** A job as the API shows it (status.json, list, and the create/enqueue/cancel answers). */
export interface JobView {
  readonly exportId: string;
  readonly format: ExportFormat;
  readonly status: JobStatusName;
  readonly createdAt: string;
  readonly queuedAt?: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  readonly numberOfRecords?: number;
  readonly fileSize?: number;
  readonly fileChecksum?: string;
  readonly errorMsg?: string;
}

/** What a test sees of a job: the API's view plus what was asked for. */
export interface SimulatedJob extends JobView {
  readonly target: BulkTarget;
  readonly filter: JobRequest['filter'];
  readonly fields?: readonly string[];
  readonly columnHeaderNames?: Readonly<Record<string, string>>;
}

export interface JobFile {
  readonly generator: RowSource;
  readonly index: FileIndex;
}

export interface JobRecord {
  readonly exportId: string;
  readonly target: BulkTarget;
  readonly request: JobRequest;
  readonly createdAtMs: number;
  status: JobStatusName;
  queuedAtMs?: number;
  startedAtMs?: number;
  finishedAtMs?: number;
  errorMsg?: string;
  /** Set when the job started processing while `failNextJob` was armed. */
  failWith?: string;
  file?: JobFile;
  indexing?: Promise<void>;
  indexError?: string;
  abort?: AbortController;
}

/** The API's view of a job. */
export function jobView(job: JobRecord): JobView {
  const file = job.status === 'Completed' ? job.file : undefined;
  return {
    exportId: job.exportId,
    format: job.request.format,
    status: job.status,
    createdAt: formatMarketoTime(job.createdAtMs),
    ...(job.queuedAtMs !== undefined ? { queuedAt: formatMarketoTime(job.queuedAtMs) } : {}),
    ...(job.startedAtMs !== undefined ? { startedAt: formatMarketoTime(job.startedAtMs) } : {}),
    // Marketo's cancel answer carries no finish time; the simulator keeps one only for its own bookkeeping.
    ...(job.finishedAtMs !== undefined && job.status !== 'Cancelled'
      ? { finishedAt: formatMarketoTime(job.finishedAtMs) }
      : {}),
    ...(file
      ? {
          numberOfRecords: file.index.records,
          fileSize: file.index.size,
          fileChecksum: `sha256:${file.index.sha256}`,
        }
      : {}),
    ...(job.status === 'Failed' && job.errorMsg !== undefined ? { errorMsg: job.errorMsg } : {}),
  };
}

/** What a test sees of a job. */
export function simulatedJob(job: JobRecord): SimulatedJob {
  const { request } = job;
  return {
    ...jobView(job),
    target: job.target,
    filter: request.filter,
    ...(request.fields ? { fields: request.fields } : {}),
    ...(request.columnHeaderNames ? { columnHeaderNames: request.columnHeaderNames } : {}),
  };
}
