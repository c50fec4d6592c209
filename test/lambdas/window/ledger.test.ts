import { describe, expect, it } from 'vitest';
import {
  derivedWatermark,
  emptyLedger,
  entryOf,
  LedgerSchema,
  quarantined,
  windowsToDo,
  withFailed,
  withLanded,
  withPlanned,
  withRetried,
  withRunning,
  type Ledger,
} from '../../../lambdas/window/ledger';

const day = (d: number) => ({
  start: `2026-11-${String(d).padStart(2, '0')}T00:00:00Z`,
  end: `2026-11-${String(d + 1).padStart(2, '0')}T00:00:00Z`,
});
const at = '2026-12-01T00:00:00Z';
const land = (l: Ledger, d: number) => withLanded(l, day(d), { at, manifestKey: `manifests/x/${d}.json`, records: d });
const dataFailure = { name: 'UntypeableValueError', message: 'activityDate: "x" is not a timestamp', dataError: true };
const outage = { name: 'TransientApiError', message: 'HTTP 503', dataError: false };

describe('window ledger', () => {
  it('walks a window planned → running → landed, keeping the job and the manifest', () => {
    let l = withPlanned(emptyLedger('x'), [day(1), day(2)], { at, executionId: 'run-1' });
    l = withRunning(l, day(1), { at, jobId: 'job-1' });
    l = land(l, 1);
    expect(entryOf(l, day(1))).toMatchObject({
      state: 'landed',
      jobId: 'job-1',
      manifestKey: 'manifests/x/1.json',
      records: 1,
      executionId: 'run-1',
    });
    expect(entryOf(l, day(2))?.state).toBe('planned');
    expect(LedgerSchema.parse(JSON.parse(JSON.stringify(l)))).toEqual(l);
  });

  it('counts data failures only, and quarantines at the maximum', () => {
    let l = withFailed(emptyLedger('x'), day(7), outage, { at, maxAttempts: 3 });
    expect(entryOf(l, day(7))).toMatchObject({ state: 'failed', attempts: 0 });
    l = withFailed(l, day(7), dataFailure, { at, maxAttempts: 3 });
    l = withFailed(l, day(7), dataFailure, { at, maxAttempts: 3 });
    expect(entryOf(l, day(7))).toMatchObject({ state: 'failed', attempts: 2 });
    l = withFailed(l, day(7), dataFailure, { at, maxAttempts: 3 });
    expect(entryOf(l, day(7))).toMatchObject({
      state: 'quarantined',
      attempts: 3,
      lastError: { name: 'UntypeableValueError' },
    });
    expect(quarantined(l).map((e) => e.start)).toEqual([day(7).start]);
    l = withRetried(l, day(7), { at });
    expect(entryOf(l, day(7))).toMatchObject({ state: 'failed', attempts: 0 });
  });

  it('a failed re-run of a landed window leaves it landed', () => {
    const l = withFailed(land(emptyLedger('x'), 3), day(3), dataFailure, { at, maxAttempts: 1 });
    expect(entryOf(l, day(3))).toMatchObject({ state: 'landed', lastError: { name: 'UntypeableValueError' } });
  });

  it('derives the watermark from the unbroken settled run from the first start', () => {
    let l = emptyLedger('x');
    expect(derivedWatermark(l, day(1).start)).toBeUndefined();
    l = land(land(l, 1), 2);
    l = withFailed(l, day(3), outage, { at, maxAttempts: 3 });
    l = land(l, 4);
    expect(derivedWatermark(l, day(1).start)).toBe(day(2).end);
    l = land(l, 3);
    expect(derivedWatermark(l, day(1).start)).toBe(day(4).end);
  });

  it('a quarantined window does not hold the watermark back; a gap does', () => {
    let l = land(emptyLedger('x'), 1);
    for (let i = 0; i < 3; i++) l = withFailed(l, day(2), dataFailure, { at, maxAttempts: 3 });
    l = land(l, 3);
    expect(derivedWatermark(l, day(1).start)).toBe(day(3).end);
    l = land(l, 5);
    expect(derivedWatermark(l, day(1).start)).toBe(day(3).end);
  });

  it('plans the windows that are not settled, oldest first, up to the cap', () => {
    let l = land(land(emptyLedger('x'), 1), 2);
    for (let i = 0; i < 3; i++) l = withFailed(l, day(3), dataFailure, { at, maxAttempts: 3 });
    l = withFailed(l, day(4), outage, { at, maxAttempts: 3 });
    const candidates = [day(6), day(5), day(4), day(3), day(2), day(1)];
    expect(windowsToDo(l, candidates, 10)).toEqual([day(4), day(5), day(6)]);
    expect(windowsToDo(l, candidates, 2)).toEqual([day(4), day(5)]);
  });

  it('a window covered by a landed window of a coarser grain is not planned again', () => {
    const month = { start: '2026-11-01T00:00:00Z', end: '2026-12-01T00:00:00Z' };
    const l = withLanded(emptyLedger('x'), month, { at, manifestKey: 'm', records: 1 });
    expect(windowsToDo(l, [day(3), { start: '2026-12-01T00:00:00Z', end: '2026-12-02T00:00:00Z' }], 5)).toEqual([
      { start: '2026-12-01T00:00:00Z', end: '2026-12-02T00:00:00Z' },
    ]);
  });

  it('a landed window supersedes the windows of another grain it overlaps', () => {
    let l = land(land(emptyLedger('x'), 1), 2);
    l = withLanded(
      l,
      { start: '2026-11-01T00:00:00Z', end: '2026-11-08T00:00:00Z' },
      { at, manifestKey: 'w', records: 9 },
    );
    expect(l.windows.map((e) => [e.start, e.end])).toEqual([['2026-11-01T00:00:00Z', '2026-11-08T00:00:00Z']]);
  });
});
