import { describe, expect, it } from 'vitest';
import { ExportBusyError } from '../../../lambdas/shared/errors';
import { acquireLease, leaseKey, releaseLease } from '../../../lambdas/window/lease';
import { MemoryObjectStore } from '../../support/memory-object-store';

const t0 = new Date('2026-12-06T10:00:00Z');
const later = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
const clock = (now: Date) => ({ now, ttlMs: 60 * 60_000 });

describe('export lease', () => {
  it('one of two runs started together takes it; the other is refused by name, naming the holder', async () => {
    const store = new MemoryObjectStore();
    const results = await Promise.allSettled([
      acquireLease(store, 'x', 'run-a', clock(t0)),
      acquireLease(store, 'x', 'run-b', clock(t0)),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toBeInstanceOf(ExportBusyError);
    const holder = won[0]!.status === 'fulfilled' ? won[0]!.value.lease.holder : '';
    expect((lost[0]!.reason as ExportBusyError).holder).toBe(holder);
    expect((lost[0]!.reason as Error).message).toContain(`run ${holder} holds it`);
  });

  it('is given back at the end, and the next run takes it', async () => {
    const store = new MemoryObjectStore();
    await acquireLease(store, 'x', 'run-a', clock(t0));
    expect(await releaseLease(store, 'x', 'run-a')).toBe(true);
    // A finished run leaves no state behind.
    expect(await store.getObject(leaseKey('x'))).toBeUndefined();
    const next = await acquireLease(store, 'x', 'run-b', clock(later(2)));
    expect(next).toEqual({ lease: expect.objectContaining({ holder: 'run-b' }) });
  });

  it('a lease left by a dead run is taken over: when its holder is known to have ended, or once expired', async () => {
    const store = new MemoryObjectStore();
    await acquireLease(store, 'x', 'run-a', clock(t0));
    await expect(acquireLease(store, 'x', 'run-b', clock(later(5)), async () => undefined)).rejects.toThrow(
      ExportBusyError,
    );
    const byEnd = await acquireLease(store, 'x', 'run-b', clock(later(5)), async (h) => h === 'run-a');
    expect(byEnd.tookOverFrom).toBe('run-a');
    const byExpiry = await acquireLease(store, 'x', 'run-c', clock(later(5 + 61)));
    expect(byExpiry.tookOverFrom).toBe('run-b');
  });

  it('a holder whose lease expired and was taken over cannot give the new holder’s lease back', async () => {
    const store = new MemoryObjectStore();
    await acquireLease(store, 'x', 'run-a', clock(t0));
    await expect(acquireLease(store, 'x', 'run-b', clock(later(59)))).rejects.toThrow(ExportBusyError);
    await acquireLease(store, 'x', 'run-b', clock(later(61)));
    expect(await releaseLease(store, 'x', 'run-a')).toBe(false);
    expect(JSON.parse((await store.getObject(leaseKey('x')))!.body.toString()).holder).toBe('run-b');
  });
});
