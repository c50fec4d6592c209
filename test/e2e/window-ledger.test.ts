// The window ledger across scheduled runs (local engine, Marketo simulator, moto S3): a window that
// failed is the only one the next scheduled run exports (landed windows are never exported again,
// counted by the simulator's create calls per window); a window whose data fails every time is
// quarantined after maxWindowAttempts (its raw bytes kept, an event published) while later windows
// land and the watermark passes it, and `retry` lands it after the fix; an export that has only a
// watermark and manifests (every deployment before the ledger) exports nothing it had landed.
import { beforeAll, expect, it } from 'vitest';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { readLedger } from '../../lambdas/window/ledger-store';
import { S3ObjectStore } from '../../lambdas/transfer/s3-object-store';
import { describeWithMoto, freshBucket, motoS3Client, useMotoEnv } from '../support/moto';
import { configWith, runScenario } from '../support/scenario';
import { useMarketoSimulator, type MarketoTestSimulator } from '../support/marketo-simulator';

const EXPORT = 'marketo-activities';
const DAY_MS = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

const startSim = useMarketoSimulator({ queuedMs: 20, processingMs: 50, recordsPerDay: 2_000 });

/** The three complete days before today (UTC) as daily windows, and a config whose first start is the first. */
function threeDays() {
  // Scheduled runs export up to now − 60 min lag, cut to the day: right after midnight, yesterday is not complete.
  const lastEnd = Math.floor((Date.now() - 3_600_000) / DAY_MS) * DAY_MS;
  const days = [3, 2, 1].map((n) => ({ start: iso(lastEnd - n * DAY_MS), end: iso(lastEnd - (n - 1) * DAY_MS) }));
  const config = configWith(EXPORT, { window: { grain: 'day', lagMinutes: 60, firstStart: days[0]!.start } });
  return { days, config };
}

/** How many jobs the simulator was asked to create for each window start. */
function createsPerWindow(s: MarketoTestSimulator): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const job of s.marketo.jobs()) {
    const start = iso(Date.parse((job.filter as { createdAt: { startAt: string } }).createdAt.startAt));
    counts[start] = (counts[start] ?? 0) + 1;
  }
  return counts;
}

describeWithMoto('the window ledger (local engine, Marketo simulator, moto S3)', () => {
  beforeAll(() => useMotoEnv());

  it('a scheduled run that failed a window: the next one exports that window only; the watermark follows the ledger', async () => {
    const s = await startSim();
    const bucket = await freshBucket();
    const store = new S3ObjectStore({ bucket, client: motoS3Client() });
    const { days, config } = threeDays();
    const [d1, d2, d3] = days as [(typeof days)[0], (typeof days)[0], (typeof days)[0]];
    const scheduled = () =>
      runScenario({
        exportName: EXPORT,
        bucket,
        config,
        simulator: { running: s },
        scheduled: true,
        from: undefined,
        to: undefined,
      });

    s.marketo.faults.failJobsStartingAt = { startMs: Date.parse(d2.start), errorMsg: 'Internal error' };
    const first = await scheduled();
    expect(first.status).toBe('FAILED');
    const afterFirst = (await readLedger(store, EXPORT)).ledger.windows;
    expect(afterFirst.map((e) => [e.start, e.state, e.attempts])).toEqual([
      [d1.start, 'landed', 0],
      // The provider failed the job: an outage, not the data's fault, so no attempt counts.
      [d2.start, 'failed', 0],
      [d3.start, 'landed', 0],
    ]);
    expect(afterFirst[1]?.lastError?.name).toBe('JobFailedError');
    expect(first.state.watermark).toBe(d1.end);

    delete s.marketo.faults.failJobsStartingAt;
    const second = await scheduled();
    expect(second.status).toBe('SUCCEEDED');
    // Landed windows are never exported again: one job each, two for the window that failed once.
    expect(createsPerWindow(s)).toEqual({ [d1.start]: 1, [d2.start]: 2, [d3.start]: 1 });
    expect(second.succeeded?.window).toEqual(d2);
    expect(second.state.watermark).toBe(d3.end);
    expect((await readLedger(store, EXPORT)).ledger.windows.map((e) => e.state)).toEqual([
      'landed',
      'landed',
      'landed',
    ]);

    // Nothing is owed any more: a third run creates no job.
    const idle = await scheduled();
    expect(idle.status).toBe('SUCCEEDED');
    expect(s.marketo.jobs()).toHaveLength(4);
  });

  it('a scheduled run stopped mid-way: the windows it landed stay landed, the next run exports only the others', async () => {
    const s = await startSim();
    const bucket = await freshBucket();
    const store = new S3ObjectStore({ bucket, client: motoS3Client() });
    const { days, config } = threeDays();
    const stop = new AbortController();
    const killed = await runScenario({
      exportName: EXPORT,
      bucket,
      config,
      simulator: { running: s },
      scheduled: true,
      from: undefined,
      to: undefined,
      signal: stop.signal,
      // Stopped the moment its first window lands: the others are still in flight.
      onProgress: (e) => {
        if (e.step === 'WriteManifest') stop.abort();
      },
    });
    expect(killed.status).toBe('ABORTED');
    const landed = (await readLedger(store, EXPORT)).ledger.windows.filter((e) => e.state === 'landed');
    expect(landed.length).toBeGreaterThanOrEqual(1);
    expect(landed.length).toBeLessThan(days.length);

    const next = await runScenario({
      exportName: EXPORT,
      bucket,
      config,
      simulator: { running: s },
      scheduled: true,
      from: undefined,
      to: undefined,
    });
    expect(next.status).toBe('SUCCEEDED');
    // The next run exported exactly the windows that had not landed; a landed one got no second job.
    expect(next.succeeded?.jobIds).toHaveLength(days.length - landed.length);
    const creates = createsPerWindow(s);
    for (const entry of landed) expect(creates[entry.start], entry.start).toBe(1);
    expect((await readLedger(store, EXPORT)).ledger.windows.map((e) => e.state)).toEqual(days.map(() => 'landed'));
    expect(next.state.watermark).toBe(days.at(-1)!.end);
  });

  it('a window whose data fails every run is quarantined at maxWindowAttempts: raw kept, event out, later windows land past it; retry after the fix lands it', async () => {
    const s = await startSim();
    const bucket = await freshBucket();
    const store = new S3ObjectStore({ bucket, client: motoS3Client() });
    const { days, config } = threeDays();
    const [d1, d2, d3] = days as [(typeof days)[0], (typeof days)[0], (typeof days)[0]];
    const run = (extra: { retryWindow?: string } = {}) =>
      runScenario({
        exportName: EXPORT,
        bucket,
        config,
        simulator: { running: s },
        ...(extra.retryWindow ? { retryWindow: extra.retryWindow } : { scheduled: true }),
        from: undefined,
        to: undefined,
      });

    s.marketo.faults.poisonJobsStartingAt = [Date.parse(d2.start)];
    const runs = [await run(), await run(), await run()];
    expect(runs.map((r) => r.status)).toEqual(['FAILED', 'FAILED', 'FAILED']);
    const entry = (await readLedger(store, EXPORT)).ledger.windows.find((e) => e.start === d2.start);
    expect(entry).toMatchObject({ state: 'quarantined', attempts: 3, lastError: { name: 'UntypeableValueError' } });
    // Each later run exported the poisoned window only; the quarantine is announced once, by the third.
    expect(createsPerWindow(s)).toEqual({ [d1.start]: 1, [d2.start]: 3, [d3.start]: 1 });
    expect(runs.map((r) => r.events.filter((e) => e.detailType === 'Export Window Quarantined').length)).toEqual([
      0, 0, 1,
    ]);
    const announced = runs[2]!.events.find((e) => e.detailType === 'Export Window Quarantined')!.detail as {
      window: unknown;
      attempts: number;
      error: { name: string };
      raw: string[];
    };
    expect(announced).toMatchObject({ window: d2, attempts: 3, error: { name: 'UntypeableValueError' } });
    // The raw bytes are kept for inspection; nothing of the window stays under raw/ or curated/.
    const kept = runs[2]!.state.keys.filter((k) => k.startsWith(`quarantine/${EXPORT}/`));
    expect(kept).toHaveLength(1);
    expect(announced.raw).toEqual([`s3://${bucket}/${kept[0]}`]);
    const stem = kept[0]!.split('/')[2]!;
    expect(runs[2]!.state.keys.filter((k) => !k.startsWith('quarantine/') && k.includes(stem))).toEqual([]);
    // The quarantined window does not hold the watermark back.
    expect(runs[2]!.state.watermark).toBe(d3.end);

    // Scheduled runs leave it alone now.
    const idle = await run();
    expect(idle.status).toBe('SUCCEEDED');
    expect(s.marketo.jobs()).toHaveLength(5);

    // The fix, then the operator's retry: the window lands.
    delete s.marketo.faults.poisonJobsStartingAt;
    const retried = await run({ retryWindow: d2.start });
    expect(retried.status).toBe('SUCCEEDED');
    expect(retried.succeeded?.window).toEqual(d2);
    expect((await readLedger(store, EXPORT)).ledger.windows.map((e) => e.state)).toEqual([
      'landed',
      'landed',
      'landed',
    ]);
    expect(retried.state.manifests.filter((k) => k.includes(stem))).toHaveLength(1);
  });

  it('an export with a watermark and manifests but no ledger (before the ledger): the first scheduled run exports nothing it had landed', async () => {
    const s = await startSim();
    const bucket = await freshBucket();
    const store = new S3ObjectStore({ bucket, client: motoS3Client() });
    const { days, config } = threeDays();
    const [d1, , d3] = days as [(typeof days)[0], (typeof days)[0], (typeof days)[0]];
    const backfill = await runScenario({
      exportName: EXPORT,
      bucket,
      config,
      simulator: { running: s },
      from: d1.start,
      to: d3.start,
    });
    expect(backfill.status).toBe('SUCCEEDED');
    expect(backfill.state.watermark).toBe(d3.start);
    // What a deployment before the ledger has: manifests and the watermark. One manifest is gone too,
    // so the watermark alone vouches for that window.
    const s3 = motoS3Client();
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: `state/${EXPORT}/ledger.json` }));
    const [firstManifest] = backfill.state.manifests;
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: firstManifest! }));

    const scheduled = await runScenario({
      exportName: EXPORT,
      bucket,
      config,
      simulator: { running: s },
      scheduled: true,
      from: undefined,
      to: undefined,
    });
    expect(scheduled.status).toBe('SUCCEEDED');
    // Only the third day was owed: one new job, none for the two days the old runs had landed.
    expect(createsPerWindow(s)).toEqual({ [d1.start]: 1, [days[1]!.start]: 1, [d3.start]: 1 });
    const seeded = (await readLedger(store, EXPORT)).ledger.windows;
    expect(seeded.map((e) => [e.start, e.end, e.state])).toEqual(days.map((d) => [d.start, d.end, 'landed']));
    // The day without a manifest is the watermark's word; the other carries its manifest.
    expect(seeded[0]?.manifestKey).toBeUndefined();
    expect(seeded[1]?.manifestKey).toBe(backfill.state.manifests[1]);
    expect(scheduled.state.watermark).toBe(d3.end);
  });
});
