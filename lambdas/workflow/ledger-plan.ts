// Plan's reading of the window ledger: which windows a scheduled run owes (not landed, not
// quarantined; oldest first, up to the cap), from the end of the contiguous landed range. The ledger
// is read as the run's data source sees it: a simulator's entries say nothing about real data, so a
// real run reads the ledger without them (data-source.ts, the same rule as the watermark's).
import { ValidationError } from '#shared/errors';
import type { ExportDefinition } from '#shared/export-definition';
import { derivedWatermark, windowsToDo, type Ledger, type LedgerEntry } from '#window/ledger';
import { readOrSeedLedger } from '#window/ledger-seed';
import { watermarkStanding } from './data-source';
import type { WorkflowRuntime } from './runtime';
import { readWatermark } from './watermark';
import { MAX_WINDOWS_PER_RUN, planWindows, type WindowPlan } from './windows';

/** How many caps' worth of candidates a plan looks through for windows still owed (landed ones are skipped). */
const MAX_CANDIDATE_PAGES = 24;

/** Whether a run from `runSource` must not build on `entry` (a simulator's entry under a real run). */
export function notOwnedBy(runSource: string | undefined): (entry: LedgerEntry) => boolean {
  return (entry) => watermarkStanding(entry.source, runSource) === 'ignore';
}

/** The ledger as a run from `runSource` reads it. */
export function ledgerAsSeenBy(ledger: Ledger, runSource: string | undefined): Ledger {
  const ignored = notOwnedBy(runSource);
  return { ...ledger, windows: ledger.windows.filter((e) => !ignored(e)) };
}

/** The export's ledger (seeded from its manifests and old watermark on the first read) as this run sees it. */
export async function runLedger(rt: WorkflowRuntime, def: ExportDefinition, runSource: string): Promise<Ledger> {
  const ledger = await readOrSeedLedger(
    rt.store,
    def.name,
    async () => (await readWatermark(rt.store, def.name))?.value,
    { at: rt.clock.now().toISOString(), firstStart: def.window.firstStart },
  );
  return ledgerAsSeenBy(ledger, runSource);
}

/**
 * A scheduled run's windows: candidates from the derived watermark (or the first start) to now − lag,
 * less those the ledger has landed or quarantined, up to MAX_WINDOWS_PER_RUN. Candidates are looked
 * through past one cap's worth, so a stretch of windows that already landed (after a failed one) does
 * not stop the run from reaching the ones still owed.
 */
export function scheduledWindows(
  ledger: Ledger,
  def: ExportDefinition,
  maxSpanDays: number,
  now: Date,
): WindowPlan & { resumeFrom: string } {
  const resumeFrom = derivedWatermark(ledger, def.window.firstStart) ?? def.window.firstStart;
  const todo: WindowPlan['windows'] = [];
  let from = resumeFrom;
  let more = false;
  for (let page = 0; page < MAX_CANDIDATE_PAGES; page++) {
    const candidates = planWindows({
      grain: def.window.grain,
      maxSpanDays,
      resumeFrom: from,
      now,
      lagMinutes: def.window.lagMinutes,
    });
    const owed = windowsToDo(ledger, candidates.windows, MAX_WINDOWS_PER_RUN + 1);
    todo.push(...owed);
    more = candidates.truncated;
    if (todo.length > MAX_WINDOWS_PER_RUN || !candidates.truncated || !candidates.end) break;
    from = candidates.end;
  }
  const windows = todo.slice(0, MAX_WINDOWS_PER_RUN);
  const last = windows.at(-1);
  return {
    windows,
    truncated: todo.length > MAX_WINDOWS_PER_RUN || more,
    resumeFrom,
    ...(last ? { end: last.end } : {}),
  };
}

/**
 * An operator's retry of the window starting at `start`: one the ledger owes (failed, quarantined, or
 * left planned or running by a run that died). A landed window is re-run with an explicit from/to.
 */
export function retryPlan(ledger: Ledger, exportName: string, start: string): WindowPlan {
  const entry = ledger.windows.find((e) => Date.parse(e.start) === Date.parse(start));
  if (!entry) {
    throw new ValidationError(
      'retryWindow',
      `export "${exportName}" has no window starting at ${start} in its ledger (\`history ${exportName} --windows\` lists them)`,
    );
  }
  if (entry.state === 'landed') {
    throw new ValidationError(
      'retryWindow',
      `window ${entry.start}/${entry.end} of "${exportName}" has landed; re-run it with an explicit from/to`,
    );
  }
  const window = { start: entry.start, end: entry.end };
  return { windows: [window], end: window.end, truncated: false };
}
