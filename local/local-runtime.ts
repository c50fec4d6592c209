// The runtime the local engine installs: same steps as on AWS, with a local directory (or any S3 /
// S3-compatible bucket) as the store and credentials from the environment or a bundled simulator.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ProviderName } from '#providers/types';
import { createProvider } from '#providers/registry';
import { storeCallBudgetLedger } from '#workflow/call-budget-ledger';
import { providerDescriptor } from '#providers/descriptors';
import { exportCatalog } from '#shared/export-catalog';
import { ScaledSleepClock, systemClock, type Clock } from '#shared/clock';
import type { ExportDefinition } from '#shared/export-definition';
import type { Logger } from '#shared/logger';
import { emfMetrics, type MetricsRecorder } from '#shared/metrics';
import type { ObjectStore } from '#transfer/object-store';
import type { TransferTuning } from '#transfer/transfer-file';
import { LocalDirObjectStore } from './store/local-dir-object-store';
import { S3ObjectStore } from '#transfer/s3-object-store';
import { tuningFromEnvironment } from '#workflow/tuning-environment';
import { providerTelemetry } from '#workflow/metrics';
import { ProviderCache } from '#workflow/provider-cache';
import { createRuntime, type SplitTuning, type StepEventSink, type WorkflowRuntime } from '#workflow/runtime';
import { registerSecretFields } from '#shared/redact';
import { localExecutionEnded } from './engine/local-executions';

export type StoreTarget = { kind: 'dir'; dir: string } | { kind: 's3'; bucket: string };

export function createStore(target: StoreTarget): { store: ObjectStore; uri: (key: string) => string } {
  if (target.kind === 's3')
    return { store: new S3ObjectStore({ bucket: target.bucket }), uri: (key) => `s3://${target.bucket}/${key}` };
  const root = path.resolve(target.dir);
  return { store: new LocalDirObjectStore({ root }), uri: (key) => pathToFileURL(path.join(root, key)).href };
}

/** Credentials a user set in the environment, read by the provider's descriptor (which names the variables). */
export function credentialsFromEnv(
  provider: ProviderName,
  env: NodeJS.ProcessEnv = process.env,
): Record<string, string> | undefined {
  const credentials = providerDescriptor(provider).credentials.fromEnv(env);
  registerSecretFields(credentials);
  return credentials;
}

/** Against a simulator every in-process provider sleep shrinks a thousandfold. */
export const SIMULATOR_SLEEP_SCALE = 0.001;

export interface LocalRuntimeOptions {
  /** The config's exports: a run names one, as on AWS. */
  readonly exports: readonly ExportDefinition[];
  readonly store: StoreTarget;
  /** Credentials per provider (from the environment or a simulator). */
  readonly credentials: (provider: ProviderName) => unknown;
  readonly logger: Logger;
  /** Where the steps' metrics go. @default EMF lines into the logger's log (the local log file), as on Lambda */
  readonly metrics?: MetricsRecorder;
  readonly clock?: Clock;
  /**
   * How long the providers' sleeps (backoff, rate-limit pauses) really last, as a fraction of what
   * they ask: SIMULATOR_SLEEP_SCALE against a simulator, 1 against a real API. Wait states are
   * shortened by the local engine instead; the transfer and Marketo's call window keep real time.
   */
  readonly sleepScale: number;
  readonly chunkBudgetMs: number;
  readonly transferTuning?: TransferTuning;
  readonly splitTuning?: SplitTuning;
  /** Subscribes to the runtime's step events (the progress display). */
  readonly onProgress?: StepEventSink;
  /** The credentials reach a bundled simulator (its data is recorded as the simulator's). */
  readonly simulated?: boolean;
}

export function createLocalRuntime(options: LocalRuntimeOptions): WorkflowRuntime {
  const { store, uri } = createStore(options.store);
  // MAX_SPLIT_BYTES / RECORD_START_INTERVAL_BYTES cut files locally as they do a Lambda's (tests use them).
  const splitTuning = options.splitTuning ?? tuningFromEnvironment(process.env).split;
  const clock = options.clock ?? systemClock;
  const providerClock = options.sleepScale === 1 ? clock : new ScaledSleepClock(clock, options.sleepScale);
  const metrics =
    options.metrics ?? emfMetrics((line) => options.logger.info('metrics', { emf: JSON.parse(line) as unknown }));
  const providers = new ProviderCache(async (def) => {
    const telemetry = providerTelemetry(metrics, def);
    return createProvider(def, options.credentials(def.provider), {
      clock: providerClock,
      logger: options.logger,
      callBudget: storeCallBudgetLedger(store),
      ...(telemetry ? { telemetry } : {}),
    });
  });
  return createRuntime({
    exports: exportCatalog(options.exports),
    store,
    uri,
    clock,
    logger: options.logger,
    metrics,
    tuning: {
      chunkBudgetMs: options.chunkBudgetMs,
      ...(options.transferTuning ? { transfer: options.transferTuning } : {}),
      ...(splitTuning ? { split: splitTuning } : {}),
    },
    ...(options.onProgress ? { subscribers: [options.onProgress] } : {}),
    ...(options.simulated ? { simulated: true } : {}),
    provider: (def: ExportDefinition) => providers.get(def),
    executionEnded: localExecutionEnded,
  });
}
