// One run per export at a time (lambdas/window/lease.ts): two runs of one export started together never
// collide. One takes the export's lease in Plan and lands; the other stops in Plan, before any provider
// call, with ExportBusyError naming the holder; a scheduled start that meets a busy export is skipped,
// not failed; the lease is given back at the end of a run, so the next run goes ahead.
import { beforeAll, expect, it } from 'vitest';
import { ExportBusyError } from '../../lambdas/shared/errors';
import { acquireLease, leaseKey } from '../../lambdas/window/lease';
import { S3ObjectStore } from '../../lambdas/transfer/s3-object-store';
import { describeWithMoto, freshBucket, motoS3Client, useMotoEnv } from '../support/moto';
import { runScenario } from '../support/scenario';
import { useMarketoSimulator } from '../support/marketo-simulator';

const EXPORT = 'marketo-activities';

const startSim = useMarketoSimulator({ queuedMs: 20, processingMs: 50 });

describeWithMoto('one run per export (local engine, Marketo simulator, moto S3)', () => {
  beforeAll(() => useMotoEnv());

  it('two runs of one export started together: one lands, the other fails with ExportBusyError before any provider call', async () => {
    const s = await startSim();
    const bucket = await freshBucket();
    const run = () => runScenario({ exportName: EXPORT, bucket, simulator: { running: s } });
    const results = await Promise.all([run(), run()]);
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual(['FAILED', 'SUCCEEDED']);
    const busy = results.find((r) => r.status === 'FAILED')!;
    const failed = busy.events.find((e) => e.detailType === 'Export Failed')?.detail as {
      error?: { name: string; message: string };
    };
    expect(failed.error?.name).toBe('ExportBusyError');
    expect(failed.error?.message).toMatch(/^export "marketo-activities" is busy: run \S+ holds it since /);
    // The busy run created nothing at the provider: one job in all, the landed run's.
    expect(s.marketo.jobs()).toHaveLength(1);
    // The landed run gave the lease back: the next run of the export goes ahead.
    const next = await runScenario({ exportName: EXPORT, bucket, simulator: { running: s } });
    expect(next.status).toBe('SUCCEEDED');
    // …and left nothing of the lease behind.
    expect(await new S3ObjectStore({ bucket, client: motoS3Client() }).getObject(leaseKey(EXPORT))).toBeUndefined();
  });

  it('a scheduled start that finds the export busy is skipped: the execution succeeds, nothing is exported, the holder keeps it', async () => {
    const s = await startSim();
    const bucket = await freshBucket();
    const store = new S3ObjectStore({ bucket, client: motoS3Client() });
    // A backfill of the export is running (its lease is live and its holder cannot be told ended).
    await acquireLease(store, EXPORT, 'arn:aws:states:us-east-1:1:execution:BulkExport:backfill', {
      now: new Date(),
      ttlMs: 3_600_000,
    });
    const scheduled = await runScenario({
      exportName: EXPORT,
      bucket,
      simulator: { running: s },
      scheduled: true,
      from: undefined,
      to: undefined,
    });
    expect(scheduled.status).toBe('SUCCEEDED');
    expect(scheduled.events).toEqual([]);
    expect(scheduled.state.rawKeys).toEqual([]);
    expect(s.marketo.jobs()).toHaveLength(0);
    // A manual start meets the same lease and fails by name.
    const manual = await runScenario({ exportName: EXPORT, bucket, simulator: { running: s } });
    expect(manual.status).toBe('FAILED');
    await expect(acquireLease(store, EXPORT, 'someone-else', { now: new Date(), ttlMs: 1000 })).rejects.toThrow(
      ExportBusyError,
    );
  });
});
