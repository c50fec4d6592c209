// CleanupWindow and the window ledger without moto: an operational failure counts no attempt; a data
// failure counts one, and the one that reaches maxWindowAttempts quarantines the window: its raw file is
// copied under quarantine/ before the undo removes it, the metric is emitted and the result carries the
// event's detail.
import { describe, expect, it } from 'vitest';
import { readLedger } from '../../../../lambdas/window/ledger-store';
import { withPlanned } from '../../../../lambdas/window/ledger';
import { updateLedger } from '../../../../lambdas/window/ledger-store';
import { cleanupWindow } from '../../../../lambdas/workflow/steps/cleanup-window';
import { DAY1, EXECUTION, exportDefinition, seedJobRecord, stepWorld } from './support/step-world';

const RAW = 'raw/acts/dt=2026-01-01/20260101T000000Z_20260102T000000Z.csv';

const SECOND_RUN = `${EXECUTION}-2`;

function failed(name: string, executionId = EXECUTION) {
  const cause = JSON.stringify({ errorType: name, errorMessage: `${name}: row 2, leadId: "x" is not an integer` });
  return { export: 'acts', window: DAY1, error: { Error: name, Cause: cause }, executionId };
}

describe('CleanupWindow and the ledger', () => {
  it('an outage counts no attempt: the window stays failed, owed to the next run', async () => {
    const world = stepWorld();
    const out = await cleanupWindow(failed('TransientApiError'), world.rt);
    expect(out).not.toHaveProperty('quarantine');
    const [entry] = (await readLedger(world.store, 'acts')).ledger.windows;
    expect(entry).toMatchObject({ state: 'failed', attempts: 0, lastError: { name: 'TransientApiError' } });
  });

  it('data failures count; the maxWindowAttempts-th quarantines the window, keeping its raw file', async () => {
    const world = stepWorld();
    world.define(exportDefinition({ maxWindowAttempts: 2 }));
    await updateLedger(world.store, 'acts', (l) =>
      withPlanned(l, [DAY1], { at: '2026-01-03T04:00:00Z', executionId: EXECUTION }),
    );

    world.store.seed(RAW, 'id,leadId\n1,x\n', 'text/csv');
    const first = await cleanupWindow(failed('UntypeableValueError'), world.rt);
    expect(first).not.toHaveProperty('quarantine');
    expect(world.store.keys().filter((k) => k.startsWith('quarantine/'))).toEqual([]);
    // The same run's CleanupWindow again (a retry after a timeout): its failure counts once.
    await cleanupWindow(failed('UntypeableValueError'), world.rt);
    expect((await readLedger(world.store, 'acts')).ledger.windows[0]).toMatchObject({ state: 'failed', attempts: 1 });

    // The next run plans the window again and fails it the same way.
    await updateLedger(world.store, 'acts', (l) =>
      withPlanned(l, [DAY1], { at: '2026-01-04T04:00:00Z', executionId: SECOND_RUN }),
    );

    world.store.seed(RAW, 'id,leadId\n1,x\n', 'text/csv');
    // The window's job record: the undo removes what no manifest vouches for (the raw file too).
    seedJobRecord(world, DAY1, { id: 'job-2' }, { executionId: SECOND_RUN });
    const second = await cleanupWindow(failed('UntypeableValueError', SECOND_RUN), world.rt);
    const kept = 'quarantine/acts/20260101T000000Z_20260102T000000Z/20260101T000000Z_20260102T000000Z.csv';
    expect(second.quarantine).toMatchObject({
      export: 'acts',
      provider: 'marketo',
      window: DAY1,
      attempts: 2,
      error: { name: 'UntypeableValueError' },
      raw: [world.rt.uri(kept)],
      executionId: SECOND_RUN,
    });
    expect(world.store.keys()).toContain(kept);
    expect(world.store.keys()).not.toContain(RAW);
    const [entry] = (await readLedger(world.store, 'acts')).ledger.windows;
    expect(entry).toMatchObject({ state: 'quarantined', attempts: 2 });
    world.metrics.flush();
    expect(world.metrics.emitted().filter((m) => m.name === 'WindowsQuarantined')).not.toHaveLength(0);
    expect(world.progress.map((p) => p.message)).toContainEqual(
      expect.stringMatching(/^window quarantined after 2 data failure\(s\): UntypeableValueError; raw kept: 1 file/),
    );
  });
});
