// One window, start to end: WindowJobLoop (StartJob … CheckJob until the job succeeded) → Map
// TransferFiles [FileTransferLoop] → WriteManifest → ReleaseJob (best effort). Any failure inside goes to the window's own
// CleanupWindow, which undoes this window only and ends the iteration with a `failed` result: the
// siblings go on, and the run decides after the Map (CommitWatermark). A failure that quarantined the
// window (its result carries `quarantine`) is announced first (PublishQuarantined). The fragment owns
// its end states, so it is a whole Map iteration by itself.
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { FileTransferLoop } from './file-transfer-loop';
import type { HandlerFunction } from './handler-function';
import { lambdaTask } from './lambda-task';
import { LANDED_PATH, releaseJobStep } from './release-job-step';
import { WindowJobLoop } from './window-job-loop';
import type { WorkflowTaskName } from './workflow-tasks';
import type { TaskRowContext } from './task-row';

export interface WindowPipelineProps {
  readonly functions: Record<WorkflowTaskName, HandlerFunction>;
  readonly ctx: TaskRowContext;
  /** Splits of one file converted to Parquet at once. */
  readonly convertConcurrency: number;
  /** The PutEvents task that announces a quarantined window (its detail at `$.quarantine`). */
  readonly publishQuarantined: sfn.TaskStateBase;
}

/**
 * The iteration's state, as the windows Map's item selector builds it (export-workflow.ts): the
 * export's name, the window, the run's start and data source, and the first StartJob outcome.
 */
export const WINDOW_ITEM = {
  'export.$': '$.plan.export',
  'window.$': '$$.Map.Item.Value',
  'runStartedAt.$': '$.plan.startedAt',
  'source.$': '$.plan.source',
  start: { kind: 'init' },
} as const;

export class WindowPipeline extends sfn.StateMachineFragment {
  public readonly startState: sfn.State;
  public readonly endStates: sfn.INextable[];

  constructor(scope: Construct, id: string, props: WindowPipelineProps) {
    super(scope, id);
    const { functions: fns, ctx } = props;
    const transferFiles = new sfn.Map(this, 'TransferFiles', {
      stateName: 'TransferFiles',
      itemsPath: '$.poll.files',
      maxConcurrency: 2,
      itemSelector: {
        'export.$': '$.export',
        'window.$': '$.window',
        'job.$': '$.start.job',
        'file.$': '$$.Map.Item.Value',
        'fileCount.$': '$.poll.fileCount',
        'jobRecords.$': '$.poll.records',
      },
      resultPath: '$.files',
    });
    transferFiles.itemProcessor(
      new FileTransferLoop(this, 'FileTransfer', { functions: fns, ctx, convertConcurrency: props.convertConcurrency }),
    );
    const writeManifest = lambdaTask(
      this,
      'WriteManifest',
      fns.WriteManifest,
      {
        export: '$.export',
        window: '$.window',
        job: '$.start.job',
        poll: '$.poll',
        files: '$.files',
        runStartedAt: '$.runStartedAt',
        source: '$.source',
      },
      ctx,
      { resultPath: LANDED_PATH },
    );
    const cleanupWindow = lambdaTask(
      this,
      'CleanupWindow',
      fns.CleanupWindow,
      { export: '$.export', window: '$.window', error: '$.error', executionId: '$$.Execution.Id' },
      ctx,
    );
    for (const task of [transferFiles, writeManifest])
      task.addCatch(cleanupWindow, { errors: ['States.ALL'], resultPath: '$.error' });
    const jobLoop = new WindowJobLoop(this, 'WindowJob', {
      functions: fns,
      ctx,
      whenSucceeded: transferFiles.next(writeManifest),
      onFailure: cleanupWindow,
    });
    // The announcement is best effort: the ledger already says the window is quarantined, and the
    // WindowsQuarantined metric (emitted by CleanupWindow) is what the alarm watches.
    const ended = new sfn.Pass(this, 'WindowFailed', { stateName: 'WindowFailed' });
    props.publishQuarantined.addCatch(ended, { errors: ['States.ALL'], resultPath: sfn.JsonPath.DISCARD });
    const quarantined = new sfn.Choice(this, 'WindowQuarantined', { stateName: 'WindowQuarantined' })
      .when(sfn.Condition.isPresent('$.quarantine'), props.publishQuarantined)
      .otherwise(ended);
    cleanupWindow.next(quarantined);
    this.startState = jobLoop.startState;
    const released = releaseJobStep(this, fns.ReleaseJob, ctx);
    writeManifest.next(released.startState);
    this.endStates = [...released.endStates, ...quarantined.afterwards().endStates];
  }
}
