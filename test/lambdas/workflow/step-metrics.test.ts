// Each step's metrics on a known run: the EMF lines flushed after each invocation are parsed back
// (as CloudWatch would read them) and checked for name, unit, value and dimensions.
import { createHash } from 'node:crypto';
import { recordWindowLanded } from '../../../lambdas/window/ledger-records';
import { describe, expect, it } from 'vitest';
import type { ExportProvider, JobRef, JobStatus } from '../../../lambdas/providers/types';
import { METRIC_DIMENSIONS, METRICS_NAMESPACE, type MetricName } from '../../../lambdas/shared/metric-catalog';
import type { EmittedMetric } from '../../support/memory-metrics';
import { withRuntime } from '../../../lambdas/workflow/runtime';
import { MIN_BYTES_FOR_RATE, recordChunk } from '../../../lambdas/workflow/metrics';
import { stepHandler } from '../../../lambdas/workflow/step-handler';
import { checkJob } from '../../../lambdas/workflow/steps/check-job';
import { cleanup } from '../../../lambdas/workflow/steps/cleanup';
import { commitRun } from '../../../lambdas/workflow/steps/commit-watermark';
import { startJob } from '../../../lambdas/workflow/steps/start-job';
import {
  beginFile,
  finishFile,
  transferFileChunk,
  type TransferState,
} from '../../../lambdas/workflow/steps/transfer-steps';
import { writeManifest } from '../../../lambdas/workflow/steps/write-manifest';
import { csvBytes } from '../../support/fake-provider';
import { DAY1, EXECUTION, exportDefinition, stepWorld, type StepWorld } from './steps/support/step-world';

const DIMS = { export: 'acts', provider: 'marketo' };
const viaJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** The values of `name` flushed so far, after checking each carries the catalogue's namespace and dimensions. */
function values(world: StepWorld, name: MetricName): number[] {
  world.metrics.flush();
  const found = world.metrics.emitted().filter((m) => m.name === name);
  for (const m of found) {
    expect(m.namespace).toBe(METRICS_NAMESPACE);
    expect(m.dimensionSets[0]).toEqual([...METRIC_DIMENSIONS]);
    expect(m.dimensions).toMatchObject(DIMS);
  }
  return found.map((m) => m.value);
}

function unitOf(world: StepWorld, name: MetricName): string | undefined {
  return world.metrics.emitted().find((m: EmittedMetric) => m.name === name)?.unit;
}

function startEvent(previous: Record<string, unknown> = { kind: 'init' }) {
  return { export: 'acts', window: DAY1, previous, executionId: EXECUTION };
}

describe('step metrics', () => {
  it('StartJob counts started jobs, quota deferrals and full-queue waits', async () => {
    const world = stepWorld();
    world.provider.createRefusals.push({ kind: 'deferred', until: '2026-01-04T06:00:00Z' });
    await startJob(startEvent(), world.rt);
    world.provider.createRefusals.push({ kind: 'busy', retryAfterSeconds: 60 });
    await startJob(startEvent(), world.rt);
    await startJob(startEvent(), world.rt);
    expect(values(world, 'QuotaDeferrals')).toEqual([1]);
    expect(values(world, 'QueueFullWaits')).toEqual([1]);
    expect(values(world, 'JobsStarted')).toEqual([1]);
  });

  it("CheckJob counts every poll; a finished job adds its queue, processing and age times and today's quota use", async () => {
    const world = stepWorld();
    world.provider.scriptNextJob(
      { state: 'running' },
      { state: 'succeeded', files: [{ bytes: csvBytes(['id'], [['1']]) }], records: 1 },
    );
    const started = await world.provider.startJob(DAY1, { format: 'csv' });
    const job = started.job as JobRef;
    const fake = world.provider as unknown as ExportProvider;
    const check = fake.checkJob.bind(fake);
    // What Marketo states about a job and its daily allowance (the fake has neither).
    fake.checkJob = async (j, n): Promise<JobStatus> => ({
      ...(await check(j, n)),
      timings: {
        queuedAt: '2026-01-03T04:00:00Z',
        startedAt: '2026-01-03T04:20:00Z',
        finishedAt: '2026-01-03T04:25:30Z',
      },
    });
    Object.assign(fake, {
      exportQuotaUse: async () => ({ usedBytes: 125 * 1024 * 1024, limitBytes: 500 * 1024 * 1024 }),
    });

    const poll = { count: 0, waitSeconds: 60, waitedSeconds: 0, since: '2026-01-03T04:00:00Z' };
    const first = await checkJob({ export: 'acts', window: DAY1, job, poll }, world.rt);
    expect(values(world, 'JobQueueSeconds')).toEqual([]);
    await checkJob({ export: 'acts', window: DAY1, job, poll: first }, world.rt);
    expect(values(world, 'JobPolls')).toEqual([1, 1]);
    expect(values(world, 'JobQueueSeconds')).toEqual([1200]);
    expect(values(world, 'JobProcessingSeconds')).toEqual([330]);
    // By the clock: started 04:00, now 05:00.
    expect(values(world, 'JobAgeSeconds')).toEqual([3600]);
    expect(values(world, 'MarketoExportQuotaUsedBytes')).toEqual([125 * 1024 * 1024]);
    expect(values(world, 'MarketoExportQuotaUsedPercent')).toEqual([25]);
    expect(unitOf(world, 'MarketoExportQuotaUsedPercent')).toBe('Percent');
    expect(unitOf(world, 'JobQueueSeconds')).toBe('Seconds');
  });

  it('the transfer reports bytes and MB/s per chunk and invocations and range requests per file; WriteManifest what landed', async () => {
    const world = stepWorld({ transferTuning: { maxBytesPerInvocation: 5 * 1024 * 1024 } });
    const bytes = Buffer.from(`h\n${'x'.repeat(99).concat('\n').repeat(120_000)}`);
    world.provider.scriptNextJob({ state: 'succeeded', files: [{ bytes }], records: 120_000 });
    const started = await world.provider.startJob(DAY1, { format: 'csv' });
    const job = started.job as JobRef;
    const file = (await world.provider.checkJob(job, 0)).files[0]!;
    const task = { export: 'acts', window: DAY1, job, file, fileCount: 1, jobRecords: 120_000 };
    // Each ranged GET takes 2 s by the manual clock.
    const fake = world.provider as unknown as ExportProvider;
    const open = fake.openRange.bind(fake);
    fake.openRange = async (f, range, signal) => {
      world.clock.advance(2000);
      return open(f, range, signal);
    };
    let state: TransferState = viaJson(await beginFile(task, world.rt));
    let chunks = 0;
    while (!state.cursor.done) {
      state = viaJson(await transferFileChunk({ ...task, transfer: state }, world.rt));
      chunks += 1;
    }
    // One ranged GET per invocation: so each chunk's rate is its bytes over 2 s.
    expect(state.cursor.rangeRequests).toBe(chunks);
    expect(chunks).toBeGreaterThan(1);
    const result = await finishFile({ ...task, transfer: state }, world.rt);
    const transferred = values(world, 'TransferredBytes');
    expect(transferred).toHaveLength(chunks);
    expect(transferred.reduce((a, b) => a + b, 0)).toBe(bytes.length);
    const rates = values(world, 'TransferMegabytesPerSecond');
    // Every chunk here moves more than MIN_BYTES_FOR_RATE (5 MiB, 5 MiB, the 1.5 MB rest).
    expect(transferred.every((b) => b >= MIN_BYTES_FOR_RATE)).toBe(true);
    expect(rates).toHaveLength(chunks);
    for (const [i, rate] of rates.entries()) expect(rate).toBeCloseTo(transferred[i]! / 1e6 / 2, 6);
    expect(values(world, 'FileInvocations')).toEqual([chunks]);
    expect(values(world, 'FileRangeRequests')).toEqual([state.cursor.rangeRequests]);

    // The file's Parquet part as ConvertSplit would have left it, staged (its own tests convert for real).
    const parquet = 'curated/acts/dt=2026-01-01/20260101T000000Z_20260102T000000Z-0001.parquet';
    world.store.seed(`staging/${parquet}`, Buffer.alloc(64), 'application/vnd.apache.parquet');
    const landed = {
      ...result,
      curated: [
        {
          split: 0,
          key: parquet,
          uri: `memory://test-bucket/${parquet}`,
          rows: 120_000,
          bytes: 64,
          sha256: createHash('sha256').update(Buffer.alloc(64)).digest('hex'),
        },
      ],
    };
    await writeManifest(
      {
        export: 'acts',
        window: DAY1,
        job,
        poll: {
          state: 'succeeded',
          providerStatus: 'succeeded',
          files: [],
          fileCount: 1,
          records: 120_000,
          count: 1,
          waitSeconds: 1,
          waitedSeconds: 60,
        },
        files: [landed],
        runStartedAt: '2026-01-03T04:00:00Z',
      },
      world.rt,
    );
    expect(values(world, 'CuratedRows')).toEqual([120_000]);
    expect(values(world, 'WindowsLanded')).toEqual([1]);
    expect(values(world, 'LandedBytes')).toEqual([bytes.length]);
    expect(values(world, 'LandedRecords')).toEqual([120_000]);
    expect(values(world, 'LandedFiles')).toEqual([1]);
    expect(unitOf(world, 'LandedBytes')).toBe('Bytes');
  });

  it("a chunk that moved only a file's last few bytes reports its bytes but no rate", () => {
    const world = stepWorld();
    recordChunk(world.rt, exportDefinition(), { offset: 0 }, { offset: 50 }, 200);
    recordChunk(world.rt, exportDefinition(), { offset: 0 }, { offset: 4_000_000 }, 2000);
    expect(values(world, 'TransferredBytes')).toEqual([50, 4_000_000]);
    expect(values(world, 'TransferMegabytesPerSecond')).toEqual([2]);
  });

  it('CommitWatermark reports the success, its duration and the watermark age; Cleanup the failure by error name', async () => {
    const world = stepWorld();
    const plan = {
      export: 'acts',
      windows: [DAY1],
      mode: 'scheduled',
      end: DAY1.end,
      truncated: false,
      maxConcurrency: 2,
      startedAt: '2026-01-03T04:59:00Z',
    };
    // WriteManifest recorded the window landed in the ledger, which the watermark is derived from.
    await recordWindowLanded(world.rt.store, 'acts', DAY1, {
      at: '2026-01-03T04:59:30Z',
      manifestKey: 'm',
      records: 0,
    });
    await commitRun(
      {
        plan,
        windows: [{ outcome: 'landed', window: DAY1, jobId: 'j', manifest: 'm', files: [], records: 0, bytes: 0 }],
        executionId: EXECUTION,
      },
      world.rt,
    );
    expect(values(world, 'RunsSucceeded')).toEqual([1]);
    expect(values(world, 'RunDurationSeconds')).toEqual([60]);
    // Watermark 2026-01-02T00:00Z, now 2026-01-03T05:00Z.
    expect(values(world, 'WatermarkAgeSeconds')).toEqual([29 * 3600]);

    await cleanup(
      {
        input: { export: 'acts' },
        plan: { windows: [DAY1] },
        error: { Error: 'JobFailedError', Cause: 'boom' },
        startedAt: '2026-01-03T04:58:00Z',
        executionId: EXECUTION,
      },
      world.rt,
    );
    world.metrics.flush();
    const failed = world.metrics.emitted().filter((m) => m.name === 'RunsFailed');
    expect(failed).toHaveLength(1);
    // Published under both sets: the total per export, and per reason.
    expect(failed[0]).toMatchObject({
      value: 1,
      dimensionSets: [
        ['export', 'provider'],
        ['export', 'provider', 'reason'],
      ],
      dimensions: { ...DIMS, reason: 'JobFailedError' },
    });
  });

  it('stepHandler flushes once per invocation, also when the step throws', async () => {
    const world = stepWorld();
    const handler = stepHandler(async (_e, rt) => {
      rt.metrics?.add('JobPolls', 1, DIMS);
      throw new Error('boom');
    });
    await expect(withRuntime(world.rt, () => handler({}))).rejects.toThrow('boom');
    expect(world.metrics.lines).toHaveLength(1);
    expect(world.metrics.emitted()).toMatchObject([{ name: 'JobPolls', value: 1 }]);
  });
});
