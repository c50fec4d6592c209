// What a local run is given and what it answers: the contract between the engine and its callers
// (the CLI and the end-to-end tests).
import type { WorkflowRuntime } from '#workflow/runtime';
import type { StoppedExecutionReport } from '#workflow/steps/settle-stopped-execution';
import type { ParkedWindow } from './wait-limit';

export interface PublishedEvent {
  readonly time: string;
  readonly source: string;
  readonly detailType: string;
  readonly eventBusName: string;
  readonly detail: unknown;
}

export interface LocalRunOptions {
  readonly definition: Record<string, unknown>;
  readonly input: unknown;
  readonly runtime: WorkflowRuntime;
  /** Every Wait state lasts this long locally (ms). Unset: the definition's own durations (a real API). */
  readonly waitMs?: number;
  /** Every Retry pause lasts this long locally (ms). Unset: the definition's own intervals. */
  readonly retryMs?: number;
  /** Abort after this many Task invocations (a loop that never ends is a bug, not a long export). @default 5000 */
  readonly maxTaskInvocations?: number;
  /** Where published events are appended as JSON lines. */
  readonly eventsFile?: string;
  readonly onEvent?: (event: PublishedEvent) => void;
  readonly onTask?: (state: string) => void;
  /** What TransferChunk is told of its remaining Lambda time (ms). @default 15 minutes */
  readonly lambdaRemainingMs?: number;
  /**
   * Stop the run (status PARKED, no Cleanup) when a window would wait longer than this for a quota
   * reset or a full queue, as the definition asks (before local shortening). Unset: wait.
   */
  readonly maxWaitSeconds?: number;
  /**
   * Stops the execution like StopExecution: no Catch runs; the steps in flight get `stopGraceMs` to
   * settle, then the status-change handler (the same one AWS invokes) cleans up the execution's windows.
   */
  readonly signal?: AbortSignal;
  /** @default 30 seconds */
  readonly stopGraceMs?: number;
}

export interface LocalRunResult {
  /**
   * PARKED: stopped before a wait longer than maxWaitSeconds; the job records stay for the next run.
   * ABORTED: stopped by `signal`; its status-change cleanup ran.
   */
  readonly status: 'SUCCEEDED' | 'FAILED' | 'PARKED' | 'ABORTED';
  readonly parked?: ParkedWindow;
  /** For an ABORTED run: what its status-change cleanup did (absent when that cleanup failed: see `error`). */
  readonly stopped?: StoppedExecutionReport;
  readonly output?: unknown;
  readonly error?: { name: string; message: string };
  readonly events: PublishedEvent[];
  readonly taskInvocations: Record<string, number>;
  readonly executionId: string;
}
