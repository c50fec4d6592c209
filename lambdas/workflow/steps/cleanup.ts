// Cleanup: whatever failed, leave nothing behind: cancel the run's remote jobs, abort its open
// multipart uploads (so no half-written object ever becomes visible) and leave the watermark alone.
// It must not fail itself: each action is best effort and logged.
import { z } from 'zod';
import type { ExportProvider, ExportWindow } from '../../providers/types';
import { EXPORT_NAME_PATTERN, type ExportDefinition } from '../../shared/export-definition';
import { readJobRecord } from '../job-records';
import { settleRecordedJob } from '../recorded-job-cancel';
import { curatedWindowPrefix, manifestKey, rawWindowPrefix } from '../keys';
import { manifestObjects } from '../window-objects';
import type { ExportFailedDetail, FailedWindows } from '../events';
import { spanOf } from '../events';
import { recordFailure } from '../metrics';
import type { WorkflowRuntime } from '../runtime';
import { CleanupInputSchema } from '../state';
import { parseOrThrow } from '../../shared/validation';
import { readWatermark } from '../watermark';
import { redact } from '../../shared/redact';

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
  // The report goes to logs, the Export Failed event and the CLI: redacted before it is cut.
  message = redact(message);
  return { name: redact(error.Error), message: message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE)}…` : message };
}

export async function cleanup(event: unknown, rt: WorkflowRuntime): Promise<{ event: ExportFailedDetail; error: { name: string; message: string } }> {
  const input = parseOrThrow(CleanupInputSchema, event, 'event');
  const error = describeCaught(input.error);
  // The definition comes from the deployment, looked up by the name the run was started with; an
  // input naming no known export has nothing to clean up (Plan refused it before any call).
  const rawExport = (input.input as { export?: unknown } | null)?.export;
  const parsedDef = definitionOf(rt, rawExport);
  const cancelledJobs: string[] = [];
  const cancelPendingJobs: string[] = [];
  let abortedUploads = 0;
  let removedObjects = 0;
  const windows: FailedWindows = { landed: [], failed: [] };
  let watermark: string | null | undefined;

  if (parsedDef.success) {
    const def = parsedDef.data;
    let provider;
    try {
      provider = await rt.provider(def);
    } catch (err) {
      rt.logger.error('cleanup could not build the provider; remote jobs are left to expire', { export: def.name, error: redact(String(err)) });
    }
    for (const window of input.plan.windows) {
      const undone = await undoWindow(rt, def.name, window, provider, input.executionId);
      if (undone.cancelledJob) cancelledJobs.push(undone.cancelledJob);
      if (undone.cancelPendingJob) cancelPendingJobs.push(undone.cancelPendingJob);
      abortedUploads += undone.abortedUploads;
      removedObjects += undone.removedObjects;
      const landed = await landedInRun(rt, def.name, window, input.startedAt);
      if (landed) windows.landed.push(landed);
      else windows.failed.push({ ...window, jobId: undone.jobId ?? null, error });
    }
    try {
      watermark = (await readWatermark(rt.store, def.name))?.value.watermark ?? null;
    } catch (err) {
      rt.logger.error('cleanup could not read the watermark', { export: def.name, error: redact(String(err)) });
    }
  }

  const name = parsedDef.success ? parsedDef.data.name : typeof rawExport === 'string' && EXPORT_NAME_PATTERN.test(rawExport) ? rawExport : 'unknown';
  rt.logger.error('export failed', { export: name, error, cancelledJobs, cancelPendingJobs, abortedUploads, removedObjects });
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
      cleanup: { cancelledJobs, abortedUploads, removedObjects, ...(cancelPendingJobs.length > 0 ? { cancelPendingJobs } : {}) },
      windows,
      ...(watermark !== undefined ? { watermark } : {}),
      ...(input.executionId ? { executionId: input.executionId } : {}),
      ...(typeof input.plan.source === 'string' ? { source: input.plan.source } : {}),
    },
  };
}

function definitionOf(rt: WorkflowRuntime, name: unknown): { success: true; data: ExportDefinition } | { success: false } {
  if (typeof name !== 'string') return { success: false };
  try {
    return { success: true, data: rt.exports.definition(name) };
  } catch {
    return { success: false };
  }
}

export interface WindowUndo {
  /** The window's recorded job, when this run owned one. */
  jobId?: string;
  cancelledJob?: string;
  /** The cancel failed: the job may still run, its record stays (marked) for a later retry. */
  cancelPendingJob?: string;
  abortedUploads: number;
  removedObjects: number;
  /** The record stays when the job may still run (its cancel failed or could not be tried). */
  keptJobRecord: boolean;
}

/**
 * Undoes what this run did to one window, and only if the window is this run's (its job record names
 * this execution): an overlapping run of the same window is left to finish or clean up on its own.
 * A window without a record was either never started or landed completely: nothing to undo.
 */
export async function undoWindow(rt: WorkflowRuntime, exportName: string, window: ExportWindow, provider: ExportProvider | undefined, executionId: string | undefined): Promise<WindowUndo> {
  const undo: WindowUndo = { abortedUploads: 0, removedObjects: 0, keptJobRecord: false };
  const step = async (what: string, work: () => Promise<void>): Promise<boolean> => {
    try {
      await work();
      return true;
    } catch (err) {
      rt.logger.error(`cleanup could not ${what}`, { export: exportName, window, error: redact(String(err)) });
      return false;
    }
  };
  let record: Awaited<ReturnType<typeof readJobRecord>>;
  await step('read the job record', async () => {
    record = await readJobRecord(rt.store, exportName, window);
  });
  if (!record) return undo;
  if (record.executionId && executionId && record.executionId !== executionId) {
    rt.logger.warn('window belongs to another execution; left alone', { export: exportName, window, owner: record.executionId });
    return undo;
  }
  const owned = record;
  undo.jobId = owned.job.id;
  const settled = await step('settle the job', async () => {
    const settlement = await settleRecordedJob({ store: rt.store, logger: rt.logger, now: rt.clock.now() }, exportName, window, owned, provider);
    if (settlement.outcome === 'cancelled') undo.cancelledJob = settlement.jobId;
    if (settlement.outcome === 'cancel-pending') undo.cancelPendingJob = settlement.jobId;
    // A job that may still run keeps its record, so a later run resumes or cancels it instead of
    // starting a second one.
    undo.keptJobRecord = settlement.outcome === 'cancel-pending';
  });
  if (!settled) undo.keptJobRecord = true;
  const prefixes = [rawWindowPrefix(exportName, window), curatedWindowPrefix(exportName, window)];
  await step('abort uploads', async () => {
    for (const prefix of prefixes) {
      for (const upload of await rt.store.listPendingUploads(prefix)) {
        await rt.store.abortUpload(upload.key, upload.uploadId);
        undo.abortedUploads += 1;
      }
    }
  });
  // After a failure a window is either exactly what its manifest lists, or gone: files of a window
  // that did not land come down, and so does a landed window that this failed re-run left mixed.
  await step('remove the files of an incomplete window', async () => {
    const keys = (await Promise.all(prefixes.map((prefix) => rt.store.listKeys(prefix)))).flat();
    if (await windowIntact(rt, manifestKey(exportName, window), keys)) return;
    for (const key of keys) {
      await rt.store.deleteObject(key);
      undo.removedObjects += 1;
    }
    await rt.store.deleteObject(manifestKey(exportName, window));
  });
  return undo;
}

/** True when a manifest exists and the window's objects (raw and curated) are exactly its own, at their sizes. */
async function windowIntact(rt: WorkflowRuntime, key: string, keys: readonly string[]): Promise<boolean> {
  const listed = await manifestObjects(rt.store, key);
  if (!listed) return false;
  if (listed.size !== keys.length || keys.some((k) => !listed.has(k))) return false;
  for (const [k, bytes] of listed) {
    if ((await rt.store.headObject(k))?.size !== bytes) return false;
  }
  return true;
}

/**
 * The window's manifest when this very run wrote it (its run start is this execution's): a window
 * that landed before the run failed elsewhere. A manifest of an earlier run does not count.
 */
async function landedInRun(rt: WorkflowRuntime, exportName: string, window: ExportWindow, runStartedAt: string): Promise<FailedWindows['landed'][number] | undefined> {
  try {
    const got = await rt.store.getObject(manifestKey(exportName, window));
    if (!got) return undefined;
    const manifest = LandedManifestSchema.safeParse(JSON.parse(got.body.toString('utf8')));
    if (!manifest.success || manifest.data.timings.runStartedAt !== runStartedAt) return undefined;
    return { ...window, jobId: manifest.data.job.id, manifest: rt.uri(manifestKey(exportName, window)) };
  } catch (err) {
    rt.logger.error('cleanup could not read the manifest', { export: exportName, window, error: redact(String(err)) });
    return undefined;
  }
}

const LandedManifestSchema = z.looseObject({ job: z.looseObject({ id: z.string().min(1) }), timings: z.looseObject({ runStartedAt: z.string() }) });
