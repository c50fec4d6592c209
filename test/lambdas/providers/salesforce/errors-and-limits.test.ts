// Every documented Salesforce error and limit, over HTTP against the simulator, and what the client
// makes of it: the named error whose policy (retried, deferred, fatal) the state machine applies.
import { afterEach, describe, expect, it } from 'vitest';
import { createSalesforceProvider } from '../../../../lambdas/providers/salesforce';
import { ERROR_POLICY } from '../../../../lambdas/shared/error-policy';
import { QuotaExceededError } from '../../../../lambdas/shared/errors';
import { silentLogger } from '../../../../lambdas/shared/logger';
import { REQUEST, salesforceHarness, WINDOW, type SalesforceHarness } from './harness';

let h: SalesforceHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const CREATE = 'POST /services/data/vXX.X/jobs/query';
const STATUS = 'GET /services/data/vXX.X/jobs/query/:id';

function fail(s: SalesforceHarness, status: number, errorCode: string, message: string, route?: string, times = 1) {
  s.sim.faults.errorNext = { status, errorCode, message, times, ...(route ? { route } : {}) };
}

describe('Salesforce errors', () => {
  it('wrong client credentials: AuthenticationError (fatal), naming neither secret', async () => {
    h = await salesforceHarness();
    const wrong = createSalesforceProvider(
      { instanceUrl: h.sim.baseUrl, clientId: h.sim.clientId, clientSecret: 'not-the-secret-at-all' },
      { clock: h.clock, logger: silentLogger },
      { request: REQUEST },
    );
    const error = await wrong.startJob(WINDOW, h.request).catch((e: unknown) => e as Error);
    expect(error).toMatchObject({ name: 'AuthenticationError' });
    expect((error as Error).message).toMatch(/invalid_client/);
    expect((error as Error).message).not.toContain('not-the-secret-at-all');
    await wrong.close();
  });

  it('INVALID_SESSION_ID: a new token and the call once more; a second refusal is fatal', async () => {
    h = await salesforceHarness();
    const job = await h.started();
    h.sim.faults.expireSessions();
    expect((await h.provider.checkJob(job, 0)).state).not.toBe('failed');
    fail(h, 401, 'INVALID_SESSION_ID', 'Session expired or invalid', STATUS, 2);
    await expect(h.provider.checkJob(job, 1)).rejects.toMatchObject({ name: 'AuthenticationError' });
  });

  it('REQUEST_LIMIT_EXCEEDED: the daily allocation defers (re-checked in an hour); concurrent calls are rate-limited', async () => {
    h = await salesforceHarness();
    const job = await h.started();
    fail(h, 403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.', STATUS);
    const daily = await h.provider.checkJob(job, 0).catch((e: unknown) => e);
    expect(daily).toBeInstanceOf(QuotaExceededError);
    expect((daily as QuotaExceededError).resetAt).toBe('2026-03-02T13:00:00Z');
    expect(ERROR_POLICY[(daily as QuotaExceededError).name]).toBe('deferred');
    fail(h, 403, 'REQUEST_LIMIT_EXCEEDED', 'ConcurrentPerOrgLongTxn Limit exceeded.', STATUS);
    await expect(h.provider.checkJob(job, 0)).rejects.toMatchObject({
      name: 'RateLimitedError',
      retryAfterSeconds: 30,
    });
  });

  it('API_DISABLED_FOR_ORG: AuthenticationError, not retried', async () => {
    h = await salesforceHarness();
    fail(h, 403, 'API_DISABLED_FOR_ORG', 'The REST API is not enabled for this Organization.');
    await expect(h.provider.startJob(WINDOW, h.request)).rejects.toMatchObject({ name: 'AuthenticationError' });
  });

  it('a query the org refuses (unknown field, compound field, object not bulk-queryable) is a ValidationError', async () => {
    h = await salesforceHarness();
    const refused = async (request: object) => {
      const p = h!.make();
      try {
        return await p.startJob(WINDOW, p.validate(request, WINDOW)).catch((e: unknown) => e as Error);
      } finally {
        await p.close();
      }
    };
    await expect(refused({ ...REQUEST, fields: [...REQUEST.fields, 'Nope__c'] })).resolves.toMatchObject({
      name: 'ValidationError',
      message: expect.stringContaining('INVALID_FIELD'),
    });
    await expect(refused({ ...REQUEST, fields: [...REQUEST.fields, 'BillingAddress'] })).resolves.toMatchObject({
      name: 'ValidationError',
      message: expect.stringMatching(/compound data not supported/),
    });
    await expect(refused({ ...REQUEST, object: 'AccountFeed' })).resolves.toMatchObject({
      name: 'ValidationError',
      message: expect.stringContaining('INVALIDENTITY'),
    });
    fail(h, 400, 'MALFORMED_QUERY', "unexpected token: 'GROUP'", CREATE);
    await expect(h.provider.startJob(WINDOW, h.request)).rejects.toMatchObject({ name: 'ValidationError' });
    expect(h.sim.jobs()).toHaveLength(0);
  });

  it('5xx: retried in process with backoff; a create is never sent twice', async () => {
    h = await salesforceHarness();
    const job = await h.started();
    fail(h, 503, 'SERVER_UNAVAILABLE', 'Service unavailable', STATUS, 2);
    expect((await h.provider.checkJob(job, 0)).state).not.toBe('failed');
    fail(h, 500, 'UNKNOWN_EXCEPTION', 'An unexpected error occurred', STATUS, 5);
    await expect(h.provider.checkJob(job, 0)).rejects.toMatchObject({ name: 'TransientApiError' });
    h.sim.faults.errorNext = undefined;
    fail(h, 500, 'UNKNOWN_EXCEPTION', 'An unexpected error occurred', CREATE);
    await expect(h.provider.startJob(WINDOW, h.request)).rejects.toMatchObject({ name: 'TransientApiError' });
    expect(h.requestsTo(CREATE)).toBe(2);
  });

  it('a job that fails carries its errorMessage; one that is gone reads as failed', async () => {
    h = await salesforceHarness();
    h.sim.faults.failNextJob = 'Retried more than 15 times';
    const job = await h.started();
    expect(await h.runToEnd(job)).toMatchObject({
      state: 'failed',
      providerStatus: 'Failed',
      message: 'Retried more than 15 times',
    });
  });
});

describe('Salesforce daily limits, read from /limits before a job is created', () => {
  it('no query job left: deferred until the re-check, and no job created', async () => {
    h = await salesforceHarness({ dailyBulkV2QueryJobs: 1 });
    await h.started();
    const deferred = await h.provider.startJob(WINDOW, h.request);
    expect(deferred).toMatchObject({ kind: 'deferred', until: '2026-03-02T13:00:00Z' });
    expect(deferred.kind === 'deferred' && deferred.reason).toMatch(/DailyBulkV2QueryJobs/);
    expect(h.sim.jobs()).toHaveLength(1);
    // A day later the rolling window has room again.
    h.clock.advance(86_400_000 + 1);
    expect((await h.provider.startJob(WINDOW, h.request)).kind).toBe('started');
  });

  it('no result storage left: deferred', async () => {
    h = await salesforceHarness({ dailyFileStorageMb: 0 });
    const deferred = await h.provider.startJob(WINDOW, h.request);
    expect(deferred).toMatchObject({ kind: 'deferred', reason: expect.stringMatching(/FileStorageMB/) });
  });

  it('no API requests left: deferred; the create that meets LIMIT_EXCEEDED anyway is deferred too', async () => {
    h = await salesforceHarness({ dailyApiRequests: 1 });
    // The token is free; /limits is the one request left and reports none remaining.
    expect(await h.provider.startJob(WINDOW, h.request)).toMatchObject({ kind: 'deferred' });
    await h.close();
    h = await salesforceHarness();
    fail(h, 400, 'LIMIT_EXCEEDED', 'Max bulk v2 query jobs (10000) per 24 hrs has been reached (10001)', CREATE);
    expect(await h.provider.startJob(WINDOW, h.request)).toMatchObject({
      kind: 'deferred',
      reason: expect.stringContaining('LIMIT_EXCEEDED'),
    });
  });
});
