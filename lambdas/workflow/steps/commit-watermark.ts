// CommitWatermark: after the windows of the run ended, each landed or failed on its own (and recorded
// so in the window ledger as it ended), write the watermark users see: the one the ledger derives, the
// end of the contiguous landed range from the first start, where a quarantined window does not hold it
// back and a failed or missing one does (never backwards). Then build the outcome's event: succeeded
// when every window landed, failed (naming the failed windows) otherwise.
import type { z } from 'zod';
import { giveBackLease } from '#window/lease';
import { PreconditionFailedError } from '#shared/errors';
import type { ExportDefinition } from '#shared/export-definition';
import { succeededDetail, spanOf, type ExportFailedDetail, type ExportSucceededDetail } from '../events';
import { recordCommit, recordFailure } from '../metrics';
import type { WorkflowRuntime } from '../runtime';
import { CommitInputSchema, type Plan, type WindowFailure, type WindowSummary } from '../state';
import { derivedWatermark } from '#window/ledger';
import { readLedger } from '#window/ledger-store';
import { ledgerAsSeenBy } from '../ledger-plan';
import { commitWatermark, readWatermark, type CommitOutcome } from '../watermark';
import { parseOrThrow } from '#shared/validation';
import { redactDeep } from '#shared/redact';

const MAX_MESSAGE = 1_000;

export type CommitResult =
  | { outcome: 'succeeded'; event: ExportSucceededDetail; watermark: CommitOutcome }
  | {
      outcome: 'failed';
      event: ExportFailedDetail;
      error: { name: string; message: string };
      watermark: CommitOutcome;
    };

export async function commitRun(event: unknown, rt: WorkflowRuntime): Promise<CommitResult> {
  const input = parseOrThrow(CommitInputSchema, event, 'event');
  try {
    return await commitWindows(input, rt);
  } finally {
    // The run's last step on this path: the export is free for the next run, whatever the outcome.
    if (input.executionId) await giveBackLease(rt.store, rt.logger, input.plan.export, input.executionId);
  }
}

async function commitWindows(input: z.infer<typeof CommitInputSchema>, rt: WorkflowRuntime): Promise<CommitResult> {
  const { plan } = input;
  const def = rt.exports.definition(plan.export);
  // The ledger as this run's data source sees it: a simulator's windows never move a real watermark.
  const ledger = ledgerAsSeenBy((await readLedger(rt.store, def.name)).ledger, plan.source);
  const derived = derivedWatermark(ledger, def.window.firstStart);
  const range = derived ? { from: def.window.firstStart, to: derived } : undefined;
  const executionId = input.executionId ? { executionId: input.executionId } : {};
  let outcome: CommitOutcome;
  if (plan.mode === 'snapshot') {
    // A snapshot is the whole set as of its run: there is no range to continue from next time.
    outcome = { moved: false, reason: 'snapshot exports keep no watermark' };
  } else if (range) {
    const meta = {
      now: rt.clock.now(),
      firstStart: def.window.firstStart,
      ...executionId,
      ...(plan.source ? { source: plan.source } : {}),
    };
    // Overlapping runs race on the watermark; the loser re-reads and decides again (it may find
    // the other run already moved it past this range, which is fine: the data landed either way).
    for (let attempt = 1; ; attempt++) {
      try {
        outcome = await commitWatermark(rt.store, def.name, range, meta);
        break;
      } catch (err) {
        if (!(err instanceof PreconditionFailedError) || attempt >= 3) throw err;
        rt.logger.warn('watermark changed while committing; re-reading', { export: def.name, attempt });
      }
    }
  } else {
    const current = await readWatermark(rt.store, def.name);
    const reason =
      plan.windows.length === 0
        ? 'nothing to export yet'
        : `the first window from ${def.window.firstStart} has not landed (the ledger derives no watermark yet)`;
    outcome = { moved: false, ...(current ? { current: current.value.watermark } : {}), reason };
  }
  rt.logger.info('watermark', { export: def.name, ...outcome });
  const durationSeconds = Math.max(0, Math.round((rt.clock.now().getTime() - Date.parse(plan.startedAt)) / 1000));
  const watermark = outcome.moved ? outcome.to : (outcome.current ?? null);
  const landed = input.windows.filter((r): r is WindowSummary => r.outcome === 'landed');
  const failed = input.windows.filter((r): r is WindowFailure => r.outcome === 'failed');
  if (failed.length === 0) {
    recordCommit(rt, def, { durationSeconds, watermark });
    return {
      outcome: 'succeeded',
      event: succeededDetail(def, landed, {
        durationSeconds,
        watermark,
        ...executionId,
        ...(plan.source ? { source: plan.source } : {}),
      }),
      watermark: outcome,
    };
  }
  const error = runError(failed, plan.windows.length);
  rt.logger.error('export failed', { export: def.name, error, landed: landed.length, failed: failed.length });
  recordFailure(rt, def, error.name);
  return {
    outcome: 'failed',
    event: failedDetail(def, plan, landed, failed, {
      durationSeconds,
      watermark,
      error,
      ...executionId,
      ...(plan.source ? { source: plan.source } : {}),
    }),
    error,
    watermark: outcome,
  };
}

/** The run's error: the failed window's own, or WindowsFailedError naming each when several failed. */
function runError(failed: readonly WindowFailure[], windows: number): { name: string; message: string } {
  const at = (f: WindowFailure) => `window ${f.window.start}/${f.window.end}`;
  const [only] = failed;
  const message =
    failed.length === 1 && only
      ? `${only.error.message} [${at(only)}; ${windows - 1} other window(s) of the run landed]`
      : `${failed.length} of ${windows} windows failed: ${failed.map((f) => `${at(f)}: ${f.error.name}: ${f.error.message}`).join('; ')}`;
  return {
    name: failed.length === 1 && only ? only.error.name : 'WindowsFailedError',
    message: message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE)}…` : message,
  };
}

function failedDetail(
  def: ExportDefinition,
  plan: Plan,
  landed: readonly WindowSummary[],
  failed: readonly WindowFailure[],
  extra: {
    durationSeconds: number;
    watermark: string | null;
    error: { name: string; message: string };
    executionId?: string;
    source?: string;
  },
): ExportFailedDetail {
  const cancelPending = failed.flatMap((f) => f.cleanup.cancelPendingJobs ?? []);
  return redactDeep({
    export: def.name,
    provider: def.provider,
    dataset: def.dataset,
    window: spanOf(plan.windows),
    jobIds: [...landed.map((l) => l.jobId), ...failed.flatMap((f) => (f.jobId ? [f.jobId] : []))],
    error: extra.error,
    durationSeconds: extra.durationSeconds,
    cleanup: {
      cancelledJobs: failed.flatMap((f) => f.cleanup.cancelledJobs),
      abortedUploads: failed.reduce((n, f) => n + f.cleanup.abortedUploads, 0),
      removedObjects: failed.reduce((n, f) => n + f.cleanup.removedObjects, 0),
      ...(cancelPending.length > 0 ? { cancelPendingJobs: cancelPending } : {}),
    },
    windows: {
      landed: landed.map((l) => ({ ...l.window, jobId: l.jobId, manifest: l.manifest })),
      failed: failed.map((f) => ({ ...f.window, jobId: f.jobId, error: f.error })),
    },
    watermark: extra.watermark,
    ...(extra.executionId ? { executionId: extra.executionId } : {}),
    ...(extra.source ? { source: extra.source } : {}),
  });
}
