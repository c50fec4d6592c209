// The deferral path of a step that calls a provider: a spent daily quota (QuotaExceededError) is caught
// into `$.deferral`, the instant it resets is read from the error's message, a Wait state sleeps until
// then (no Lambda waits) and the same Task runs again on the same state. The Catch keeps everything
// else in the state as it was, so the window's job, the poll count and the transfer cursor survive:
// the next attempt resumes the same job and the same position, never a new job.
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { DEFERRAL_INSTANT_WORD, DEFERRED_ERRORS } from '#shared/errors';

/** Where the caught deferral sits in the state while it waits (`until`, `reason`). */
export const DEFERRAL_PATH = '$.deferral';

/** The suffixes of the states added after a Task named `name`: `<name>QuotaDeferred` and so on. */
export const DEFERRAL_STATE_SUFFIXES = {
  caught: 'QuotaDeferred',
  instant: 'QuotaResetInstant',
  wait: 'WaitForQuotaReset',
} as const;

/**
 * Adds the deferral Catch to `task` (call it before any other Catch: the first matching catcher wins)
 * and the states that wait and loop back to it.
 */
export function withQuotaDeferral(scope: Construct, name: string, task: sfn.TaskStateBase): void {
  const state = (suffix: string) => `${name}${suffix}`;
  // Lambda's error report reaches the state machine as JSON text in `Cause` (errorType, errorMessage, trace).
  const caught = new sfn.Pass(scope, state(DEFERRAL_STATE_SUFFIXES.caught), {
    stateName: state(DEFERRAL_STATE_SUFFIXES.caught),
    parameters: { 'report.$': `States.StringToJson(${DEFERRAL_PATH}.Cause)` },
    resultPath: DEFERRAL_PATH,
  });
  const instant = new sfn.Pass(scope, state(DEFERRAL_STATE_SUFFIXES.instant), {
    stateName: state(DEFERRAL_STATE_SUFFIXES.instant),
    parameters: {
      'until.$': `States.ArrayGetItem(States.StringSplit(${DEFERRAL_PATH}.report.errorMessage, ' '), ${DEFERRAL_INSTANT_WORD})`,
      'reason.$': `${DEFERRAL_PATH}.report.errorMessage`,
    },
    resultPath: DEFERRAL_PATH,
  });
  const wait = new sfn.Wait(scope, state(DEFERRAL_STATE_SUFFIXES.wait), {
    stateName: state(DEFERRAL_STATE_SUFFIXES.wait),
    time: sfn.WaitTime.timestampPath(`${DEFERRAL_PATH}.until`),
  });
  task.addCatch(caught, { errors: [...DEFERRED_ERRORS], resultPath: DEFERRAL_PATH });
  caught.next(instant).next(wait).next(task);
}
