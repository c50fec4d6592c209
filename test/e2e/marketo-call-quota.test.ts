// Marketo's daily REST call quota (607) met on any call is a deferral of the step, never a failure nor a
// second job: the state machine waits until the reset (midnight US Central) and runs the same step on
// the same state, and a local run past --max-wait parks (no Cleanup, the job record stays) so the next
// run resumes the very job.
import { afterEach, beforeAll, expect, it } from 'vitest';
import { nextChicagoMidnight } from '../../local/simulators/marketo';
import { startSimulatorFor, type RunningSimulator } from '../../local/simulators/start-simulator';
import { describeWithMoto, useMotoEnv } from '../support/moto';
import { runScenario } from '../support/scenario';

const EXPORT = 'marketo-activities';
const RECORD = `state/${EXPORT}/jobs/20261101T000000Z_20261102T000000Z.json`;
const DAILY_QUOTA = { code: '607', message: "Max rate limit '50000' exceeded with in '86400' secs" };
let sim: (RunningSimulator & { provider: 'marketo' }) | undefined;

async function startSim(): Promise<RunningSimulator & { provider: 'marketo' }> {
  const started = (await startSimulatorFor('marketo', { marketo: { queuedMs: 20, processingMs: 50, bytesPerJob: 256 * 1024 } })) as RunningSimulator & { provider: 'marketo' };
  sim = started;
  return started;
}

afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

describeWithMoto('Marketo daily call quota (607) on the local engine', () => {
  beforeAll(() => useMotoEnv());

  it('607 on a status poll: past --max-wait the run parks with the job recorded and not cancelled; the next run resumes that job (one job in all)', async () => {
    const s = await startSim();
    s.marketo.faults.injectErrors = [{ ...DAILY_QUOTA, times: 1, kinds: ['status'] }];
    const parked = await runScenario({ exportName: EXPORT, simulator: { running: s }, maxWaitSeconds: 300 });
    expect(parked.status, JSON.stringify(parked.error)).toBe('PARKED');
    const [job] = s.marketo.jobs();
    expect(parked.parked).toMatchObject({ kind: 'deferred', step: 'CheckJob', window: { start: '2026-11-01T00:00:00Z' }, jobId: job!.exportId });
    expect(Date.parse(parked.parked!.until)).toBe(nextChicagoMidnight(Date.now()));
    expect(parked.parked!.reason).toContain("Max rate limit '50000' exceeded");
    expect(parked.taskInvocations.Cleanup ?? 0).toBe(0);
    expect(parked.taskInvocations.CleanupWindow ?? 0).toBe(0);
    expect(s.marketo.stats().byKind.cancel ?? 0).toBe(0);
    expect(parked.state.keys).toContain(RECORD);

    const resumed = await runScenario({ exportName: EXPORT, simulator: { running: s }, bucket: parked.bucket, maxWaitSeconds: 300 });
    expect(resumed.status, JSON.stringify(resumed.error)).toBe('SUCCEEDED');
    expect(s.marketo.stats().byKind.create).toBe(1);
    expect(s.marketo.jobs().map((j) => [j.exportId, j.status])).toEqual([[job!.exportId, 'Completed']]);
    expect(resumed.succeeded?.jobIds).toEqual([job!.exportId]);
  });
});
