import { describe, expect, it } from 'vitest';
import { waitLimit } from '../../../local/engine/wait-limit';

const NOW = new Date('2026-12-01T22:00:00Z');
const DAY1 = { start: '2026-11-01T00:00:00Z', end: '2026-11-02T00:00:00Z' };
const DAY2 = { start: '2026-11-02T00:00:00Z', end: '2026-11-03T00:00:00Z' };
const input = (window = DAY1) => ({ window, export: { name: 'x' } });

describe('waitLimit', () => {
  it('parks a deferral whose instant is further away than the limit, naming the window, instant and job', () => {
    const limit = waitLimit(300, () => NOW);
    expect(
      limit.check(input(), { kind: 'deferred', until: '2026-12-01T22:05:00Z', job: null, reason: 'quota' }),
    ).toBeUndefined();
    expect(
      limit.check(input(), { kind: 'deferred', until: '2026-12-02T06:00:00Z', job: { id: 'j-1' }, reason: 'quota' }),
    ).toEqual({
      window: DAY1,
      kind: 'deferred',
      until: '2026-12-02T06:00:00Z',
      reason: 'quota',
      jobId: 'j-1',
    });
  });

  it('parks a step that a spent daily quota defers (a thrown QuotaExceededError) past the limit, naming the step, window and job', () => {
    const limit = waitLimit(300, () => NOW);
    const error = (resetAt: string) =>
      Object.assign(new Error('deferred'), {
        name: 'QuotaExceededError',
        resetAt,
        reason: "Marketo error 607: Max rate limit '50000' exceeded",
      });
    expect(
      limit.deferral('CheckJob', { ...input(), job: { id: 'j-1' } }, error('2026-12-01T22:04:00Z')),
    ).toBeUndefined();
    expect(limit.deferral('CheckJob', { ...input(), job: { id: 'j-1' } }, error('2026-12-02T06:00:00Z'))).toEqual({
      window: DAY1,
      step: 'CheckJob',
      kind: 'deferred',
      until: '2026-12-02T06:00:00Z',
      reason: "Marketo error 607: Max rate limit '50000' exceeded",
      jobId: 'j-1',
    });
    // StartJob names its job in `previous`; a run-wide step has no window.
    expect(
      limit.deferral(
        'StartJob',
        { ...input(), previous: { kind: 'busy', job: { id: 'j-2' } } },
        error('2026-12-02T06:00:00Z'),
      ),
    ).toMatchObject({ jobId: 'j-2' });
    expect(limit.deferral('RefreshReferences', { plan: {} }, error('2026-12-02T06:00:00Z'))).toEqual({
      step: 'RefreshReferences',
      kind: 'deferred',
      until: '2026-12-02T06:00:00Z',
      reason: "Marketo error 607: Max rate limit '50000' exceeded",
    });
    // Any other error is no deferral.
    expect(limit.deferral('CheckJob', input(), new Error('boom'))).toBeUndefined();
  });

  it('adds up the queue waits of one window (each retry waits again), per window, and starts over once the job started', () => {
    const limit = waitLimit(400, () => NOW);
    const busy = { kind: 'busy', waitSeconds: 240, reason: 'queue full', job: { id: 'j-1' } };
    expect(limit.check(input(), busy)).toBeUndefined();
    expect(limit.check(input(DAY2), busy)).toBeUndefined();
    expect(limit.check(input(), { kind: 'started', waitSeconds: 60, job: { id: 'j-1' } })).toBeUndefined();
    expect(limit.check(input(), busy)).toBeUndefined();
    expect(limit.check(input(), busy)).toMatchObject({ kind: 'busy', window: DAY1, until: '2026-12-01T22:04:00.000Z' });
  });

  it('ignores outcomes it cannot read', () => {
    expect(waitLimit(1, () => NOW).check({}, { kind: 'deferred' })).toBeUndefined();
  });
});
