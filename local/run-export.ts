// One export, run end to end on this machine: the synthesized state machine on the local engine, the
// real handlers, a bundled simulator unless real credentials are set, a directory or bucket as store.
import * as path from 'node:path';
import { z } from 'zod';
import type { ProviderName } from '#providers/types';
import type { Clock } from '#shared/clock';
import type { Logger } from '#shared/logger';
import type { MetricsRecorder } from '#shared/metrics';
import type { ExportSucceededDetail } from '#workflow/events';
import type { SplitTuning, StepEventSink } from '#workflow/runtime';
import type { TransferTuning } from '#transfer/transfer-file';
import type { PipelineConfig } from '../lib/config';
import { runLocally } from './engine/local-engine';
import type { LocalRunResult, PublishedEvent } from './engine/local-run-types';
import { loadLocalWorkflow, type LocalWorkflow } from './engine/workflow-cache';
import { createLocalRuntime, credentialsFromEnv, SIMULATOR_SLEEP_SCALE, type StoreTarget } from './local-runtime';
import { startSimulatorFor, type RunningSimulator, type SimulatorSettings } from './simulators/start-simulator';

export interface RunExportOptions {
  readonly config: PipelineConfig;
  readonly exportName: string;
  /** Explicit range; without it the run is a scheduled one (watermark → now − lag). */
  readonly from?: string;
  readonly to?: string;
  /** An operator's retry of the failed or quarantined window starting here (the execution input's `retryWindow`). */
  readonly retryWindow?: string;
  /** Start the run as the export's schedule does: a busy export skips it instead of failing it. */
  readonly scheduled?: boolean;
  readonly store: StoreTarget;
  readonly logger: Logger;
  /** Where the steps' metrics go (a caller's recorder). @default EMF lines in the log */
  readonly metrics?: MetricsRecorder;
  /** 'auto': the simulator unless the provider's credentials are in the environment. */
  readonly source?: 'auto' | 'simulator';
  readonly simulator?: SimulatorSettings;
  /**
   * The credentials (from the environment) reach a bundled simulator another process runs: its waits
   * are shortened and its data recorded as the simulator's, as when this run starts the simulator.
   */
  readonly simulatedApi?: boolean;
  /** The runtime's clock (`run --as-of` replays a past instant). @default the system clock */
  readonly clock?: Clock;
  /** One TransferChunk invocation's budget. @default 10 minutes (several chunks happen anyway on big files via maxChunkBytes) */
  readonly chunkBudgetMs?: number;
  /** Transfer knobs; `maxBytesPerInvocation` makes a small file cross several TransferChunk invocations. */
  readonly transferTuning?: TransferTuning;
  readonly splitTuning?: SplitTuning;
  readonly eventsFile?: string;
  /** Subscribes to the runtime's step events (the progress display). */
  readonly onProgress?: StepEventSink;
  readonly onEvent?: (event: PublishedEvent) => void;
  /** Reuse a synthesized definition (tests synthesize once per file). @default the cached one, see workflow-cache */
  readonly workflow?: LocalWorkflow;
  /** Wait states locally: shortened to this many ms (20 against a simulator by default; real against a real API unless given). */
  readonly waitMs?: number;
  readonly maxTaskInvocations?: number;
  /** Stop (status PARKED) before a quota or queue wait longer than this; the next run resumes the job. Unset: wait. */
  readonly maxWaitSeconds?: number;
  /** Stops the run like StopExecution; its windows are then cleaned up by the status-change handler. */
  readonly signal?: AbortSignal;
  /** How long steps in flight get to settle after a stop. @default 30 seconds */
  readonly stopGraceMs?: number;
}

export interface RunExportResult extends LocalRunResult {
  readonly source: 'simulator' | 'api';
  readonly succeeded?: ExportSucceededDetail;
  /** A scheduled start that found its export busy: nothing ran. */
  readonly skipped?: z.infer<typeof SkippedStartSchema>;
  readonly simulator?: RunningSimulator;
}

const SkippedStartSchema = z.strictObject({ holder: z.string(), message: z.string() });

export class UnknownExportError extends Error {
  override readonly name = 'UnknownExportError';
}

/**
 * Runs the export. The simulator (when used) is stopped before returning unless `keepSimulator`
 * is passed in settings, so tests can inspect its jobs afterwards and stop it themselves.
 */
export async function runExport(options: RunExportOptions): Promise<RunExportResult> {
  const def = options.config.exports.find((e) => e.name === options.exportName);
  if (!def) {
    const names = options.config.exports.map((e) => e.name).join(', ');
    throw new UnknownExportError(`no export named "${options.exportName}" in the config (known: ${names})`);
  }
  const envCredentials = options.source === 'simulator' ? undefined : credentialsFromEnv(def.provider);
  const simulator = envCredentials ? undefined : await startSimulatorFor(def.provider, options.simulator ?? {});
  const credentials = (provider: ProviderName): unknown => {
    if (provider !== def.provider) throw new Error(`this run only talks to ${def.provider}`);
    return envCredentials ?? simulator!.credentials;
  };
  const simulated = Boolean(simulator) || options.simulatedApi === true;
  try {
    const workflow = options.workflow ?? (await loadLocalWorkflow(options.config));
    const runtime = createLocalRuntime({
      exports: options.config.exports,
      store: options.store,
      credentials,
      logger: options.logger,
      ...(options.metrics ? { metrics: options.metrics } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
      // A real API gets real waits.
      sleepScale: simulated ? SIMULATOR_SLEEP_SCALE : 1,
      chunkBudgetMs: options.chunkBudgetMs ?? 10 * 60_000,
      ...(options.transferTuning ? { transferTuning: options.transferTuning } : {}),
      ...(options.splitTuning ? { splitTuning: options.splitTuning } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(simulated ? { simulated: true } : {}),
    });
    const input = {
      export: def.name,
      ...(options.from && options.to ? { from: options.from, to: options.to } : {}),
      ...(options.retryWindow ? { retryWindow: options.retryWindow } : {}),
      ...(options.scheduled ? { trigger: 'schedule' as const } : {}),
    };
    const result = await runLocally({
      definition: workflow.definition,
      input,
      runtime,
      // An explicit waitMs shortens the waits against an API too (tests reach a simulator through env credentials).
      ...(simulated || options.waitMs !== undefined ? { waitMs: options.waitMs ?? 20, retryMs: 20 } : {}),
      ...(options.maxTaskInvocations ? { maxTaskInvocations: options.maxTaskInvocations } : {}),
      ...(options.maxWaitSeconds !== undefined ? { maxWaitSeconds: options.maxWaitSeconds } : {}),
      ...(options.eventsFile ? { eventsFile: path.resolve(options.eventsFile) } : {}),
      ...(options.onEvent ? { onEvent: options.onEvent } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.stopGraceMs !== undefined ? { stopGraceMs: options.stopGraceMs } : {}),
    });
    // A scheduled start that met a busy export succeeds with only the holder and why (SkippedExportBusy).
    const skipped = result.status === 'SUCCEEDED' ? SkippedStartSchema.safeParse(result.output) : undefined;
    const succeeded =
      result.status === 'SUCCEEDED' && !skipped?.success ? (result.output as ExportSucceededDetail) : undefined;
    return {
      ...result,
      ...(skipped?.success ? { skipped: skipped.data } : {}),
      source: simulated ? 'simulator' : 'api',
      ...(succeeded ? { succeeded } : {}),
      ...(simulator ? { simulator } : {}),
    };
  } finally {
    if (simulator && !options.simulator?.keepRunning && !options.simulator?.running) await simulator.stop();
  }
}
