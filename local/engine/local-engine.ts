// Runs the synthesized state machine with aws-local-stepfunctions: every Lambda Task bound in-process
// to the very handler module the Lambda runs, EventBridge PutEvents tasks appended to a local JSONL
// file, Wait states and Retry pauses shortened, and a guard against runaway loops.
import { randomUUID } from 'node:crypto';
import { appendFile, mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import { ExecutionAbortedError, ExecutionError, StateMachine } from 'aws-local-stepfunctions';
import { EVENT_TASKS, WORKFLOW_TASKS, type WorkflowTaskName } from '../../lib/constructs/workflow-tasks';
import * as beginFile from '#handlers/begin-file';
import * as checkJob from '#handlers/check-job';
import * as cleanup from '#handlers/cleanup';
import * as cleanupWindow from '#handlers/cleanup-window';
import * as commitWatermark from '#handlers/commit-watermark';
import * as convertSplit from '#handlers/convert-split';
import * as finishFile from '#handlers/finish-file';
import * as plan from '#handlers/plan';
import * as reclaimDeadRuns from '#handlers/reclaim-dead-runs';
import * as refreshReferences from '#handlers/refresh-references';
import * as settleStoppedExecution from '#handlers/settle-stopped-execution';
import * as startJob from '#handlers/start-job';
import * as transferChunk from '#handlers/transfer-chunk';
import * as writeManifest from '#handlers/write-manifest';
import { withRuntime, type WorkflowRuntime } from '#workflow/runtime';
import { appendStoppedRecord } from './stopped-record';
import { redactDeep } from '#shared/redact';
import { waitLimit, type ParkedWindow } from './wait-limit';
import type { StoppedExecutionReport } from '#workflow/steps/settle-stopped-execution';
import { ExecutionStoppedError, fencedStore } from './stop-fence';
import { localExecutionId } from './local-executions';
import { asLambdaError, fromLambdaError } from './lambda-error';

type Handler = (event: unknown, context?: { getRemainingTimeInMillis(): number }) => Promise<unknown>;

const HANDLERS: Record<WorkflowTaskName, Handler> = {
  Plan: plan.handler,
  ReclaimDeadRuns: reclaimDeadRuns.handler,
  RefreshReferences: refreshReferences.handler,
  StartJob: startJob.handler,
  CheckJob: checkJob.handler,
  BeginFile: beginFile.handler,
  TransferChunk: transferChunk.handler,
  FinishFile: finishFile.handler,
  ConvertSplit: convertSplit.handler,
  WriteManifest: writeManifest.handler,
  CleanupWindow: cleanupWindow.handler,
  CommitWatermark: commitWatermark.handler,
  Cleanup: cleanup.handler,
};

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

function statesOfType(definition: Record<string, unknown>, type: string, out: string[] = []): string[] {
  const states = (definition.States ?? {}) as Record<string, Record<string, unknown>>;
  for (const [name, state] of Object.entries(states)) {
    if (state.Type === type) out.push(name);
    const processor = (state.ItemProcessor ?? state.Iterator) as Record<string, unknown> | undefined;
    if (processor) statesOfType(processor, type, out);
    for (const branch of (state.Branches ?? []) as Record<string, unknown>[]) statesOfType(branch, type, out);
  }
  return out;
}

const EntriesSchemaGuard = (
  v: unknown,
): v is { Entries: { Detail: unknown; DetailType: string; Source: string; EventBusName: string }[] } =>
  typeof v === 'object' && v !== null && Array.isArray((v as { Entries?: unknown }).Entries);

export async function runLocally(options: LocalRunOptions): Promise<LocalRunResult> {
  const events: PublishedEvent[] = [];
  const counts: Record<string, number> = {};
  const executionId = localExecutionId();
  const startDate = new Date();
  const maxTasks = options.maxTaskInvocations ?? 5000;
  let total = 0;
  let runaway = false;
  let abort: () => void = () => {};

  const count = (name: string) => {
    counts[name] = (counts[name] ?? 0) + 1;
    total += 1;
    options.onTask?.(name);
    if (total > maxTasks) {
      runaway = true;
      abort();
    }
  };

  const signal = options.signal;
  // After a stop, the steps still in flight may not start or finish uploads (see stop-fence.ts).
  const runtime: WorkflowRuntime = signal
    ? { ...options.runtime, store: fencedStore(options.runtime.store, () => signal.aborted) }
    : options.runtime;
  const limit =
    options.maxWaitSeconds === undefined
      ? undefined
      : waitLimit(options.maxWaitSeconds, () => options.runtime.clock.now());
  let parked: ParkedWindow | undefined;
  const remaining = options.lambdaRemainingMs ?? 15 * 60_000;
  const inFlight = new Set<Promise<unknown>>();
  const taskResourceLocalHandlers: Record<string, (input: unknown) => Promise<unknown>> = {};
  for (const name of Object.keys(WORKFLOW_TASKS) as WorkflowTaskName[]) {
    taskResourceLocalHandlers[name] = async (input) => {
      count(name);
      // A stopped execution starts no further step (StopExecution schedules none either).
      if (options.signal?.aborted) throw new ExecutionStoppedError(`the execution was stopped: ${name} does not start`);
      const started = Date.now();
      // A Lambda's input and output are JSON: round-trip so nothing non-JSON slips through locally.
      const invocation = withRuntime(runtime, () =>
        HANDLERS[name](JSON.parse(JSON.stringify(input)), {
          getRemainingTimeInMillis: () => remaining - (Date.now() - started),
        }),
      );
      inFlight.add(invocation);
      try {
        const output = await invocation;
        if (name === 'StartJob' && limit && !parked) {
          parked = limit.check(input, output);
          if (parked) abort();
        }
        return JSON.parse(JSON.stringify(output ?? null)) as unknown;
      } catch (err) {
        if (limit && !parked) {
          parked = limit.deferral(name, input, err);
          if (parked) abort();
        }
        throw asLambdaError(err);
      } finally {
        inFlight.delete(invocation);
      }
    };
  }
  for (const name of EVENT_TASKS) {
    taskResourceLocalHandlers[name] = async (input) => {
      count(name);
      if (!EntriesSchemaGuard(input)) throw new Error(`${name}: unexpected PutEvents input`);
      for (const entry of input.Entries) {
        const event: PublishedEvent = redactDeep({
          time: new Date().toISOString(),
          source: entry.Source,
          detailType: entry.DetailType,
          eventBusName: entry.EventBusName,
          detail: entry.Detail,
        });
        events.push(event);
        options.onEvent?.(event);
        if (options.eventsFile) {
          await mkdir(path.dirname(options.eventsFile), { recursive: true });
          await appendFile(options.eventsFile, `${JSON.stringify(event)}\n`);
        }
      }
      return { Entries: input.Entries.map(() => ({ EventId: randomUUID() })), FailedEntryCount: 0 };
    };
  }
  const { waitMs, retryMs } = options;
  const waitTimeOverrides =
    waitMs === undefined ? {} : Object.fromEntries(statesOfType(options.definition, 'Wait').map((n) => [n, waitMs]));
  const retryIntervalOverrides =
    retryMs === undefined
      ? {}
      : Object.fromEntries(
          [...statesOfType(options.definition, 'Task'), ...statesOfType(options.definition, 'Map')].map((n) => [
            n,
            retryMs,
          ]),
        );

  const machine = new StateMachine(options.definition as never, { validationOptions: { checkPaths: true } });
  const execution = machine.run(options.input as never, {
    overrides: {
      taskResourceLocalHandlers: taskResourceLocalHandlers as never,
      waitTimeOverrides,
      retryIntervalOverrides,
    },
    context: { Execution: { Id: executionId, Name: executionId.split(':').at(-1) } },
  });
  abort = execution.abort;
  let stopped = false;
  const onStop = () => {
    stopped = true;
    execution.abort();
  };
  if (signal?.aborted) onStop();
  signal?.addEventListener('abort', onStop, { once: true });
  try {
    const output = await execution.result;
    return { status: 'SUCCEEDED', output, events, taskInvocations: counts, executionId };
  } catch (err) {
    if (parked) return { status: 'PARKED', parked, events, taskInvocations: counts, executionId };
    if (stopped && !runaway) {
      await settled(inFlight, options.stopGraceMs ?? 30_000);
      const result = await withRuntime(options.runtime, () => settleStopped(executionId, options.input));
      if (options.eventsFile) {
        const cleanupError = result.stopped ? undefined : result.error?.message;
        await appendStoppedRecord(options.eventsFile, {
          executionId,
          input: options.input,
          startDate,
          stopDate: new Date(),
          cleanup: result.stopped,
          cleanupError,
        });
      }
      return { ...result, events, taskInvocations: counts, executionId };
    }
    if (runaway || err instanceof ExecutionAbortedError) {
      return {
        status: 'FAILED',
        error: { name: 'LoopGuardTripped', message: `more than ${maxTasks} task invocations: aborted` },
        events,
        taskInvocations: counts,
        executionId,
      };
    }
    const cause = err instanceof ExecutionError && err.cause instanceof Error ? err.cause : (err as Error);
    return { status: 'FAILED', error: fromLambdaError(cause), events, taskInvocations: counts, executionId };
  }
}

/** Waits for the steps in flight to end (their outcome no longer matters), at most `graceMs`. */
async function settled(inFlight: ReadonlySet<Promise<unknown>>, graceMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, graceMs);
  });
  await Promise.race([Promise.allSettled([...inFlight]), grace]);
  clearTimeout(timer);
}

/** What AWS does after a StopExecution: the status-change event reaches the cleanup function. */
async function settleStopped(
  executionId: string,
  input: unknown,
): Promise<Pick<LocalRunResult, 'status' | 'stopped' | 'error'>> {
  const event = {
    source: 'aws.states',
    'detail-type': 'Step Functions Execution Status Change',
    detail: {
      executionArn: executionId,
      stateMachineArn: executionId.replace(':execution:', ':stateMachine:').replace(/:[^:]+$/, ''),
      status: 'ABORTED',
      input: JSON.stringify(input),
    },
  };
  try {
    const stopped = await settleStoppedExecution.handler(event);
    return { status: 'ABORTED', stopped, error: { name: 'ExecutionAborted', message: 'the execution was stopped' } };
  } catch (err) {
    const cause = err as Error;
    return {
      status: 'ABORTED',
      error: {
        name: 'ExecutionAborted',
        message: `the execution was stopped; its cleanup failed: ${cause.name}: ${cause.message}`,
      },
    };
  }
}
