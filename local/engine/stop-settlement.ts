// What follows a stop: the steps in flight get a grace period, then the status-change handler cleans up
// the execution's windows, as AWS does after StopExecution.
import * as settleStoppedExecution from '#handlers/settle-stopped-execution';
import type { LocalRunResult } from './local-run-types';

/** Waits for the steps in flight to end (their outcome no longer matters), at most `graceMs`. */
export async function settled(inFlight: ReadonlySet<Promise<unknown>>, graceMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, graceMs);
  });
  await Promise.race([Promise.allSettled([...inFlight]), grace]);
  clearTimeout(timer);
}

/** What AWS does after a StopExecution: the status-change event reaches the cleanup function. */
export async function settleStopped(
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
