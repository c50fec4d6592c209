// Reclaiming what dead runs left: every run looks at the export's job records; a window outside the plan
// whose owner has ended gets the one undo, everything else (planned windows, live or unknown owners,
// this run's own records) is left alone.
import { describe, expect, it } from 'vitest';
import type { ExportWindow } from '../../../lambdas/providers/types';
import { jobRecordKey } from '../../../lambdas/window/keys';
import { reclaimDeadRunWindows } from '../../../lambdas/window/reclaim-dead-runs';
import { reclaimDeadRuns } from '../../../lambdas/workflow/steps/reclaim-dead-runs';
import {
  DAY1,
  DAY2,
  EXECUTION,
  exportDefinition,
  seedJobRecord,
  stepWorld,
  type StepWorld,
} from '../workflow/steps/support/step-world';

const DEAD = 'arn:aws:states:us-east-1:123456789012:execution:export:dead';
const LIVE = 'arn:aws:states:us-east-1:123456789012:execution:export:live';
const FILE1 = 'raw/acts/dt=2026-01-01/20260101T000000Z_20260102T000000Z.csv';

async function leftBehind(world: StepWorld, window: ExportWindow, owner: string): Promise<string> {
  world.provider.scriptNextJob({ state: 'running' });
  const started = await world.provider.startJob(window, { format: 'csv' });
  if (!started.job) throw new Error('no job');
  seedJobRecord(world, window, started.job, { executionId: owner });
  return started.job.id;
}

function withEnded(world: StepWorld, ended: Record<string, boolean | undefined>) {
  return { ...world.rt, executionEnded: async (id: string) => ended[id] };
}

describe('reclaiming windows dead runs left behind', () => {
  it('every run looks at the job records; with none there is nothing to do and no provider is built', async () => {
    const world = stepWorld({ providerFails: new Error('must not be built') });
    const report = await reclaimDeadRuns({ export: 'acts', planned: [DAY1], executionId: EXECUTION }, world.rt);
    expect(report).toEqual({
      windows: [],
      finishedPublishes: [],
      cancelledJobs: [],
      cancelPendingJobs: [],
      abortedUploads: 0,
      removedObjects: 0,
    });
    expect(world.store.calls).toEqual([
      { op: 'listKeys', key: 'state/acts/publish/' },
      { op: 'listKeys', key: 'state/acts/jobs/' },
    ]);
  });

  it('undoes a window outside the plan whose run ended: job cancelled, record and files gone', async () => {
    const world = stepWorld();
    const jobId = await leftBehind(world, DAY1, DEAD);
    world.store.seed(FILE1, 'partial', 'text/csv');
    const report = await reclaimDeadRunWindows(withEnded(world, { [DEAD]: true }), exportDefinition(), {
      executionId: EXECUTION,
      planned: [DAY2],
    });
    expect(report).toEqual({
      windows: [DAY1],
      finishedPublishes: [],
      cancelledJobs: [jobId],
      cancelPendingJobs: [],
      abortedUploads: 0,
      removedObjects: 1,
    });
    expect(world.store.keys()).toEqual([]);
  });

  it('leaves planned windows (StartJob resumes them), live or unknown owners and its own records alone', async () => {
    const world = stepWorld();
    await leftBehind(world, DAY1, DEAD);
    const live = { start: '2026-01-05T00:00:00Z', end: '2026-01-06T00:00:00Z' };
    const unknown = { start: '2026-01-06T00:00:00Z', end: '2026-01-07T00:00:00Z' };
    const own = { start: '2026-01-07T00:00:00Z', end: '2026-01-08T00:00:00Z' };
    await leftBehind(world, live, LIVE);
    await leftBehind(world, unknown, 'arn:aws:states:us-east-1:123456789012:execution:export:unknown');
    await leftBehind(world, own, EXECUTION);
    const report = await reclaimDeadRunWindows(withEnded(world, { [DEAD]: true, [LIVE]: false }), exportDefinition(), {
      executionId: EXECUTION,
      planned: [DAY1],
    });
    expect(report.windows).toEqual([]);
    expect(world.provider.count('cancel')).toBe(0);
    expect(world.store.keys()).toEqual([DAY1, live, unknown, own].map((w) => jobRecordKey('acts', w)).sort());
  });
});
