// Everything a workflow step needs from the outside world, behind one interface: on AWS it is built
// from the environment (bucket, Secrets Manager); the local engine installs its own (a directory or
// S3-compatible store, simulator credentials, a progress listener) before it runs the state machine.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { ExportProvider } from '../providers/types';
import { createProvider } from '../providers/registry';
import type { Clock } from '../shared/clock';
import { systemClock } from '../shared/clock';
import type { ExportDefinition } from '../shared/export-definition';
import { exportCatalogFromEnvironment, type ExportCatalog } from '../shared/export-catalog';
import { createLogger, type Logger } from '../shared/logger';
import { stdoutMetrics, type MetricsRecorder } from '../shared/metrics';
import { getSecretJson } from '../shared/secrets';
import type { ObjectStore } from '../transfer/object-store';
import type { TransferTuning } from '../transfer/transfer-file';
import { S3ObjectStore } from '../transfer/s3-object-store';
import { providerTelemetry } from './metrics';
import { storeCallBudgetLedger } from './call-budget-ledger';
import { ProviderCache } from './provider-cache';

export interface ProgressEvent {
  readonly export: string;
  readonly step: string;
  readonly window?: { start: string; end: string };
  readonly message?: string;
  /** Bytes moved so far for the file named by `key`, and its expected size. */
  readonly key?: string;
  readonly bytes?: number;
  readonly totalBytes?: number;
}

export interface SplitTuning {
  /** Bytes between recorded record starts. @default 64 MiB */
  readonly recordStartInterval?: number;
  /** Largest split one ConvertSplit converts. @default 128 MiB */
  readonly maxSplitBytes?: number;
}

export interface WorkflowRuntime {
  /** The deployed exports: a run's input names one, the definition comes from here. */
  readonly exports: ExportCatalog;
  readonly store: ObjectStore;
  /** `s3://bucket/key` or `file:///dir/key`, for manifests and events. */
  uri(key: string): string;
  provider(def: ExportDefinition): Promise<ExportProvider>;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Custom metrics (EMF); stepHandler flushes them after every invocation. Absent: none are emitted. */
  readonly metrics?: MetricsRecorder;
  /** How long one TransferChunk invocation may stream before it hands its cursor back. */
  readonly chunkBudgetMs: number;
  /** Pacing and part-concurrency knobs of the transfer (defaults suit Lambda). */
  readonly transferTuning?: TransferTuning;
  /** How files are cut for conversion (defaults suit Lambda; tests cut small files into several splits). */
  readonly splitTuning?: SplitTuning;
  /**
   * Whether an execution (a job record's owner) has ended: true, false, or undefined when it cannot be
   * told. The local engine can tell (a killed `npm start`); on AWS every stopped execution is cleaned
   * up by the status-change rule, so only records whose cancel is pending are reclaimed there.
   */
  executionEnded?(executionId: string): Promise<boolean | undefined>;
  /** The providers talk to a bundled simulator: the data's recorded source is `simulator`, not a host. */
  readonly simulated?: boolean;
  onProgress?(event: ProgressEvent): void;
}

let installed: WorkflowRuntime | undefined;
// Scoped to one handler invocation: two local executions in one process (two exports of one instance
// side by side) each see their own runtime.
const scoped = new AsyncLocalStorage<WorkflowRuntime>();

/** Tests install a runtime; Lambda containers build one from the environment once. */
export function setRuntime(runtime: WorkflowRuntime | undefined): void {
  installed = runtime;
}

/** Runs `invoke` (one handler invocation) with `runtime` as the one getRuntime() answers. */
export function withRuntime<T>(runtime: WorkflowRuntime, invoke: () => Promise<T>): Promise<T> {
  return scoped.run(runtime, invoke);
}

export function getRuntime(): WorkflowRuntime {
  const own = scoped.getStore();
  if (own) return own;
  installed ??= runtimeFromEnvironment();
  return installed;
}

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}

function runtimeFromEnvironment(): WorkflowRuntime {
  const bucket = requiredEnv('BUCKET_NAME');
  const logger = createLogger();
  const metrics = stdoutMetrics((error) => logger.warn('metrics could not be written', { error: String(error) }));
  const store = new S3ObjectStore({ bucket });
  const providers = new ProviderCache(async (def) => {
    const telemetry = providerTelemetry(metrics, def);
    return createProvider(def, await getSecretJson(def.secretName), { clock: systemClock, logger, callBudget: storeCallBudgetLedger(store), ...(telemetry ? { telemetry } : {}) });
  });
  return {
    exports: exportCatalogFromEnvironment(),
    store,
    uri: (key) => `s3://${bucket}/${key}`,
    clock: systemClock,
    logger,
    metrics,
    chunkBudgetMs: Number(process.env.CHUNK_BUDGET_SECONDS ?? '600') * 1000,
    provider: (def) => providers.get(def),
  };
}
