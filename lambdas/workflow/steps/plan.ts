// Plan: validate the run's input and decide its windows (explicit range, or watermark → now − lag).
import { parseOrThrow } from '../../shared/validation';
import type { ExportDefinition } from '../../shared/export-definition';
import type { WorkflowRuntime } from '../runtime';
import { ExecutionInputSchema, PlanInputSchema, type Plan } from '../state';
import { readWatermark } from '../watermark';
import { planWindows } from '../windows';

export async function plan(event: unknown, rt: WorkflowRuntime): Promise<Plan> {
  const { input, startedAt } = parseOrThrow(PlanInputSchema, event, 'event');
  const run = parseOrThrow(ExecutionInputSchema, input, 'input');
  const def: ExportDefinition = run.export;
  const provider = await rt.provider(def);
  const request = provider.validate(def.request);

  let resumeFrom: string | undefined;
  if (!run.from) resumeFrom = (await readWatermark(rt.store, def.name))?.value.watermark ?? def.window.firstStart;

  const planned = planWindows({
    grain: def.window.grain,
    maxSpanDays: provider.limits.maxWindowDays,
    ...(run.from && run.to ? { explicit: { from: run.from, to: run.to } } : {}),
    ...(resumeFrom ? { resumeFrom } : {}),
    now: rt.clock.now(),
    lagMinutes: def.window.lagMinutes,
  });
  // Each window's own request is validated now, so a bad window fails before any job is created.
  for (const w of planned.windows) provider.validate(def.request, w);

  rt.logger.info('planned', { export: def.name, windows: planned.windows.length, truncated: planned.truncated, from: planned.windows[0]?.start, to: planned.end });
  rt.onProgress?.({ export: def.name, step: 'Plan', message: `${planned.windows.length} window(s)${planned.truncated ? ' (more next run)' : ''}` });
  return {
    export: def,
    request,
    windows: planned.windows,
    mode: run.from ? 'explicit' : 'scheduled',
    end: planned.end ?? null,
    truncated: planned.truncated,
    maxConcurrency: provider.limits.maxConcurrentJobs,
    startedAt,
  };
}
