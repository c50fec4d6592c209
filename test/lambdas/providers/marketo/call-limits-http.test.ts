// A burst of 150 calls through one provider stays under Marketo's 100 calls per 20 s and 10 in
// flight, asserted with the simulator's own record of when calls arrived. The clock is shared and
// moves only when the limiter sleeps, so the 20 s windows cost no real time.
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createMarketoProvider } from '../../../../lambdas/providers/marketo';
import { CallLimiter } from '../../../../lambdas/providers/marketo/call-limiter';
import { silentLogger } from '../../../../lambdas/shared/logger';
import { closeAllAfterTests, harness, WINDOW } from './support/harness';
import { ManualClock } from './support/manual-clock';
import { maxInWindow } from './support/max-in-window';
import { startStubMarketo, success } from './support/stub-marketo';

closeAllAfterTests();

describe('Marketo call limits over HTTP', () => {
  it('150 concurrent calls: never more than 100 per 20 s nor 10 in flight, and no 606/615', async () => {
    const h = await harness({ rateLimit: { calls: 100, windowMs: 20_000 }, maxConcurrentCalls: 10 });
    const started = await h.provider.startJob(WINDOW, {});
    if (started.kind !== 'started') throw new Error('not started');
    const t0 = h.clock.now().getTime();
    const results = await Promise.all(Array.from({ length: 150 }, () => h.provider.checkJob(started.job, 0)));
    expect(results).toHaveLength(150);
    const { callTimes, maxConcurrent, byKind } = h.sim.stats();
    expect(byKind.status).toBe(150); // every call answered first time: no 606, no 615, no retries
    expect(maxInWindow(callTimes, 20_000)).toBeLessThanOrEqual(100);
    expect(maxConcurrent).toBeLessThanOrEqual(10);
    // 152 calls (create, enqueue, 150 status) need a second window: the limiter waited ~20 s of clock time.
    const span = Math.max(...callTimes) - t0;
    expect(span).toBeGreaterThanOrEqual(20_000);
    expect(span).toBeLessThan(21_000);
  });

  it('on a local run’s scaled clock the window is still 20 s of real time, waited once per caller', async () => {
    const h = await harness(
      { rateLimit: { calls: 100, windowMs: 20_000 }, maxConcurrentCalls: 10 },
      {},
      { sleepScale: 0.001 },
    );
    const started = await h.provider.startJob(WINDOW, {});
    if (started.kind !== 'started') throw new Error('not started');
    const t0 = h.clock.now().getTime();
    h.clock.sleeps.length = 0;
    await Promise.all(Array.from({ length: 150 }, () => h.provider.checkJob(started.job, 0)));
    const { callTimes, byKind } = h.sim.stats();
    expect(byKind.status).toBe(150);
    expect(maxInWindow(callTimes, 20_000)).toBeLessThanOrEqual(100);
    expect(Math.max(...callTimes) - t0).toBeGreaterThanOrEqual(20_000);
    // Sleeping a scaled 20 ms instead would wake into a closed window about a thousand times.
    expect(h.clock.sleeps.length).toBeLessThanOrEqual(60);
    expect(Math.min(...h.clock.sleeps)).toBeGreaterThan(1_000);
  });

  it('the same burst without our limiter is throttled by the simulator (the test can fail)', async () => {
    const h = await harness({ rateLimit: { calls: 100, windowMs: 20_000 }, maxConcurrentCalls: 10 });
    const started = await h.provider.startJob(WINDOW, {});
    if (started.kind !== 'started') throw new Error('not started');
    const loose = h.providerWith({
      limiter: new CallLimiter(h.clock, { calls: 10_000, windowMs: 20_000, concurrent: 50 }),
      maxAttempts: 1,
    });
    const outcomes = await Promise.allSettled(Array.from({ length: 150 }, () => loose.checkJob(started.job, 0)));
    const refused = outcomes
      .filter((o) => o.status === 'rejected')
      .map((o) => (o as PromiseRejectedResult).reason as { name: string; code?: string });
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((e) => e.name === 'RateLimitedError' && (e.code === '606' || e.code === '615'))).toBe(true);
  });

  it('slow answers: 30 concurrent calls never have more than 10 in flight at the server', async () => {
    const stub = await startStubMarketo();
    const provider = createMarketoProvider(
      { baseUrl: stub.baseUrl, clientId: 'a', clientSecret: 'b' },
      { clock: new ManualClock(), logger: silentLogger },
    );
    try {
      const held: ServerResponse[] = [];
      let inFlight = 0;
      let peak = 0;
      let answered = 0;
      const total = 30;
      stub.route('GET /bulk/v1/activities/export/j1/status.json', (_q, res) => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        res.on('close', () => (inFlight -= 1));
        held.push(res);
        // Answer in batches once 10 are held (or the last few): waiting a moment first gives an 11th,
        // which a working limiter never sends, the chance to show up.
        if (held.length === Math.min(10, total - answered)) {
          setTimeout(() => {
            for (const r of held.splice(0)) {
              answered += 1;
              success(r, [{ exportId: 'j1', status: 'Queued', format: 'CSV' }]);
            }
          }, 50);
        }
      });
      const results = await Promise.all(Array.from({ length: total }, () => provider.checkJob({ id: 'j1' }, 0)));
      expect(results).toHaveLength(total);
      expect(peak).toBe(10);
    } finally {
      await provider.close();
      await stub.stop();
    }
  });
});
