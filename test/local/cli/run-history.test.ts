// History rows from what DescribeExecution answers for finished, failed and running executions, and
// the table they print as.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { appendStoppedRecord } from '../../../local/engine/stopped-record';
import { localRunHistory, renderHistory, runOfExecution } from '../../../local/cli/run-history';

const ARN = 'arn:aws:states:us-east-1:123456789012:execution:BulkExport:run-1';
const started = new Date('2026-11-03T02:15:00Z');
const stopped = new Date('2026-11-03T02:16:15Z');

describe('runOfExecution', () => {
  it('a succeeded run: range, windows (one job each), bytes and records from its output, the success event', () => {
    const output = {
      export: 'acts',
      provider: 'marketo',
      dataset: 'activities',
      window: { start: '2026-11-01T00:00:00Z', end: '2026-11-03T00:00:00Z' },
      jobIds: ['j1', 'j2'],
      files: [],
      records: 4200,
      bytes: 3 * 1024 * 1024,
      durationSeconds: 75,
      watermark: '2026-11-03T00:00:00Z',
    };
    expect(
      runOfExecution({
        executionArn: ARN,
        status: 'SUCCEEDED',
        input: '{"export":"acts"}',
        output: JSON.stringify(output),
        startDate: started,
        stopDate: stopped,
      }),
    ).toEqual({
      export: 'acts',
      executionId: ARN,
      start: '2026-11-03T02:15:00.000Z',
      end: '2026-11-03T02:16:15.000Z',
      outcome: 'SUCCEEDED',
      span: output.window,
      windows: 2,
      bytes: 3 * 1024 * 1024,
      records: 4200,
    });
  });

  it("a failed run: the Fail state's error and cause; the range only if the input named one", () => {
    const run = runOfExecution({
      executionArn: ARN,
      status: 'FAILED',
      input: '{"export":"acts","from":"2026-11-01T00:00:00Z","to":"2026-11-02T00:00:00Z"}',
      error: 'JobFailedError',
      cause: 'job 7 failed at marketo: Internal error',
      startDate: started,
      stopDate: stopped,
    });
    expect(run).toMatchObject({
      outcome: 'FAILED',
      span: { start: '2026-11-01T00:00:00Z', end: '2026-11-02T00:00:00Z' },
      windows: null,
      bytes: null,
      error: 'JobFailedError: job 7 failed at marketo: Internal error',
    });
  });

  it('a running one has no end; an input that is not ours shows "?"', () => {
    expect(
      runOfExecution({ executionArn: ARN, status: 'RUNNING', input: 'not json', startDate: started }),
    ).toMatchObject({ export: '?', end: null, outcome: 'RUNNING', span: null });
  });
});

describe('renderHistory', () => {
  it('prints aligned columns, "-" for what is unknown, and says so when there is nothing', () => {
    const text = renderHistory([
      {
        export: 'acts',
        start: '2026-11-03T02:15:00.000Z',
        end: null,
        outcome: 'RUNNING',
        span: null,
        windows: null,
        bytes: null,
        records: null,
      },
      {
        export: 'acts',
        start: '2026-11-02T02:15:00.000Z',
        end: '2026-11-02T02:16:00.000Z',
        outcome: 'SUCCEEDED',
        span: { start: 'a', end: 'b' },
        windows: 1,
        bytes: 2048,
        records: 10,
      },
    ]);
    expect(text.split('\n')).toEqual([
      'START                 END                   OUTCOME    EXPORT  RANGE  WINDOWS  BYTES    RECORDS  ERROR',
      '2026-11-03T02:15:00Z  -                     RUNNING    acts    -      -        -        -',
      '2026-11-02T02:15:00Z  2026-11-02T02:16:00Z  SUCCEEDED  acts    a → b  1        2.0 KiB  10',
    ]);
    expect(renderHistory([])).toBe('no runs recorded');
  });
});

describe('localRunHistory', () => {
  it('lists runs that started in the same second newest first: the one recorded last', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'history-'));
    try {
      const file = path.join(dir, 'events.jsonl');
      for (const executionId of ['local-1', 'local-2', 'local-3']) {
        await appendStoppedRecord(file, {
          executionId,
          input: { export: 'acts' },
          startDate: started,
          stopDate: stopped,
          cleanup: { cancelledJobs: [], abortedUploads: 0, removedObjects: 0 },
        });
      }
      const runs = await localRunHistory(file, { limit: 5 });
      expect(runs.map((r) => r.executionId)).toEqual(['local-3', 'local-2', 'local-1']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lists a run stopped by Ctrl-C as INTERRUPTED, with what its cleanup did', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'history-'));
    try {
      const file = path.join(dir, 'events.jsonl');
      const input = { export: 'acts', from: '2026-11-01T00:00:00Z', to: '2026-11-02T00:00:00Z' };
      await appendStoppedRecord(file, {
        executionId: 'local-1',
        input,
        startDate: started,
        stopDate: stopped,
        cleanup: { cancelledJobs: [], abortedUploads: 1, removedObjects: 0 },
      });
      const [run] = await localRunHistory(file, { limit: 5 });
      expect(run).toEqual({
        export: 'acts',
        executionId: 'local-1',
        start: '2026-11-03T02:15:00.000Z',
        end: '2026-11-03T02:16:15.000Z',
        span: { start: input.from, end: input.to },
        windows: null,
        bytes: null,
        records: null,
        outcome: 'INTERRUPTED',
        error: 'cleanup: no job to cancel, aborted 1 upload(s), removed 0 object(s)',
      });
      expect(renderHistory([run!])).toContain('INTERRUPTED');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
