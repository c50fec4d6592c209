// The provider goes down after the window's job was created (every call HTTP 503): the run fails, the
// job record survives with its cancel pending (nothing claims a cancel that did not happen), and the
// next run, with the provider back, resumes that very job: never a second one.
import { afterEach, beforeAll, expect, it } from 'vitest';
import type { ExportFailedDetail } from '../../lambdas/workflow/events';
import { startSimulatorFor, type RunningSimulator } from '../../local/simulators/start-simulator';
import { describeWithMoto, useMotoEnv } from '../support/moto';
import { configWith, objectText, runScenario } from '../support/scenario';

const EXPORT = 'marketo-activities';
const RECORD = 'state/marketo-activities/jobs/20261101T000000Z_20261102T000000Z.json';
const config = configWith(EXPORT, { window: { grain: 'day', lagMinutes: 60, firstStart: '2026-11-01' } });
let sim: RunningSimulator | undefined;

afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

describeWithMoto('provider outage after the job was created (local engine, Marketo simulator, moto S3)', () => {
  beforeAll(() => useMotoEnv());

  it('the run fails, the record stays with its cancel pending, and the next run resumes the same job and lands', async () => {
    const s = (await startSimulatorFor('marketo', {
      marketo: { queuedMs: 20, processingMs: 50 },
    })) as RunningSimulator & { provider: 'marketo' };
    sim = s;
    s.marketo.faults.stuckJobs = true;
    let down = false;
    const failed = await runScenario({
      exportName: EXPORT,
      config,
      simulator: { running: s },
      onProgress: (e) => {
        if (e.step === 'CheckJob' && !down) {
          down = true;
          s.marketo.faults.injectErrors = [
            {
              code: 'http503',
              times: 1_000_000,
              kinds: ['token', 'create', 'enqueue', 'status', 'file', 'cancel', 'list', 'types'],
            },
          ];
        }
      },
    });
    expect(failed.status).toBe('FAILED');
    const [job] = s.marketo.jobs();
    expect(s.marketo.jobs()).toHaveLength(1);
    expect(job!.status).not.toBe('Cancelled');
    const detail = failed.events.find((e) => e.detailType === 'Export Failed')!.detail as ExportFailedDetail;
    expect(detail.cleanup).toMatchObject({ cancelledJobs: [], cancelPendingJobs: [job!.exportId] });
    expect(detail.jobIds).toEqual([job!.exportId]);
    const record = JSON.parse(await objectText(failed.bucket, RECORD)) as {
      job: { id: string };
      cancelPending?: { reason: string };
    };
    expect(record.job.id).toBe(job!.exportId);
    expect(record.cancelPending?.reason).toMatch(/503/);
    expect(failed.state.rawKeys).toEqual([]);
    expect(failed.state.pendingUploads).toBe(0);
    expect(failed.state.watermark).toBeUndefined();

    // The provider is back.
    s.marketo.faults.injectErrors = [];
    s.marketo.faults.stuckJobs = false;
    const again = await runScenario({ exportName: EXPORT, config, simulator: { running: s }, bucket: failed.bucket });
    expect(again.error).toBeUndefined();
    expect(again.status).toBe('SUCCEEDED');
    expect(s.marketo.jobs()).toHaveLength(1);
    expect(s.marketo.jobs()[0]!.status).toBe('Completed');
    expect(again.succeeded?.jobIds).toEqual([job!.exportId]);
    expect(again.state.keys.filter((k) => k.includes('/jobs/'))).toEqual([]);
    expect(again.state.watermark).toBe('2026-11-02T00:00:00Z');
  });
});
