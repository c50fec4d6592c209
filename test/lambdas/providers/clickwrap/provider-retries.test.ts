// 429 storms and server errors: survived within bounded attempts, then handed to the workflow by name.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClickwrapProvider } from '../../../../lambdas/providers/clickwrap';
import { ScaledSleepClock, systemClock } from '../../../../lambdas/shared/clock';
import { RateLimitedError, TransientApiError } from '../../../../lambdas/shared/errors';
import { silentLogger } from '../../../../lambdas/shared/logger';
import { DAY, FIELDS, readAll, startHarness } from './support/harness';
import type { Harness } from './support/harness';

describe('clickwrap retries', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ retryAfterSeconds: 2 });
  });
  afterAll(async () => {
    await h.sim.stop();
  });

  it('survives a 429 storm on the real clock with its sleeps scaled down', async () => {
    const provider = createClickwrapProvider(
      { apiToken: h.sim.apiToken, baseUrl: h.sim.baseUrl },
      { clock: new ScaledSleepClock(systemClock, 0.001), logger: silentLogger },
      {
        request: { allowedLinkHosts: [new URL(h.sim.fileHostUrl).host] },
      },
    );
    const before = h.sim.stats().rateLimited;
    h.sim.faults.rateLimitNext = 4;
    const started = await provider.startJob(DAY, { fields: FIELDS });
    if (started.kind !== 'started') throw new Error('not started');
    h.advance(5000);
    h.sim.faults.rateLimitNext = 4;
    const status = await provider.checkJob(started.job, 1);
    expect(status.files).toHaveLength(3);
    h.sim.faults.rateLimitFilesNext = 4;
    const bytes = await readAll((await provider.openRange(status.files[0]!, { start: 0 })).body);
    expect(bytes.equals(h.sim.fileBytes(started.job.id, 1))).toBe(true);
    expect(h.sim.stats().rateLimited - before).toBe(12);
  });

  it('waits at least Retry-After between tries', async () => {
    h.sleeps.length = 0;
    h.sim.faults.rateLimitNext = 2;
    await h.provider.startJob(DAY, { fields: FIELDS });
    expect(h.sleeps).toHaveLength(2);
    for (const ms of h.sleeps) expect(ms).toBeGreaterThanOrEqual(2000); // Retry-After: 2
  });

  it('gives up after 5 attempts with RateLimitedError carrying Retry-After', async () => {
    const calls = h.sim.stats().total;
    h.sim.faults.rateLimitNext = 50;
    const error = await h.provider.startJob(DAY, { fields: FIELDS }).catch((e: unknown) => e);
    h.sim.faults.rateLimitNext = 0;
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterSeconds).toBe(2);
    expect(h.sim.stats().total - calls).toBe(5);
  });

  it('retries a 5xx on a status poll, but not on task creation (which may have created a task)', async () => {
    const { job } = await h.runToLinks({ fields: FIELDS });
    h.sim.faults.errorNext = { status: 503, body: '{"error":"Service Unavailable"}', times: 2 };
    expect((await h.provider.checkJob(job, 3)).state).toBe('succeeded');

    const tasks = h.sim.tasks().length;
    const posts = h.sim.stats().byPath['POST /tasks/export/activity'] ?? 0;
    h.sim.faults.errorNext = { status: 502, body: 'Bad Gateway', times: 1 };
    const error = await h.provider.startJob(DAY, { fields: FIELDS }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientApiError);
    expect((error as Error).message).toContain('Bad Gateway');
    expect(h.sim.stats().byPath['POST /tasks/export/activity']).toBe(posts + 1);
    expect(h.sim.tasks()).toHaveLength(tasks);
  });

  it('turns an unreachable API into TransientApiError after bounded retries', async () => {
    // A port that was just free and is closed again: connections are refused at once.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const provider = h.makeProvider({ maxAttempts: 3 }, { apiToken: 't', baseUrl: `http://127.0.0.1:${port}/v1.1` });
    h.sleeps.length = 0;
    await expect(provider.checkJob({ id: 'abc' }, 0)).rejects.toBeInstanceOf(TransientApiError);
    expect(h.sleeps).toHaveLength(2);
  });
});
