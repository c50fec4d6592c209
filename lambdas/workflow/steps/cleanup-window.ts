// CleanupWindow: one window failed; undo that window only (lambdas/window/undo-window.ts) and hand back
// a result that says so. Its siblings go on: the run decides after the Map what the failure means.
// Like every undo, it must not fail itself: each action is best effort and logged. The window's ledger
// entry records the failure (window-failure.ts); a failure that quarantines the window adds the
// `quarantine` detail, which the state machine publishes as an event. A window that failed during its
// publish, after the intent was written, is finished instead and reported landed (the ledger says so).
import { parseOrThrow } from '#shared/validation';
import { manifestKey } from '#window/keys';
import { undoWindows } from '#window/undo-window';
import type { WorkflowRuntime } from '../runtime';
import { CleanupWindowInputSchema, type WindowResult } from '../state';
import { windowSummaryOf } from '../window-summary';
import { describeCaught } from './describe-caught';
import { failWindowInLedger } from '../window-failure';
import type { ExportWindowQuarantinedDetail } from '../events';

export async function cleanupWindow(
  event: unknown,
  rt: WorkflowRuntime,
): Promise<WindowResult & { quarantine?: ExportWindowQuarantinedDetail }> {
  const input = parseOrThrow(CleanupWindowInputSchema, event, 'event');
  const def = rt.exports.definition(input.export);
  const error = describeCaught(input.error);
  const {
    undone: { undone },
    quarantine,
  } = await failWindowInLedger(rt, def, input.window, error, input, () =>
    undoWindows(rt, def, [{ window: input.window, owner: input.executionId }]),
  );
  const undo = undone[0]!;
  if (undo.landed) {
    rt.logger.warn('the window failed during its publish, which was finished: it landed', {
      export: def.name,
      window: input.window,
      error,
    });
    return windowSummaryOf(undo.landed, rt.uri(manifestKey(def.name, input.window)));
  }
  const cleanup = {
    cancelledJobs: undo.cancelledJob ? [undo.cancelledJob] : [],
    abortedUploads: undo.abortedUploads,
    removedObjects: undo.removedObjects,
    keptJobRecord: undo.keptJobRecord,
    ...(undo.cancelPendingJob ? { cancelPendingJobs: [undo.cancelPendingJob] } : {}),
  };
  rt.logger.error('window failed', { export: def.name, window: input.window, error, cleanup });
  rt.events({
    export: def.name,
    step: 'CleanupWindow',
    window: input.window,
    message: `window failed: ${error.name}: ${error.message}`,
  });
  return {
    outcome: 'failed',
    window: input.window,
    jobId: undo.jobId ?? null,
    error,
    cleanup,
    ...(quarantine ? { quarantine } : {}),
  };
}
