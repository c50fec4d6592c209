// `history` and `status` as a person uses them. Locally: three runs of the real workflow on the local
// engine (the middle one fails) append their events, and `history` lists them newest first. Deployed:
// state machines created in moto's Step Functions, which really executes them, stand in for a stack:
// `history --state-machine-arn` lists their executions and `status` shows where each window of a
// running one is. The same local runs also show the steps' metrics arriving through the real engine.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CreateStateMachineCommand, SFNClient, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryLogger } from '../support/memory-logger';
import { memoryMetrics } from '../support/memory-metrics';
import { runExport } from '../../local/run-export';
import { synthesizeLocalWorkflow } from '../../local/engine/local-workflow';
import { startSimulatorFor, type RunningSimulator } from '../../local/simulators/start-simulator';
import { describeWithMoto, motoEndpoint, motoEnv } from '../support/moto';
import { baseConfig } from '../support/scenario';

const EXPORT = 'marketo-activities';
const work = mkdtempSync(path.join(tmpdir(), 'history-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function cli(args: string[], env: Record<string, string> = {}) {
  const res = spawnSync(process.execPath, ['--import', 'tsx', 'bin/export-cli.ts', ...args], {
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, ...env },
  });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

describe('history of local runs', () => {
  const events = path.join(work, 'events.jsonl');
  const metrics = memoryMetrics();
  let sim: RunningSimulator & { provider: 'marketo' };

  beforeAll(async () => {
    sim = (await startSimulatorFor('marketo', {
      marketo: { queuedMs: 20, processingMs: 30, bytesPerJob: 256 * 1024 },
    })) as typeof sim;
    const run = (day: number) =>
      runExport({
        config: baseConfig,
        exportName: EXPORT,
        from: `2026-11-0${day}T00:00:00Z`,
        to: `2026-11-0${day + 1}T00:00:00Z`,
        store: { kind: 'dir', dir: path.join(work, 'exports') },
        logger: memoryLogger(),
        metrics,
        source: 'simulator',
        simulator: { running: sim },
        workflow: synthesizeLocalWorkflow(baseConfig),
        waitMs: 5,
        eventsFile: events,
      });
    expect((await run(1)).status).toBe('SUCCEEDED');
    sim.marketo.faults.failNextJob = 'Internal error while extracting activities';
    expect((await run(2)).status).toBe('FAILED');
    // Marketo's "too many concurrent calls", twice: waited out in-process, and counted.
    sim.marketo.faults.injectErrors = [{ code: '606', times: 2, kinds: ['status'] }];
    expect((await run(3)).status).toBe('SUCCEEDED');
  }, 120_000);

  afterAll(async () => {
    await sim?.stop();
  });

  it('lists the runs newest first: range, windows, bytes, records, outcome and the error of the failed one', () => {
    const res = cli(['history', '--events', events]);
    expect(res.code, res.stderr).toBe(0);
    const [header, ...rows] = res.stdout.trim().split('\n');
    expect(header).toMatch(/^START\s+END\s+OUTCOME\s+EXPORT\s+RANGE\s+WINDOWS\s+BYTES\s+RECORDS\s+ERROR$/);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatch(
      /SUCCEEDED\s+marketo-activities\s+2026-11-03T00:00:00Z → 2026-11-04T00:00:00Z\s+1\s+25\d\.\d KiB\s+\d+/,
    );
    expect(rows[1]).toMatch(
      /FAILED\s+marketo-activities\s+2026-11-02T00:00:00Z → 2026-11-03T00:00:00Z\s+-\s+-\s+-\s+JobFailedError: .*Internal error while extracting activities/,
    );
    expect(rows[2]).toMatch(/SUCCEEDED\s+marketo-activities\s+2026-11-01T00:00:00Z → 2026-11-02T00:00:00Z/);
  });

  it('filters by export and limits the count', () => {
    expect(cli(['history', EXPORT, '--events', events, '--limit', '1']).stdout.trim().split('\n')).toHaveLength(2);
    expect(cli(['history', 'clickwrap-activity', '--events', events]).stdout.trim()).toBe('no runs recorded');
    expect(cli(['history', '--events', path.join(work, 'none.jsonl')]).stdout.trim()).toBe('no runs recorded');
  });

  it('the steps emitted their metrics through the real engine: landed bytes, quota use, the failure, retries by reason, API calls by kind', () => {
    const emitted = metrics.emitted();
    const values = (name: string) => emitted.filter((m) => m.name === name).map((m) => m.value);
    expect(values('WindowsLanded')).toEqual([1, 1]);
    // The simulator makes about bytesPerJob per job, a little more to end on a whole row.
    const landed = values('LandedBytes');
    expect(landed).toHaveLength(2);
    for (const bytes of landed) expect(bytes).toBeGreaterThanOrEqual(256 * 1024);
    expect(values('RunsSucceeded')).toEqual([1, 1]);
    expect(emitted.filter((m) => m.name === 'RunsFailed').map((m) => m.dimensions.reason)).toEqual(['JobFailedError']);
    // Three jobs made files today (by the simulator's clock): two landed, one failed without a file.
    const quota = values('MarketoExportQuotaUsedBytes');
    expect(quota).toHaveLength(2);
    expect(quota[1]).toBeGreaterThanOrEqual(landed[0]! + landed[1]!);
    expect(values('JobPolls').length).toBeGreaterThanOrEqual(3);
    for (const m of emitted) expect(m.dimensions).toMatchObject({ export: EXPORT, provider: 'marketo' });
    const byReason = (name: string) => {
      const sums: Record<string, number> = {};
      for (const m of emitted.filter((e) => e.name === name))
        sums[m.dimensions.reason!] = (sums[m.dimensions.reason!] ?? 0) + m.value;
      return sums;
    };
    expect(byReason('Retries')).toEqual({ '606': 2 });
    // Every call the simulator received, by kind, was counted by the client that sent it.
    const received = Object.fromEntries(
      Object.entries(sim.marketo.stats().byKind).filter(([kind]) => kind !== 'unknown'),
    );
    expect(byReason('ApiCalls')).toEqual(received);
    expect(Object.keys(received)).toEqual(
      expect.arrayContaining(['token', 'create', 'enqueue', 'status', 'file', 'list']),
    );
  });
});

describeWithMoto('history and status of a deployed stack (moto Step Functions)', () => {
  const sfn = () =>
    new SFNClient({
      endpoint: motoEndpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
  const role = 'arn:aws:iam::123456789012:role/sfn';
  const W1 = { start: '2026-11-01T00:00:00Z', end: '2026-11-02T00:00:00Z' };
  const W2 = { start: '2026-11-02T00:00:00Z', end: '2026-11-03T00:00:00Z' };
  const succeeded = {
    export: EXPORT,
    provider: 'marketo',
    dataset: 'activities',
    window: { start: W1.start, end: W2.end },
    jobIds: ['j1', 'j2'],
    files: [],
    records: 4200,
    bytes: 3 * 1024 * 1024,
    durationSeconds: 75,
    watermark: W2.end,
  };
  const arns = { listed: '', running: '' };
  let runningExecution = '';

  /** The outline of the real workflow: Plan, then a Map of windows whose items poll and transfer. */
  function definition() {
    return {
      StartAt: 'Plan',
      States: {
        Plan: { Type: 'Pass', Parameters: { 'windows.$': '$.windows' }, ResultPath: '$.plan', Next: 'ExportWindows' },
        ExportWindows: {
          Type: 'Map',
          ItemsPath: '$.plan.windows',
          ItemProcessor: {
            ProcessorConfig: { Mode: 'INLINE' },
            StartAt: 'StartJob',
            States: {
              StartJob: { Type: 'Pass', Next: 'CheckJob' },
              CheckJob: { Type: 'Pass', Next: 'Done?' },
              'Done?': {
                Type: 'Choice',
                Choices: [{ Variable: '$.hold', BooleanEquals: true, Next: 'WaitForJob' }],
                Default: 'TransferChunk',
              },
              WaitForJob: { Type: 'Wait', Seconds: 3600, Next: 'CheckJob' },
              TransferChunk: { Type: 'Pass', End: true },
            },
          },
          ResultPath: null,
          Next: 'End',
        },
        End: { Type: 'Pass', Result: succeeded, End: true },
      },
    };
  }

  // moto executes state machines only when asked to (its own ASL interpreter), and then only one
  // execution per server (a second start fails deep-copying the first's locks); without it
  // executions just stay RUNNING (or ABORTED when stopped), as many as one likes. Finished runs'
  // rows (output, error) are read by runOfExecution, tested on DescribeExecution answers in unit tests.
  const executeStateMachines = async (on: boolean) => {
    const res = await fetch(`${motoEndpoint}/moto-api/config`, {
      method: 'POST',
      body: JSON.stringify({ stepfunctions: { execute_state_machine: on } }),
    });
    expect(res.status).toBeLessThan(300);
  };
  const create = async (name: string) =>
    (await sfn().send(new CreateStateMachineCommand({ name, definition: JSON.stringify(definition()), roleArn: role })))
      .stateMachineArn!;
  const start = async (arn: string, name: string, input: unknown) =>
    (await sfn().send(new StartExecutionCommand({ stateMachineArn: arn, name, input: JSON.stringify(input) })))
      .executionArn!;
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

  beforeAll(async () => {
    await executeStateMachines(false);
    arns.listed = await create('bulk-export-listed');
    await start(arns.listed, 'first', { export: EXPORT });
    await pause(300);
    const stopped = await start(arns.listed, 'second', { export: 'clickwrap-activity', from: W1.start, to: W1.end });
    await sfn().send(new StopExecutionCommand({ executionArn: stopped }));
    await pause(300);
    await start(arns.listed, 'third', { export: EXPORT, from: W1.start, to: W2.end });

    await executeStateMachines(true);
    arns.running = await create('bulk-export-running');
    runningExecution = await start(arns.running, 'run-running', {
      export: EXPORT,
      windows: [
        { ...W1, hold: false },
        { ...W2, hold: true },
      ],
    });
    // Until moto's interpreter has taken the first window through and parked the second.
    await pause(1000);
  }, 60_000);

  afterAll(async () => {
    await executeStateMachines(false);
  });

  it('history --state-machine-arn lists the executions newest first, filtered by export (from the input) and limited', async () => {
    await executeStateMachines(false);
    const all = cli(['history', '--state-machine-arn', arns.listed], motoEnv());
    expect(all.code, all.stderr).toBe(0);
    const rows = all.stdout.trim().split('\n').slice(1);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatch(
      /^\S+\s+-\s+RUNNING\s+marketo-activities\s+2026-11-01T00:00:00Z → 2026-11-03T00:00:00Z\s+-\s+-\s+-$/,
    );
    expect(rows[1]).toMatch(/^\S+\s+\S+Z\s+ABORTED\s+clickwrap-activity\s+2026-11-01T00:00:00Z → 2026-11-02T00:00:00Z/);
    expect(rows[2]).toMatch(/^\S+\s+-\s+RUNNING\s+marketo-activities\s+-/);
    const mine = cli(['history', EXPORT, '--state-machine-arn', arns.listed], motoEnv())
      .stdout.trim()
      .split('\n')
      .slice(1);
    expect(mine).toHaveLength(2);
    expect(mine.every((r) => r.includes(EXPORT))).toBe(true);
    expect(
      cli(['history', '--state-machine-arn', arns.listed, '--limit', '1'], motoEnv()).stdout.trim().split('\n'),
    ).toHaveLength(2);
  });

  it('status of a running execution shows where each window is', async () => {
    await executeStateMachines(true);
    const res = cli(['status', runningExecution], motoEnv());
    expect(res.code, res.stderr).toBe(0);
    const lines = res.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^RUNNING\s+started /);
    expect(lines.slice(1)).toEqual([
      `  ${W1.start} → ${W1.end}  succeeded  polls 1  chunks 1`,
      `  ${W2.start} → ${W2.end}  in WaitForJob  polls 1  chunks 0`,
    ]);
  });
});
