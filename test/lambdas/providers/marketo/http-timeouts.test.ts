// The explicit timeouts and cancellation: a server that never answers is a bounded, named failure,
// and an aborted download stops at once without retries.
import { describe, expect, it } from 'vitest';
import { createMarketoProvider } from '../../../../lambdas/providers/marketo';
import type { RemoteFile } from '../../../../lambdas/providers/types';
import { systemClock } from '../../../../lambdas/shared/clock';
import { silentLogger } from '../../../../lambdas/shared/logger';
import { ManualClock } from './support/manual-clock';
import { startStubMarketo, success } from './support/stub-marketo';

const FILE: RemoteFile = {
  index: 1,
  source: { kind: 'api', path: '/bulk/v1/activities/export/j1/file.json' },
  sendCredentials: true,
  rangeSupport: 'yes',
  format: 'csv',
};

describe('Marketo HTTP timeouts and aborts', () => {
  it('no response headers within headersMs → TransientApiError after the bounded attempts', async () => {
    const stub = await startStubMarketo();
    const clock = new ManualClock();
    const provider = createMarketoProvider(
      { baseUrl: stub.baseUrl, clientId: 'a', clientSecret: 'b' },
      { clock, logger: silentLogger },
      { timeouts: { headersMs: 150 }, maxAttempts: 2, random: () => 0.5 },
    );
    try {
      stub.route('GET /bulk/v1/activities/export/j1/status.json', () => undefined); // never answers
      await expect(provider.checkJob({ id: 'j1' }, 0)).rejects.toMatchObject({
        name: 'TransientApiError',
        // The host and the phase, not a bare timeout code.
        message: `Marketo status call failed: headers timeout: ${new URL(stub.baseUrl).host} sent no response headers in time`,
      });
      expect(stub.calls.filter((c) => c.path.endsWith('status.json'))).toHaveLength(2);
      expect(clock.sleeps).toEqual([500]);
    } finally {
      await provider.close();
      await stub.stop();
    }
  });

  it('an aborted openRange rejects with the abort reason and is not retried', async () => {
    const stub = await startStubMarketo();
    const provider = createMarketoProvider(
      { baseUrl: stub.baseUrl, clientId: 'a', clientSecret: 'b' },
      { clock: new ManualClock(), logger: silentLogger },
    );
    try {
      const controller = new AbortController();
      stub.route('GET /bulk/v1/activities/export/j1/file.json', () =>
        controller.abort(new Error('invocation deadline')),
      );
      await expect(provider.openRange(FILE, { start: 0 }, controller.signal)).rejects.toThrow('invocation deadline');
      expect(stub.calls.filter((c) => c.path.endsWith('file.json'))).toHaveLength(1);
      // The provider is still usable afterwards (its limiter slot was given back).
      stub.route('GET /bulk/v1/activities/export/j1/status.json', (_q, res) =>
        success(res, [{ exportId: 'j1', status: 'Queued', format: 'CSV' }]),
      );
      await expect(provider.checkJob({ id: 'j1' }, 0)).resolves.toMatchObject({ state: 'queued' });
    } finally {
      await provider.close();
      await stub.stop();
    }
  });

  it('a host that never answers fails the call inside its time budget, not after every attempt', async () => {
    const stub = await startStubMarketo();
    // Real time: the budget is about the wall clock the Lambda lives by.
    const provider = createMarketoProvider(
      { baseUrl: stub.baseUrl, clientId: 'a', clientSecret: 'b' },
      { clock: systemClock, logger: silentLogger },
      { timeouts: { connectMs: 50, headersMs: 150 }, maxAttempts: 5, callBudgetMs: 3_000, random: () => 0.5 },
    );
    try {
      stub.route('GET /bulk/v1/activities/export/j1/status.json', () => undefined); // never answers
      const started = Date.now();
      await expect(provider.checkJob({ id: 'j1' }, 0)).rejects.toMatchObject({
        name: 'TransientApiError',
        message: expect.stringContaining('headers timeout'),
      });
      // undici's timers tick about every half second, so each attempt's 150 ms headers timeout fires
      // within about a second; after the second, a 1 s pause and another attempt would end past 3 s.
      expect(stub.calls.filter((c) => c.path.endsWith('status.json'))).toHaveLength(2);
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      await provider.close();
      await stub.stop();
    }
  });
});
