// CommitWatermark: after every window of the run landed, move the watermark (never backwards, never
// over a gap) and build the success event's detail.
import { succeededDetail, type ExportSucceededDetail } from '../events';
import type { WorkflowRuntime } from '../runtime';
import { CommitInputSchema } from '../state';
import { commitWatermark, readWatermark, type CommitOutcome } from '../watermark';
import { parseOrThrow } from './plan';

export async function commitRun(event: unknown, rt: WorkflowRuntime): Promise<{ event: ExportSucceededDetail; watermark: CommitOutcome }> {
  const input = parseOrThrow(CommitInputSchema, event, 'event');
  const { plan } = input;
  const def = plan.export;
  const first = plan.windows[0];
  let outcome: CommitOutcome;
  if (first && plan.end) {
    outcome = await commitWatermark(rt.store, def.name, { from: first.start, to: plan.end }, { now: rt.clock.now(), firstStart: def.window.firstStart, ...(input.executionId ? { executionId: input.executionId } : {}) });
  } else {
    const current = await readWatermark(rt.store, def.name);
    outcome = { moved: false, ...(current ? { current: current.value.watermark } : {}), reason: 'nothing to export yet' };
  }
  rt.logger.info('watermark', { export: def.name, ...outcome });
  const durationSeconds = Math.max(0, Math.round((rt.clock.now().getTime() - Date.parse(plan.startedAt)) / 1000));
  const watermark = outcome.moved ? outcome.to : (outcome.current ?? null);
  return {
    event: succeededDetail(def, input.windows, { durationSeconds, watermark, ...(input.executionId ? { executionId: input.executionId } : {}) }),
    watermark: outcome,
  };
}
