// The soak's report as text: per day what ran and each fault's outcome, the reader's sightings, the
// lake check, quarantined windows, create calls per window, and the verdict on every guarantee.
import type { DayRecord } from './soak-day';
import type { SoakResult } from './run-soak';

export function renderDay(day: DayRecord): string {
  const lines = [`day ${String(day.day).padStart(2)}${day.faults.length ? `  faults: ${day.faults.join('; ')}` : ''}`];
  for (const r of day.runs)
    lines.push(
      `        ${r.kind === 'scheduled' ? '' : `${r.kind} `}${r.export}${r.asOf ? ` as of ${r.asOf}` : ''}: ${r.outcome}${r.landed ? ` (${r.landed} window(s) published)` : ''} — ${r.detail}`,
    );
  return lines.join('\n');
}

export function renderSoakReport(result: SoakResult): string {
  const e = result.evidence;
  const runs = e.days.flatMap((d) => d.runs);
  const kills = runs.filter((r) => r.outcome === 'killed').length;
  const lines = [
    '',
    `Soak: ${e.calendar.days} simulated days, ${runs.length} runs (${kills} killed), wall time ${result.wallSeconds.toFixed(0)} s`,
    `  reader: ${e.watch.samples} samples judged, ${e.watch.unsettled} taken while something changed (re-sampled), ${e.watch.sightings.length} partial-window sighting(s)`,
    `  lake:   ${e.lake.length} landed window(s) checked against the simulators and a strict parse`,
  ];
  const byWindow = new Map<string, number[]>();
  for (const c of e.creates) {
    const key = `${c.export} ${c.window}`;
    byWindow.set(key, [...(byWindow.get(key) ?? []), c.day]);
  }
  const repeated = [...byWindow].filter(([, days]) => days.length > 1);
  lines.push(
    `  create calls: ${e.creates.length} for ${byWindow.size} window(s); windows created more than once: ${repeated.length}`,
  );
  for (const [window, days] of repeated) lines.push(`    ${window}: created on days ${days.join(', ')}`);
  lines.push(`  quarantined: ${e.quarantined.length}`);
  for (const q of e.quarantined)
    lines.push(`    ${q.export} ${q.start} → ${q.end} after ${q.attempts} attempt(s): ${q.reason}`);
  lines.push('', 'Guarantees:');
  for (const g of result.guarantees) {
    lines.push(`  ${g.ok ? '✔' : '✘'} ${g.name}`);
    for (const line of g.evidence.slice(0, 12)) lines.push(`      ${line}`);
    if (g.evidence.length > 12) lines.push(`      … and ${g.evidence.length - 12} more`);
  }
  lines.push('', result.ok ? '✔ every guarantee held' : '✘ some guarantees failed', `  output ${result.out}`);
  return lines.join('\n');
}
