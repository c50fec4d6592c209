// A month in minutes, shortened: six simulated days of scheduled runs (`run --as-of`, each a child
// process) of a Marketo and a Clickwrap export on one simulator instance each, with one SIGKILL during
// conversion, one poison value (days 3→5) and one Marketo outage (day 4), while a reader samples the
// curated tables every second. Each guarantee the full soak (`npm run soak`) proves is asserted here.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runSoak, type SoakResult } from '../../local/soak/run-soak';
import { soakCalendar } from '../../local/soak/soak-calendar';
import { renderSoakReport } from '../../local/soak/soak-report';

const out = mkdtempSync(path.join(tmpdir(), 'soak-test-'));
let result: SoakResult;

beforeAll(async () => {
  result = await runSoak({ calendar: soakCalendar(6, 1), seed: 1, out });
});

afterAll(() => rmSync(out, { recursive: true, force: true }));

/** The guarantee whose name starts with `prefix`, with the report as the failure message. */
function guarantee(prefix: string) {
  const found = result.guarantees.find((g) => g.name.startsWith(prefix));
  expect(found, renderSoakReport(result)).toBeDefined();
  return { ok: found!.ok, evidence: found!.evidence.join('\n') };
}

it('the short month ran what its calendar says: 12 scheduled runs, the kill landed during conversion', () => {
  const runs = result.evidence.days.flatMap((d) => d.runs);
  expect(runs).toHaveLength(12);
  const killed = runs.filter((r) => r.outcome === 'killed');
  expect(killed.map((r) => [r.export, r.killPoint])).toEqual([['marketo-activities', 'convert']]);
  expect(killed[0]!.killedAfter).toMatch(/^• ConvertSplit \[/);
});

it('a reader sampling every second never saw a partial window', () => {
  const g = guarantee('a reader never saw a partial window');
  expect(result.evidence.watch.samples).toBeGreaterThan(0);
  expect(g.evidence).toBe('');
});

it("the lake equals the simulators' ground truth and a strict parse for every landed window", () => {
  const g = guarantee("the lake equals the simulators' ground truth");
  expect(g.evidence).toBe('');
  expect(g.ok).toBe(true);
});

it('no landed window was exported again by a scheduled run (the simulators counted every create)', () => {
  expect(guarantee('no landed window was exported again').evidence).toBe('');
});

it('every window is landed or quarantined with its reason', () => {
  expect(guarantee('every window is landed or quarantined').evidence).toBe('');
});

it('the run killed during conversion: the next run converged', () => {
  expect(guarantee('day 2: SIGKILL').evidence).toBe('');
});

it('the poison value never blocked the other windows', () => {
  expect(guarantee('days 3–5: a poison value').evidence).toBe('');
});

it('the outage failed its run cleanly; the next day landed the window', () => {
  expect(guarantee('day 4: a provider outage').evidence).toBe('');
});

it('every run on a day without a fault landed its windows, and the soak says it held', () => {
  expect(guarantee('every run on a day without a fault').evidence).toBe('');
  expect(result.ok, renderSoakReport(result)).toBe(true);
});
