import { describe, expect, it } from 'vitest';
import { CallLimiter, sharedCallLimiter } from '../../../../lambdas/providers/marketo/call-limiter';
import { ScaledSleepClock } from '../../../../lambdas/shared/clock';
import { ManualClock } from './support/manual-clock';
import { maxInWindow } from './support/max-in-window';

describe('CallLimiter', () => {
  it('never lets more than `calls` start in a sliding window, and waits only as long as needed', async () => {
    const clock = new ManualClock(0);
    const limiter = new CallLimiter(clock, { calls: 100, windowMs: 20_000, concurrent: 10 });
    const starts: number[] = [];
    await Promise.all(
      Array.from({ length: 250 }, async () => {
        const permit = await limiter.acquire();
        starts.push(clock.now().getTime());
        await new Promise((resolve) => setImmediate(resolve));
        permit.release();
      }),
    );
    expect(starts).toHaveLength(250);
    expect(maxInWindow(starts, 20_000)).toBe(100);
    // 250 calls need three windows: the last starts a little over 40 s in, not much later.
    expect(Math.max(...starts)).toBeGreaterThan(40_000);
    expect(Math.max(...starts)).toBeLessThan(41_000);
  });

  it('never has more than `concurrent` calls in flight', async () => {
    const clock = new ManualClock(0);
    const limiter = new CallLimiter(clock, { calls: 1000, windowMs: 20_000, concurrent: 3 });
    let inFlight = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const permit = await limiter.acquire();
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        for (let k = 0; k < (i % 4) + 1; k += 1) await new Promise((resolve) => setImmediate(resolve));
        inFlight -= 1;
        permit.release();
      }),
    );
    expect(peak).toBe(3);
    expect(limiter.inFlight).toBe(0);
  });

  it('keeps its real window on a clock whose sleeps are scaled (a local run): it sleeps the wall clock', async () => {
    const wall = new ManualClock(0);
    // On the scaled clock a 20 s wait would end after 20 ms while now() still reads the wall clock:
    // the limiter would wake to a closed window again and again. It must sleep the real remainder once.
    const limiter = new CallLimiter(new ScaledSleepClock(wall, 0.001), {
      calls: 100,
      windowMs: 20_000,
      concurrent: 10,
    });
    const starts: number[] = [];
    await Promise.all(
      Array.from({ length: 150 }, async () => {
        const permit = await limiter.acquire();
        starts.push(wall.now().getTime());
        permit.release();
      }),
    );
    expect(maxInWindow(starts, 20_000)).toBe(100);
    expect(Math.max(...starts)).toBeGreaterThan(20_000);
    // Each waiter slept the full remainder of the window once, never a scaled fraction of it.
    expect(Math.min(...wall.sleeps)).toBeGreaterThan(19_000);
    expect(wall.sleeps.length).toBeLessThanOrEqual(50);
  });

  it('one shared limiter per instance whether the clock is scaled or not', () => {
    const wall = new ManualClock(0);
    expect(sharedCallLimiter(new ScaledSleepClock(wall, 0.001), 'https://one.test')).toBe(
      sharedCallLimiter(wall, 'https://one.test'),
    );
  });

  it('dates a call by its response: a slow call keeps its place in the window until it answers', async () => {
    const clock = new ManualClock(0);
    const limiter = new CallLimiter(clock, { calls: 1, windowMs: 1_000, concurrent: 10 });
    const slow = await limiter.acquire();
    clock.advance(5_000);
    // The slow call has not answered: it still counts "now", so the next call must wait for it.
    let third = false;
    const pending = limiter.acquire().then((p) => {
      third = true;
      return p;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(third).toBe(false);
    slow.responded();
    slow.release();
    const permit = await pending;
    expect(third).toBe(true);
    // …and then a full window from the moment it answered (t = 5 s).
    expect(clock.now().getTime()).toBeGreaterThan(6_000);
    permit.release();
  });

  it('an aborted wait gives up its place', async () => {
    const clock = new ManualClock(0);
    const limiter = new CallLimiter(clock, { calls: 10, windowMs: 1_000, concurrent: 1 });
    const held = await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    held.release();
    (await limiter.acquire()).release();
  });

  it('is shared per instance and per clock', () => {
    const a = new ManualClock(0);
    const b = new ManualClock(0);
    expect(sharedCallLimiter(a, 'https://x')).toBe(sharedCallLimiter(a, 'https://x'));
    expect(sharedCallLimiter(a, 'https://x')).not.toBe(sharedCallLimiter(a, 'https://y'));
    expect(sharedCallLimiter(a, 'https://x')).not.toBe(sharedCallLimiter(b, 'https://x'));
  });
});
