// One small record per window while its remote job is alive. It makes StartJob idempotent per window
// (a retried or re-run window resumes the job it already created instead of burning quota on a
// second one) and tells Cleanup which remote jobs to cancel when a run fails.
import { z } from 'zod';
import type { ExportWindow, JobRef } from '../providers/types';
import type { ObjectStore } from '../transfer/object-store';
import { jobRecordKey } from './keys';
import { JobRefSchema } from './state';

const JobRecordSchema = z.object({
  job: JobRefSchema,
  window: z.object({ start: z.string(), end: z.string() }),
  savedAt: z.string(),
  /** The execution working on the window: Cleanup only touches what its own run owns. */
  executionId: z.string().optional(),
});
export type JobRecord = z.infer<typeof JobRecordSchema>;

export async function readJobRecord(store: ObjectStore, exportName: string, window: ExportWindow): Promise<JobRecord | undefined> {
  const got = await store.getObject(jobRecordKey(exportName, window));
  if (!got) return undefined;
  const parsed = JobRecordSchema.safeParse(JSON.parse(got.body.toString('utf8')));
  // A record we cannot read is treated as absent: the worst case is one extra job, never a lost window.
  return parsed.success ? parsed.data : undefined;
}

export async function saveJobRecord(store: ObjectStore, exportName: string, window: ExportWindow, job: JobRef, now: Date, executionId?: string): Promise<void> {
  const record: JobRecord = { job: { ...job }, window: { ...window }, savedAt: now.toISOString(), ...(executionId ? { executionId } : {}) };
  await store.putObject(jobRecordKey(exportName, window), JSON.stringify(record), 'application/json');
}

export async function deleteJobRecord(store: ObjectStore, exportName: string, window: ExportWindow): Promise<void> {
  await store.deleteObject(jobRecordKey(exportName, window));
}
