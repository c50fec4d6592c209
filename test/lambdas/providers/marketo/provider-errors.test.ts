// Every row of the Marketo error table, over real HTTP: the simulator answers the code (HTTP 200
// `success:false`, or a transport fault) and we assert what the provider does: retry with the right
// wait, refresh the token, or throw the named error the state machine matches.
import { describe, expect, it } from 'vitest';
import type { JobRef } from '../../../../lambdas/providers/types';
import { closeAllAfterTests, harness, WINDOW, type Harness } from './support/harness';

closeAllAfterTests();

async function startedJob(h: Harness): Promise<JobRef> {
  const started = await h.provider.startJob(WINDOW, { format: 'CSV' });
  if (started.kind !== 'started') throw new Error(`not started: ${started.kind}`);
  h.clock.sleeps.length = 0;
  return started.job;
}

// random() is pinned at 0.5 in the harness: full jitter gives half the ceiling (1 s, 2 s, 4 s…).
const BACKOFF_MS = [500, 1000, 2000, 4000];
const RATE_LIMIT_MS = 22_500; // 20 s + 0.5 × 5 s of jitter

describe('Marketo error table', () => {
  describe.each([
    ['604', 'Request timed out'],
    ['608', 'API Temporarily Unavailable'],
    ['611', 'System error'],
    ['713', 'Transient Error'],
  ])('%s (%s): transient', (code, message) => {
    it('is retried with exponential backoff and full jitter, then succeeds', async () => {
      const h = await harness();
      const job = await startedJob(h);
      h.sim.faults.injectErrors = [{ code, times: 2, kinds: ['status'] }];
      // (The waits move the shared clock, so the job may have progressed meanwhile.)
      await expect(h.provider.checkJob(job, 0)).resolves.toHaveProperty('providerStatus');
      expect(h.clock.sleeps).toEqual(BACKOFF_MS.slice(0, 2));
      expect(h.sim.stats().byKind.status).toBe(3);
    });

    it('gives up after 5 attempts with TransientApiError naming code and message', async () => {
      const h = await harness();
      const job = await startedJob(h);
      h.sim.faults.injectErrors = [{ code, times: 10, kinds: ['status'] }];
      await expect(h.provider.checkJob(job, 0)).rejects.toMatchObject({
        name: 'TransientApiError',
        code,
        message: `Marketo error ${code}: ${message}`,
      });
      expect(h.sim.stats().byKind.status).toBe(5);
      expect(h.clock.sleeps).toEqual(BACKOFF_MS);
    });
  });

  describe.each([
    ['http502', 'http502'],
    ['http500', 'http500'],
    ['reset', 'reset'],
  ])('%s: transport failure', (fault, code) => {
    it('is retried with backoff, then succeeds', async () => {
      const h = await harness();
      const job = await startedJob(h);
      h.sim.faults.injectErrors = [{ code: fault, times: 2, kinds: ['status'] }];
      // (The waits move the shared clock, so the job may have progressed meanwhile.)
      await expect(h.provider.checkJob(job, 0)).resolves.toHaveProperty('providerStatus');
      expect(h.clock.sleeps).toEqual(BACKOFF_MS.slice(0, 2));
    });

    it('gives up after 5 attempts with TransientApiError', async () => {
      const h = await harness();
      const job = await startedJob(h);
      h.sim.faults.injectErrors = [{ code: fault, times: 10, kinds: ['status'] }];
      await expect(h.provider.checkJob(job, 0)).rejects.toMatchObject({ name: 'TransientApiError', code });
      expect(h.sim.stats().byKind.status).toBe(5);
    });
  });

  it('HTTP 502 from the identity endpoint is retried too', async () => {
    const h = await harness();
    h.sim.faults.injectErrors = [{ code: 'http502', times: 1, kinds: ['token'] }];
    await expect(h.provider.startJob(WINDOW, {})).resolves.toMatchObject({ kind: 'started' });
    expect(h.sim.stats().byKind.token).toBe(2);
  });

  describe.each([
    ['606', "Max rate limit '100' exceeded with in '20' secs"],
    ['615', 'Concurrent access limit reached'],
  ])('%s (%s): rate limited', (code, message) => {
    it('backs off at least 20 s, then succeeds', async () => {
      const h = await harness();
      const job = await startedJob(h);
      h.sim.faults.injectErrors = [{ code, times: 2, kinds: ['status'] }];
      // (The waits move the shared clock, so the job may have progressed meanwhile.)
      await expect(h.provider.checkJob(job, 0)).resolves.toHaveProperty('providerStatus');
      expect(h.clock.sleeps).toEqual([RATE_LIMIT_MS, RATE_LIMIT_MS]);
      expect(Math.min(...h.clock.sleeps)).toBeGreaterThanOrEqual(20_000);
    });

    it('gives up after 5 attempts with RateLimitedError', async () => {
      const h = await harness();
      const job = await startedJob(h);
      h.sim.faults.injectErrors = [{ code, times: 10, kinds: ['status'] }];
      await expect(h.provider.checkJob(job, 0)).rejects.toMatchObject({
        name: 'RateLimitedError',
        code,
        retryAfterSeconds: 20,
        message: `Marketo error ${code}: ${message}`,
      });
      expect(h.sim.stats().byKind.status).toBe(5);
    });

    it('sleeps the nominal wait through its clock, so a local run’s scaled clock shortens it', async () => {
      const h = await harness({}, {}, { sleepScale: 0.001 });
      const job = await startedJob(h);
      h.sim.faults.injectErrors = [{ code, times: 1, kinds: ['status'] }];
      await h.provider.checkJob(job, 0);
      expect(h.clock.sleeps).toEqual([RATE_LIMIT_MS * 0.001]);
    });
  });

  describe('601 / 602: token', () => {
    it('601 (token invalid) → a new token and one retry', async () => {
      const h = await harness();
      const job = await startedJob(h);
      h.sim.faults.injectErrors = [{ code: '601', times: 1, kinds: ['status'] }];
      await expect(h.provider.checkJob(job, 0)).resolves.toMatchObject({ state: 'queued' });
      expect(h.sim.stats().byKind).toMatchObject({ token: 2, status: 2 });
      expect(h.clock.sleeps).toEqual([]);
    });

    it('602 (token expired) → a new token and one retry', async () => {
      const h = await harness();
      const job = await startedJob(h);
      h.sim.expireTokens();
      await expect(h.provider.checkJob(job, 0)).resolves.toMatchObject({ state: 'queued' });
      expect(h.sim.stats().byKind).toMatchObject({ token: 2, status: 2 });
    });

    it('a refused fresh token → AuthenticationError (only one retry)', async () => {
      const h = await harness();
      const job = await startedJob(h);
      h.sim.faults.injectErrors = [{ code: '601', times: 5, kinds: ['status'] }];
      await expect(h.provider.checkJob(job, 0)).rejects.toMatchObject({
        name: 'AuthenticationError',
        message: expect.stringContaining('601'),
      });
      expect(h.sim.stats().byKind.status).toBe(2);
    });

    it('the token is cached until shortly before expires_in runs out', async () => {
      const h = await harness({ tokenTtlSeconds: 3600 });
      const job = await startedJob(h);
      h.clock.advance(3_500_000); // 58m20s: still more than a minute of life left
      await h.provider.checkJob(job, 0);
      expect(h.sim.stats().byKind.token).toBe(1);
      h.clock.advance(60_000); // 40 s left: refreshed before use (the simulator then issues a new one)
      await h.provider.checkJob(job, 0);
      expect(h.sim.stats().byKind.token).toBe(2);
      h.clock.advance(60_000);
      await h.provider.checkJob(job, 0);
      expect(h.sim.stats().byKind).toMatchObject({ token: 3 });
      expect(h.sim.stats().byKind.status).toBe(3); // no call was refused for its token
    });

    it('wrong client credentials → AuthenticationError, without the secret in the message, not retried', async () => {
      const h = await harness();
      const secret = 'wrong-secret-4f1c9a';
      const provider = h.providerWith({}, { clientSecret: secret });
      const error = await provider.startJob(WINDOW, {}).catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'AuthenticationError', message: expect.stringContaining('HTTP 401') });
      expect(String((error as Error).message)).not.toContain(secret);
      expect(h.sim.stats().byKind).toEqual({ token: 1 });
    });
  });

  describe('fatal codes → ProviderApiError naming code and message, never retried', () => {
    it('1003 (bad request content; here Marketo does not know the export id)', async () => {
      const h = await harness();
      await expect(h.provider.checkJob({ id: 'no-such-export' }, 0)).rejects.toMatchObject({
        name: 'ProviderApiError',
        code: '1003',
        message: "Marketo error 1003: Export id 'no-such-export' not found",
      });
      expect(h.sim.stats().byKind.status).toBe(1);
    });

    it('1003 on create (a request Marketo refuses) fails the start, no job', async () => {
      const h = await harness();
      h.sim.faults.injectErrors = [{ code: '1003', message: 'Invalid value for filter', times: 1, kinds: ['create'] }];
      await expect(h.provider.startJob(WINDOW, {})).rejects.toMatchObject({
        name: 'ProviderApiError',
        code: '1003',
        message: 'Marketo error 1003: Invalid value for filter',
      });
      expect(h.sim.stats().byKind.create).toBe(1);
    });

    it('1035 (filter not supported on this subscription)', async () => {
      const h = await harness();
      h.sim.faults.injectErrors = [{ code: '1035', times: 1, kinds: ['create'] }];
      await expect(h.provider.startJob(WINDOW, {})).rejects.toMatchObject({
        name: 'FilterNotSupportedError',
        code: '1035',
        message: expect.stringMatching(
          /^Marketo error 1035: Unsupported filter type for target subscription \(the request's filter is not available on this Marketo subscription/,
        ),
        retryable: false,
      });
      expect(h.sim.stats().byKind.create).toBe(1);
    });

    it('an unknown code', async () => {
      const h = await harness();
      const job = await startedJob(h);
      h.sim.faults.injectErrors = [{ code: '799', message: 'Something new', times: 1, kinds: ['status'] }];
      await expect(h.provider.checkJob(job, 0)).rejects.toMatchObject({
        name: 'ProviderApiError',
        code: '799',
        message: 'Marketo error 799: Something new',
      });
      expect(h.sim.stats().byKind.status).toBe(1);
    });

    it('1029 with a message we do not recognize', async () => {
      const h = await harness();
      h.sim.faults.injectErrors = [
        { code: '1029', message: 'Bulk export temporarily disabled', times: 1, kinds: ['enqueue'] },
      ];
      await expect(h.provider.startJob(WINDOW, {})).rejects.toMatchObject({ name: 'ProviderApiError', code: '1029' });
    });
  });

  describe('1029 on the wire (the three meanings; provider-jobs.test.ts runs the full paths)', () => {
    it.each([
      ['Too many jobs in queue', { kind: 'busy' }],
      ['Export daily quota 500MB exceeded', { kind: 'deferred', until: '2026-03-03T06:00:00Z' }],
      ['Job already queued', { kind: 'started' }],
    ])('%s', async (message, expected) => {
      const h = await harness();
      h.sim.faults.injectErrors = [{ code: '1029', message, times: 1, kinds: ['enqueue'] }];
      await expect(h.provider.startJob(WINDOW, {})).resolves.toMatchObject(expected);
    });
  });

  it('no log line carries the client secret or a token', async () => {
    const h = await harness();
    const job = await startedJob(h);
    h.sim.expireTokens();
    h.sim.faults.injectErrors = [
      { code: '601', times: 1, kinds: ['status'] },
      { code: '604', times: 1, kinds: ['status'] },
    ];
    await h.provider.checkJob(job, 0);
    await h
      .providerWith({}, { clientSecret: 'not-the-secret' })
      .startJob(WINDOW, {})
      .catch(() => undefined);
    const logged = JSON.stringify(h.logger.lines);
    expect(h.logger.lines.length).toBeGreaterThan(3);
    expect(logged).not.toContain(h.sim.clientSecret);
    expect(logged).not.toContain('not-the-secret');
    expect(logged).not.toMatch(/[0-9a-f-]{36}:sim/); // the simulator's tokens
    expect(logged).not.toMatch(/bearer/i);
  });
});
