// CommitWatermark without moto: the watermark is the one the window ledger derives (the steps record
// each window's outcome as it ends; these tests record the run's outcomes the same way first), moved
// forward only, with a conditional write; a lost race is re-read and decided again; the success event
// sums the run.
import { describe, expect, it } from 'vitest';
import { PreconditionFailedError } from '../../../../lambdas/shared/errors';
import { watermarkKey } from '../../../../lambdas/window/keys';
import { withFailed, withLanded } from '../../../../lambdas/window/ledger';
import { updateLedger } from '../../../../lambdas/window/ledger-store';
import { commitRun } from '../../../../lambdas/workflow/steps/commit-watermark';
import { EXECUTION, stepWorld, type StepWorld } from './support/step-world';

const WM = watermarkKey('acts');

function day(n: number): { start: string; end: string } {
  const start = new Date(Date.UTC(2026, 0, n));
  const end = new Date(Date.UTC(2026, 0, n + 1));
  const iso = (d: Date) => d.toISOString().replace('.000Z', 'Z');
  return { start: iso(start), end: iso(end) };
}

function summary(window: { start: string; end: string }, jobId: string, bytes: number, records: number) {
  const key = `raw/acts/dt=${window.start.slice(0, 10)}/${jobId}.csv`;
  return {
    outcome: 'landed' as const,
    window,
    jobId,
    manifest: `memory://test-bucket/manifests/acts/${jobId}.json`,
    files: [
      {
        uri: `memory://test-bucket/${key}`,
        key,
        bytes,
        sha256: 'f'.repeat(64),
        records,
        verified: { bytes: true, sha256: true, records: true },
        curated: [],
      },
    ],
    records,
    bytes,
  };
}

function failure(window: { start: string; end: string }, jobId: string | null) {
  return {
    outcome: 'failed' as const,
    window,
    jobId,
    error: { name: 'JobFailedError', message: 'Internal error' },
    cleanup: { cancelledJobs: jobId ? [jobId] : [], abortedUploads: 1, removedObjects: 0, keptJobRecord: false },
  };
}

function commitEvent(windows: Array<{ start: string; end: string }>, failedAt: readonly number[] = []) {
  return {
    plan: {
      export: 'acts',
      windows,
      mode: 'scheduled',
      end: windows.at(-1)?.end ?? null,
      truncated: false,
      maxConcurrency: 2,
      startedAt: '2026-01-03T04:59:00Z',
    },
    windows: windows.map((w, i) =>
      failedAt.includes(i) ? failure(w, `fake-${i + 1}`) : summary(w, `fake-${i + 1}`, 100 * (i + 1), 10 * (i + 1)),
    ),
    executionId: EXECUTION,
  };
}

/** The run's windows' outcomes in the ledger, as WriteManifest and CleanupWindow record them, then the commit. */
async function commitRecorded(event: ReturnType<typeof commitEvent>, rt: StepWorld['rt']) {
  const at = '2026-01-03T04:59:30Z';
  if (event.windows.length > 0) {
    await updateLedger(rt.store, 'acts', (ledger) =>
      event.windows.reduce(
        (acc, r) =>
          r.outcome === 'landed'
            ? withLanded(acc, r.window, { at, manifestKey: r.manifest, records: r.records })
            : withFailed(acc, r.window, { ...r.error, dataError: false }, { at, maxAttempts: 3 }),
        ledger,
      ),
    );
  }
  return commitRun(event, rt);
}

function watermarkOf(world: StepWorld): string | undefined {
  return (world.store.json(WM) as { watermark?: string } | undefined)?.watermark;
}

function seedWatermark(world: StepWorld, watermark: string): void {
  world.store.seed(
    WM,
    JSON.stringify({ export: 'acts', watermark, updatedAt: '2026-01-01T00:00:00Z' }),
    'application/json',
  );
}

describe('CommitWatermark', () => {
  it('the first commit creates the watermark at the end of the run and the event sums its files', async () => {
    const world = stepWorld();
    const out = await commitRecorded(commitEvent([day(1), day(2)]), world.rt);
    expect(out.watermark).toEqual({ moved: true, to: '2026-01-03T00:00:00Z' });
    expect(world.store.json(WM)).toEqual({
      export: 'acts',
      watermark: '2026-01-03T00:00:00Z',
      updatedAt: '2026-01-03T05:00:00.000Z',
      executionId: EXECUTION,
    });
    expect(out.event).toMatchObject({
      export: 'acts',
      provider: 'marketo',
      dataset: 'activities',
      window: { start: '2026-01-01T00:00:00Z', end: '2026-01-03T00:00:00Z' },
      jobIds: ['fake-1', 'fake-2'],
      records: 30,
      bytes: 300,
      durationSeconds: 60,
      watermark: '2026-01-03T00:00:00Z',
      executionId: EXECUTION,
    });
    expect(out.outcome === 'succeeded' && out.event.files).toHaveLength(2);
  });

  it('a failed first window leaves the watermark where it was, and the run fails naming it; the landed sibling is listed', async () => {
    const world = stepWorld();
    const out = await commitRecorded(commitEvent([day(1), day(2)], [0]), world.rt);
    expect(out.watermark).toEqual({
      moved: false,
      reason: 'the first window from 2026-01-01 has not landed (the ledger derives no watermark yet)',
    });
    expect(watermarkOf(world)).toBeUndefined();
    expect(out.outcome).toBe('failed');
    if (out.outcome !== 'failed') return;
    expect(out.error).toEqual({
      name: 'JobFailedError',
      message: 'Internal error [window 2026-01-01T00:00:00Z/2026-01-02T00:00:00Z; 1 other window(s) of the run landed]',
    });
    expect(out.event).toMatchObject({
      error: out.error,
      jobIds: ['fake-2', 'fake-1'],
      cleanup: { cancelledJobs: ['fake-1'], abortedUploads: 1, removedObjects: 0 },
      windows: {
        landed: [{ ...day(2), jobId: 'fake-2', manifest: 'memory://test-bucket/manifests/acts/fake-2.json' }],
        failed: [{ ...day(1), jobId: 'fake-1', error: { name: 'JobFailedError', message: 'Internal error' } }],
      },
      watermark: null,
    });
    world.metrics.flush();
    expect(world.metrics.emitted().map((m) => m.name)).toContain('RunsFailed');
  });

  it('a failed later window: the watermark moves over the landed windows before it, never over the gap it leaves', async () => {
    const world = stepWorld();
    const out = await commitRecorded(commitEvent([day(1), day(2), day(3)], [1]), world.rt);
    expect(out.watermark).toEqual({ moved: true, to: '2026-01-02T00:00:00Z' });
    expect(watermarkOf(world)).toBe('2026-01-02T00:00:00Z');
    expect(out).toMatchObject({
      outcome: 'failed',
      event: {
        watermark: '2026-01-02T00:00:00Z',
        windows: { landed: [day(1), day(3)].map((d) => expect.objectContaining(d)) },
      },
    });
  });

  it('several failed windows fail the run as WindowsFailedError, each window with its own error', async () => {
    const world = stepWorld();
    const out = await commitRecorded(commitEvent([day(1), day(2)], [0, 1]), world.rt);
    expect(out.outcome === 'failed' && out.error.name).toBe('WindowsFailedError');
    expect(out.outcome === 'failed' && out.error.message).toMatch(
      /^2 of 2 windows failed: window 2026-01-01T00:00:00Z\/2026-01-02T00:00:00Z: JobFailedError: Internal error; window 2026-01-02/,
    );
    expect(out.outcome === 'failed' && out.event.windows.failed).toHaveLength(2);
  });

  it('a contiguous later run moves it on from where it is', async () => {
    const world = stepWorld();
    seedWatermark(world, '2026-01-02T00:00:00Z');
    await commitRecorded(commitEvent([day(1)]), world.rt);
    expect((await commitRecorded(commitEvent([day(2)]), world.rt)).watermark).toEqual({
      moved: true,
      from: '2026-01-02T00:00:00Z',
      to: '2026-01-03T00:00:00Z',
    });
    expect(watermarkOf(world)).toBe('2026-01-03T00:00:00Z');
  });

  it('a backfill of an older range never moves it back; the event reports the watermark as it stands', async () => {
    const world = stepWorld();
    seedWatermark(world, '2026-01-10T00:00:00Z');
    const out = await commitRecorded(commitEvent([day(1), day(2)]), world.rt);
    expect(out.watermark).toMatchObject({
      moved: false,
      current: '2026-01-10T00:00:00Z',
      reason: expect.stringContaining('already at or past'),
    });
    expect(out.event.watermark).toBe('2026-01-10T00:00:00Z');
    expect(watermarkOf(world)).toBe('2026-01-10T00:00:00Z');
  });

  it('a window landed after a gap does not move it over the gap', async () => {
    const world = stepWorld();
    seedWatermark(world, '2026-01-01T00:00:00Z');
    const out = await commitRecorded(commitEvent([day(5)]), world.rt);
    expect(out.watermark).toMatchObject({ moved: false, reason: expect.stringContaining('has not landed') });
    expect(watermarkOf(world)).toBe('2026-01-01T00:00:00Z');
  });

  it('a run with nothing to export leaves it alone and says so', async () => {
    const world = stepWorld();
    seedWatermark(world, '2026-01-03T00:00:00Z');
    const out = await commitRecorded(commitEvent([]), world.rt);
    expect(out.watermark).toEqual({ moved: false, current: '2026-01-03T00:00:00Z', reason: 'nothing to export yet' });
    expect(out.event).toMatchObject({ window: null, files: [], records: 0, watermark: '2026-01-03T00:00:00Z' });
    expect(world.store.calls.filter((c) => c.op === 'putObject')).toEqual([]);
  });

  it('an overlapping run that moved it first is re-read: the loser decides again instead of overwriting', async () => {
    const world = stepWorld();
    seedWatermark(world, '2026-01-01T00:00:00Z');
    let raced = false;
    world.store.onCall((op, key) => {
      if (op === 'putObject' && key === WM && !raced) {
        raced = true;
        seedWatermark(world, '2026-01-04T00:00:00Z');
      }
    });
    const out = await commitRecorded(commitEvent([day(1), day(2)]), world.rt);
    expect(out.watermark).toMatchObject({ moved: false, current: '2026-01-04T00:00:00Z' });
    expect(watermarkOf(world)).toBe('2026-01-04T00:00:00Z');
    expect(
      world.logger.lines.filter((l) => l.message === 'watermark changed while committing; re-reading'),
    ).toHaveLength(1);
  });

  it('a first commit racing another first commit (If-None-Match) re-reads too, and moves on from the winner', async () => {
    const world = stepWorld();
    let raced = false;
    world.store.onCall((op, key) => {
      if (op === 'putObject' && key === WM && !raced) {
        raced = true;
        seedWatermark(world, '2026-01-02T00:00:00Z');
      }
    });
    const out = await commitRecorded(commitEvent([day(1), day(2)]), world.rt);
    expect(out.watermark).toEqual({ moved: true, from: '2026-01-02T00:00:00Z', to: '2026-01-03T00:00:00Z' });
  });

  it('three lost races in a row fail the commit with PreconditionFailedError', async () => {
    const world = stepWorld();
    seedWatermark(world, '2026-01-01T00:00:00Z');
    let writes = 0;
    world.store.onCall((op, key) => {
      // Another run rewrites it each time (a new updatedAt, so a new ETag), never past this range.
      if (op === 'putObject' && key === WM)
        world.store.seed(
          WM,
          JSON.stringify({
            export: 'acts',
            watermark: '2026-01-01T00:00:00Z',
            updatedAt: `2026-01-03T00:00:0${++writes}Z`,
          }),
        );
    });
    await expect(commitRecorded(commitEvent([day(1)]), world.rt)).rejects.toBeInstanceOf(PreconditionFailedError);
    expect(world.store.calls.filter((c) => c.op === 'putObject' && c.key === WM)).toHaveLength(3);
  });

  it('62 failed windows with the longest messages stay far below the 256 KB state and event limits', async () => {
    const world = stepWorld();
    const windows = Array.from({ length: 62 }, (_, i) => day(i + 1));
    const event = commitEvent(
      windows,
      windows.map((_, i) => i),
    );
    for (const w of event.windows) if (w.outcome === 'failed') w.error.message = 'x'.repeat(1_001);
    const out = await commitRecorded(event, world.rt);
    // The Map's result (what CommitWatermark reads) and the event PutEvents sends.
    expect(Buffer.byteLength(JSON.stringify(event.windows))).toBeLessThan(128 * 1024);
    expect(Buffer.byteLength(JSON.stringify(out))).toBeLessThan(128 * 1024);
    expect(out.outcome === 'failed' && out.error.message.length).toBeLessThanOrEqual(1_001);
  });

  it('a malformed event is refused naming the field', async () => {
    const world = stepWorld();
    await expect(
      commitRun({ ...commitEvent([day(1)]), windows: [{ outcome: 'landed' }] }, world.rt),
    ).rejects.toMatchObject({ name: 'ValidationError', field: 'windows[0].window' });
  });
});
