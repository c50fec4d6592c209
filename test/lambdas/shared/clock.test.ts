import { describe, expect, it } from 'vitest';
import { ScaledSleepClock, systemClock, wallClockOf, type Clock } from '../../../lambdas/shared/clock';

function recordingClock(): Clock & { sleeps: number[] } {
  const sleeps: number[] = [];
  return { sleeps, now: () => new Date('2026-03-02T12:00:00Z'), sleep: async (ms) => void sleeps.push(ms) };
}

describe('ScaledSleepClock', () => {
  it('sleeps a fraction of the nominal duration and reads the wall clock unchanged', async () => {
    const wall = recordingClock();
    const scaled = new ScaledSleepClock(wall, 0.001);
    await scaled.sleep(20_000);
    expect(wall.sleeps).toEqual([20]);
    expect(scaled.now()).toEqual(wall.now());
  });

  it('really waits less on the system clock', async () => {
    const started = performance.now();
    await new ScaledSleepClock(systemClock, 0.001).sleep(60_000);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('refuses a scale that is not a non-negative number', () => {
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY])
      expect(() => new ScaledSleepClock(systemClock, bad), String(bad)).toThrow(RangeError);
  });

  it('wallClockOf unwraps scaled clocks, however nested, and leaves others alone', () => {
    const wall = recordingClock();
    expect(wallClockOf(new ScaledSleepClock(new ScaledSleepClock(wall, 0.5), 0.1))).toBe(wall);
    expect(wallClockOf(wall)).toBe(wall);
  });

  it('passes an abort through', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(new ScaledSleepClock(systemClock, 1).sleep(10, controller.signal)).rejects.toThrow('stop');
  });
});
