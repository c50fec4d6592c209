// How much of the 500 MB daily bulk export quota today's jobs used: the sum of `fileSize` of the jobs
// the listings say finished since the last midnight US Central. The listing is per bulk type and the
// quota is not, so the caller passes the jobs of every type it lists (a job listed twice counts once).
import { MARKETO_DAILY_EXPORT_QUOTA_BYTES } from '#shared/metric-catalog';
import type { ExportQuotaUse } from '#providers/types';
import type { BulkJob } from './envelope';
import { quotaDayStart } from './quota-reset';

export function exportQuotaUsedToday(jobs: readonly BulkJob[], now: Date): ExportQuotaUse {
  const since = quotaDayStart(now).getTime();
  let usedBytes = 0;
  const seen = new Set<string>();
  for (const job of jobs) {
    if (seen.has(job.exportId)) continue;
    seen.add(job.exportId);
    // A job counts once it has produced a file; when it finished says which day's quota it spent.
    const at = Date.parse(job.finishedAt ?? job.startedAt ?? job.queuedAt ?? job.createdAt ?? '');
    if (job.fileSize !== undefined && Number.isFinite(at) && at >= since) usedBytes += job.fileSize;
  }
  return { usedBytes, limitBytes: MARKETO_DAILY_EXPORT_QUOTA_BYTES };
}
