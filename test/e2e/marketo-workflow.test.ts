// The whole workflow, as synthesized by CDK, run on the local engine with the real handlers against
// the Marketo simulator and a real S3 (moto): success and every failure path. Each scenario asserts
// the bucket (objects, pending uploads, watermark), the published events, and the simulator's jobs.
import { afterEach, beforeAll, expect, it } from 'vitest';
import type { ExportFailedDetail, ExportSucceededDetail } from '../../lambdas/workflow/events';
import { startSimulatorFor, type RunningSimulator } from '../../local/simulators/start-simulator';
import { describeWithMoto, useMotoEnv } from '../support/moto';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { compareCuratedWithRaw } from '../support/curated-check';
import { motoS3Client } from '../support/moto';
import { baseConfig, configWith, objectText, runScenario, sha256OfObject, sha256OfStream } from '../support/scenario';

const EXPORT = 'marketo-activities';
const MiB = 1024 * 1024;
let sim: RunningSimulator | undefined;

async function startSim(
  options: Parameters<typeof startSimulatorFor>[1]['marketo'] = {},
): Promise<RunningSimulator & { provider: 'marketo' }> {
  sim = await startSimulatorFor('marketo', { marketo: { queuedMs: 20, processingMs: 50, ...options } });
  return sim as RunningSimulator & { provider: 'marketo' };
}

afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

function failedDetail(result: { events: { detailType: string; detail: unknown }[] }): ExportFailedDetail {
  const failed = result.events.filter((e) => e.detailType === 'Export Failed');
  expect(failed).toHaveLength(1);
  expect(result.events.filter((e) => e.detailType === 'Export Succeeded')).toHaveLength(0);
  return failed[0]!.detail as ExportFailedDetail;
}

describeWithMoto('Marketo export workflow (local engine, simulator, moto S3)', () => {
  beforeAll(() => useMotoEnv());

  it('succeeds over several chunks: byte-identical file, provider SHA-256 and record count in the manifest, watermark moved', async () => {
    const s = await startSim({ bytesPerJob: 20 * MiB });
    // A range that starts at the export's first start: the watermark may move.
    const config = configWith(EXPORT, { window: { grain: 'day', lagMinutes: 60, firstStart: '2026-11-01' } });
    const result = await runScenario({
      exportName: EXPORT,
      config,
      simulator: { running: s },
      transferTuning: { maxBytesPerInvocation: 5 * MiB },
    });

    expect(result.error).toBeUndefined();
    expect(result.status).toBe('SUCCEEDED');
    expect(result.taskInvocations.TransferChunk).toBeGreaterThanOrEqual(3);

    const [job] = s.marketo.jobs();
    expect(s.marketo.jobs()).toHaveLength(1);
    expect(job!.status).toBe('Completed');
    const key = 'raw/marketo-activities/dt=2026-11-01/20261101T000000Z_20261102T000000Z.csv';
    expect(result.state.rawKeys).toEqual([key]);
    expect(result.state.pendingUploads).toBe(0);
    const landed = await sha256OfObject(result.bucket, key);
    const original = await sha256OfStream(s.marketo.fileStream(job!.exportId));
    expect(landed).toEqual(original);
    expect(`sha256:${landed.sha256}`).toBe(job!.fileChecksum);
    // The client credentials went in the token request's body, never in a URL.
    expect(
      s.marketo.requestLog().filter((line) => line.startsWith('POST /identity/oauth/token')).length,
    ).toBeGreaterThan(0);
    expect(s.marketo.credentialsInUrls()).toEqual([]);

    const manifest = JSON.parse(
      await objectText(result.bucket, 'manifests/marketo-activities/20261101T000000Z_20261102T000000Z.json'),
    ) as {
      files: {
        sha256: string;
        records: number;
        bytes: number;
        verified: { sha256: boolean; bytes: boolean };
        columns: string[];
      }[];
      records: { counted: number; provider: number };
      job: { id: string };
    };
    expect(manifest.job.id).toBe(job!.exportId);
    expect(manifest.files[0]).toMatchObject({
      sha256: landed.sha256,
      bytes: job!.fileSize,
      records: job!.numberOfRecords,
      verified: { sha256: true, bytes: true },
    });
    expect(manifest.files[0]!.columns[0]).toBe('marketoGUID');
    expect(manifest.records).toEqual({
      counted: job!.numberOfRecords,
      provider: job!.numberOfRecords,
      curated: job!.numberOfRecords,
    });
    // The curated copy: typed Parquet beside the raw file, every record of it.
    expect(result.state.keys.filter((k) => k.startsWith('curated/marketo-activities/'))).toEqual([
      'curated/marketo-activities/dt=2026-11-01/20261101T000000Z_20261102T000000Z-0001.parquet',
    ]);
    expect(result.state.keys.filter((k) => k.startsWith('curated/activity_types/'))).toHaveLength(1);

    const events = result.events.filter((e) => e.detailType === 'Export Succeeded');
    expect(events).toHaveLength(1);
    const detail = events[0]!.detail as ExportSucceededDetail;
    expect(detail).toMatchObject({
      export: EXPORT,
      provider: 'marketo',
      jobIds: [job!.exportId],
      records: job!.numberOfRecords,
      watermark: '2026-11-02T00:00:00Z',
    });
    const parquet = 'curated/marketo-activities/dt=2026-11-01/20261101T000000Z_20261102T000000Z-0001.parquet';
    expect(detail.files).toEqual([
      {
        uri: `s3://${result.bucket}/${key}`,
        key,
        bytes: job!.fileSize,
        sha256: landed.sha256,
        records: job!.numberOfRecords,
        verified: { bytes: true, sha256: true, records: true },
        curated: [
          {
            uri: `s3://${result.bucket}/${parquet}`,
            key: parquet,
            bytes: expect.any(Number),
            sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
            rows: job!.numberOfRecords,
          },
        ],
      },
    ]);
    expect(result.state.watermark).toBe('2026-11-02T00:00:00Z');
    // No job record is left behind once the window landed.
    expect(result.state.keys.filter((k) => k.includes('/jobs/'))).toEqual([]);
  });

  it('a file cut into several splits converts them side by side, and the Parquet rows equal the strict parse of the raw file', async () => {
    const s = await startSim({ bytesPerJob: 8 * MiB });
    const result = await runScenario({
      exportName: EXPORT,
      simulator: { running: s },
      splitTuning: { recordStartInterval: 1 * MiB, maxSplitBytes: 2 * MiB },
    });
    expect(result.error).toBeUndefined();
    const parts = result.state.keys.filter((k) => k.startsWith('curated/marketo-activities/'));
    expect(parts.length).toBeGreaterThanOrEqual(3);
    expect(result.taskInvocations.ConvertSplit).toBe(parts.length);
    const {
      parts: compared,
      parquetRows,
      rawRows,
    } = await compareCuratedWithRaw(
      result.bucket,
      baseConfig.exports.find((e) => e.name === EXPORT)!,
      result.state.rawKeys[0]!,
    );
    expect(compared).toEqual(parts);
    expect(parquetRows).toEqual(rawRows);
  });

  it('a job record left by a killed run, for a job this Marketo does not know, is a leftover: the next run starts afresh and lands', async () => {
    const s = await startSim({ bytesPerJob: 1 * MiB });
    const bucket = (
      await runScenario({
        exportName: EXPORT,
        simulator: { running: s },
        from: '2026-10-01T00:00:00Z',
        to: '2026-10-02T00:00:00Z',
      })
    ).bucket;
    // What `npm start` interrupted by Ctrl-C leaves: the window's job record, naming a job of a simulator that is gone.
    await motoS3Client().send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'state/marketo-activities/jobs/20261101T000000Z_20261102T000000Z.json',
        Body: JSON.stringify({
          job: { id: 'from-a-dead-simulator', enqueued: true },
          window: { start: '2026-11-01T00:00:00Z', end: '2026-11-02T00:00:00Z' },
          savedAt: new Date().toISOString(),
          executionId: 'arn:aws:states:us-east-1:000000000000:execution:x:dead',
        }),
      }),
    );
    const jobsBefore = s.marketo.jobs().length;
    const result = await runScenario({ exportName: EXPORT, simulator: { running: s }, bucket });
    expect(result.error).toBeUndefined();
    expect(result.status).toBe('SUCCEEDED');
    expect(s.marketo.jobs()).toHaveLength(jobsBefore + 1);
    expect(result.state.keys.filter((k) => k.includes('/jobs/'))).toEqual([]);
    expect(result.state.manifests).toContain('manifests/marketo-activities/20261101T000000Z_20261102T000000Z.json');
  });

  it('a re-run with another grain retires the overlapping windows: the same records are never readable twice', async () => {
    const s = await startSim({ bytesPerJob: 1 * MiB });
    const byDay = configWith(EXPORT, { window: { grain: 'day', lagMinutes: 60, firstStart: '2026-11-02' } });
    const day = await runScenario({
      exportName: EXPORT,
      config: byDay,
      simulator: { running: s },
      from: '2026-11-02T00:00:00Z',
      to: '2026-11-04T00:00:00Z',
    });
    expect(day.status).toBe('SUCCEEDED');
    expect(day.state.manifests).toHaveLength(2);
    const byWeek = configWith(EXPORT, { window: { grain: 'week', lagMinutes: 60, firstStart: '2026-11-02' } });
    const week = await runScenario({
      exportName: EXPORT,
      config: byWeek,
      simulator: { running: s },
      bucket: day.bucket,
      from: '2026-11-02T00:00:00Z',
      to: '2026-11-09T00:00:00Z',
    });
    expect(week.error).toBeUndefined();
    const stem = '20261102T000000Z_20261109T000000Z';
    expect(week.state.manifests).toEqual([`manifests/marketo-activities/${stem}.json`]);
    expect(week.state.rawKeys).toEqual([`raw/marketo-activities/dt=2026-11-02/${stem}.csv`]);
    expect(week.state.keys.filter((k) => k.startsWith('curated/marketo-activities/'))).toEqual([
      `curated/marketo-activities/dt=2026-11-02/${stem}-0001.parquet`,
    ]);
  });

  it('a re-run of the same window replaces the objects, never duplicates them', async () => {
    const s = await startSim({ bytesPerJob: 1 * MiB });
    const first = await runScenario({ exportName: EXPORT, simulator: { running: s } });
    const second = await runScenario({ exportName: EXPORT, simulator: { running: s }, bucket: first.bucket });
    expect(second.status).toBe('SUCCEEDED');
    expect(second.state.rawKeys).toEqual(first.state.rawKeys);
    expect(second.state.manifests).toEqual(first.state.manifests);
  });

  it('a failed re-run of a window that had landed leaves the landed window intact', async () => {
    const s = await startSim({ bytesPerJob: 1 * MiB });
    const first = await runScenario({ exportName: EXPORT, simulator: { running: s } });
    expect(first.status).toBe('SUCCEEDED');
    s.marketo.faults.failNextJob = 'Internal error';
    const second = await runScenario({ exportName: EXPORT, simulator: { running: s }, bucket: first.bucket });
    expect(second.status).toBe('FAILED');
    expect(failedDetail(second).cleanup.removedObjects).toBe(0);
    expect(second.state.rawKeys).toEqual(first.state.rawKeys);
    expect(second.state.manifests).toEqual(first.state.manifests);
  });

  it('job Failed at Marketo → failure event, nothing landed, watermark untouched', async () => {
    const s = await startSim();
    s.marketo.faults.failNextJob = 'Internal error while extracting activities';
    const result = await runScenario({ exportName: EXPORT, simulator: { running: s } });
    expect(result.status).toBe('FAILED');
    expect(result.error?.name).toBe('JobFailedError');
    const detail = failedDetail(result);
    expect(detail.error.name).toBe('JobFailedError');
    expect(detail.error.message).toContain('Internal error while extracting activities');
    expect(result.state.rawKeys).toEqual([]);
    expect(result.state.manifests).toEqual([]);
    expect(result.state.pendingUploads).toBe(0);
    expect(result.state.watermark).toBeUndefined();
    expect(s.marketo.jobs().map((j) => j.status)).toEqual(['Failed']);
  });

  it('job stuck past its deadline → cancelled at Marketo, failure event', async () => {
    const s = await startSim();
    s.marketo.faults.stuckJobs = true;
    const config = configWith(EXPORT, { jobTimeoutMinutes: 5 });
    const result = await runScenario({ exportName: EXPORT, config, simulator: { running: s } });
    expect(result.status).toBe('FAILED');
    expect(failedDetail(result)).toMatchObject({
      error: { name: 'JobDeadlineExceededError' },
      cleanup: { cancelledJobs: [s.marketo.jobs()[0]!.exportId] },
    });
    expect(s.marketo.jobs().map((j) => j.status)).toEqual(['Cancelled']);
    expect(result.state.rawKeys).toEqual([]);
    expect(result.state.keys.filter((k) => k.includes('/jobs/'))).toEqual([]);
  });

  it('token expiry in the middle of the run → new token, file still byte-identical', async () => {
    const s = await startSim({ bytesPerJob: 8 * MiB });
    let expired = 0;
    const result = await runScenario({
      exportName: EXPORT,
      simulator: { running: s },
      transferTuning: { maxBytesPerInvocation: 3 * MiB },
      onProgress: (e) => {
        if (e.step === 'TransferChunk' && expired === 0 && (e.bytes ?? 0) > 2 * MiB) {
          expired += 1;
          s.marketo.expireTokens();
        }
      },
    });
    expect(result.status).toBe('SUCCEEDED');
    expect(expired).toBe(1);
    expect(s.marketo.stats().byKind.token).toBeGreaterThanOrEqual(2);
    const job = s.marketo.jobs()[0]!;
    expect(await sha256OfObject(result.bucket, result.state.rawKeys[0]!)).toEqual(
      await sha256OfStream(s.marketo.fileStream(job.exportId)),
    );
  });

  it('a 606 storm on status and file calls is waited out', async () => {
    const s = await startSim({ bytesPerJob: 2 * MiB });
    s.marketo.faults.injectErrors = [
      { code: '606', times: 4, kinds: ['status'] },
      { code: '606', times: 3, kinds: ['file'] },
    ];
    const result = await runScenario({ exportName: EXPORT, simulator: { running: s } });
    expect(result.error).toBeUndefined();
    expect(result.status).toBe('SUCCEEDED');
    expect(s.marketo.faults.injectErrors?.every((f) => f.times === 0) ?? true).toBe(true);
    expect(result.state.pendingUploads).toBe(0);
  });

  it('connection dropped mid-file → resumed with Range, identical bytes', async () => {
    const s = await startSim({ bytesPerJob: 6 * MiB });
    s.marketo.faults.dropConnectionAfterBytes = { afterBytes: 2 * MiB + 12_345, times: 2 };
    const result = await runScenario({ exportName: EXPORT, simulator: { running: s } });
    expect(result.status).toBe('SUCCEEDED');
    expect(s.marketo.faults.dropConnectionAfterBytes?.times ?? 0).toBe(0);
    const job = s.marketo.jobs()[0]!;
    expect(await sha256OfObject(result.bucket, result.state.rawKeys[0]!)).toEqual(
      await sha256OfStream(s.marketo.fileStream(job.exportId)),
    );
  });

  it('checksum mismatch → no object, no pending upload, failure event', async () => {
    const s = await startSim({ bytesPerJob: 6 * MiB });
    s.marketo.faults.corruptByteAt = 3 * MiB + 7;
    const result = await runScenario({
      exportName: EXPORT,
      simulator: { running: s },
      transferTuning: { maxBytesPerInvocation: 2 * MiB },
    });
    expect(result.status).toBe('FAILED');
    expect(failedDetail(result).error.name).toBe('ChecksumMismatchError');
    expect(result.state.rawKeys).toEqual([]);
    expect(result.state.manifests).toEqual([]);
    expect(result.state.pendingUploads).toBe(0);
    expect(result.state.watermark).toBeUndefined();
  });

  it('queue full at enqueue → waits and enqueues the SAME job (no duplicate)', async () => {
    const s = await startSim({ bytesPerJob: 256 * 1024 });
    s.marketo.faults.injectErrors = [{ code: '1029', message: 'Too many jobs in queue', times: 2, kinds: ['enqueue'] }];
    const result = await runScenario({ exportName: EXPORT, simulator: { running: s } });
    expect(result.status).toBe('SUCCEEDED');
    expect(s.marketo.jobs()).toHaveLength(1);
    expect(s.marketo.stats().byKind.create).toBe(1);
    expect(result.taskInvocations.StartJob).toBe(3);
  });

  it('enqueue keeps failing after the job was created → the retried StartJob resumes that job, never creates another', async () => {
    const s = await startSim({ bytesPerJob: 256 * 1024 });
    // More 502s than the provider's own attempts: the failure reaches the state machine, which retries StartJob.
    s.marketo.faults.injectErrors = [{ code: 'http502', times: 6, kinds: ['enqueue'] }];
    const result = await runScenario({ exportName: EXPORT, simulator: { running: s } });
    expect(result.error).toBeUndefined();
    expect(result.status).toBe('SUCCEEDED');
    expect(result.taskInvocations.StartJob).toBe(2);
    expect(s.marketo.stats().byKind.create).toBe(1);
    expect(s.marketo.jobs().map((j) => j.status)).toEqual(['Completed']);
  });

  it('export quota exceeded → deferred until the reset instant, then the job runs', async () => {
    const s = await startSim({ bytesPerJob: 256 * 1024 });
    s.marketo.faults.injectErrors = [
      { code: '1029', message: 'Export daily quota 500MB exceeded', times: 1, kinds: ['create'] },
    ];
    const result = await runScenario({ exportName: EXPORT, simulator: { running: s } });
    expect(result.status).toBe('SUCCEEDED');
    expect(result.taskInvocations.StartJob).toBe(2);
    expect(s.marketo.jobs()).toHaveLength(1);
  });

  it('a transfer that cannot store a single part fails after a few invocations instead of looping forever', async () => {
    const s = await startSim({ bytesPerJob: 1 * MiB });
    // A budget below the transfer's safety margin: no invocation may start a part.
    const result = await runScenario({ exportName: EXPORT, simulator: { running: s }, chunkBudgetMs: 1_000 });
    expect(result.status).toBe('FAILED');
    expect(failedDetail(result).error.name).toBe('TransferStalledError');
    expect(result.taskInvocations.TransferChunk).toBe(3);
    expect(result.state.rawKeys).toEqual([]);
    expect(result.state.pendingUploads).toBe(0);
  });

  it('a bad request fails before any API call, naming the field', async () => {
    const s = await startSim();
    const config = configWith(EXPORT, { request: { format: 'XLS' } });
    const result = await runScenario({ exportName: EXPORT, config, simulator: { running: s } });
    expect(result.status).toBe('FAILED');
    const detail = failedDetail(result);
    expect(detail.error.name).toBe('ValidationError');
    expect(detail.error.message).toMatch(/^format: /);
    expect(s.marketo.stats().total).toBe(0);
  });
});
