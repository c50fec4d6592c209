// The step after a window landed: ReleaseJob deletes the window's job at the provider (where its docs
// advise it). Best effort twice over: the handler turns every failure into a logged, counted result,
// and a failure of the Task itself (Lambda errors, retries spent) is caught into a Pass, so the window
// never fails for it. The iteration's output stays the window summary WriteManifest wrote at `$.landed`.
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import type { HandlerFunction } from './handler-function';
import { lambdaTask } from './lambda-task';
import type { TaskRowContext } from './task-row';

/** Where WriteManifest puts the window summary, which ends the iteration. */
export const LANDED_PATH = '$.landed';

export function releaseJobStep(
  scope: Construct,
  fn: HandlerFunction,
  ctx: TaskRowContext,
): { readonly startState: sfn.TaskStateBase; readonly endStates: sfn.INextable[] } {
  const release = lambdaTask(
    scope,
    'ReleaseJob',
    fn,
    { export: '$.export', window: '$.window', job: '$.start.job' },
    ctx,
    {
      resultPath: sfn.JsonPath.DISCARD,
      outputPath: LANDED_PATH,
    },
  );
  const kept = new sfn.Pass(scope, 'JobNotReleased', { stateName: 'JobNotReleased', outputPath: LANDED_PATH });
  release.addCatch(kept, { errors: ['States.ALL'], resultPath: sfn.JsonPath.DISCARD });
  return { startState: release, endStates: [release, kept] };
}
