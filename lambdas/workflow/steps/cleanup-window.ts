// CleanupWindow: one window failed; undo that window only (cancel its job where the provider cancels
// jobs, abort its uploads, remove its files unless it is exactly what a manifest lists) and hand back
// a result that says so. Its siblings go on: the run decides after the Map what the failure means.
// Like Cleanup, it must not fail itself: each action is best effort and logged.
import { redact } from '../../shared/redact';
import { parseOrThrow } from '../../shared/validation';
import type { WorkflowRuntime } from '../runtime';
import { CleanupWindowInputSchema, type WindowFailure } from '../state';
import { describeCaught, undoWindow } from './cleanup';

export async function cleanupWindow(event: unknown, rt: WorkflowRuntime): Promise<WindowFailure> {
  const input = parseOrThrow(CleanupWindowInputSchema, event, 'event');
  const def = input.export;
  const error = describeCaught(input.error);
  let provider;
  try {
    provider = await rt.provider(def);
  } catch (err) {
    rt.logger.error('window cleanup could not build the provider; its job keeps its record', { export: def.name, error: redact(String(err)) });
  }
  const undone = await undoWindow(rt, def.name, input.window, provider, input.executionId);
  const cleanup = {
    cancelledJobs: undone.cancelledJob ? [undone.cancelledJob] : [],
    abortedUploads: undone.abortedUploads,
    removedObjects: undone.removedObjects,
    keptJobRecord: undone.keptJobRecord,
    ...(undone.cancelPendingJob ? { cancelPendingJobs: [undone.cancelPendingJob] } : {}),
  };
  rt.logger.error('window failed', { export: def.name, window: input.window, error, cleanup });
  rt.events({ export: def.name, step: 'CleanupWindow', window: input.window, message: `window failed: ${error.name}: ${error.message}` });
  return { outcome: 'failed', window: input.window, jobId: undone.jobId ?? null, error, cleanup };
}
