import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../lambdas/shared/errors';
import { emptyLedger, withFailed, withLanded, withPlanned } from '../../../lambdas/window/ledger';
import { ledgerKey, readLedger, updateLedger } from '../../../lambdas/window/ledger-store';
import { MemoryObjectStore } from '../../support/memory-object-store';

const w = (d: number) => ({ start: `2026-11-0${d}T00:00:00Z`, end: `2026-11-0${d + 1}T00:00:00Z` });
const at = '2026-12-01T00:00:00Z';

describe('ledger store', () => {
  it('reads an empty ledger before the first write, then what was written', async () => {
    const store = new MemoryObjectStore();
    expect((await readLedger(store, 'x')).ledger).toEqual(emptyLedger('x'));
    await updateLedger(store, 'x', (l) => withPlanned(l, [w(1)], { at }));
    expect((await readLedger(store, 'x')).ledger.windows).toHaveLength(1);
  });

  it('sibling windows that end together both keep their news (a lost race re-applies)', async () => {
    const store = new MemoryObjectStore();
    await updateLedger(store, 'x', (l) => withPlanned(l, [w(1), w(2), w(3)], { at }));
    await Promise.all([
      updateLedger(store, 'x', (l) => withLanded(l, w(1), { at, manifestKey: 'a', records: 1 })),
      updateLedger(store, 'x', (l) => withLanded(l, w(2), { at, manifestKey: 'b', records: 2 })),
      updateLedger(store, 'x', (l) =>
        withFailed(l, w(3), { name: 'E', message: 'm', dataError: true }, { at, maxAttempts: 3 }),
      ),
    ]);
    const { ledger } = await readLedger(store, 'x');
    expect(ledger.windows.map((e) => e.state)).toEqual(['landed', 'landed', 'failed']);
  });

  it('refuses a ledger of another version by name instead of dropping what it holds', async () => {
    const store = new MemoryObjectStore();
    await store.putObject(ledgerKey('x'), JSON.stringify({ version: 2, export: 'x', windows: [] }), 'application/json');
    await expect(readLedger(store, 'x')).rejects.toThrow(ValidationError);
    await expect(readLedger(store, 'x')).rejects.toThrow(/ledger version 2/);
  });
});
