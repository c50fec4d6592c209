// Cleanup: whatever failed, leave nothing behind: every planned window of the run gets the one undo
// (lambdas/window/undo-window.ts), the watermark is left alone, and the Export Failed event says what
// landed, what failed and what was undone. It must not fail itself: each action is best effort and logged.
import { giveBackLease } from '#window/lease';
import { EXPORT_NAME_PATTERN, type ExportDefinition } from '#shared/export-definition';
import { redact } from '#shared/redact';
import { parseOrThrow } from '#shared/validation';
import type { ExportWindow } from '#providers/types';
import { manifestKey } from '#window/keys';
import { readManifest } from '#window/manifest';
import { emptyTally, undoWindows } from '#window/undo-window';
import type { ExportFailedDetail, FailedWindows } from '../events';
import { spanOf } from '../events';
import { recordFailure } from '../metrics';
import type { WorkflowRuntime } from '../runtime';
import { CleanupInputSchema } from '../state';
import { readWatermark } from '../watermark';
import { describeCaught } from './describe-caught';

export async function cleanup(
  event: unknown,
  rt: WorkflowRuntime,
): Promise<{ event: ExportFailedDetail; error: { name: string; message: string } }> {
  const input = parseOrThrow(CleanupInputSchema, event, 'event');
  const error = describeCaught(input.error);
  // The definition comes from the deployment, looked up by the name the run was started with; an
  // input naming no known export has nothing to clean up (Plan refused it before any call).
  const rawExport = (input.input as { export?: unknown } | null)?.export;
  const parsedDef = definitionOf(rt, rawExport);
  let tally = emptyTally();
  const windows: FailedWindows = { landed: [], failed: [] };
  let watermark: string | null | undefined;

  if (parsedDef.success) {
    const def = parsedDef.data;
    const undoing = await undoWindows(
      rt,
      def,
      input.plan.windows.map((window) => ({ window, owner: input.executionId })),
    );
    tally = undoing.tally;
    if (input.executionId) await giveBackLease(rt.store, rt.logger, def.name, input.executionId);
    for (const undo of undoing.undone) {
      const landed = await landedInRun(rt, def.name, undo.window, input.startedAt);
      if (landed) windows.landed.push(landed);
      else windows.failed.push({ ...undo.window, jobId: undo.jobId ?? null, error });
    }
    try {
      watermark = (await readWatermark(rt.store, def.name))?.value.watermark ?? null;
    } catch (err) {
      rt.logger.error('cleanup could not read the watermark', { export: def.name, error: redact(String(err)) });
    }
  }

  const { cancelledJobs, cancelPendingJobs, abortedUploads, removedObjects } = tally;
  const name = parsedDef.success
    ? parsedDef.data.name
    : typeof rawExport === 'string' && EXPORT_NAME_PATTERN.test(rawExport)
      ? rawExport
      : 'unknown';
  rt.logger.error('export failed', {
    export: name,
    error,
    cancelledJobs,
    cancelPendingJobs,
    abortedUploads,
    removedObjects,
  });
  rt.events({ export: name, step: 'Cleanup', message: `${error.name}: ${error.message}` });
  recordFailure(rt, { name, provider: parsedDef.success ? parsedDef.data.provider : 'unknown' }, error.name);
  const durationSeconds = Math.max(0, Math.round((rt.clock.now().getTime() - Date.parse(input.startedAt)) / 1000));
  return {
    error,
    event: {
      export: name,
      provider: parsedDef.success ? parsedDef.data.provider : 'unknown',
      dataset: parsedDef.success ? parsedDef.data.dataset : 'unknown',
      window: spanOf(input.plan.windows),
      jobIds: [...cancelledJobs, ...cancelPendingJobs],
      error,
      durationSeconds,
      cleanup: {
        cancelledJobs,
        abortedUploads,
        removedObjects,
        ...(cancelPendingJobs.length > 0 ? { cancelPendingJobs } : {}),
      },
      windows,
      ...(watermark !== undefined ? { watermark } : {}),
      ...(input.executionId ? { executionId: input.executionId } : {}),
      ...(typeof input.plan.source === 'string' ? { source: input.plan.source } : {}),
    },
  };
}

function definitionOf(
  rt: WorkflowRuntime,
  name: unknown,
): { success: true; data: ExportDefinition } | { success: false } {
  if (typeof name !== 'string') return { success: false };
  try {
    return { success: true, data: rt.exports.definition(name) };
  } catch {
    return { success: false };
  }
}

/**
 * The window's manifest when this very run wrote it (its run start is this execution's): a window
 * that landed before the run failed elsewhere. A manifest of an earlier run does not count.
 */
async function landedInRun(
  rt: WorkflowRuntime,
  exportName: string,
  window: ExportWindow,
  runStartedAt: string,
): Promise<FailedWindows['landed'][number] | undefined> {
  try {
    const manifest = await readManifest(rt.store, manifestKey(exportName, window));
    if (!manifest || manifest.timings.runStartedAt !== runStartedAt) return undefined;
    return { ...window, jobId: manifest.job.id, manifest: rt.uri(manifestKey(exportName, window)) };
  } catch (err) {
    rt.logger.error('cleanup could not read the manifest', { export: exportName, window, error: redact(String(err)) });
    return undefined;
  }
}
