// Everything a workflow step needs from the outside world, behind one interface, built in one place
// (createRuntime) from parts: on AWS from the environment (lambda-runtime.ts), locally from the CLI's
// options (local/local-runtime.ts), in tests from fakes. The steps see no difference.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { ExportProvider } from '#providers/types';
import type { Clock } from '#shared/clock';
import type { ExportDefinition } from '#shared/export-definition';
import type { ExportCatalog } from '#shared/export-catalog';
import type { Logger } from '#shared/logger';
import type { MetricsRecorder } from '#shared/metrics';
import type { ObjectStore } from '#transfer/object-store';
import type { TransferTuning } from '#transfer/transfer-file';

/** One fact a step reports (a job queued, a file verified, bytes moved), once, to the runtime's event sink. */
export interface StepEvent {
  readonly export: string;
  readonly step: string;
  readonly window?: { start: string; end: string };
  readonly message?: string;
  /** Bytes moved so far for the file named by `key`, and its expected size. */
  readonly key?: string;
  readonly bytes?: number;
  readonly totalBytes?: number;
}

/** Where step events go; its subscribers (the local progress display, …) are given to createRuntime. */
export type StepEventSink = (event: StepEvent) => void;

export interface SplitTuning {
  /** Bytes between recorded record starts. @default 64 MiB */
  readonly recordStartInterval?: number;
  /** Largest split one ConvertSplit converts. @default 128 MiB */
  readonly maxSplitBytes?: number;
}

/** How the transfer and the conversion pace and cut their work; the defaults suit Lambda. */
export interface RuntimeTuning {
  /** How long one TransferChunk invocation may stream before it hands its cursor back. */
  readonly chunkBudgetMs: number;
  /** Pacing and part-concurrency knobs of the transfer. */
  readonly transfer?: TransferTuning;
  /** How files are cut for conversion. */
  readonly split?: SplitTuning;
}

export interface WorkflowRuntime {
  /** The deployed exports: a run's input names one, the definition comes from here. */
  readonly exports: ExportCatalog;
  readonly store: ObjectStore;
  /** `s3://bucket/key` or `file:///dir/key`, for manifests and events. */
  uri(key: string): string;
  /** The export's provider adapter, built by the factory the runtime was given. */
  provider(def: ExportDefinition): Promise<ExportProvider>;
  /** The providers talk to a bundled simulator: the data's recorded source is `simulator`, not a host. */
  readonly simulated?: boolean;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Custom metrics (EMF); stepHandler flushes them after every invocation. Absent: none are emitted. */
  readonly metrics?: MetricsRecorder;
  /** The one event sink: a step reports each fact here once. */
  readonly events: StepEventSink;
  readonly tuning: RuntimeTuning;
  /**
   * Whether an execution (a job record's owner) has ended: true, false, or undefined when it cannot be
   * told. The local engine can tell (a killed `npm start`); on AWS every stopped execution is cleaned
   * up by the status-change rule, so only records whose cancel is pending are reclaimed there.
   */
  executionEnded?(executionId: string): Promise<boolean | undefined>;
}

export interface RuntimeParts extends Omit<WorkflowRuntime, 'events'> {
  /** Told of every step event, in order. */
  readonly subscribers?: readonly StepEventSink[];
}

/** The one way a runtime is made. */
export function createRuntime(parts: RuntimeParts): WorkflowRuntime {
  const { subscribers = [], ...rest } = parts;
  const events: StepEventSink = (event) => {
    for (const subscriber of subscribers) {
      // A display that fails must not fail the step that reported.
      try {
        subscriber(event);
      } catch (error) {
        parts.logger.warn('a step event subscriber failed', { error: String(error) });
      }
    }
  };
  return { ...rest, events };
}

// Scoped to one handler invocation: two local executions in one process (two exports of one instance
// side by side) each see their own runtime.
const scoped = new AsyncLocalStorage<WorkflowRuntime>();

/** Runs `invoke` (one handler invocation) with `runtime` as its runtime: the local engine and tests. */
export function withRuntime<T>(runtime: WorkflowRuntime, invoke: () => Promise<T>): Promise<T> {
  return scoped.run(runtime, invoke);
}

/** The runtime withRuntime gave this invocation, if any (a Lambda has none and builds its own). */
export function scopedRuntime(): WorkflowRuntime | undefined {
  return scoped.getStore();
}
