// Cleanup: whatever failed, leave nothing behind: cancel the run's remote jobs, abort its open
// multipart uploads (so no half-written object ever becomes visible) and leave the watermark alone.
// It must not fail itself: each action is best effort and logged.
import { ExportDefinitionSchema } from '../../shared/export-definition';
import { deleteJobRecord, readJobRecord } from '../job-records';
import { manifestKey, rawWindowPrefix } from '../keys';
import type { ExportFailedDetail } from '../events';
import { spanOf } from '../events';
import type { WorkflowRuntime } from '../runtime';
import { CleanupInputSchema } from '../state';
import { parseOrThrow } from './plan';

const MAX_MESSAGE = 1_000;

/** Lambda errors arrive as a JSON report in `Cause` on AWS and as plain text from the local engine. */
export function describeCaught(error: { Error: string; Cause?: string | undefined }): { name: string; message: string } {
  let message = error.Cause ?? '';
  try {
    const parsed: unknown = JSON.parse(message);
    if (parsed && typeof parsed === 'object' && 'errorMessage' in parsed && typeof parsed.errorMessage === 'string') message = parsed.errorMessage;
  } catch {
    // plain text
  }
  if (message.startsWith(`${error.Error}: `)) message = message.slice(error.Error.length + 2);
  return { name: error.Error, message: message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE)}…` : message };
}

export async function cleanup(event: unknown, rt: WorkflowRuntime): Promise<{ event: ExportFailedDetail; error: { name: string; message: string } }> {
  const input = parseOrThrow(CleanupInputSchema, event, 'event');
  const error = describeCaught(input.error);
  const rawExport = (input.input as { export?: unknown } | null)?.export;
  const parsedDef = ExportDefinitionSchema.safeParse(rawExport);
  const cancelledJobs: string[] = [];
  let abortedUploads = 0;
  let removedObjects = 0;

  if (parsedDef.success) {
    const def = parsedDef.data;
    let provider;
    try {
      provider = await rt.provider(def);
    } catch (err) {
      rt.logger.error('cleanup could not build the provider; remote jobs are left to expire', { export: def.name, error: String(err) });
    }
    for (const window of input.plan.windows) {
      try {
        const record = await readJobRecord(rt.store, def.name, window);
        if (record && provider) {
          await provider.cancelJob(record.job);
          cancelledJobs.push(record.job.id);
          await deleteJobRecord(rt.store, def.name, window);
        }
      } catch (err) {
        rt.logger.error('cleanup could not cancel a job', { export: def.name, window, error: String(err) });
      }
      try {
        for (const upload of await rt.store.listPendingUploads(rawWindowPrefix(def.name, window))) {
          await rt.store.abortUpload(upload.key, upload.uploadId);
          abortedUploads += 1;
        }
      } catch (err) {
        rt.logger.error('cleanup could not abort uploads', { export: def.name, window, error: String(err) });
      }
      try {
        // A window without a manifest did not land: files of it that did complete come down too, so
        // Athena never sees part of a window. (A window that landed before keeps its manifest and files.)
        if (!(await rt.store.headObject(manifestKey(def.name, window)))) {
          for (const key of await rt.store.listKeys(rawWindowPrefix(def.name, window))) {
            await rt.store.deleteObject(key);
            removedObjects += 1;
          }
        }
      } catch (err) {
        rt.logger.error('cleanup could not remove the files of an incomplete window', { export: def.name, window, error: String(err) });
      }
    }
  }

  const name = parsedDef.success ? parsedDef.data.name : typeof (rawExport as { name?: unknown })?.name === 'string' ? String((rawExport as { name: string }).name) : 'unknown';
  rt.logger.error('export failed', { export: name, error, cancelledJobs, abortedUploads, removedObjects });
  rt.onProgress?.({ export: name, step: 'Cleanup', message: `${error.name}: ${error.message}` });
  const durationSeconds = Math.max(0, Math.round((rt.clock.now().getTime() - Date.parse(input.startedAt)) / 1000));
  return {
    error,
    event: {
      export: name,
      provider: parsedDef.success ? parsedDef.data.provider : 'unknown',
      dataset: parsedDef.success ? parsedDef.data.dataset : 'unknown',
      window: spanOf(input.plan.windows),
      jobIds: cancelledJobs,
      error,
      durationSeconds,
      cleanup: { cancelledJobs, abortedUploads, removedObjects },
      ...(input.executionId ? { executionId: input.executionId } : {}),
    },
  };
}
