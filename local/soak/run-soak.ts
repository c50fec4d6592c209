// A month in minutes: simulated days of scheduled runs of a Marketo and a Clickwrap export, each run a
// child process replaying its schedule (`run --as-of`), with the calendar's faults, while a reader
// samples the curated tables every second. At the end the lake is checked against the simulators and
// every guarantee is judged.
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPipelineConfig } from '../../lib/config';
import { loadLocalWorkflow } from '../engine/workflow-cache';
import { checkLandedWindow, type GroundTruth, type WindowCheck } from './lake-check';
import { LakeReader } from './lake-reader';
import { PartialWindowWatch } from './partial-window-watch';
import { SOAK_EXPORTS, type SoakCalendar } from './soak-calendar';
import { soakMonth, writeSoakConfig } from './soak-config';
import { runSoakDay, type DayRecord } from './soak-day';
import { createCalls, quarantinedWindows } from './soak-evidence';
import { judgeSoak, type Guarantee, type SoakEvidence } from './soak-guarantees';
import { startSoakSimulators, type SoakSimulators } from './soak-simulators';

export interface SoakResult {
  readonly evidence: SoakEvidence;
  readonly guarantees: readonly Guarantee[];
  readonly ok: boolean;
  readonly wallSeconds: number;
  readonly out: string;
}

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const EXPORTS = [SOAK_EXPORTS.marketo, SOAK_EXPORTS.clickwrap];

export async function runSoak(o: {
  calendar: SoakCalendar;
  seed: number;
  out: string;
  /** Told of each day as it ends (the command prints it). */
  onDay?: (day: DayRecord) => void;
}): Promise<SoakResult> {
  const started = Date.now();
  const out = path.resolve(o.out);
  const paths = {
    repoRoot: REPO_ROOT,
    store: path.join(out, 'store'),
    config: path.join(out, 'pipeline.json'),
    events: path.join(out, 'events.jsonl'),
  };
  mkdirSync(paths.store, { recursive: true });
  const month = soakMonth(o.calendar.days);
  writeSoakConfig(paths.config, month);
  const config = loadPipelineConfig(paths.config);
  // Synthesized once here: the children find it cached instead of each synthesizing it.
  await loadLocalWorkflow(config);

  const sims = await startSoakSimulators(o.seed);
  const reader = await LakeReader.open(paths.store);
  const watch = new PartialWindowWatch(reader, EXPORTS);
  const days: DayRecord[] = [];
  const landedOn = new Map<string, Map<string, number>>(EXPORTS.map((e) => [e, new Map()]));
  try {
    watch.start();
    for (let day = 1; day <= o.calendar.days; day++) {
      watch.day = day;
      const record = await runSoakDay(day, o.calendar, month, sims, paths);
      await watch.sampleNow();
      for (const name of EXPORTS)
        for (const manifest of (await reader.manifests(name)).values())
          if (manifest && !landedOn.get(name)!.has(manifest.window.start))
            landedOn.get(name)!.set(manifest.window.start, day);
      days.push(record);
      o.onDay?.(record);
    }
    const summary = await watch.stop();
    const lake: WindowCheck[] = [];
    const truth = groundTruth(sims);
    for (const def of config.exports)
      for (const manifest of (await reader.manifests(def.name)).values())
        if (manifest) lake.push(await checkLandedWindow(paths.store, def, manifest, truth));
    const evidence: SoakEvidence = {
      calendar: o.calendar,
      month,
      days,
      landedOn,
      lake,
      watch: summary,
      creates: createCalls(sims, month.firstStart),
      quarantined: await quarantinedWindows(paths.store, EXPORTS),
    };
    const guarantees = judgeSoak(evidence);
    return { evidence, guarantees, ok: guarantees.every((g) => g.ok), wallSeconds: (Date.now() - started) / 1000, out };
  } finally {
    await watch.stop();
    reader.dispose();
    await sims.stop();
  }
}

/** The simulators' own SHA-256 of a landed window's file: Marketo states it per job, Clickwrap's bytes are hashed. */
function groundTruth(sims: SoakSimulators): GroundTruth {
  return (manifest, fileIndex) => {
    if (manifest.provider === 'marketo') {
      const job = sims.marketo.jobs().find((j) => j.exportId === manifest.job.id);
      return Promise.resolve(job?.fileChecksum?.replace(/^sha256:/, ''));
    }
    try {
      return Promise.resolve(
        createHash('sha256').update(sims.clickwrap.fileBytes(manifest.job.id, fileIndex)).digest('hex'),
      );
    } catch {
      return Promise.resolve(undefined);
    }
  };
}
