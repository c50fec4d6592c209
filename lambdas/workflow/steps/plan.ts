// Plan: validate the run's input, take the export's lease (one run per export at a time) and decide
// its windows (explicit range, an operator's retry of one window, or the windows the ledger still owes
// from its derived watermark to now − lag), recorded `planned` in the ledger; a publish a dead run began
// is finished first, so its window is not planned again. The other windows dead runs left behind are
// ReclaimDeadRuns' business, the next step. Plan calls no provider API: a run that meets a busy export
// has cost the provider nothing.
import { ExportBusyError, ValidationError } from '#shared/errors';
import { parseOrThrow } from '#shared/validation';
import { earliestWindowStart, type ExportDefinition } from '#shared/export-definition';
import type { WorkflowRuntime } from '../runtime';
import { ExecutionInputSchema, PlanInputSchema, type ExecutionInput, type Plan } from '../state';
import { exportMode } from '#providers/descriptors';
import { dataSourceOf } from '../data-source';
import { planWindows, snapshotWindow, type WindowPlan } from '../windows';
import { recordWindowRetried, recordWindowsPlanned } from '#window/ledger-records';
import { notOwnedBy, retryPlan, runLedger, scheduledWindows } from '../ledger-plan';
import { acquireLease } from '#window/lease';
import { rollForwardDeadPublishes } from '#window/roll-forward';
import { redact } from '#shared/redact';
import { MAX_RUN_DURATION_MS } from '#window/run-limits';
import { recordSkippedStart } from '../metrics';

export async function plan(event: unknown, rt: WorkflowRuntime): Promise<Plan> {
  const { input, startedAt, executionId } = parseOrThrow(PlanInputSchema, event, 'event');
  const run = parseOrThrow(ExecutionInputSchema, input, 'input');
  const def: ExportDefinition = rt.exports.definition(run.export);
  const provider = await rt.provider(def);
  provider.validate(def.request);

  const earliest = earliestWindowStart(def);
  if (run.from && Date.parse(run.from) < Date.parse(earliest)) {
    // The tables project partitions from this date on: a window before it would land where Athena never looks.
    throw new ValidationError(
      'from',
      `${run.from} is before the export's earliest window (${earliest}); set window.backfillFrom in the config to reach further back`,
    );
  }

  const source = dataSourceOf(rt, provider);
  const snapshot = exportMode(def) === 'snapshot';
  if (run.retryWindow && run.from) throw new ValidationError('retryWindow', 'a retry names one window: no from/to');
  if (snapshot && run.retryWindow)
    throw new ValidationError(
      'retryWindow',
      `export "${def.name}" is a snapshot export: its next run lands the current snapshot`,
    );
  if (snapshot && run.from) {
    throw new ValidationError(
      'from',
      `export "${def.name}" is a snapshot export: each run lands the current snapshot, so from/to do not apply`,
    );
  }
  const base = {
    export: def.name,
    mode: snapshot
      ? ('snapshot' as const)
      : run.from || run.retryWindow
        ? ('explicit' as const)
        : ('scheduled' as const),
    maxConcurrency: provider.limits.maxConcurrentJobs,
    startedAt,
    source,
  };
  const holder = executionId ?? `run started ${startedAt}`;
  try {
    const taken = await acquireLease(
      rt.store,
      def.name,
      holder,
      { now: rt.clock.now(), ttlMs: MAX_RUN_DURATION_MS },
      rt.executionEnded ? (h) => rt.executionEnded!(h) : undefined,
    );
    if (taken.tookOverFrom)
      rt.logger.warn('took over the lease of a run that ended', { export: def.name, from: taken.tookOverFrom });
  } catch (error) {
    if (!(error instanceof ExportBusyError) || run.trigger !== 'schedule') throw error;
    // A scheduled start meeting a run (a backfill, the previous schedule still waiting out a quota) is
    // not a failure: the next schedule picks the windows up. Counted, so a schedule that is always
    // skipped shows.
    rt.logger.warn('export busy: scheduled start skipped', { export: def.name, holder: error.holder });
    recordSkippedStart(rt, def);
    rt.events({ export: def.name, step: 'Plan', message: `skipped: ${error.message}` });
    return {
      ...base,
      windows: [],
      end: null,
      truncated: false,
      skipped: { holder: error.holder, message: error.message },
    };
  }

  // Under the lease only: the ledger is the export's, and the lease makes this run its one writer.
  // First, a publish a dead run began is finished (roll-forward), so the ledger this run plans from
  // says that window landed: it is not exported a second time.
  await finishDeadPublishes(rt, def.name);
  const planned: WindowPlan = run.retryWindow
    ? retryPlan(await runLedger(rt, def, source), def.name, run.retryWindow)
    : snapshot
      ? snapshotPlan(rt.clock.now(), def)
      : await windowedPlan(rt, def, run, provider.limits.maxWindowDays, source);
  // Each window's own request is validated now, so a bad window fails before any job is created.
  for (const w of planned.windows) provider.validate(def.request, w);

  const at = rt.clock.now().toISOString();
  if (run.retryWindow) for (const w of planned.windows) await recordWindowRetried(rt.store, def.name, w, { at });
  await recordWindowsPlanned(rt.store, def.name, planned.windows, {
    at,
    ...(executionId ? { executionId } : {}),
    source,
    replaces: notOwnedBy(source),
  });
  rt.logger.info('planned', {
    export: def.name,
    windows: planned.windows.length,
    truncated: planned.truncated,
    from: planned.windows[0]?.start,
    to: planned.end,
  });
  rt.events({
    export: def.name,
    step: 'Plan',
    message: `${planned.windows.length} window(s)${planned.truncated ? ' (more next run)' : ''}`,
  });
  return { ...base, windows: planned.windows, end: planned.end ?? null, truncated: planned.truncated };
}

function snapshotPlan(now: Date, def: ExportDefinition): WindowPlan {
  const window = snapshotWindow(now, def.window.grain);
  // Before the first start the tables project no partition yet: nothing to land.
  if (Date.parse(window.start) < Date.parse(earliestWindowStart(def))) return { windows: [], truncated: false };
  return { windows: [window], end: window.end, truncated: false };
}

async function windowedPlan(
  rt: WorkflowRuntime,
  def: ExportDefinition,
  run: ExecutionInput,
  maxSpanDays: number,
  source: string,
): Promise<WindowPlan> {
  if (run.from && run.to) {
    // An explicit range replaces what it covers, landed or not (a backfill, a re-run after a fix).
    return planWindows({
      grain: def.window.grain,
      maxSpanDays,
      explicit: { from: run.from, to: run.to },
      now: rt.clock.now(),
      lagMinutes: def.window.lagMinutes,
    });
  }
  const planned = scheduledWindows(await runLedger(rt, def, source), def, maxSpanDays, rt.clock.now());
  rt.logger.info('ledger', { export: def.name, resumeFrom: planned.resumeFrom, owed: planned.windows.length });
  return planned;
}

/** Best effort: a store failure here leaves the intents to ReclaimDeadRuns, the next step. */
async function finishDeadPublishes(rt: WorkflowRuntime, exportName: string): Promise<void> {
  try {
    const finished = await rollForwardDeadPublishes(rt, exportName);
    for (const { window, result } of finished)
      rt.logger.warn('finished the publish a dead run began', { export: exportName, window, outcome: result.outcome });
    const landed = finished.filter(({ result }) => result.outcome === 'landed').length;
    if (landed > 0)
      rt.events({
        export: exportName,
        step: 'Plan',
        message: `finished the publish of ${landed} window(s) a dead run began`,
      });
  } catch (err) {
    rt.logger.warn("could not finish dead runs' publishes before planning", {
      export: exportName,
      error: redact(String(err)),
    });
  }
}
