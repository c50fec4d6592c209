// The whole workflow for a Salesforce export (local engine, the Salesforce simulator, moto S3): one
// query job per window, its result sets landed as one verified file, typed Parquet equal to the strict
// parse of that file, and the faults the Bulk API documents.
import { afterEach, beforeAll, expect, it } from 'vitest';
import { windowSoql, type SalesforceRequest } from '../../lambdas/providers/salesforce';
import type { ExportFailedDetail } from '../../lambdas/workflow/events';
import { startSimulatorFor, type RunningSimulator } from '../../local/simulators/start-simulator';
import { compareCuratedWithRaw } from '../support/curated-check';
import { describeWithMoto, useMotoEnv } from '../support/moto';
import { memoryMetrics } from '../support/memory-metrics';
import { baseConfig, configWith, objectText, runScenario, sha256OfObject } from '../support/scenario';
import { createHash } from 'node:crypto';

const EXPORT = 'salesforce-accounts';
const RAW_KEY = 'raw/salesforce-accounts/dt=2026-11-01/20261101T000000Z_20261102T000000Z.csv';
const WINDOW = { start: '2026-11-01T00:00:00Z', end: '2026-11-02T00:00:00Z' };
const def = baseConfig.exports.find((e) => e.name === EXPORT)!;

type SalesforceRunning = RunningSimulator & { provider: 'salesforce' };
let sim: SalesforceRunning | undefined;

async function startSim(
  options: NonNullable<Parameters<typeof startSimulatorFor>[1]['salesforce']> = {},
): Promise<SalesforceRunning> {
  const started = (await startSimulatorFor('salesforce', {
    salesforce: { queuedMs: 20, processingMs: 50, recordsPerDay: 600, maxRecordsPerPage: 250, ...options },
  })) as SalesforceRunning;
  sim = started;
  return started;
}

afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

const truth = (s: SalesforceRunning) =>
  s.salesforce.expectedCsv(windowSoql(def.request as unknown as SalesforceRequest, WINDOW), 'queryAll');
const sha = (b: Buffer) => ({ sha256: createHash('sha256').update(b).digest('hex'), bytes: b.length });
/** The 0-based result set each fetch of the job asked for, in order (the simulator's locators encode the record offset). */
function setsFetched(s: SalesforceRunning, pageRecords: number): number[] {
  const [job] = s.salesforce.jobs();
  return job!.fetches.map((locator) => {
    if (locator === '') return 0;
    const offset = /^sim:(\d+)$/.exec(Buffer.from(locator, 'base64url').toString('utf8'))?.[1];
    return Number(offset) / pageRecords;
  });
}
/** Fetches never go back to a set before one already fetched: a resume starts at the set holding its offset. */
function expectNoSetFetchedBack(sets: readonly number[], total: number) {
  expect(sets.filter((set) => set === 0)).toHaveLength(1);
  expect(
    sets.every((set, i) => i === 0 || set >= sets[i - 1]!),
    sets.join(','),
  ).toBe(true);
  expect(new Set(sets).size).toBe(total);
}
const failed = (r: Awaited<ReturnType<typeof runScenario>>) =>
  r.events.find((e) => e.detailType === 'Export Failed')!.detail as ExportFailedDetail;

describeWithMoto('Salesforce export workflow (local engine, simulator, moto S3)', () => {
  beforeAll(() => useMotoEnv());

  it('lands a multi-set job as one file (one header), counted, typed Parquet equal to the strict parse; deleted records as isdeleted rows', async () => {
    const s = await startSim();
    const result = await runScenario({ exportName: EXPORT, simulator: { running: s } });
    expect(result.error).toBeUndefined();
    expect(result.status).toBe('SUCCEEDED');
    const expected = truth(s);
    expect(expected.records).toBe(600);
    expect(result.state.rawKeys).toEqual([RAW_KEY]);
    expect(await sha256OfObject(result.bucket, RAW_KEY)).toEqual(sha(expected.csv));
    const [job] = s.salesforce.jobs();
    expect(s.salesforce.jobs()).toHaveLength(1);
    // Landed, the job is deleted at the org (ReleaseJob), as the Bulk API docs advise: none is left.
    expect(job).toMatchObject({ operation: 'queryAll', state: 'JobComplete', deleted: true });
    expect(s.salesforce.jobs().filter((j) => !j.deleted)).toEqual([]);
    expect(result.taskInvocations.ReleaseJob).toBe(1);
    // 600 records in sets of 250: three sets, each fetched once.
    expect(job!.fetches).toHaveLength(3);
    const manifest = JSON.parse(await objectText(result.bucket, result.state.manifests[0]!)) as unknown;
    expect(manifest).toMatchObject({ provider: 'salesforce', records: { counted: 600, curated: 600, provider: 600 } });

    const { parquetRows, rawRows } = await compareCuratedWithRaw(result.bucket, def, RAW_KEY);
    expect(parquetRows).toHaveLength(600);
    expect(parquetRows).toEqual(rawRows);
    // Records in the Recycle Bin come through queryAll as rows whose isdeleted is true.
    const isDeleted = (def.request as unknown as SalesforceRequest).fields.indexOf('IsDeleted');
    const deleted = parquetRows.filter((row) => row[isDeleted] === true);
    const live = s.salesforce.expectedCsv(windowSoql(def.request as unknown as SalesforceRequest, WINDOW), 'query');
    expect(deleted.length).toBeGreaterThan(0);
    expect(deleted.length).toBe(600 - live.records);
  });

  it('a set dropped mid-body and a token expired mid-results, across invocations: the set is fetched again, the session renewed, no set before the stored offset fetched again, the file identical', async () => {
    // About 10 MB: parts are 8 MiB, so the file crosses TransferChunk invocations, each
    // opening the results again at its offset.
    const s = await startSim({ recordsPerDay: 60_000, maxRecordsPerPage: 5_000 });
    s.salesforce.faults.truncateSet = { set: 3, afterBytes: 10_000 };
    let expired = false;
    const result = await runScenario({
      exportName: EXPORT,
      simulator: { running: s },
      transferTuning: { maxBytesPerInvocation: 1 },
      onProgress: (e) => {
        if (!expired && e.step === 'TransferChunk') {
          expired = true;
          s.salesforce.faults.expireSessions();
        }
      },
    });
    expect(result.status, JSON.stringify(result.error)).toBe('SUCCEEDED');
    expect(expired).toBe(true);
    expect(await sha256OfObject(result.bucket, RAW_KEY)).toEqual(sha(truth(s).csv));
    const tokens = s.salesforce.requests().filter((r) => r.path === '/services/oauth2/token');
    expect(tokens.length).toBeGreaterThanOrEqual(2);
    expect(s.salesforce.faults.truncateSet).toBeUndefined();
    const invocations = result.taskInvocations.TransferChunk ?? 0;
    expect(invocations > 1).toBe(true);
    // Each invocation after the first resumed at the set holding the cursor's offset (the position the
    // cursor carried), never at the first set: 12 sets, the cut one fetched twice, and at most one set
    // fetched again per invocation boundary.
    const sets = setsFetched(s, 5_000);
    expectNoSetFetchedBack(sets, 12);
    expect(sets.length).toBeLessThanOrEqual(12 + 1 + (invocations - 1));
  });

  it('the daily API request limit met mid-results (REQUEST_LIMIT_EXCEEDED): the state machine waits, and the step after the wait resumes at the saved set', async () => {
    const s = await startSim({ recordsPerDay: 6_000, maxRecordsPerPage: 500 });
    let armed = false;
    const result = await runScenario({
      exportName: EXPORT,
      simulator: { running: s },
      onProgress: (e) => {
        if (armed || e.step !== 'TransferChunk' || e.bytes === undefined) return;
        armed = true;
        // The transfer's first set is read: the next results call meets the org's daily limit.
        s.salesforce.faults.errorNext = {
          status: 403,
          errorCode: 'REQUEST_LIMIT_EXCEEDED',
          message: 'TotalRequests Limit exceeded.',
          times: 1,
          route: 'GET /services/data/vXX.X/jobs/query/:id/results',
        };
      },
    });
    expect(result.status, JSON.stringify(result.error)).toBe('SUCCEEDED');
    expect(armed).toBe(true);
    expect(s.salesforce.faults.errorNext?.times).toBe(0);
    expect(await sha256OfObject(result.bucket, RAW_KEY)).toEqual(sha(truth(s).csv));
    expect(result.taskInvocations.TransferChunk).toBeGreaterThanOrEqual(2);
    expect(result.taskInvocations.CleanupWindow ?? 0).toBe(0);
    expect(result.state.keys.filter((k) => k.startsWith('checkpoints/'))).toEqual([]);
    // 12 sets; the deferred step fetched at most the set it held again, none before it.
    const sets = setsFetched(s, 500);
    expectNoSetFetchedBack(sets, 12);
    expect(sets.length).toBeLessThanOrEqual(13);
  });

  it('a job that fails: the window fails with its errorMessage, nothing is left', async () => {
    const s = await startSim();
    s.salesforce.faults.failNextJob = 'Retried more than 15 times';
    const result = await runScenario({ exportName: EXPORT, simulator: { running: s } });
    expect(result.status).toBe('FAILED');
    expect(failed(result).error).toMatchObject({
      name: 'JobFailedError',
      message: expect.stringContaining('Retried more than 15 times'),
    });
    expect(result.state.rawKeys).toEqual([]);
    expect(result.state.manifests).toEqual([]);
    expect(result.state.pendingUploads).toBe(0);
  });

  it('a job past its deadline is aborted at Salesforce', async () => {
    const s = await startSim({ queuedMs: 3_600_000 });
    const result = await runScenario({
      exportName: EXPORT,
      config: configWith(EXPORT, { jobTimeoutMinutes: 5 }),
      simulator: { running: s },
    });
    expect(result.status).toBe('FAILED');
    const [job] = s.salesforce.jobs();
    expect(failed(result)).toMatchObject({
      error: { name: 'JobDeadlineExceededError' },
      cleanup: { cancelledJobs: [job!.id] },
    });
    expect(job!.state).toBe('Aborted');
    expect(result.state.keys.filter((k) => k.includes('/jobs/'))).toEqual([]);
  });

  it('the daily query-job limit used up: the run parks before creating a job; with room again the next run lands the window', async () => {
    const spent = await startSim({ dailyBulkV2QueryJobs: 0 });
    const parked = await runScenario({ exportName: EXPORT, simulator: { running: spent }, maxWaitSeconds: 300 });
    expect(parked.status, JSON.stringify(parked.error)).toBe('PARKED');
    expect(parked.parked).toMatchObject({
      kind: 'deferred',
      reason: expect.stringContaining('DailyBulkV2QueryJobs'),
    });
    expect(spent.salesforce.jobs()).toHaveLength(0);
    await spent.stop();

    const s = await startSim();
    const resumed = await runScenario({
      exportName: EXPORT,
      simulator: { running: s },
      bucket: parked.bucket,
      maxWaitSeconds: 300,
    });
    expect(resumed.status, JSON.stringify(resumed.error)).toBe('SUCCEEDED');
    expect(s.salesforce.jobs()).toHaveLength(1);
  });

  it('a re-run replaces the window: same key, same bytes, a second job', async () => {
    const first = await startSim();
    const before = await runScenario({ exportName: EXPORT, simulator: { running: first } });
    expect(before.status).toBe('SUCCEEDED');
    const after = await runScenario({ exportName: EXPORT, simulator: { running: first }, bucket: before.bucket });
    expect(after.status).toBe('SUCCEEDED');
    expect(after.state.rawKeys).toEqual([RAW_KEY]);
    expect(after.state.manifests).toHaveLength(1);
    expect(await sha256OfObject(after.bucket, RAW_KEY)).toEqual(sha(truth(first).csv));
    expect(first.salesforce.jobs()).toHaveLength(2);
    expect(first.salesforce.jobs().filter((j) => !j.deleted)).toEqual([]);
  });

  it('a delete that fails after landing is logged and counted, and the window still landed (the job left to expire)', async () => {
    const s = await startSim();
    const metrics = memoryMetrics();
    let armed = false;
    const result = await runScenario({
      exportName: EXPORT,
      simulator: { running: s },
      metrics,
      onProgress: (e) => {
        if (armed || e.step !== 'WriteManifest') return;
        armed = true;
        // Every DELETE answers 500 (the client's own retries included).
        s.salesforce.faults.errorNext = {
          status: 500,
          errorCode: 'UNKNOWN_EXCEPTION',
          message: 'An unexpected error occurred.',
          times: 100,
          route: 'DELETE /services/data/vXX.X/jobs/query/:id',
        };
      },
    });
    expect(result.status, JSON.stringify(result.error)).toBe('SUCCEEDED');
    expect(armed).toBe(true);
    expect(result.state.rawKeys).toEqual([RAW_KEY]);
    expect(result.state.manifests).toHaveLength(1);
    expect(await sha256OfObject(result.bucket, RAW_KEY)).toEqual(sha(truth(s).csv));
    const [job] = s.salesforce.jobs();
    expect(job).toMatchObject({ state: 'JobComplete', deleted: false });
    const warned = result.logs.find((l) => l.message.startsWith('landed job not deleted'));
    expect(warned?.fields).toMatchObject({ jobId: job!.id, error: { name: 'TransientApiError' } });
    const failedReleases = metrics.emitted().filter((m) => m.name === 'JobReleasesFailed');
    expect(failedReleases.map((m) => m.dimensions.reason)).toEqual(['TransientApiError']);
    expect(metrics.emitted().filter((m) => m.name === 'JobsReleased')).toEqual([]);
  });
});
