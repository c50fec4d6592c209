// --max-wait: a local run whose window would wait for a quota reset (or a full queue) longer than the
// user allows stops with exit 75, the instant and the command to resume; no Cleanup runs, the job
// record survives, and the next run resumes the recorded job instead of creating another.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { memoryLogger } from '../support/memory-logger';
import { runExport } from '../../local/run-export';
import { synthesizeLocalWorkflow } from '../../local/engine/local-workflow';
import { nextChicagoMidnight } from '../../local/simulators/marketo';
import { describeWithMoto, useMotoEnv } from '../support/moto';
import { baseConfig, isReferenceObject, runScenario } from '../support/scenario';
import { cliProcess } from '../support/cli-process';
import { useMarketoSimulator, marketoCredentialsEnv } from '../support/marketo-simulator';

const EXPORT = 'marketo-activities';
const QUOTA = { code: '1029', message: 'Export daily quota 500MB exceeded', times: 1, kinds: ['enqueue'] };
const RECORD = `state/${EXPORT}/jobs/20261101T000000Z_20261102T000000Z.json`;
const work = mkdtempSync(path.join(tmpdir(), 'max-wait-'));

const startSim = useMarketoSimulator({ queuedMs: 20, processingMs: 50, bytesPerJob: 256 * 1024 });

afterAll(() => rmSync(work, { recursive: true, force: true }));

it('npm start -- run: a quota deferral past --max-wait exits 75 with the instant and the exact command; the job record survives and the next run resumes that job', async () => {
  const s = await startSim();
  s.marketo.faults.injectErrors = [{ ...QUOTA }];
  const out = path.join(work, 'exports');
  const events = path.join(work, 'events.jsonl');
  // The simulator as the "real" API on loopback: the CLI itself runs no simulator.
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

  const [job] = s.marketo.jobs();
  expect(s.marketo.jobs()).toHaveLength(1);
  expect(job!.status).toBe('Created');
  expect(s.marketo.stats().byKind.cancel ?? 0).toBe(0);
  const until =
    /would wait until (\S+) \(the quota resets: [^)]*Export daily quota 500MB exceeded\), longer than --max-wait 5m\./.exec(
      res.stdout,
    )?.[1];
  expect(until, res.stdout).toBeDefined();
  expect(Date.parse(until!)).toBe(nextChicagoMidnight(Date.now()));
  expect(res.stdout).toContain(`job       ${job!.exportId} stays recorded under ${out}/; no remote job was cancelled`);
  expect(res.stdout).toContain(`  resume    after ${until}: npm start -- ${args.join(' ')}\n`);
  // No Cleanup ran: no failure event, the record still names the job.
  expect(existsSync(events)).toBe(false);
  expect((JSON.parse(readFileSync(path.join(out, RECORD), 'utf8')) as { job: { id: string } }).job.id).toBe(
    job!.exportId,
  );

  // The next run (the quota has reset) resumes the recorded job: no second create.
  const next = await runExport({
    config: baseConfig,
    exportName: EXPORT,
    from: '2026-11-01T00:00:00Z',
    to: '2026-11-02T00:00:00Z',
    store: { kind: 'dir', dir: out },
    logger: memoryLogger(),
    source: 'simulator',
    simulator: { running: s },
    workflow: synthesizeLocalWorkflow(baseConfig),
    waitMs: 5,
  });
  expect(next.status, JSON.stringify(next.error)).toBe('SUCCEEDED');
  expect(s.marketo.stats().byKind.create).toBe(1);
  expect(s.marketo.jobs().map((j) => [j.exportId, j.status])).toEqual([[job!.exportId, 'Completed']]);
  expect(next.succeeded?.jobIds).toEqual([job!.exportId]);
  expect(existsSync(path.join(out, RECORD))).toBe(false);
}, 120_000);

it('--max-wait refuses a value that is not a duration (exit 2, one line)', async () => {
  const res = await cliProcess(['run', EXPORT, '--simulator', '--max-wait', 'soon'], {});
  expect(res.code).toBe(2);
  expect(res.stderr.trim()).toBe(
    `error: option '--max-wait <duration>' argument 'soon' is invalid. "soon" is not a duration such as 90s, 5m, 2h or 1d`,
  );
});

describeWithMoto('max wait on the local engine', () => {
  beforeAll(() => useMotoEnv());

  it('a deferral within the limit is waited out; one past it parks the run without Cleanup', async () => {
    const s = await startSim();
    s.marketo.faults.injectErrors = [{ ...QUOTA }];
    const parked = await runScenario({ exportName: EXPORT, simulator: { running: s }, maxWaitSeconds: 300 });
    expect(parked.status).toBe('PARKED');
    expect(parked.parked).toMatchObject({
      kind: 'deferred',
      window: { start: '2026-11-01T00:00:00Z' },
      jobId: s.marketo.jobs()[0]!.exportId,
    });
    expect(parked.taskInvocations.Cleanup ?? 0).toBe(0);
    expect(parked.taskInvocations.CleanupWindow ?? 0).toBe(0);
    expect(parked.events).toEqual([]);
    // The job record (the next run resumes its job) and the window ledger (the window is owed, running).
    expect(parked.state.keys.filter((k) => !isReferenceObject(k))).toEqual([RECORD, `state/${EXPORT}/ledger.json`]);

    s.marketo.faults.injectErrors = [{ ...QUOTA }];
    const waited = await runScenario({ exportName: EXPORT, simulator: { running: s }, maxWaitSeconds: 2 * 86_400 });
    expect(waited.status).toBe('SUCCEEDED');
  });

  it('a full queue parks the run once the waits of its window add up past the limit', async () => {
    const s = await startSim();
    s.marketo.faults.injectErrors = [
      { code: '1029', message: 'There are too many jobs in queue', times: 5, kinds: ['enqueue'] },
    ];
    // Marketo's queue wait is 4-6 minutes: the first fits in 400 s, the first two never do.
    const parked = await runScenario({ exportName: EXPORT, simulator: { running: s }, maxWaitSeconds: 400 });
    expect(parked.status).toBe('PARKED');
    expect(parked.parked).toMatchObject({ kind: 'busy', reason: expect.stringContaining('too many jobs') });
    expect(parked.taskInvocations.StartJob).toBe(2);
    expect(s.marketo.stats().byKind.create).toBe(1);
  });
});
