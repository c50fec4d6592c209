// A failed window in the ledger (CleanupWindow): the failure is recorded, counting an attempt only when
// the data itself failed (WINDOW_FAILURE_KIND in error-policy.ts), and the attempt that reaches the
// export's maxWindowAttempts quarantines the window: its raw files are kept for inspection before the
// undo removes them, and the quarantine is reported (a metric that is alarmed, an EventBridge event
// the state machine publishes, a line in the run's progress). Like every undo, it never fails the step.
import { isDataError } from '#shared/error-policy';
import { maxWindowAttempts, type ExportDefinition } from '#shared/export-definition';
import { redact, redactDeep } from '#shared/redact';
import type { ExportWindow } from '#providers/types';
import { manifestKey } from '#window/keys';
import { entryOf, type LedgerEntry, type WindowFailure } from '#window/ledger';
import { failedLedger, recordWindowFailed } from '#window/ledger-records';
import { readLedger } from '#window/ledger-store';
import { keepQuarantinedRaw } from '#window/quarantine';
import type { ExportWindowQuarantinedDetail } from './events';
import { recordQuarantined } from './metrics';
import type { WorkflowRuntime } from './runtime';

export interface FailedWindowOutcome<T> {
  readonly undone: T;
  /** The window's ledger entry after the failure (absent when the ledger could not be written). */
  readonly entry?: LedgerEntry;
  /** Set when this failure quarantined the window: the event's detail. */
  readonly quarantine?: ExportWindowQuarantinedDetail;
}

/** Records the window's failure around its undo (`undo`): raw files kept before, the ledger after. */
export async function failWindowInLedger<T>(
  rt: WorkflowRuntime,
  def: ExportDefinition,
  window: ExportWindow,
  error: { name: string; message: string },
  run: { executionId?: string | undefined },
  undo: () => Promise<T>,
): Promise<FailedWindowOutcome<T>> {
  const failure: WindowFailure = { name: error.name, message: error.message, dataError: isDataError(error.name) };
  const meta = { at: rt.clock.now().toISOString(), maxAttempts: maxWindowAttempts(def) };
  const logged = (what: string) => (err: unknown) => {
    rt.logger.error(`could not ${what}`, { export: def.name, window, error: redact(String(err)) });
    return undefined;
  };

  const ledger = await readLedger(rt.store, def.name).then(({ ledger }) => ledger, logged('read the window ledger'));
  const current = ledger ? entryOf(ledger, window) : undefined;
  // A CleanupWindow re-run (after a timeout) finds its own failure already recorded: it is counted once.
  if (
    run.executionId &&
    current?.executionId === run.executionId &&
    (current.state === 'failed' || current.state === 'quarantined')
  )
    return { undone: await undo(), entry: current };
  // Whether this failure quarantines the window is known before the undo, which would remove the raw files.
  const predicted = ledger
    ? entryOf(failedLedger(ledger, window, failure, { ...meta, landedIntact: true }), window)
    : undefined;
  const raw = predicted?.state === 'quarantined' ? await keepQuarantinedRaw(rt.store, rt.logger, def.name, window) : [];
  const undone = await undo();
  const landedIntact = await rt.store.headObject(manifestKey(def.name, window)).then(
    (head) => head !== undefined,
    () => false,
  );
  const entry = await recordWindowFailed(rt.store, def.name, window, failure, { ...meta, landedIntact }).catch(
    logged('record the failure in the window ledger'),
  );
  if (entry?.state !== 'quarantined') return { undone, ...(entry ? { entry } : {}) };

  recordQuarantined(rt, def, error.name);
  rt.logger.error('window quarantined', { export: def.name, window, attempts: entry.attempts, error, raw });
  rt.events({
    export: def.name,
    step: 'CleanupWindow',
    window,
    message: `window quarantined after ${entry.attempts} data failure(s): ${error.name}; raw kept: ${raw.length} file(s)`,
  });
  const source = entry.source;
  const quarantine: ExportWindowQuarantinedDetail = redactDeep({
    export: def.name,
    provider: def.provider,
    dataset: def.dataset,
    window: { start: window.start, end: window.end },
    attempts: entry.attempts,
    error,
    jobId: entry.jobId ?? null,
    raw: raw.map((key) => rt.uri(key)),
    ...(run.executionId ? { executionId: run.executionId } : {}),
    ...(source ? { source } : {}),
  });
  return { undone, entry, quarantine };
}
