// The status-change function without moto: an execution that ended without its Catch gets, for each
// window whose job record names it, the same undo as Cleanup; records of other executions stay.
import { describe, expect, it } from 'vitest';
import { readJobRecord } from '../../../../lambdas/window/job-record';
import { settleStoppedExecution } from '../../../../lambdas/workflow/steps/settle-stopped-execution';
import { DAY1, DAY2, EXECUTION, seedJobRecord, stepWorld, type StepWorld } from './support/step-world';

const OTHER = 'arn:aws:states:us-east-1:123456789012:execution:export:run-2';
const FILE = 'raw/acts/dt=2026-01-01/20260101T000000Z_20260102T000000Z.csv';

function statusChange(status: string, input: string | null | undefined = JSON.stringify({ export: 'acts' })) {
  return {
    source: 'aws.states',
    'detail-type': 'Step Functions Execution Status Change',
    detail: {
      executionArn: EXECUTION,
      stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:export',
      status,
      ...(input === undefined ? {} : { input }),
    },
  };
}

async function liveWindow(world: StepWorld, window: typeof DAY1, owner: string): Promise<string> {
  world.provider.scriptNextJob({ state: 'running' });
  const started = await world.provider.startJob(window, { format: 'csv' });
  if (!started.job) throw new Error('no job');
  seedJobRecord(world, window, started.job, { executionId: owner });
  return started.job.id;
}

const noLookup = { executionInput: () => Promise.reject(new Error('DescribeExecution must not be needed')) };

describe('settleStoppedExecution', () => {
  it.each(['ABORTED', 'TIMED_OUT', 'FAILED'])(
    "%s: cancels the execution's job, aborts its upload, drops its record; another execution's window stays",
    async (status) => {
      const world = stepWorld();
      const mine = await liveWindow(world, DAY1, EXECUTION);
      const theirs = await liveWindow(world, DAY2, OTHER);
      await world.store.createUpload(FILE, 'text/csv');
      const report = await settleStoppedExecution(statusChange(status), world.rt, noLookup);
      expect(report).toEqual({
        executionArn: EXECUTION,
        status,
        export: 'acts',
        windows: 1,
        cancelledJobs: [mine],
        cancelPendingJobs: [],
        abortedUploads: 1,
        removedObjects: 0,
      });
      expect(await readJobRecord(world.store, 'acts', DAY1)).toBeUndefined();
      expect((await readJobRecord(world.store, 'acts', DAY2))?.job.id).toBe(theirs);
      expect(await world.store.listPendingUploads('raw/')).toEqual([]);
    },
  );

  it('reads the input from Step Functions when the event left it out', async () => {
    const world = stepWorld();
    await liveWindow(world, DAY1, EXECUTION);
    const asked: string[] = [];
    const report = await settleStoppedExecution(statusChange('ABORTED', null), world.rt, {
      executionInput: (arn) => {
        asked.push(arn);
        return Promise.resolve(JSON.stringify({ export: 'acts' }));
      },
    });
    expect(asked).toEqual([EXECUTION]);
    expect(report.windows).toBe(1);
  });

  it('an input naming no deployed export, or a status that leaves nothing behind, is refused or ignored', async () => {
    const world = stepWorld();
    await liveWindow(world, DAY1, EXECUTION);
    const foreign = await settleStoppedExecution(
      statusChange('ABORTED', JSON.stringify({ export: 'not-deployed' })),
      world.rt,
      noLookup,
    );
    expect(foreign).toMatchObject({ export: null, windows: 0 });
    await expect(settleStoppedExecution(statusChange('SUCCEEDED'), world.rt, noLookup)).rejects.toMatchObject({
      name: 'ValidationError',
    });
    expect(world.provider.count('cancel')).toBe(0);
    expect(await readJobRecord(world.store, 'acts', DAY1)).toBeDefined();
  });

  it('a cancel that fails keeps the record, marked, and claims no cancel', async () => {
    const world = stepWorld();
    const mine = await liveWindow(world, DAY1, EXECUTION);
    world.provider.cancelFailures.push(new Error('TransientApiError: HTTP 503'));
    const report = await settleStoppedExecution(statusChange('TIMED_OUT'), world.rt, noLookup);
    expect(report).toMatchObject({ cancelledJobs: [], cancelPendingJobs: [mine] });
    expect((await readJobRecord(world.store, 'acts', DAY1))?.cancelPending?.reason).toContain('HTTP 503');
  });
});
