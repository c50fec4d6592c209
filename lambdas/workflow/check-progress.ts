// The progress a deferred CheckJob carried (QuotaExceededError.progress: how far a count that pages got),
// kept beside the window's state until the check after the wait reads it. A deferral is a thrown error
// and the state machine runs the step again on the same state, so the state cannot carry it.
import { z } from 'zod';
import type { JobRef } from '#providers/types';
import { QuotaExceededError } from '#shared/errors';
import type { ObjectStore } from '#transfer/object-store';

const SavedSchema = z.object({ jobId: z.string(), progress: z.string().max(4096) });

/** The progress saved for this job, if any (another job's, or an unreadable one, is not this job's). */
export async function savedCheckProgress(store: ObjectStore, key: string, job: JobRef): Promise<string | undefined> {
  const found = await store.getObject(key);
  if (!found) return undefined;
  let saved: unknown;
  try {
    saved = JSON.parse(found.body.toString('utf8'));
  } catch {
    return undefined;
  }
  const parsed = SavedSchema.safeParse(saved);
  return parsed.success && parsed.data.jobId === job.id ? parsed.data.progress : undefined;
}

/** Runs the check; a deferral that carries progress is kept for the next check before it is rethrown. */
export async function keepingCheckProgress<T>(
  store: ObjectStore,
  key: string,
  job: JobRef,
  check: () => Promise<T>,
): Promise<T> {
  try {
    return await check();
  } catch (error) {
    if (error instanceof QuotaExceededError && error.progress !== undefined) {
      const body = JSON.stringify({ jobId: job.id, progress: error.progress });
      await store.putObject(key, body, 'application/json');
    }
    throw error;
  }
}
