// Plan: validate the run's input, take the export's lease (one run per export at a time) and decide
// its windows (explicit range, or watermark → now − lag). Windows dead runs left behind are
// ReclaimDeadRuns' business, the next step. Plan calls no provider API: a run that meets a busy export
// has cost the provider nothing.
import { ExportBusyError, ValidationError } from '#shared/errors';
import { parseOrThrow } from '#shared/validation';
import { earliestWindowStart, type ExportDefinition } from '#shared/export-definition';
import type { WorkflowRuntime } from '../runtime';
import { ExecutionInputSchema, PlanInputSchema, type ExecutionInput, type Plan } from '../state';
import { readWatermark } from '../watermark';
import { exportMode } from '#providers/descriptors';
import { dataSourceOf, watermarkStanding } from '../data-source';
import { planWindows, snapshotWindow, type WindowPlan } from '../windows';
import { acquireLease } from '#window/lease';
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
  if (snapshot && run.from) {
    throw new ValidationError(
      'from',
      `export "${def.name}" is a snapshot export: each run lands the current snapshot, so from/to do not apply`,
    );
  }
  const planned: WindowPlan = snapshot
    ? snapshotPlan(rt.clock.now(), def)
    : await windowedPlan(rt, def, run, provider.limits.maxWindowDays, source);
  // Each window's own request is validated now, so a bad window fails before any job is created.
  for (const w of planned.windows) provider.validate(def.request, w);

  const base = {
    export: def.name,
    mode: snapshot ? ('snapshot' as const) : run.from ? ('explicit' as const) : ('scheduled' as const),
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
  let resumeFrom: string | undefined;
  if (!run.from) {
    const stored = (await readWatermark(rt.store, def.name))?.value;
    // A simulator's watermark says nothing about the real data: a real run exports from the first start.
    const standing = stored ? watermarkStanding(stored.source, source) : 'own';
    if (standing === 'ignore')
      rt.logger.warn('the watermark was set by a simulator run; exporting from the first start', {
        export: def.name,
        watermark: stored?.watermark,
      });
    resumeFrom = (standing === 'ignore' ? undefined : stored?.watermark) ?? def.window.firstStart;
  }
  return planWindows({
    grain: def.window.grain,
    maxSpanDays,
    ...(run.from && run.to ? { explicit: { from: run.from, to: run.to } } : {}),
    ...(resumeFrom ? { resumeFrom } : {}),
    now: rt.clock.now(),
    lagMinutes: def.window.lagMinutes,
  });
}
