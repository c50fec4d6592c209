// Windows are independent: in a run of two windows, one whose Marketo job fails is undone on its own
// while the other lands with its manifest; the run fails naming the failed window, the failure event
// lists both, and the watermark moves only over the landed windows at the start of the run.
import { afterEach, beforeAll, expect, it } from 'vitest';
import type { ExportFailedDetail } from '../../lambdas/workflow/events';
import { startSimulatorFor, type RunningSimulator } from '../../local/simulators/start-simulator';
import { describeWithMoto, useMotoEnv } from '../support/moto';
import { configWith, objectText, runScenario } from '../support/scenario';

const EXPORT = 'marketo-activities';
const DAY1 = { start: '2026-11-01T00:00:00Z', end: '2026-11-02T00:00:00Z' };
const DAY2 = { start: '2026-11-02T00:00:00Z', end: '2026-11-03T00:00:00Z' };
const stem = (w: typeof DAY1) =>
  `${w.start.slice(0, 10).replaceAll('-', '')}T000000Z_${w.end.slice(0, 10).replaceAll('-', '')}T000000Z`;
// The range starts at the export's first start, so the watermark may move.
const config = configWith(EXPORT, { window: { grain: 'day', lagMinutes: 60, firstStart: '2026-11-01' } });
let sim: RunningSimulator | undefined;

afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

async function runWithFailedWindow(failed: typeof DAY1) {
  const s = (await startSimulatorFor('marketo', {
    marketo: { queuedMs: 20, processingMs: 50, bytesPerJob: 256 * 1024 },
  })) as RunningSimulator & { provider: 'marketo' };
  sim = s;
  s.marketo.faults.failJobsStartingAt = {
    startMs: Date.parse(failed.start),
    errorMsg: 'Internal error while extracting activities',
  };
  const result = await runScenario({
    exportName: EXPORT,
    config,
    simulator: { running: s },
    from: DAY1.start,
    to: DAY2.end,
  });
  const events = result.events.filter((e) => e.detailType === 'Export Failed');
  expect(result.events.filter((e) => e.detailType === 'Export Succeeded')).toEqual([]);
  expect(events).toHaveLength(1);
  return { s, result, detail: events[0]!.detail as ExportFailedDetail };
}

describeWithMoto('independent windows (local engine, Marketo simulator, moto S3)', () => {
  beforeAll(() => useMotoEnv());

  it.each([
    ['first', DAY1, DAY2, undefined],
    ['second', DAY2, DAY1, DAY2.start],
  ] as const)(
    'the %s window failing: the other lands with its manifest, the event names both, the watermark moves over the landed prefix only',
    async (_which, failed, landed, watermark) => {
      const { s, result, detail } = await runWithFailedWindow(failed);
      expect(result.status).toBe('FAILED');
      expect(result.error?.name).toBe('JobFailedError');
      expect(result.error?.message).toMatch(/Internal error while extracting activities/);
      expect(result.error?.message).toContain(
        `[window ${failed.start}/${failed.end}; 1 other window(s) of the run landed]`,
      );

      // The landed window: its file and its manifest, which lists exactly it.
      const rawKey = `raw/${EXPORT}/dt=${landed.start.slice(0, 10)}/${stem(landed)}.csv`;
      const manifestKey = `manifests/${EXPORT}/${stem(landed)}.json`;
      expect(result.state.rawKeys).toEqual([rawKey]);
      expect(result.state.manifests).toEqual([manifestKey]);
      const manifest = JSON.parse(await objectText(result.bucket, manifestKey)) as {
        window: unknown;
        files: { key: string }[];
      };
      expect(manifest.window).toEqual(landed);
      expect(manifest.files.map((f) => f.key)).toEqual([rawKey]);
      expect(
        result.state.keys
          .filter((k) => k.startsWith(`curated/${EXPORT}/`))
          .every((k) => k.includes(`dt=${landed.start.slice(0, 10)}`)),
      ).toBe(true);
      // Nothing of the failed window: no object, no open upload, no job record (its job ended at Marketo).
      expect(
        result.state.keys.filter((k) => k.includes(`dt=${failed.start.slice(0, 10)}`) || k.includes(stem(failed))),
      ).toEqual([]);
      expect(result.state.pendingUploads).toBe(0);
      expect(result.state.watermark).toBe(watermark);

      const jobs = s.marketo.jobs();
      const failedJob = jobs.find((j) => j.status === 'Failed')!;
      const landedJob = jobs.find((j) => j.status === 'Completed')!;
      expect(jobs).toHaveLength(2);
      expect(detail.windows).toEqual({
        landed: [{ ...landed, jobId: landedJob.exportId, manifest: `s3://${result.bucket}/${manifestKey}` }],
        failed: [
          {
            ...failed,
            jobId: failedJob.exportId,
            error: {
              name: 'JobFailedError',
              message: expect.stringContaining('Internal error while extracting activities'),
            },
          },
        ],
      });
      expect(detail).toMatchObject({
        error: { name: 'JobFailedError' },
        window: { start: DAY1.start, end: DAY2.end },
        watermark: watermark ?? null,
      });
      expect(detail.jobIds.sort()).toEqual([failedJob.exportId, landedJob.exportId].sort());
    },
  );
});
