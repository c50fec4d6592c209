// The guarantees a soak proves, each judged from what was gathered, with the evidence for a failure.
import type { WindowCheck } from './lake-check';
import type { WatchSummary } from './partial-window-watch';
import type { RunRecord } from './run-record';
import { SOAK_EXPORTS, type SoakCalendar } from './soak-calendar';
import type { SoakMonth } from './soak-config';
import { backfillRange, type DayRecord } from './soak-day';
import type { CreateCall, Quarantined } from './soak-evidence';

export interface SoakEvidence {
  readonly calendar: SoakCalendar;
  readonly month: SoakMonth;
  readonly days: readonly DayRecord[];
  /** Per export: window start → the first day at whose end its manifest was there. */
  readonly landedOn: ReadonlyMap<string, ReadonlyMap<string, number>>;
  readonly lake: readonly WindowCheck[];
  readonly watch: WatchSummary;
  readonly creates: readonly CreateCall[];
  readonly quarantined: readonly Quarantined[];
}

export interface Guarantee {
  readonly name: string;
  readonly ok: boolean;
  readonly evidence: readonly string[];
}

const EXPORTS = [SOAK_EXPORTS.marketo, SOAK_EXPORTS.clickwrap];

export function judgeSoak(e: SoakEvidence): Guarantee[] {
  const landedBy = (exportName: string, day: number, window: number) => {
    const on = e.landedOn.get(exportName)?.get(e.month.windowOf(window).start);
    return on !== undefined && on <= day;
  };
  const quarantined = (exportName: string, window: number) =>
    e.quarantined.some((q) => q.export === exportName && q.start === e.month.windowOf(window).start);
  const settledBy = (exportName: string, day: number, window: number) =>
    landedBy(exportName, day, window) || quarantined(exportName, window);
  const runsOf = (day: number, exportName: string) =>
    e.days.find((d) => d.day === day)?.runs.filter((r) => r.export === exportName) ?? [];
  const out: Guarantee[] = [];

  const sightings = e.watch.sightings.map(
    (s) =>
      `${s.export} dt=${s.dt} on day ${s.day}: ${s.rows} rows readable, manifest says ${s.expected ?? 'nothing (no manifest)'} (${s.samples} sample(s), ${s.firstSeen} → ${s.lastSeen})`,
  );
  out.push({ name: 'a reader never saw a partial window', ok: sightings.length === 0, evidence: sightings });

  const wrong = e.lake.flatMap((w) => w.problems.map((p) => `${w.export} ${w.window.start}: ${p}`));
  out.push({
    name: `the lake equals the simulators' ground truth for every landed window (${e.lake.length} checked)`,
    ok: wrong.length === 0 && e.lake.length > 0,
    evidence: e.lake.length === 0 ? ['no landed window to check'] : wrong,
  });

  const backfill = backfillOf(e);
  const again = e.creates.filter((c) => {
    const on = e.landedOn.get(c.export)?.get(c.window);
    const byBackfill =
      backfill &&
      c.export === SOAK_EXPORTS.marketo &&
      c.day === backfill.day &&
      c.window >= backfill.from &&
      c.window < backfill.to;
    return on !== undefined && on < c.day && !byBackfill;
  });
  out.push({
    name: 'no landed window was exported again by a scheduled run',
    ok: again.length === 0,
    evidence: again.map(
      (c) =>
        `${c.export} ${c.window} (landed day ${e.landedOn.get(c.export)?.get(c.window)}): job ${c.jobId} created on day ${c.day}`,
    ),
  });

  const open: string[] = [];
  for (const name of EXPORTS)
    for (let d = 1; d <= e.calendar.days; d++)
      if (!settledBy(name, e.calendar.days, d))
        open.push(`${name} ${e.month.windowOf(d).start}: neither landed nor quarantined`);
  const unexplained = e.quarantined
    .filter((q) => q.reason === '(no reason recorded)')
    .map((q) => `${q.export} ${q.start}: quarantined without a reason`);
  out.push({
    name: 'every window is landed or quarantined with its reason',
    ok: open.length + unexplained.length === 0,
    evidence: [...open, ...unexplained],
  });

  for (const kill of e.calendar.kills) {
    const run = runsOf(kill.day, kill.export).find((r) => r.kind === 'scheduled');
    const evidence: string[] = [];
    if (run?.outcome !== 'killed')
      evidence.push(`the kill point ${kill.at} was not reached (the run ${run?.outcome ?? 'did not run'})`);
    for (const w of [kill.day, kill.day + 1].filter((w) => w <= e.calendar.days))
      if (!settledBy(kill.export, kill.day + 1, w))
        evidence.push(`window ${e.month.windowOf(w).start} not landed by day ${kill.day + 1}`);
    out.push({
      name: `day ${kill.day}: SIGKILL of ${kill.export} at ${kill.at}; the next run converged`,
      ok: evidence.length === 0,
      evidence,
    });
  }

  const { poison } = e.calendar;
  if (poison) {
    const evidence: string[] = [];
    const name = SOAK_EXPORTS.clickwrap;
    const poisonedStart = e.month.windowOf(poison.from).start;
    const on = e.landedOn.get(name)?.get(poisonedStart);
    if (on !== undefined && on < poison.until) evidence.push(`the poisoned window landed on day ${on}, while poisoned`);
    for (let d = poison.from + 1; d < poison.until && d <= e.calendar.days; d++)
      if (!landedBy(name, d, d))
        evidence.push(`window ${e.month.windowOf(d).start} was held back on day ${d} (bad data blocked the rest)`);
    if (!settledBy(name, e.calendar.days, poison.from))
      evidence.push('the poisoned window is neither landed after the fix nor quarantined');
    out.push({
      name: `days ${poison.from}–${poison.until}: a poison value never blocks the other windows`,
      ok: evidence.length === 0,
      evidence,
    });
  }

  if (e.calendar.outageDay !== undefined) {
    const day = e.calendar.outageDay;
    const evidence = faultDayEvidence(runsOf(day, SOAK_EXPORTS.marketo), ['failed', 'landed']);
    if (!landedBy(SOAK_EXPORTS.marketo, day + 1, day))
      evidence.push(`window ${e.month.windowOf(day).start} not landed by day ${day + 1}`);
    if (quarantined(SOAK_EXPORTS.marketo, day)) evidence.push('an outage (transient) quarantined the window');
    out.push({
      name: `day ${day}: a provider outage fails the run cleanly; the next day lands the window`,
      ok: evidence.length === 0,
      evidence,
    });
  }

  if (e.calendar.quotaDay !== undefined) {
    const day = e.calendar.quotaDay;
    const evidence = faultDayEvidence(runsOf(day, SOAK_EXPORTS.marketo), ['parked']);
    if (!landedBy(SOAK_EXPORTS.marketo, day + 1, day))
      evidence.push(`window ${e.month.windowOf(day).start} not landed by day ${day + 1}`);
    const creates = e.creates.filter(
      (c) => c.export === SOAK_EXPORTS.marketo && c.window === e.month.windowOf(day).start,
    );
    if (creates.length !== 1)
      evidence.push(`${creates.length} jobs created for the window (the parked job should be resumed)`);
    out.push({
      name: `day ${day}: the quota parks the run (exit 75); the next day resumes the same job`,
      ok: evidence.length === 0,
      evidence,
    });
  }

  if (backfill) {
    const runs = runsOf(backfill.day, SOAK_EXPORTS.marketo);
    const evidence = runs
      .filter((r) => !['landed', 'busy', 'skipped-busy', 'nothing-due'].includes(r.outcome))
      .map((r) => `${r.kind} run ${r.outcome}: ${r.detail}`);
    const met = runs.filter((r) => r.outcome === 'busy' || r.outcome === 'skipped-busy').length;
    if (met > 1) evidence.push('both runs met a busy export: none ran');
    out.push({
      name: `day ${backfill.day}: a manual backfill overlapping the scheduled run never collides (${met === 1 ? 'one met the busy export' : 'they did not overlap'})`,
      ok: evidence.length === 0,
      evidence,
    });
  }

  const faulted = new Set<string>(e.calendar.kills.map((k) => `${k.day}|${k.export}`));
  if (e.calendar.outageDay !== undefined) faulted.add(`${e.calendar.outageDay}|${SOAK_EXPORTS.marketo}`);
  if (e.calendar.quotaDay !== undefined) faulted.add(`${e.calendar.quotaDay}|${SOAK_EXPORTS.marketo}`);
  if (backfill) faulted.add(`${backfill.day}|${SOAK_EXPORTS.marketo}`);
  if (poison) for (let d = poison.from; d <= poison.until; d++) faulted.add(`${d}|${SOAK_EXPORTS.clickwrap}`);
  const bad = e.days.flatMap((d) =>
    d.runs
      .filter((r) => !faulted.has(`${d.day}|${r.export}`) && r.outcome !== 'landed' && r.outcome !== 'nothing-due')
      .map((r) => `day ${d.day} ${r.export}: ${r.outcome}: ${r.detail}`),
  );
  out.push({ name: 'every run on a day without a fault landed its windows', ok: bad.length === 0, evidence: bad });
  return out;
}

function faultDayEvidence(runs: readonly RunRecord[], expected: readonly RunRecord['outcome'][]): string[] {
  const run = runs.find((r) => r.kind === 'scheduled');
  if (!run) return ['the run did not happen'];
  return expected.includes(run.outcome)
    ? []
    : [`the run ${run.outcome} (expected ${expected.join(' or ')}): ${run.detail}`];
}

function backfillOf(e: SoakEvidence) {
  const day = e.calendar.backfillDay;
  return day === undefined ? undefined : { day, ...backfillRange(day, e.month) };
}
