// The window ledger: every window of an export with the state it is in, the source of truth across
// runs. A scheduled run plans the windows that are not settled, each window's outcome is recorded the
// moment it ends (so a run killed at any point loses only the windows in flight), and the watermark
// users see is derived from it. Pure: the store round trip lives in ledger-store.ts.
import { z } from 'zod';

export const LEDGER_VERSION = 1;

/**
 * planned → running → landed | failed | quarantined. `failed` is retried by later runs; a window whose
 * data failed `maxWindowAttempts` times is `quarantined` and waits for an operator (`retry`).
 */
export const WINDOW_STATES = ['planned', 'running', 'landed', 'failed', 'quarantined'] as const;
export type WindowState = (typeof WINDOW_STATES)[number];

/** Windows a scheduled run does not plan again: landed data is never exported twice, quarantine waits. */
const SETTLED: ReadonlySet<WindowState> = new Set(['landed', 'quarantined']);

const LedgerErrorSchema = z.object({ name: z.string(), message: z.string(), at: z.string() }).strict();

export const LedgerEntrySchema = z
  .object({
    start: z.string(),
    end: z.string(),
    state: z.enum(WINDOW_STATES),
    /** Failures caused by the data itself (see ledger-failures.ts); transient failures do not count. */
    attempts: z.number().int().min(0),
    updatedAt: z.string(),
    executionId: z.string().optional(),
    jobId: z.string().optional(),
    lastError: LedgerErrorSchema.optional(),
    landedAt: z.string().optional(),
    manifestKey: z.string().optional(),
    records: z.number().int().min(0).optional(),
    /** `simulator` or the provider's host, as the manifest records it. */
    source: z.string().optional(),
  })
  .strict();
export type LedgerEntry = z.infer<typeof LedgerEntrySchema>;

export const LedgerSchema = z
  .object({
    version: z.literal(LEDGER_VERSION),
    export: z.string(),
    /** Sorted by start; windows never overlap (a landed window of another grain supersedes the others). */
    windows: z.array(LedgerEntrySchema),
  })
  .strict();
export type Ledger = z.infer<typeof LedgerSchema>;

export interface LedgerWindow {
  readonly start: string;
  readonly end: string;
}

export function emptyLedger(exportName: string): Ledger {
  return { version: LEDGER_VERSION, export: exportName, windows: [] };
}

const sameWindow = (a: LedgerWindow, b: LedgerWindow) => a.start === b.start && a.end === b.end;
const overlaps = (a: LedgerWindow, b: LedgerWindow) =>
  Date.parse(a.start) < Date.parse(b.end) && Date.parse(b.start) < Date.parse(a.end);
const byStart = (a: LedgerWindow, b: LedgerWindow) => Date.parse(a.start) - Date.parse(b.start);

export function entryOf(ledger: Ledger, window: LedgerWindow): LedgerEntry | undefined {
  return ledger.windows.find((e) => sameWindow(e, window));
}

/** The ledger with `window`'s entry replaced by `change(current)`; the other windows are untouched. */
function withEntry(
  ledger: Ledger,
  window: LedgerWindow,
  change: (current: LedgerEntry | undefined) => LedgerEntry,
): Ledger {
  const rest = ledger.windows.filter((e) => !sameWindow(e, window));
  return { ...ledger, windows: [...rest, change(entryOf(ledger, window))].sort(byStart) };
}

const fresh = (window: LedgerWindow, at: string): LedgerEntry => ({
  start: window.start,
  end: window.end,
  state: 'planned',
  attempts: 0,
  updatedAt: at,
});

/** Plan: windows the run will do; a window already known keeps its history (attempts, last error). */
export function withPlanned(
  ledger: Ledger,
  windows: readonly LedgerWindow[],
  meta: { at: string; executionId?: string },
): Ledger {
  return windows.reduce(
    (acc, w) =>
      withEntry(acc, w, (current) => ({
        ...(current ?? fresh(w, meta.at)),
        state: 'planned',
        updatedAt: meta.at,
        ...(meta.executionId ? { executionId: meta.executionId } : {}),
      })),
    ledger,
  );
}

export function withRunning(
  ledger: Ledger,
  window: LedgerWindow,
  meta: { at: string; executionId?: string; jobId?: string },
): Ledger {
  return withEntry(ledger, window, (current) => ({
    ...(current ?? fresh(window, meta.at)),
    state: 'running',
    updatedAt: meta.at,
    ...(meta.executionId ? { executionId: meta.executionId } : {}),
    ...(meta.jobId ? { jobId: meta.jobId } : {}),
  }));
}

/**
 * Published: the window is readable whole. Windows of another grain it overlaps were superseded by the
 * same publish, so their entries go (their data is gone from the tables).
 */
export function withLanded(
  ledger: Ledger,
  window: LedgerWindow,
  meta: { at: string; manifestKey: string; records: number; source?: string; executionId?: string },
): Ledger {
  const kept = { ...ledger, windows: ledger.windows.filter((e) => sameWindow(e, window) || !overlaps(e, window)) };
  return withEntry(kept, window, (current) => {
    const { lastError: _lastError, ...history } = current ?? fresh(window, meta.at);
    return {
      ...history,
      state: 'landed',
      attempts: 0,
      updatedAt: meta.at,
      landedAt: meta.at,
      manifestKey: meta.manifestKey,
      records: meta.records,
      ...(meta.source ? { source: meta.source } : {}),
      ...(meta.executionId ? { executionId: meta.executionId } : {}),
    };
  });
}

export interface WindowFailure {
  readonly name: string;
  readonly message: string;
  /** The data itself failed (an untypeable value, malformed CSV, a count mismatch): counts as an attempt. */
  readonly dataError: boolean;
}

/**
 * A window that failed. A data failure counts as an attempt, and the `maxAttempts`-th quarantines the
 * window; anything else (an outage, a quota) leaves the count alone, since retrying later may succeed.
 * A window that had landed keeps its state: a failed explicit re-run left its published data intact.
 */
export function withFailed(
  ledger: Ledger,
  window: LedgerWindow,
  failure: WindowFailure,
  meta: { at: string; maxAttempts: number },
): Ledger {
  return withEntry(ledger, window, (current) => {
    const entry = current ?? fresh(window, meta.at);
    const lastError = { name: failure.name, message: failure.message, at: meta.at };
    if (entry.state === 'landed') return { ...entry, lastError, updatedAt: meta.at };
    const attempts = entry.attempts + (failure.dataError ? 1 : 0);
    return {
      ...entry,
      state: attempts >= meta.maxAttempts ? 'quarantined' : 'failed',
      attempts,
      lastError,
      updatedAt: meta.at,
    };
  });
}

/** An operator's `retry`: a quarantined (or failed) window goes back to `failed` with its count reset. */
export function withRetried(ledger: Ledger, window: LedgerWindow, meta: { at: string }): Ledger {
  return withEntry(ledger, window, (current) => ({
    ...(current ?? fresh(window, meta.at)),
    state: 'failed',
    attempts: 0,
    updatedAt: meta.at,
  }));
}

/**
 * The watermark users see: the end of the unbroken run of settled windows from `firstStart`. A
 * quarantined window does not hold it back (its data waits for an operator, who is alerted by its own
 * event and alarm); a failed or missing one does, so freshness shows a gap that runs will fill.
 */
export function derivedWatermark(ledger: Ledger, firstStart: string): string | undefined {
  let cursor = Date.parse(firstStart);
  let moved = false;
  for (const entry of [...ledger.windows].sort(byStart)) {
    if (Date.parse(entry.end) <= cursor) continue;
    if (Date.parse(entry.start) > cursor || !SETTLED.has(entry.state)) break;
    cursor = Date.parse(entry.end);
    moved = true;
  }
  return moved ? new Date(cursor).toISOString().replace('.000Z', 'Z') : undefined;
}

/** Of a scheduled run's candidate windows (oldest first), those not settled, up to `cap`. */
export function windowsToDo<W extends LedgerWindow>(ledger: Ledger, candidates: readonly W[], cap: number): W[] {
  const settled = ledger.windows.filter((e) => SETTLED.has(e.state));
  return [...candidates]
    .sort(byStart)
    .filter(
      (w) =>
        !settled.some(
          (e) =>
            sameWindow(e, w) ||
            (e.state === 'landed' &&
              Date.parse(e.start) <= Date.parse(w.start) &&
              Date.parse(w.end) <= Date.parse(e.end)),
        ),
    )
    .slice(0, cap);
}

export function quarantined(ledger: Ledger): LedgerEntry[] {
  return ledger.windows.filter((e) => e.state === 'quarantined');
}
