// One local run of an export as the CLI shows it: progress while it runs, Ctrl-C handling, and the
// summary (or, when it stopped before a long wait, how to resume) at the end.
import * as path from 'node:path';
import { exportMode } from '#providers/descriptors';
import type { Clock } from '#shared/clock';
import type { SplitTuning } from '#workflow/runtime';
import type { PipelineConfig } from '../../lib/config';
import { fileLogger } from '../file-logger';
import type { StoreTarget } from '../local-runtime';
import { loadLocalWorkflow } from '../engine/workflow-cache';
import { runExport } from '../run-export';
import { createProgressReporter } from './progress';
import { interruptOnSignals } from './interrupt';
import { renderParked, renderSummary } from './summary';
import { UsageError } from './usage-error';
import { parseWaitDuration } from './wait-duration';

/** A local run stopped before a wait longer than --max-wait: its job is recorded for the next run. */
export const EXIT_PARKED = 75;

function logFileFor(): string {
  return path.resolve('.local-state', 'logs', `run-${new Date().toISOString().replace(/[:.]/g, '-')}.jsonl`);
}

export async function executeExport(
  config: PipelineConfig,
  exportName: string,
  o: {
    from?: string | undefined;
    to?: string | undefined;
    /** An operator's retry of the window starting here (`retry`). */
    retryWindow?: string | undefined;
    store: StoreTarget;
    source: 'auto' | 'simulator';
    events: string;
    /** --max-wait as the user wrote it. */
    maxWait: string;
    /** The arguments that run the same thing again (printed when the run stops before a long wait). */
    resume: readonly string[];
    verbose?: boolean | undefined;
    simulatorSettings?: Parameters<typeof runExport>[0]['simulator'];
    maxChunkBytes?: number;
    /** `--as-of`: the replayed instant's clock, and the run started as the schedule starts it. */
    clock?: Clock;
    scheduled?: boolean;
    simulatedApi?: boolean;
    splitTuning?: SplitTuning;
  },
): Promise<number> {
  const maxWaitSeconds = parseWaitDuration(o.maxWait);
  if (maxWaitSeconds === undefined)
    throw new UsageError(`--max-wait "${o.maxWait}" is not a duration such as 90s, 5m, 2h or 1d`);
  const logFile = logFileFor();
  const progress = createProgressReporter();
  const started = Date.now();
  // A first run (or one after a change to the code or the config) synthesizes: say so, it takes
  // seconds. Nothing has started yet, so a Ctrl-C meanwhile just quits (saying so).
  const workflow = await loadLocalWorkflow(config, {
    onSynthesize: () =>
      progress.line('• Synthesizing the state machine (first run after a change; cached for the next ones)…'),
  });
  const interrupt = interruptOnSignals((text) => progress.line(text));
  const result = await runExport({
    config,
    workflow,
    exportName,
    ...(o.from && o.to ? { from: o.from, to: o.to } : {}),
    ...(o.retryWindow ? { retryWindow: o.retryWindow } : {}),
    store: o.store,
    source: o.source,
    logger: fileLogger(logFile, Boolean(o.verbose)),
    eventsFile: o.events,
    onProgress: (e) => progress.onProgress(e),
    onEvent: (e) => progress.line(`• Event "${e.detailType}" published (source ${e.source})`),
    ...(o.simulatorSettings ? { simulator: o.simulatorSettings } : {}),
    ...(o.maxChunkBytes ? { transferTuning: { maxBytesPerInvocation: o.maxChunkBytes } } : {}),
    maxWaitSeconds,
    ...(o.clock ? { clock: o.clock } : {}),
    ...(o.scheduled ? { scheduled: true } : {}),
    ...(o.simulatedApi ? { simulatedApi: true } : {}),
    ...(o.splitTuning ? { splitTuning: o.splitTuning } : {}),
    signal: interrupt.signal,
  }).finally(() => interrupt.dispose());
  progress.stop();
  const def = config.exports.find((e) => e.name === exportName);
  const about = def ? { firstStart: def.window.firstStart, snapshot: exportMode(def) === 'snapshot' } : {};
  const where = o.store.kind === 's3' ? `s3://${o.store.bucket}/` : `${path.resolve(o.store.dir)}/`;
  if (result.status === 'PARKED' && result.parked) {
    process.stdout.write(
      `${renderParked(result.parked, { exportName, maxWait: o.maxWait, resume: o.resume, where, simulator: result.source === 'simulator' })}\n`,
    );
    return EXIT_PARKED;
  }
  process.stdout.write(
    `${renderSummary(result, { seconds: (Date.now() - started) / 1000, where, eventsFile: path.resolve(o.events), logFile, ...about })}\n`,
  );
  if (result.status === 'ABORTED') return interrupt.exitCode() ?? 130;
  return result.status === 'SUCCEEDED' ? 0 : 1;
}
