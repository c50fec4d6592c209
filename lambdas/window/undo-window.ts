// THE undo of a window: whatever failed or stopped, leave nothing of a window behind that its manifest
// does not vouch for. Cancel its remote job (where the provider cancels jobs), abort its open multipart
// uploads (so no half-written object ever becomes visible), and remove its files unless they are
// exactly what its manifest lists, and its staged objects always. Every path that gives up on a window
// comes here: a failed window (CleanupWindow), a failed run (Cleanup), a stopped execution
// (StoppedExecutions) and the windows a dead run left behind (ReclaimDeadRuns). A window whose publish
// had begun (it has a publish intent) is not undone but finished (roll-forward.ts). It must not fail:
// each action is best effort and logged.
import type { ExportProvider, ExportWindow } from '#providers/types';
import type { ExportDefinition } from '#shared/export-definition';
import { redact } from '#shared/redact';
import { readJobRecord, type JobRecord } from './job-record';
import { manifestKey, stagedWindowPrefixes, windowPrefixes } from './keys';
import { listedObjects, readManifest, type Manifest } from './manifest';
import { rollForwardWindow, type RollForward } from './roll-forward';
import { settleRecordedJob } from './settle-recorded-job';
import type { UndoDeps, WindowDeps } from './window-deps';

/** What undoing one window did (or left, saying why). */
export interface WindowUndo {
  readonly window: ExportWindow;
  /** The window's recorded job, when the owner had one. */
  jobId?: string;
  cancelledJob?: string;
  /** The cancel failed: the job may still run, its record stays (marked) for a later retry. */
  cancelPendingJob?: string;
  abortedUploads: number;
  removedObjects: number;
  /** The record stays when the job may still run (its cancel failed or could not be tried). */
  keptJobRecord: boolean;
  /** The window's interrupted publish was finished instead: it landed, with this manifest. */
  landed?: Manifest;
}

/** What undoing several windows did, summed: the figures Cleanup's event and every report carry. */
export interface UndoTally {
  readonly cancelledJobs: string[];
  /** Jobs whose cancel failed: their records stay, marked cancelPending, for the next run or cleanup. */
  readonly cancelPendingJobs: string[];
  abortedUploads: number;
  removedObjects: number;
}

/** A window to undo and the execution it must belong to (undefined: whoever owns it). */
export interface OwnedWindow {
  readonly window: ExportWindow;
  readonly owner: string | undefined;
}

export function emptyTally(): UndoTally {
  return { cancelledJobs: [], cancelPendingJobs: [], abortedUploads: 0, removedObjects: 0 };
}

/**
 * Undoes each window for its owner, building the export's provider once (or `provider` when the caller
 * has one). A provider that cannot be built leaves the jobs' cancels pending; the rest is still undone.
 */
export async function undoWindows(
  deps: UndoDeps,
  def: ExportDefinition,
  windows: readonly OwnedWindow[],
  provider?: ExportProvider,
): Promise<{ tally: UndoTally; undone: WindowUndo[] }> {
  const tally = emptyTally();
  const undone: WindowUndo[] = [];
  if (windows.length === 0) return { tally, undone };
  let built = provider;
  if (!built) {
    try {
      built = await deps.provider(def);
    } catch (err) {
      deps.logger.error('cleanup could not build the provider; job cancels stay pending', {
        export: def.name,
        error: redact(String(err)),
      });
    }
  }
  for (const { window, owner } of windows) {
    const undo = await undoWindow(deps, def.name, window, built, owner);
    undone.push(undo);
    if (undo.cancelledJob) tally.cancelledJobs.push(undo.cancelledJob);
    if (undo.cancelPendingJob) tally.cancelPendingJobs.push(undo.cancelPendingJob);
    tally.abortedUploads += undo.abortedUploads;
    tally.removedObjects += undo.removedObjects;
  }
  return { tally, undone };
}

/**
 * Undoes one window, and only if it is `owner`'s (its job record names that execution): an
 * overlapping run of the same window is left to finish or clean up on its own. A window without a
 * record was either never started or landed completely: nothing to undo.
 */
async function undoWindow(
  deps: WindowDeps,
  exportName: string,
  window: ExportWindow,
  provider: ExportProvider | undefined,
  owner: string | undefined,
): Promise<WindowUndo> {
  const undo: WindowUndo = { window, abortedUploads: 0, removedObjects: 0, keptJobRecord: false };
  const step = async (what: string, work: () => Promise<void>): Promise<boolean> => {
    try {
      await work();
      return true;
    } catch (err) {
      deps.logger.error(`cleanup could not ${what}`, { export: exportName, window, error: redact(String(err)) });
      return false;
    }
  };
  let record: JobRecord | undefined;
  await step('read the job record', async () => {
    record = await readJobRecord(deps.store, exportName, window);
  });
  if (!record) return undo;
  if (record.executionId && owner && record.executionId !== owner) {
    deps.logger.warn('window belongs to another execution; left alone', {
      export: exportName,
      window,
      owner: record.executionId,
    });
    return undo;
  }
  const owned = record;
  undo.jobId = owned.job.id;
  let publish: RollForward | undefined;
  const looked = await step('finish an interrupted publish', async () => {
    publish = await rollForwardWindow(deps, exportName, window);
  });
  // A publish that began (or may have: its intent could not be read) is never undone, only finished.
  if (!looked || publish?.outcome === 'pending') return { ...undo, keptJobRecord: true };
  if (publish?.outcome === 'landed') return { ...undo, landed: publish.manifest };
  if (publish?.outcome === 'abandoned') undo.removedObjects += publish.removedObjects;
  const settled = await step('settle the job', async () => {
    const settlement = await settleRecordedJob(
      { store: deps.store, logger: deps.logger, now: deps.clock.now() },
      exportName,
      window,
      owned,
      provider,
    );
    if (settlement.outcome === 'cancelled') undo.cancelledJob = settlement.jobId;
    if (settlement.outcome === 'cancel-pending') undo.cancelPendingJob = settlement.jobId;
    // A job that may still run keeps its record, so a later run resumes or cancels it instead of
    // starting a second one.
    undo.keptJobRecord = settlement.outcome === 'cancel-pending';
  });
  if (!settled) undo.keptJobRecord = true;
  const prefixes = windowPrefixes(exportName, window);
  const staged = stagedWindowPrefixes(exportName, window);
  await step('abort uploads', async () => {
    for (const prefix of [...prefixes, ...staged]) {
      for (const upload of await deps.store.listPendingUploads(prefix)) {
        await deps.store.abortUpload(upload.key, upload.uploadId);
        undo.abortedUploads += 1;
      }
    }
  });
  // After a failure a window is either exactly what its manifest lists, or gone: files of a window
  // that did not land come down, and so does a landed window that this failed re-run left mixed.
  await step('remove the files of an incomplete window', async () => {
    const keys = (await Promise.all(prefixes.map((prefix) => deps.store.listKeys(prefix)))).flat();
    if (await windowIntact(deps, manifestKey(exportName, window), keys)) return;
    for (const key of keys) {
      await deps.store.deleteObject(key);
      undo.removedObjects += 1;
    }
    await deps.store.deleteObject(manifestKey(exportName, window));
  });
  // Staged objects are never a window's data: a window given up keeps none.
  await step('remove the staged objects', async () => {
    for (const key of (await Promise.all(staged.map((prefix) => deps.store.listKeys(prefix)))).flat()) {
      await deps.store.deleteObject(key);
      undo.removedObjects += 1;
    }
  });
  return undo;
}

/** True when a manifest exists and the window's objects (raw, curated, rejects) are exactly its own, at their sizes. */
async function windowIntact(deps: WindowDeps, key: string, keys: readonly string[]): Promise<boolean> {
  const manifest = await readManifest(deps.store, key);
  if (!manifest) return false;
  const listed = listedObjects(manifest);
  if (listed.size !== keys.length || keys.some((k) => !listed.has(k))) return false;
  for (const [k, bytes] of listed) {
    if ((await deps.store.headObject(k))?.size !== bytes) return false;
  }
  return true;
}
