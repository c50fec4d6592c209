// CommitWatermark: after every window of the run landed, move the watermark (never backwards, never
// over a gap) and build the success event's detail.
import { PreconditionFailedError } from '../../shared/errors';
import { succeededDetail, type ExportSucceededDetail } from '../events';
import { recordCommit } from '../metrics';
import type { WorkflowRuntime } from '../runtime';
import { CommitInputSchema } from '../state';
import { commitWatermark, readWatermark, type CommitOutcome } from '../watermark';
import { parseOrThrow } from '../../shared/validation';

export async function commitRun(event: unknown, rt: WorkflowRuntime): Promise<{ event: ExportSucceededDetail; watermark: CommitOutcome }> {
  const input = parseOrThrow(CommitInputSchema, event, 'event');
  const { plan } = input;
  const def = plan.export;
  const first = plan.windows[0];
  let outcome: CommitOutcome;
  if (first && plan.end) {
    const range = { from: first.start, to: plan.end };
    const meta = { now: rt.clock.now(), firstStart: def.window.firstStart, ...(input.executionId ? { executionId: input.executionId } : {}), ...(plan.source ? { source: plan.source } : {}) };
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
    outcome = { moved: false, ...(current ? { current: current.value.watermark } : {}), reason: 'nothing to export yet' };
  }
  rt.logger.info('watermark', { export: def.name, ...outcome });
  const durationSeconds = Math.max(0, Math.round((rt.clock.now().getTime() - Date.parse(plan.startedAt)) / 1000));
  const watermark = outcome.moved ? outcome.to : (outcome.current ?? null);
  recordCommit(rt, def, { durationSeconds, watermark });
  return {
    event: succeededDetail(def, input.windows, { durationSeconds, watermark, ...(input.executionId ? { executionId: input.executionId } : {}), ...(plan.source ? { source: plan.source } : {}) }),
    watermark: outcome,
  };
}
