// A run that ends without its Catch: the local engine stops the execution like StopExecution (no
// Cleanup state runs), and the status-change handler AWS would invoke cleans up its windows. Each
// scenario asserts no visible object for the window, no open upload, no job running, watermark unmoved.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { localRunHistory } from '../../local/cli/run-history';
import { startSimulatorFor, type RunningSimulator } from '../../local/simulators/start-simulator';
import { describeWithMoto, useMotoEnv } from '../support/moto';
import { configWith, isReferenceObject, runScenario } from '../support/scenario';

const EXPORT = 'marketo-activities';
const MiB = 1024 * 1024;
// A range from the export's first start: a run that landed would move the watermark.
const config = configWith(EXPORT, { window: { grain: 'day', lagMinutes: 60, firstStart: '2026-11-01' } });
let sim: (RunningSimulator & { provider: 'marketo' }) | undefined;
const work = mkdtempSync(path.join(tmpdir(), 'stopped-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function startSim(
  options: Parameters<typeof startSimulatorFor>[1]['marketo'] = {},
): Promise<RunningSimulator & { provider: 'marketo' }> {
  const started = (await startSimulatorFor('marketo', {
    marketo: { queuedMs: 20, processingMs: 50, ...options },
  })) as RunningSimulator & { provider: 'marketo' };
  sim = started;
  return started;
}

afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

describeWithMoto('stopped executions (local engine, Marketo simulator, moto S3)', () => {
  beforeAll(() => useMotoEnv());

  it('stopped mid-transfer: the status-change cleanup aborts the open upload and drops the record of the completed job (no cancel claimed); a re-run lands the window', async () => {
    const s = await startSim({ bytesPerJob: 12 * MiB });
    s.marketo.faults.slowBytesPerSecond = 4 * MiB;
    const stop = new AbortController();
    const eventsFile = path.join(work, 'events.jsonl');
    const first = await runScenario({
      exportName: EXPORT,
      config,
      simulator: { running: s },
      eventsFile,
      signal: stop.signal,
      onProgress: (e) => {
        if (e.step === 'TransferChunk' && (e.bytes ?? 0) > 2 * MiB) stop.abort();
      },
    });

    expect(first.status).toBe('ABORTED');
    const [job] = s.marketo.jobs();
    expect(s.marketo.jobs()).toHaveLength(1);
    // A Marketo job whose file is being read has completed: there is nothing to cancel, and none is claimed.
    expect(job!.status).toBe('Completed');
    expect(first.stopped).toMatchObject({
      status: 'ABORTED',
      export: EXPORT,
      windows: 1,
      cancelledJobs: [],
      cancelPendingJobs: [],
    });
    expect(first.stopped!.abortedUploads).toBeGreaterThanOrEqual(1);
    // No Catch ran: no Cleanup state, no Export Failed event; the status-change path did the work.
    expect(first.taskInvocations.Cleanup).toBeUndefined();
    expect(first.events).toEqual([]);
    expect(first.state.rawKeys).toEqual([]);
    expect(first.state.manifests).toEqual([]);
    expect(first.state.keys.filter((k) => k.startsWith('curated/marketo-activities/'))).toEqual([]);
    // Of the export's state only the window ledger stays: the window is still owed, the next run does it.
    expect(first.state.keys.filter((k) => k.startsWith('state/') && !k.endsWith('/ledger.json'))).toEqual([]);
    expect(first.state.pendingUploads).toBe(0);
    expect(first.state.watermark).toBeUndefined();
    // `history` lists it, as AWS lists a stopped execution: the status change is in the events file.
    const [listed] = await localRunHistory(eventsFile, { limit: 5 });
    expect(listed).toMatchObject({
      export: EXPORT,
      outcome: 'INTERRUPTED',
      span: { start: '2026-11-01T00:00:00Z', end: '2026-11-02T00:00:00Z' },
    });
    expect(listed!.error).toMatch(/^cleanup: no job to cancel, aborted [1-9]\d* upload\(s\), removed 0 object\(s\)$/);

    s.marketo.faults.slowBytesPerSecond = undefined;
    const again = await runScenario({ exportName: EXPORT, config, simulator: { running: s }, bucket: first.bucket });
    expect(again.error).toBeUndefined();
    expect(again.status).toBe('SUCCEEDED');
    expect(again.state.rawKeys).toHaveLength(1);
    expect(again.state.pendingUploads).toBe(0);
    expect(again.state.watermark).toBe('2026-11-02T00:00:00Z');
  });

  it("stopped with one window mid-transfer and another's job still running: that job is cancelled and the open upload aborted", async () => {
    // One job processes at a time, for 2 s: the second window's job is still queued or processing while
    // the first file streams.
    const s = await startSim({ bytesPerJob: 12 * MiB, maxProcessing: 1, processingMs: 2_000 });
    s.marketo.faults.slowBytesPerSecond = 4 * MiB;
    const stop = new AbortController();
    const result = await runScenario({
      exportName: EXPORT,
      config,
      from: '2026-11-01T00:00:00Z',
      to: '2026-11-03T00:00:00Z',
      // Polls far enough apart to stay under Marketo's 100 calls per 20 s while the jobs process.
      waitMs: 250,
      simulator: { running: s },
      signal: stop.signal,
      onProgress: (e) => {
        // The second job is processing when the first file starts to stream: it stays so.
        if (e.step === 'TransferChunk') s.marketo.faults.stuckJobs = true;
        if (e.step === 'TransferChunk' && (e.bytes ?? 0) > 2 * MiB) stop.abort();
      },
    });
    expect(result.status).toBe('ABORTED');
    const jobs = s.marketo.jobs();
    expect(jobs.map((j) => j.status).sort()).toEqual(['Cancelled', 'Completed']);
    const queued = jobs.find((j) => j.status === 'Cancelled')!;
    expect(result.stopped).toMatchObject({ windows: 2, cancelledJobs: [queued.exportId], cancelPendingJobs: [] });
    expect(result.stopped!.abortedUploads).toBeGreaterThanOrEqual(1);
    expect(result.state.rawKeys).toEqual([]);
    expect(result.state.manifests).toEqual([]);
    expect(result.state.keys.filter((k) => k.startsWith('state/') && !k.endsWith('/ledger.json'))).toEqual([]);
    expect(result.state.pendingUploads).toBe(0);
    expect(result.state.watermark).toBeUndefined();
  });

  it('stopped while the job is processing: the job is cancelled, its record removed, nothing uploaded', async () => {
    const s = await startSim();
    s.marketo.faults.stuckJobs = true;
    const stop = new AbortController();
    const result = await runScenario({
      exportName: EXPORT,
      config,
      simulator: { running: s },
      signal: stop.signal,
      onProgress: (e) => {
        if (e.step === 'CheckJob') stop.abort();
      },
    });
    expect(result.status).toBe('ABORTED');
    const [job] = s.marketo.jobs();
    expect(job!.status).toBe('Cancelled');
    expect(result.stopped).toMatchObject({
      windows: 1,
      cancelledJobs: [job!.exportId],
      abortedUploads: 0,
      removedObjects: 0,
    });
    // Nothing but the window ledger, which still owes the window to the next run.
    expect(result.state.keys.filter((k) => !isReferenceObject(k))).toEqual(['state/marketo-activities/ledger.json']);
    expect(result.state.pendingUploads).toBe(0);
  });

  it('a stopped run whose cancel fails (provider down) keeps the job record marked cancelPending, and claims no cancel', async () => {
    const s = await startSim();
    s.marketo.faults.stuckJobs = true;
    const stop = new AbortController();
    const result = await runScenario({
      exportName: EXPORT,
      config,
      simulator: { running: s },
      signal: stop.signal,
      onProgress: (e) => {
        if (e.step === 'CheckJob' && !stop.signal.aborted) {
          s.marketo.faults.injectErrors = [{ code: 'http502', times: 10_000 }];
          stop.abort();
        }
      },
    });
    expect(result.status).toBe('ABORTED');
    const [job] = s.marketo.jobs();
    expect(job!.status).not.toBe('Cancelled');
    expect(result.stopped).toMatchObject({ cancelledJobs: [], cancelPendingJobs: [job!.exportId] });
    const records = result.state.keys.filter((k) => k.startsWith('state/marketo-activities/jobs/'));
    expect(records).toHaveLength(1);
  });
});
