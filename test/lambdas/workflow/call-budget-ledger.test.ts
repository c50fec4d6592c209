// The pipeline's daily share of a Marketo instance's calls: one ledger object per instance and day in
// the bucket, taken from in blocks by conditional writes (steps side by side never take the same
// calls), and a spent share defers the call like Marketo's own 607 (QuotaExceededError until midnight
// US Central) without making it.
import { describe, expect, it } from 'vitest';
import { QuotaExceededError } from '../../../lambdas/shared/errors';
import { CALL_BUDGET_BLOCK, InstanceCallBudget } from '../../../lambdas/providers/marketo/call-budget';
import { callBudgetKey, storeCallBudgetLedger } from '../../../lambdas/workflow/call-budget-ledger';
import { MemoryObjectStore } from '../../support/memory-object-store';
import { ManualClock } from './steps/support/step-world';

const INSTANCE = '123-abc-456.mktorest.com';

describe('call budget ledger', () => {
  it('grants up to the limit, in blocks, and nothing once spent', async () => {
    const ledger = storeCallBudgetLedger(new MemoryObjectStore());
    expect(await ledger.reserve(INSTANCE, 'p', 50, 20)).toBe(20);
    expect(await ledger.reserve(INSTANCE, 'p', 50, 20)).toBe(20);
    expect(await ledger.reserve(INSTANCE, 'p', 50, 20)).toBe(10);
    expect(await ledger.reserve(INSTANCE, 'p', 50, 20)).toBe(0);
    // Another period (the next day) and another instance start afresh.
    expect(await ledger.reserve(INSTANCE, 'q', 50, 20)).toBe(20);
    expect(await ledger.reserve('789-xyz.mktorest.com', 'p', 50, 20)).toBe(20);
  });

  it('reservations side by side never take the same calls', async () => {
    const store = new MemoryObjectStore();
    const ledgers = Array.from({ length: 8 }, () => storeCallBudgetLedger(store));
    const granted = await Promise.all(ledgers.map((l) => l.reserve(INSTANCE, 'p', 100, 20)));
    expect(granted.reduce((a, b) => a + b, 0)).toBe(100);
    const stored = JSON.parse((await store.getObject(callBudgetKey(INSTANCE, 'p')))!.body.toString('utf8')) as {
      used: number;
    };
    expect(stored.used).toBe(100);
  });

  it("an instance's budget defers the call past its share until midnight US Central, and counts again the next day", async () => {
    const store = new MemoryObjectStore();
    const clock = new ManualClock('2026-12-01T22:00:00Z');
    const budget = new InstanceCallBudget(storeCallBudgetLedger(store), INSTANCE, 30, clock);
    for (let i = 0; i < 30; i += 1) await budget.take();
    const spent = await budget.take().catch((e: unknown) => e);
    expect(spent).toBeInstanceOf(QuotaExceededError);
    expect(spent).toMatchObject({
      resetAt: '2026-12-02T06:00:00Z',
      code: 'budget',
      reason: expect.stringContaining('daily budget of 30 Marketo calls'),
    });
    // A second exporter of the same instance finds the share spent too.
    const other = new InstanceCallBudget(storeCallBudgetLedger(store), INSTANCE, 30, clock);
    await expect(other.take()).rejects.toBeInstanceOf(QuotaExceededError);
    clock.advance(8 * 3_600_000);
    await budget.take();
    expect(CALL_BUDGET_BLOCK).toBeLessThan(30);
  });
});
