// Marketo's daily REST call quota (607) met on any call is a deferral of the step, never a failure nor a
// second job: the state machine waits until the reset (midnight US Central) and runs the same step on
// the same state, and a local run past --max-wait parks (no Cleanup, the job record stays) so the next
// run resumes the very job.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { nextChicagoMidnight } from '../../local/simulators/marketo';
import { describeWithMoto, useMotoEnv } from '../support/moto';
import { objectText, runScenario } from '../support/scenario';
import { cliProcess } from '../support/cli-process';
import { useMarketoSimulator, marketoCredentialsEnv } from '../support/marketo-simulator';

const EXPORT = 'marketo-activities';
const RECORD = `state/${EXPORT}/jobs/20261101T000000Z_20261102T000000Z.json`;
const DAILY_QUOTA = { code: '607', message: "Max rate limit '50000' exceeded with in '86400' secs" };
const work = mkdtempSync(path.join(tmpdir(), 'call-quota-'));

const startSim = useMarketoSimulator({ queuedMs: 20, processingMs: 50, bytesPerJob: 256 * 1024 });

afterAll(() => rmSync(work, { recursive: true, force: true }));

it('npm start -- run: 607 past --max-wait exits 75 with the step, the reset instant and the command to resume; nothing is created or cancelled', async () => {
  const s = await startSim();
  // The first call of a run (the activity types, in RefreshReferences) meets the spent quota.
  s.marketo.faults.injectErrors = [{ ...DAILY_QUOTA, times: 1, kinds: ['types'] }];
  const out = path.join(work, 'exports');
  const events = path.join(work, 'events.jsonl');
  const env = marketoCredentialsEnv(s);
  const args = [
    'run',
    EXPORT,
    '--from',
    '2026-11-01',
    '--to',
    '2026-11-02',
    '--out',
    out,
    '--events',
    events,
    '--max-wait',
    '5m',
  ];
  const res = await cliProcess(args, env);
  expect(res.code, res.stderr).toBe(75);
  const until =
    /stopped: RefreshReferences would wait until (\S+) \(the quota resets: [^\n]*Max rate limit '50000' exceeded[^\n]*\), longer than --max-wait 5m\./.exec(
      res.stdout,
    )?.[1];
  expect(until, res.stdout).toBeDefined();
  expect(Date.parse(until!)).toBe(nextChicagoMidnight(Date.now()));
  expect(res.stdout).toContain('job       none was created yet; the next run creates it');
  expect(res.stdout).toContain(`  resume    after ${until}: npm start -- ${args.join(' ')}\n`);
  expect(s.marketo.jobs()).toEqual([]);
  expect(s.marketo.stats().byKind.cancel ?? 0).toBe(0);
  expect(existsSync(events)).toBe(false);
}, 120_000);

describeWithMoto('Marketo daily call quota (607) on the local engine', () => {
  beforeAll(() => useMotoEnv());

  it('607 on a status poll: past --max-wait the run parks with the job recorded and not cancelled; the next run resumes that job (one job in all)', async () => {
    const s = await startSim();
    s.marketo.faults.injectErrors = [{ ...DAILY_QUOTA, times: 1, kinds: ['status'] }];
    const parked = await runScenario({ exportName: EXPORT, simulator: { running: s }, maxWaitSeconds: 300 });
    expect(parked.status, JSON.stringify(parked.error)).toBe('PARKED');
    const [job] = s.marketo.jobs();
    expect(parked.parked).toMatchObject({
      kind: 'deferred',
      step: 'CheckJob',
      window: { start: '2026-11-01T00:00:00Z' },
      jobId: job!.exportId,
    });
    expect(Date.parse(parked.parked!.until)).toBe(nextChicagoMidnight(Date.now()));
    expect(parked.parked!.reason).toContain("Max rate limit '50000' exceeded");
    expect(parked.taskInvocations.Cleanup ?? 0).toBe(0);
    expect(parked.taskInvocations.CleanupWindow ?? 0).toBe(0);
    expect(s.marketo.stats().byKind.cancel ?? 0).toBe(0);
    expect(parked.state.keys).toContain(RECORD);

    const resumed = await runScenario({
      exportName: EXPORT,
      simulator: { running: s },
      bucket: parked.bucket,
      maxWaitSeconds: 300,
    });
    expect(resumed.status, JSON.stringify(resumed.error)).toBe('SUCCEEDED');
    expect(s.marketo.stats().byKind.create).toBe(1);
    expect(s.marketo.jobs().map((j) => [j.exportId, j.status])).toEqual([[job!.exportId, 'Completed']]);
    expect(resumed.succeeded?.jobIds).toEqual([job!.exportId]);
  });

  it("the connection's dailyCallBudget caps the pipeline's calls to the instance: past it the step defers like a 607, and the run parks", async () => {
    const s = await startSim();
    // The reference refresh takes 6 (activity types and five one-page asset listings), the job 3 more.
    const credentials = Object.assign({}, s.credentials, { dailyCallBudget: 9 });
    const parked = await runScenario({
      exportName: EXPORT,
      simulator: { running: { ...s, credentials } },
      maxWaitSeconds: 300,
    });
    expect(parked.status, JSON.stringify(parked.error)).toBe('PARKED');
    expect(parked.parked).toMatchObject({
      kind: 'deferred',
      reason: expect.stringContaining('daily budget of 9 Marketo calls'),
    });
    expect(Date.parse(parked.parked!.until)).toBe(nextChicagoMidnight(Date.now()));
    // Exactly the budget reached the instance (token requests are no REST calls), and the ledger says so.
    const { token: _token, ...calls } = s.marketo.stats().byKind;
    expect(Object.values(calls).reduce((a, b) => a + b, 0)).toBe(9);
    const ledger = parked.state.keys.filter((k) => k.startsWith('call-budgets/'));
    expect(ledger).toHaveLength(1);
    expect(JSON.parse(await objectText(parked.bucket, ledger[0]!))).toMatchObject({ limit: 9, used: 9 });
    expect(s.marketo.jobs()).toHaveLength(1);
    expect(s.marketo.stats().byKind.cancel ?? 0).toBe(0);
  });

  it('607 on the activity types call: RefreshReferences waits for the reset and refreshes the table; the window lands', async () => {
    const s = await startSim();
    s.marketo.faults.injectErrors = [{ ...DAILY_QUOTA, times: 1, kinds: ['types'] }];
    const result = await runScenario({ exportName: EXPORT, simulator: { running: s } });
    expect(result.status, JSON.stringify(result.error)).toBe('SUCCEEDED');
    expect(result.taskInvocations.RefreshReferences).toBe(2);
    expect(s.marketo.stats().byKind.types).toBe(2);
    expect(result.state.keys.filter((k) => k.startsWith('curated/activity_types/'))).toHaveLength(1);
    expect(result.state.manifests).toHaveLength(1);
    expect(result.state.referenceManifests).toContain('manifests/activity_types/simulator.json');
  });
});
