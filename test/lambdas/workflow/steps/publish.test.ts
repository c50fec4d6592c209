// The publish without moto: a window's Parquet waits under staging/ until WriteManifest has verified it
// and written its intent; a publish that stops part-way is finished (never undone) by whoever comes next
// — the retried step, CleanupWindow, the next run's ReclaimDeadRuns — and only an intent that cannot be
// finished takes the window down whole. Readers never keep part of a window.
import { createHash } from 'node:crypto';
import { ledgerKey } from '../../../../lambdas/window/ledger-store';
import { describe, expect, it } from 'vitest';
import { ChecksumMismatchError } from '../../../../lambdas/shared/errors';
import { jobRecordKey, manifestKey, publishIntentKey, stagedKey } from '../../../../lambdas/window/keys';
import { cleanupWindow } from '../../../../lambdas/workflow/steps/cleanup-window';
import { reclaimDeadRuns } from '../../../../lambdas/workflow/steps/reclaim-dead-runs';
import { settleStoppedExecution } from '../../../../lambdas/workflow/steps/settle-stopped-execution';
import { writeManifest } from '../../../../lambdas/workflow/steps/write-manifest';
import { DAY1, EXECUTION, seedJobRecord, stepWorld, type StepWorld } from './support/step-world';

const STEM = '20260101T000000Z_20260102T000000Z';
const RAW = `raw/acts/dt=2026-01-01/${STEM}.csv`;
const SPLITS = [1, 2, 3, 4].map((n) => ({
  key: `curated/acts/dt=2026-01-01/${STEM}-000${n}.parquet`,
  body: `parquet-of-split-${n}`,
}));
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

function event() {
  return {
    export: 'acts',
    window: DAY1,
    job: { id: 'fake-1', enqueued: true },
    poll: {
      state: 'succeeded',
      providerStatus: 'succeeded',
      files: [],
      fileCount: 1,
      records: 40,
      count: 1,
      waitSeconds: 1,
      waitedSeconds: 1,
    },
    files: [
      {
        index: 1,
        key: RAW,
        uri: `memory://test-bucket/${RAW}`,
        format: 'csv' as const,
        bytes: 10,
        sha256: 'a'.repeat(64),
        records: 40,
        header: ['id'],
        expectedSha256: null,
        expectedBytes: null,
        expectedRecords: null,
        splits: [{ index: 0, start: 3, end: 10 }],
        curated: SPLITS.map((s, i) => ({
          split: i,
          key: s.key,
          uri: `memory://test-bucket/${s.key}`,
          rows: 10,
          bytes: s.body.length,
          sha256: sha(s.body),
        })),
      },
    ],
    runStartedAt: '2026-01-03T04:00:00Z',
  };
}

/** The window as its converts left it: the raw file, four staged splits, the job record. */
function converted(world: StepWorld): void {
  world.store.seed(RAW, 'x'.repeat(10), 'text/csv');
  for (const s of SPLITS) world.store.seed(stagedKey(s.key), s.body, 'application/vnd.apache.parquet');
  seedJobRecord(world, DAY1, { id: 'fake-1', enqueued: true }, { executionId: EXECUTION });
}

function cleanupEvent() {
  return { export: 'acts', window: DAY1, error: { Error: 'States.Timeout' }, executionId: EXECUTION };
}

/** Everything of the window is published and nothing of its publish is left over. */
async function expectPublished(world: StepWorld): Promise<void> {
  expect(await world.store.listKeys('curated/')).toEqual(SPLITS.map((s) => s.key));
  for (const s of SPLITS) expect(world.store.text(s.key)).toBe(s.body);
  expect(await world.store.listKeys('staging/')).toEqual([]);
  expect(world.store.text(manifestKey('acts', DAY1))).toBeDefined();
  expect(world.store.text(publishIntentKey('acts', DAY1))).toBeUndefined();
  expect(world.store.text(jobRecordKey('acts', DAY1))).toBeUndefined();
}

describe('publishing a window whole', () => {
  it('nothing is under curated/ before WriteManifest; after it, every split, the manifest, and no staged object or intent', async () => {
    const world = stepWorld();
    converted(world);
    expect(await world.store.listKeys('curated/')).toEqual([]);
    const summary = await writeManifest(event(), world.rt);
    expect(summary.outcome).toBe('landed');
    await expectPublished(world);
    // The intent was written before the first copy.
    const ops = world.store.calls.map((c) => `${c.op} ${c.key}`);
    expect(ops.indexOf(`putObject ${publishIntentKey('acts', DAY1)}`)).toBeLessThan(
      ops.findIndex((o) => o.startsWith('copyObject')),
    );
  });

  it('a staged object that is not what ConvertSplit wrote fails the window before anything is published', async () => {
    const world = stepWorld();
    converted(world);
    world.store.seed(stagedKey(SPLITS[2]!.key), 'parquet-of-split-X', 'application/vnd.apache.parquet');
    await expect(writeManifest(event(), world.rt)).rejects.toBeInstanceOf(ChecksumMismatchError);
    expect(await world.store.listKeys('curated/')).toEqual([]);
    expect(world.store.text(publishIntentKey('acts', DAY1))).toBeUndefined();
    // CleanupWindow then undoes it: its staged objects go too.
    const out = await cleanupWindow(cleanupEvent(), world.rt);
    expect(out.outcome).toBe('failed');
    // Only the job record (and the ledger that records the failure) stays (the fake provider does not know the job, so its cancel stays pending).
    expect(world.store.keys()).toEqual([jobRecordKey('acts', DAY1), ledgerKey('acts')]);
  });

  it('a publish that fails on its third copy is finished by CleanupWindow, which reports the window landed', async () => {
    const world = stepWorld();
    converted(world);
    let copies = 0;
    world.store.onCall((op) => {
      if (op === 'copyObject' && ++copies === 3) throw new Error('S3 went away');
    });
    await expect(writeManifest(event(), world.rt)).rejects.toThrow('S3 went away');
    expect(world.store.text(publishIntentKey('acts', DAY1))).toBeDefined();
    world.store.onCall(undefined);
    const out = await cleanupWindow(cleanupEvent(), world.rt);
    expect(out).toMatchObject({ outcome: 'landed', jobId: 'fake-1', records: 40 });
    await expectPublished(world);
  });

  it('a retried WriteManifest carries on with its own intent, though its staged objects have moved', async () => {
    const world = stepWorld();
    converted(world);
    world.store.failNext('deleteObject', new Error('S3 went away'), { keyPrefix: 'staging/' });
    await expect(writeManifest(event(), world.rt)).rejects.toThrow('S3 went away');
    const first = world.store.json(manifestKey('acts', DAY1));
    world.clock.advance(60_000);
    const again = await writeManifest(event(), world.rt);
    expect(again.outcome).toBe('landed');
    await expectPublished(world);
    expect(world.store.json(manifestKey('acts', DAY1))).toEqual(first);
  });

  it("the next run's ReclaimDeadRuns finishes a dead run's publish, also of a window it plans again", async () => {
    const world = stepWorld();
    converted(world);
    let copies = 0;
    world.store.onCall((op) => {
      if (op === 'copyObject' && ++copies === 2) throw new Error('killed');
    });
    await expect(writeManifest(event(), world.rt)).rejects.toThrow('killed');
    world.store.onCall(undefined);
    const report = await reclaimDeadRuns({ export: 'acts', planned: [DAY1], executionId: 'next-run' }, world.rt);
    expect(report.finishedPublishes).toEqual([DAY1]);
    await expectPublished(world);
  });

  it('an execution stopped mid-publish (no Catch runs) has its publish finished by the stopped-executions function', async () => {
    const world = stepWorld();
    converted(world);
    let copies = 0;
    world.store.onCall((op) => {
      if (op === 'copyObject' && ++copies === 2) throw new Error('StopExecution');
    });
    await expect(writeManifest(event(), world.rt)).rejects.toThrow('StopExecution');
    world.store.onCall(undefined);
    const stopped = {
      source: 'aws.states',
      'detail-type': 'Step Functions Execution Status Change',
      detail: {
        executionArn: EXECUTION,
        stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:export',
        status: 'ABORTED',
        input: JSON.stringify({ export: 'acts' }),
      },
    };
    await settleStoppedExecution(stopped, world.rt, { executionInput: () => Promise.resolve(undefined) });
    await expectPublished(world);
  });

  it('an intent whose staged objects are gone uncopied cannot be finished: the window comes down whole', async () => {
    const world = stepWorld();
    converted(world);
    let copies = 0;
    world.store.onCall((op) => {
      if (op === 'copyObject' && ++copies === 2) throw new Error('killed');
    });
    await expect(writeManifest(event(), world.rt)).rejects.toThrow('killed');
    world.store.onCall(undefined);
    await world.store.deleteObject(stagedKey(SPLITS[1]!.key));
    const out = await cleanupWindow(cleanupEvent(), world.rt);
    expect(out.outcome).toBe('failed');
    // Only the job record (and the ledger that records the failure) stays (the fake provider does not know the job, so its cancel stays pending).
    expect(world.store.keys()).toEqual([jobRecordKey('acts', DAY1), ledgerKey('acts')]);
  });

  it('a store that fails while finishing leaves the intent and the job record for the next attempt', async () => {
    const world = stepWorld();
    converted(world);
    world.store.failNext('copyObject', new Error('S3 went away'), { times: 100 });
    await expect(writeManifest(event(), world.rt)).rejects.toThrow('S3 went away');
    const out = await cleanupWindow(cleanupEvent(), world.rt);
    expect(out).toMatchObject({ outcome: 'failed', cleanup: { keptJobRecord: true, removedObjects: 0 } });
    expect(world.store.text(publishIntentKey('acts', DAY1))).toBeDefined();
    expect(await world.store.listKeys('staging/')).toHaveLength(4);
  });
});
