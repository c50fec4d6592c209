// One window's remote job: StartJob ⇄ (queue full: Wait | quota spent: Wait until the reset) → Wait ⇄
// CheckJob until the job succeeded, then `whenSucceeded`; a failure goes to `onFailure` (the window's own cleanup). Wait states cost nothing while a job sits in a
// provider's queue for hours; StartJob is fed its previous outcome so a busy or deferred job is resumed.
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import type { HandlerFunction } from './handler-function';
import { lambdaTask } from './lambda-task';
import type { WorkflowTaskName } from './workflow-tasks';
import type { TaskRowContext } from './task-row';

export interface WindowJobLoopProps {
  readonly functions: Record<WorkflowTaskName, HandlerFunction>;
  readonly ctx: TaskRowContext;
  /** Where a succeeded job goes (the file transfers and the manifest). */
  readonly whenSucceeded: sfn.IChainable;
  /** Where a failure of this window goes (with the error at `$.error`): its own cleanup, not the run's. */
  readonly onFailure: sfn.IChainable;
}

export class WindowJobLoop extends sfn.StateMachineFragment {
  public readonly startState: sfn.State;
  public readonly endStates: sfn.INextable[];

  constructor(scope: Construct, id: string, props: WindowJobLoopProps) {
    super(scope, id);
    const { functions: fns, ctx } = props;
    const startJob = lambdaTask(
      this,
      'StartJob',
      fns.StartJob,
      { export: '$.export', window: '$.window', previous: '$.start', executionId: '$$.Execution.Id' },
      ctx,
      { resultPath: '$.start' },
    );
    const waitForQueue = new sfn.Wait(this, 'WaitForQueue', {
      stateName: 'WaitForQueue',
      time: sfn.WaitTime.secondsPath('$.start.waitSeconds'),
    });
    const waitForQuotaReset = new sfn.Wait(this, 'WaitForQuotaReset', {
      stateName: 'WaitForQuotaReset',
      time: sfn.WaitTime.timestampPath('$.start.until'),
    });
    const jobStarted = new sfn.Pass(this, 'JobStarted', {
      stateName: 'JobStarted',
      parameters: {
        count: 0,
        'waitSeconds.$': '$.start.waitSeconds',
        waitedSeconds: 0,
        'since.$': '$.start.startedAt',
      },
      resultPath: '$.poll',
    });
    const waitForJob = new sfn.Wait(this, 'WaitForJob', {
      stateName: 'WaitForJob',
      time: sfn.WaitTime.secondsPath('$.poll.waitSeconds'),
    });
    const checkJob = lambdaTask(
      this,
      'CheckJob',
      fns.CheckJob,
      { export: '$.export', window: '$.window', job: '$.start.job', poll: '$.poll' },
      ctx,
      { resultPath: '$.poll' },
    );
    const jobDone = new sfn.Choice(this, 'JobComplete', { stateName: 'JobComplete' })
      .when(sfn.Condition.stringEquals('$.poll.state', 'succeeded'), props.whenSucceeded)
      .otherwise(waitForJob);
    const startOutcome = new sfn.Choice(this, 'JobStartOutcome', { stateName: 'JobStartOutcome' })
      .when(
        sfn.Condition.stringEquals('$.start.kind', 'started'),
        jobStarted.next(waitForJob).next(checkJob).next(jobDone),
      )
      .when(sfn.Condition.stringEquals('$.start.kind', 'busy'), waitForQueue.next(startJob))
      .otherwise(waitForQuotaReset.next(startJob));
    startJob.next(startOutcome);
    for (const task of [startJob, checkJob])
      task.addCatch(props.onFailure, { errors: ['States.ALL'], resultPath: '$.error' });
    this.startState = startJob;
    this.endStates = sfn.Chain.start(props.whenSucceeded).endStates;
  }
}
