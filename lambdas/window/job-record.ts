// One small record per window while its remote job is alive. It makes StartJob idempotent per window
// (a retried or re-run window resumes the job it already created instead of burning quota on a
// second one) and tells the undo (undo-window.ts) which remote job to cancel when a run fails.
import { z } from 'zod';
import type { ExportWindow, JobRef } from '#providers/types';
import type { ObjectStore } from '#transfer/object-store';
import { jobRecordKey, jobRecordsPrefix } from './keys';
import { JobRefSchema } from './window-ref';

const JobRecordSchema = z.object({
  job: JobRefSchema,
  window: z.object({ start: z.string(), end: z.string() }),
  savedAt: z.string(),
  /** The execution working on the window: Cleanup only touches what its own run owns. */
  executionId: z.string().optional(),
  /**
   * Set when a cleanup could not cancel the job (the provider was down): the next run of the window
   * resumes the job, a later cleanup retries the cancel; either way no second job is created.
   */
  cancelPending: z.object({ since: z.string(), reason: z.string() }).optional(),
});
export type JobRecord = z.infer<typeof JobRecordSchema>;

export async function readJobRecord(
  store: ObjectStore,
  exportName: string,
  window: ExportWindow,
): Promise<JobRecord | undefined> {
  const got = await store.getObject(jobRecordKey(exportName, window));
  if (!got) return undefined;
  const parsed = JobRecordSchema.safeParse(JSON.parse(got.body.toString('utf8')));
  // A record we cannot read is treated as absent: the worst case is one extra job, never a lost window.
  return parsed.success ? parsed.data : undefined;
}

export async function saveJobRecord(
  store: ObjectStore,
  exportName: string,
  window: ExportWindow,
  job: JobRef,
  now: Date,
  executionId?: string,
): Promise<void> {
  const record: JobRecord = {
    job: { ...job },
    window: { ...window },
    savedAt: now.toISOString(),
    ...(executionId ? { executionId } : {}),
  };
  await store.putObject(jobRecordKey(exportName, window), JSON.stringify(record), 'application/json');
}

export async function deleteJobRecord(store: ObjectStore, exportName: string, window: ExportWindow): Promise<void> {
  await store.deleteObject(jobRecordKey(exportName, window));
}

/** Keeps the record (the job's only trace) and says that its cancel is still owed. */
export async function markCancelPending(
  store: ObjectStore,
  exportName: string,
  window: ExportWindow,
  record: JobRecord,
  now: Date,
  reason: string,
): Promise<void> {
  const marked: JobRecord = {
    ...record,
    cancelPending: { since: record.cancelPending?.since ?? now.toISOString(), reason: reason.slice(0, 500) },
  };
  await store.putObject(jobRecordKey(exportName, window), JSON.stringify(marked), 'application/json');
}

/** Every readable job record of an export (a stopped execution's windows are found by their owner). */
export async function listJobRecords(store: ObjectStore, exportName: string): Promise<JobRecord[]> {
  const records: JobRecord[] = [];
  for (const key of await store.listKeys(jobRecordsPrefix(exportName))) {
    const got = await store.getObject(key);
    if (!got) continue;
    try {
      const parsed = JobRecordSchema.safeParse(JSON.parse(got.body.toString('utf8')));
      if (parsed.success) records.push(parsed.data);
    } catch {
      // unreadable: treated as absent, like readJobRecord does
    }
  }
  return records;
}
