// Plan's reading of the window ledger (pure): a scheduled run's windows are the ones not landed and not
// quarantined, oldest first, up to the cap, looked for past a stretch of landed windows; a simulator's
// entries do not count for a real run; a retry names a window the ledger owes.
import { describe, expect, it } from 'vitest';
import { ExportDefinitionSchema } from '../../../lambdas/shared/export-definition';
import { emptyLedger, withFailed, withLanded, type Ledger } from '../../../lambdas/window/ledger';
import { ledgerAsSeenBy, retryPlan, scheduledWindows } from '../../../lambdas/workflow/ledger-plan';
import { MAX_WINDOWS_PER_RUN } from '../../../lambdas/workflow/windows';

const def = ExportDefinitionSchema.parse({
  name: 'acts',
  provider: 'marketo',
  secretName: 'acts/connection',
  window: { firstStart: '2026-01-01', lagMinutes: 0 },
});
const at = '2026-06-01T00:00:00Z';
const day = (n: number) => ({
  start: new Date(Date.UTC(2026, 0, n)).toISOString().replace('.000Z', 'Z'),
  end: new Date(Date.UTC(2026, 0, n + 1)).toISOString().replace('.000Z', 'Z'),
});
const landed = (ledger: Ledger, n: number, source?: string) =>
  withLanded(ledger, day(n), { at, manifestKey: `m${n}`, records: 1, ...(source ? { source } : {}) });
const dataFailure = { name: 'UntypeableValueError', message: 'x', dataError: true };

describe('scheduled windows from the ledger', () => {
  it('skips landed and quarantined windows, resumes from the derived watermark, keeps failed ones owed', () => {
    let ledger = landed(landed(emptyLedger('acts'), 1), 2);
    ledger = withFailed(ledger, day(3), dataFailure, { at, maxAttempts: 1 }); // quarantined
    ledger = withFailed(ledger, day(4), dataFailure, { at, maxAttempts: 3 }); // failed, owed
    ledger = landed(ledger, 5);
    const plan = scheduledWindows(ledger, def, 1, new Date('2026-01-08T00:00:00Z'));
    expect(plan.resumeFrom).toBe('2026-01-04T00:00:00Z');
    expect(plan.windows).toEqual([day(4), day(6), day(7)]);
    expect(plan).toMatchObject({ truncated: false, end: day(7).end });
  });

  it(`looks past more than ${MAX_WINDOWS_PER_RUN} landed windows after a failed one, and caps what it plans`, () => {
    let ledger = withFailed(emptyLedger('acts'), day(1), dataFailure, { at, maxAttempts: 3 });
    for (let n = 2; n <= 100; n++) ledger = landed(ledger, n);
    const plan = scheduledWindows(ledger, def, 1, new Date('2026-12-01T00:00:00Z'));
    expect(plan.windows[0]).toEqual(day(1));
    expect(plan.windows[1]).toEqual(day(101));
    expect(plan.windows).toHaveLength(MAX_WINDOWS_PER_RUN);
    expect(plan.truncated).toBe(true);
  });

  it("a real run reads the ledger without a simulator's entries; a simulator run builds on real ones", () => {
    const ledger = landed(landed(emptyLedger('acts'), 1, 'simulator'), 2, 'api.example');
    expect(ledgerAsSeenBy(ledger, 'api.example').windows.map((e) => e.start)).toEqual([day(2).start]);
    expect(ledgerAsSeenBy(ledger, 'simulator').windows).toHaveLength(2);
    expect(
      scheduledWindows(ledgerAsSeenBy(ledger, 'api.example'), def, 1, new Date('2026-01-03T00:00:00Z')).windows,
    ).toEqual([day(1)]);
  });
});

describe('retry plan', () => {
  const ledger = withFailed(landed(emptyLedger('acts'), 1), day(2), dataFailure, { at, maxAttempts: 1 });

  it('plans the one owed window that starts at the instant given (a date alone names its midnight)', () => {
    expect(retryPlan(ledger, 'acts', '2026-01-02')).toEqual({ windows: [day(2)], end: day(2).end, truncated: false });
  });

  it('refuses a window the ledger does not know, and a landed one, naming the field', () => {
    expect(() => retryPlan(ledger, 'acts', '2026-01-09T00:00:00Z')).toThrow(/has no window starting at .*--windows/);
    expect(() => retryPlan(ledger, 'acts', day(1).start)).toThrow(/has landed; re-run it with an explicit from\/to/);
    expect(() => retryPlan(ledger, 'acts', day(1).start)).toThrow(expect.objectContaining({ field: 'retryWindow' }));
  });
});
