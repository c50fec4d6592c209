// The steps' writes to the window ledger, one per moment of a window's life: Plan (planned, or an
// operator's retry), StartJob (running, with its job), the publish (landed), CleanupWindow (failed or
// quarantined). Each is committed the moment it happens, so a run killed at any point loses only the
// windows in flight. The transitions themselves are pure (ledger.ts); this is their store round trip.
import type { ObjectStore } from '#transfer/object-store';
import type { ExportWindow } from '#providers/types';
import {
  entryOf,
  withFailed,
  withLanded,
  withPlanned,
  withRetried,
  withRunning,
  type Ledger,
  type LedgerEntry,
  type LedgerWindow,
  type WindowFailure,
} from './ledger';
import { readLedger, updateLedger } from './ledger-store';

const same = (a: LedgerWindow, b: LedgerWindow) => a.start === b.start && a.end === b.end;

/** The data's source on the window's entry: whose progress the entry is (a simulator's never counts for a real run). */
function stamped(ledger: Ledger, windows: readonly LedgerWindow[], source: string | undefined): Ledger {
  if (!source) return ledger;
  return { ...ledger, windows: ledger.windows.map((e) => (windows.some((w) => same(w, e)) ? { ...e, source } : e)) };
}

/**
 * Plan: the run's windows. A landed window an explicit range re-runs stays `landed` until its
 * replacement lands (the published data is intact meanwhile). `replaces` drops an entry whose history
 * is not this run's to continue (a simulator's entry under a real run) before the window is planned.
 */
export async function recordWindowsPlanned(
  store: ObjectStore,
  exportName: string,
  windows: readonly ExportWindow[],
  meta: { at: string; executionId?: string; source?: string; replaces?: (entry: LedgerEntry) => boolean },
): Promise<Ledger> {
  if (windows.length === 0) return (await readLedger(store, exportName)).ledger;
  return updateLedger(store, exportName, (ledger) => {
    const replaces = meta.replaces;
    const base = replaces
      ? { ...ledger, windows: ledger.windows.filter((e) => !(windows.some((w) => same(w, e)) && replaces(e))) }
      : ledger;
    const toPlan = windows.filter((w) => entryOf(base, w)?.state !== 'landed');
    const planned = withPlanned(base, toPlan, {
      at: meta.at,
      ...(meta.executionId ? { executionId: meta.executionId } : {}),
    });
    return stamped(planned, toPlan, meta.source);
  });
}

/** StartJob: the window's remote job exists. A landed window being re-run stays landed (see above). */
export async function recordWindowRunning(
  store: ObjectStore,
  exportName: string,
  window: ExportWindow,
  meta: { at: string; jobId: string; executionId?: string },
): Promise<void> {
  await updateLedger(store, exportName, (ledger) =>
    entryOf(ledger, window)?.state === 'landed' ? ledger : withRunning(ledger, window, meta),
  );
}

/** The publish: the window is readable whole. The one ledger call of the landing step. */
export async function recordWindowLanded(
  store: ObjectStore,
  exportName: string,
  window: ExportWindow,
  meta: { at: string; manifestKey: string; records: number; source?: string; executionId?: string },
): Promise<void> {
  await updateLedger(store, exportName, (ledger) => withLanded(ledger, window, meta));
}

/**
 * CleanupWindow: the window failed. `landedIntact` says whether a window that had landed still is
 * (its manifest survived the undo); if it is not, the window is back to being owed.
 */
export async function recordWindowFailed(
  store: ObjectStore,
  exportName: string,
  window: ExportWindow,
  failure: WindowFailure,
  meta: { at: string; maxAttempts: number; landedIntact: boolean },
): Promise<LedgerEntry> {
  const next = await updateLedger(store, exportName, (ledger) => failedLedger(ledger, window, failure, meta));
  return entryOf(next, window)!;
}

/** The ledger after `window` failed (pure: CleanupWindow asks it first whether the failure quarantines). */
export function failedLedger(
  ledger: Ledger,
  window: ExportWindow,
  failure: WindowFailure,
  meta: { at: string; maxAttempts: number; landedIntact: boolean },
): Ledger {
  const current = entryOf(ledger, window);
  const owed =
    current?.state === 'landed' && !meta.landedIntact
      ? {
          ...ledger,
          windows: ledger.windows.map((e) => (same(e, window) ? { ...e, state: 'failed' as const } : e)),
        }
      : ledger;
  return withFailed(owed, window, failure, { at: meta.at, maxAttempts: meta.maxAttempts });
}

/** An operator's retry: the window is owed again, its attempts start over (Plan checked it may be retried). */
export async function recordWindowRetried(
  store: ObjectStore,
  exportName: string,
  window: ExportWindow,
  meta: { at: string },
): Promise<void> {
  await updateLedger(store, exportName, (ledger) => withRetried(ledger, window, meta));
}
