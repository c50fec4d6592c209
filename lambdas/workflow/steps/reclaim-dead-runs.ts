// ReclaimDeadRuns: once the run's windows are planned, finish every publish a dead run began and undo
// the windows outside the plan that dead runs left behind (lambdas/window/reclaim-dead-runs.ts says which). Its own step, so Plan's role only reads
// and this one alone holds the deletes the reclaim needs. Best effort: it never fails the run.
import { parseOrThrow } from '#shared/validation';
import { reclaimDeadRunWindows, type ReclaimReport } from '#window/reclaim-dead-runs';
import type { WorkflowRuntime } from '../runtime';
import { ReclaimDeadRunsInputSchema } from '../state';

export async function reclaimDeadRuns(event: unknown, rt: WorkflowRuntime): Promise<ReclaimReport> {
  const input = parseOrThrow(ReclaimDeadRunsInputSchema, event, 'event');
  const def = rt.exports.definition(input.export);
  const report = await reclaimDeadRunWindows(rt, def, {
    ...(input.executionId ? { executionId: input.executionId } : {}),
    planned: input.planned,
  });
  if (report.windows.length > 0) {
    rt.events({
      export: def.name,
      step: 'ReclaimDeadRuns',
      message: `reclaimed ${report.windows.length} window(s) a dead run left behind`,
    });
  }
  if (report.finishedPublishes.length > 0) {
    rt.events({
      export: def.name,
      step: 'ReclaimDeadRuns',
      message: `finished the publish of ${report.finishedPublishes.length} window(s) a dead run began`,
    });
  }
  return report;
}
