// Windows a dead run left outside the next run's plan: a killed local run (its process is gone, no
// cleanup ran) or a cleanup whose cancel failed (cancelPending). The next run of the export recognises
// them in Plan: the remote job is cancelled, open uploads aborted, files of the unlanded window
// removed, the record dropped. A record whose owner may still be running is left alone.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { CreateMultipartUploadCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { createProvider } from '../../lambdas/providers/registry';
import { systemClock } from '../../lambdas/shared/clock';
import { silentLogger } from '../../lambdas/shared/logger';
import { startSimulatorFor, type RunningSimulator } from '../../local/simulators/start-simulator';
import { describeWithMoto, freshBucket, motoS3Client, useMotoEnv } from '../support/moto';
import { baseConfig, runScenario } from '../support/scenario';

const EXPORT = 'marketo-activities';
const def = baseConfig.exports.find((e) => e.name === EXPORT)!;
let sim: RunningSimulator | undefined;

afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

const day = (d: string) => ({
  start: `2026-11-${d}T00:00:00Z`,
  end: `2026-11-${String(Number(d) + 1).padStart(2, '0')}T00:00:00Z`,
});
const stem = (d: string) => `202611${d}T000000Z_202611${String(Number(d) + 1).padStart(2, '0')}T000000Z`;

describeWithMoto('leftovers of dead runs (local engine, Marketo simulator, moto S3)', () => {
  beforeAll(() => useMotoEnv());

  it("the next run resumes a dead run's live job for a window it plans, cancels the jobs of other windows dead runs left, aborts their uploads, removes their unlanded files and records; a live owner is left alone", async () => {
    const s = (await startSimulatorFor('marketo', {
      marketo: { queuedMs: 20, processingMs: 50 },
    })) as RunningSimulator & { provider: 'marketo' };
    sim = s;
    s.marketo.faults.stuckJobs = true;
    const provider = createProvider(def, s.credentials, { clock: systemClock, logger: silentLogger });
    const request = provider.validate(def.request);
    const liveJob = async (d: string) => {
      const started = await provider.startJob(day(d), request);
      if (started.kind !== 'started') throw new Error(`not started: ${started.kind}`);
      return started.job;
    };
    const bucket = await freshBucket();
    const s3 = motoS3Client();
    const put = (key: string, body: string) => s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    const record = (d: string, job: { id: string }, executionId: string, extra: object = {}) =>
      put(
        `state/${EXPORT}/jobs/${stem(d)}.json`,
        JSON.stringify({ job, window: day(d), savedAt: new Date().toISOString(), executionId, ...extra }),
      );

    // A killed `npm start`: its process is gone; it left a running job, an open upload and a raw file.
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid!;
    const killed = await liveJob('05');
    await record('05', killed, `arn:aws:states:us-east-1:000000000000:execution:local:${deadPid}-${randomUUID()}`);
    await s3.send(
      new CreateMultipartUploadCommand({ Bucket: bucket, Key: `raw/${EXPORT}/dt=2026-11-05/${stem('05')}.csv` }),
    );
    await put(`raw/${EXPORT}/dt=2026-11-05/${stem('05')}_2.csv`, 'a,b\n1,2\n');
    // The same killed run also had the window this run plans: its job is alive, so it is resumed (never a
    // second job), and the upload it left open is aborted once the window lands.
    const resumed = await liveJob('01');
    await record('01', resumed, `arn:aws:states:us-east-1:000000000000:execution:local:${deadPid}-${randomUUID()}`);
    await s3.send(
      new CreateMultipartUploadCommand({ Bucket: bucket, Key: `raw/${EXPORT}/dt=2026-11-01/${stem('01')}.csv` }),
    );
    // A cleanup that could not cancel (the provider was down): the record says so.
    const pending = await liveJob('06');
    await record('06', pending, 'arn:aws:states:us-east-1:111111111111:execution:sm:failed-run', {
      cancelPending: { since: new Date().toISOString(), reason: 'HTTP 503' },
    });
    // A run that may still be going (an execution this process cannot see): never touched.
    const alive = await liveJob('07');
    await record('07', alive, 'arn:aws:states:us-east-1:111111111111:execution:sm:running');

    // The leftover jobs stay running until Plan has looked at them; the run's own job then completes.
    const result = await runScenario({
      exportName: EXPORT,
      simulator: { running: s },
      bucket,
      onProgress: (e) => {
        if (e.step === 'StartJob') s.marketo.faults.stuckJobs = false;
      },
    });
    expect(result.error).toBeUndefined();
    expect(result.status).toBe('SUCCEEDED');

    // The four seeded jobs and no other: the planned window's job was resumed, not duplicated.
    expect(s.marketo.jobs()).toHaveLength(4);
    expect(result.succeeded?.jobIds).toEqual([resumed.id]);
    const status = (id: string) => s.marketo.jobs().find((j) => j.exportId === id)?.status;
    expect(status(resumed.id)).toBe('Completed');
    expect(status(killed.id)).toBe('Cancelled');
    expect(status(pending.id)).toBe('Cancelled');
    expect(status(alive.id)).not.toBe('Cancelled');
    expect(result.state.keys.filter((k) => k.includes('/jobs/'))).toEqual([`state/${EXPORT}/jobs/${stem('07')}.json`]);
    expect(result.state.rawKeys).toEqual([`raw/${EXPORT}/dt=2026-11-01/${stem('01')}.csv`]);
    expect(result.state.pendingUploads).toBe(0);
    expect(result.logs.some((l) => l.message === 'reclaimed windows a dead run left behind')).toBe(true);
  });
});
