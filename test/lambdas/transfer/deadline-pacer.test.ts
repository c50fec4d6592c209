import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../lambdas/shared/clock';
import { DeadlinePacer } from '../../../lambdas/transfer/deadline-pacer';

function manualClock(): Clock & { advance(ms: number): void } {
  let now = 1_000_000;
  return { now: () => new Date(now), sleep: async () => undefined, advance: (ms) => void (now += ms) };
}

describe('DeadlinePacer', () => {
  const MIB = 1024 * 1024;

  it('starts the first part whenever the safety margin is left, later ones only if they fit at the measured rate', () => {
    const clock = manualClock();
    const pacer = new DeadlinePacer(clock, 1_000_000 + 60_000, { safetyMarginMs: 10_000 });
    expect(pacer.mayStartPart(8 * MIB, 0, true)).toBe(true);
    pacer.record(8 * MIB);
    clock.advance(8_000); // 1 MiB/s measured
    expect(pacer.mayStartPart(8 * MIB, 0, false)).toBe(true); // 52 s left ≥ 8 s + 10 s
    expect(pacer.mayStartPart(8 * MIB, 3, false)).toBe(true); // 52 s ≥ 32 s + 10 s
    expect(pacer.mayStartPart(8 * MIB, 4, false)).toBe(true); // 52 s ≥ 40 s + 10 s
    expect(pacer.mayStartPart(8 * MIB, 5, false)).toBe(false); // 52 s < 48 s + 10 s
    clock.advance(45_000);
    expect(pacer.mayStartPart(8 * MIB, 0, true)).toBe(false);
    expect(pacer.mustAbandon()).toBe(false);
    clock.advance(3_000);
    expect(pacer.mustAbandon()).toBe(true);
  });

  it('assumes a rate until a MiB has been measured', () => {
    const clock = manualClock();
    const pacer = new DeadlinePacer(clock, 1_000_000 + 30_000, {
      safetyMarginMs: 10_000,
      assumedBytesPerSecond: 1_000_000,
    });
    expect(pacer.bytesPerMs()).toBe(1000);
    expect(pacer.mayStartPart(10_000_000, 0, false)).toBe(true);
    expect(pacer.mayStartPart(30_000_000, 0, false)).toBe(false);
  });
});
