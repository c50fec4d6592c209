// Runs the synthesized state machine with aws-local-stepfunctions: every Lambda Task bound in-process
// to the very handler module the Lambda runs, EventBridge PutEvents tasks appended to a local JSONL
// file, Wait states and Retry pauses shortened, and a guard against runaway loops.
import { ExecutionAbortedError, ExecutionError, StateMachine } from 'aws-local-stepfunctions';
import { EVENT_TASKS, WORKFLOW_TASKS, type WorkflowTaskName } from '../../lib/constructs/workflow-tasks';
import { withRuntime, type WorkflowRuntime } from '#workflow/runtime';
import { appendStoppedRecord } from './stopped-record';
import { waitLimit, type ParkedWindow } from './wait-limit';
import { ExecutionStoppedError, fencedStore } from './stop-fence';
import { giveBackLease } from '#window/lease';
import { endLocalExecution, localExecutionId } from './local-executions';
import { asLambdaError, fromLambdaError } from './lambda-error';
import type { LocalRunOptions, LocalRunResult, PublishedEvent } from './local-run-types';
import { putEvents } from './published-events';
import { localOverrides } from './state-overrides';
import { settleStopped, settled } from './stop-settlement';
import { HANDLERS } from './task-handlers';
import { faultHooksFromEnv } from './fault-hooks';

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
  // The kill tests' hooks (fault-hooks.ts); inert unless their variables are set.
  const faults = faultHooksFromEnv();
  const store = faults.store(options.runtime.store);
  // After a stop, the steps still in flight may not start or finish uploads (see stop-fence.ts).
  const runtime: WorkflowRuntime = {
    ...options.runtime,
    store: signal ? fencedStore(store, () => signal.aborted) : store,
  };
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
      faults.beforeTask(name);
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
        faults.afterTask(name);
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
  const sink = { events, onEvent: options.onEvent, eventsFile: options.eventsFile };
  for (const name of EVENT_TASKS) {
    taskResourceLocalHandlers[name] = async (input) => {
      count(name);
      return putEvents(name, input, sink);
    };
  }
  const { waitTimeOverrides, retryIntervalOverrides } = localOverrides(
    options.definition,
    options.waitMs,
    options.retryMs,
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
    if (parked) {
      // The run is over (it resumes as a new run): the export is free for it, its job record stays.
      const exportName = (options.input as { export?: unknown } | null)?.export;
      if (typeof exportName === 'string') {
        await giveBackLease(options.runtime.store, options.runtime.logger, exportName, executionId);
      }
      return { status: 'PARKED', parked, events, taskInvocations: counts, executionId };
    }
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
  } finally {
    // Its job records and its export's lease now belong to an ended execution: the next run may take them.
    endLocalExecution(executionId);
  }
}
