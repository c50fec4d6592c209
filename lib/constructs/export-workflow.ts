// The export state machine (docs/architecture.md, "The flow"): Plan → ReclaimDeadRuns →
// RefreshReferences → Map windows [WindowPipeline] → CommitWatermark → PublishSucceeded, or
// PublishFailed → Fail when a window failed; any other failure → Cleanup → PublishFailed → Fail.
// JSONPath only: aws-local-stepfunctions ignores JSONata and Assign, and the same definition must run
// on a laptop.
import type { CfnResource } from 'aws-cdk-lib';
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { DETAIL_TYPES } from '#shared/completion-events';
import type { ExportDefinition } from '#shared/export-definition';
import { RETRY_POLICY } from '#shared/retry-policy';
import { MAX_RUN_DURATION_MS } from '#window/run-limits';
import type { HandlerFunction } from './handler-function';
import { lambdaTask } from './lambda-task';
import { stateRetry } from './state-retry';
import { WINDOW_ITEM, WindowPipeline } from './window-pipeline';
import { WorkflowFunctions } from './workflow-functions';
import type { WorkflowTaskName } from './workflow-tasks';
import type { TaskRowContext } from './task-row';

export interface ExportWorkflowProps {
  /** Where raw files, manifests and watermarks land. */
  readonly bucket: s3.IBucket;
  /** The pipeline's own bus for completion events. */
  readonly bus: events.IEventBus;
  /** `source` of the completion events. */
  readonly eventSource: string;
  /** Every configured export (for secret grants). */
  readonly exports: readonly ExportDefinition[];
  /**
   * How long one TransferChunk invocation streams before handing its cursor back.
   * @default Duration.minutes(12) (the function's timeout is this plus 3 minutes)
   */
  readonly chunkBudget?: Duration;
  /**
   * Longest an execution may run, queue and quota waits included.
   * @default Duration.days(7)
   */
  readonly executionTimeout?: Duration;
  /**
   * Splits of one file converted to Parquet at once (each is one ConvertSplit Lambda).
   * @default 4
   */
  readonly convertConcurrency?: number;
}

export class ExportWorkflow extends Construct {
  public readonly stateMachine: sfn.StateMachine;
  /** The state machine's execution log group. */
  public readonly logGroup: logs.LogGroup;
  /** The handler function of each Task state. */
  public readonly functions: Record<WorkflowTaskName, HandlerFunction>;

  constructor(scope: Construct, id: string, props: ExportWorkflowProps) {
    super(scope, id);
    const ctx: TaskRowContext = { chunkBudget: props.chunkBudget ?? Duration.minutes(12) };
    const fns = new WorkflowFunctions(this, 'Functions', {
      bucket: props.bucket,
      exports: props.exports,
      chunkBudget: ctx.chunkBudget,
    }).byTask;
    this.functions = fns;
    const run = { startedAt: '$$.Execution.StartTime', executionId: '$$.Execution.Id' } as const;

    // ---- failure path -------------------------------------------------------------------------
    const fail = new sfn.Fail(this, 'ExportFailed', {
      stateName: 'ExportFailed',
      errorPath: '$.cleanup.error.name',
      causePath: '$.cleanup.error.message',
    });
    const publishFailed = this.publish('PublishFailed', '$.cleanup.event', DETAIL_TYPES.failed, props);
    const cleanup = lambdaTask(
      this,
      'Cleanup',
      fns.Cleanup,
      { input: '$', plan: '$.plan', error: '$.error', ...run },
      ctx,
      { resultPath: '$.cleanup' },
    );
    // If Cleanup itself cannot run, the execution still fails with the original error (no event then:
    // the ExecutionsFailed alarm covers it).
    cleanup.addCatch(
      new sfn.Fail(this, 'CleanupFailed', {
        stateName: 'CleanupFailed',
        errorPath: '$.error.Error',
        causePath: '$.error.Cause',
      }),
      {
        resultPath: '$.cleanupError',
      },
    );
    // A failed publish must still end the run as failed.
    publishFailed.addCatch(fail, { resultPath: '$.publishError' });
    cleanup.next(publishFailed).next(fail);
    const onError = { errors: ['States.ALL'], resultPath: '$.error' };

    // ---- one window: WindowPipeline owns its iteration, its failure ends in its own CleanupWindow ----
    const windows = new sfn.Map(this, 'ExportWindows', {
      stateName: 'ExportWindows',
      itemsPath: '$.plan.windows',
      maxConcurrencyPath: '$.plan.maxConcurrency',
      itemSelector: WINDOW_ITEM,
      resultPath: '$.windows',
    });
    windows.itemProcessor(
      new WindowPipeline(this, 'Window', {
        functions: fns,
        ctx,
        convertConcurrency: props.convertConcurrency ?? 4,
        publishQuarantined: this.publish('PublishQuarantined', '$.quarantine', DETAIL_TYPES.quarantined, props),
      }),
    );
    windows.addCatch(cleanup, onError);

    // ---- the run ------------------------------------------------------------------------------
    const plan = lambdaTask(this, 'Plan', fns.Plan, { input: '$', ...run }, ctx, {
      resultPath: '$.plan',
    });
    // Cleanup always finds $.plan: when Plan itself failed, there are no windows to clean up.
    const noPlan = new sfn.Pass(this, 'NoPlan', {
      stateName: 'NoPlan',
      result: sfn.Result.fromObject({ windows: [] }),
      resultPath: '$.plan',
    });
    plan.addCatch(noPlan.next(cleanup), onError);
    // Best effort inside the step (each undo is); a Lambda-level failure must not stop this run's own
    // windows from landing: the leftovers wait for the next run.
    const reclaim = lambdaTask(
      this,
      'ReclaimDeadRuns',
      fns.ReclaimDeadRuns,
      { export: '$.plan.export', planned: '$.plan.windows', executionId: run.executionId },
      ctx,
      {
        resultPath: sfn.JsonPath.DISCARD,
      },
    );
    // Best effort inside the step (a failed refresh is reported, not thrown); a Lambda-level failure
    // must not stop data from landing either, hence the Catch onward.
    const refresh = lambdaTask(this, 'RefreshReferences', fns.RefreshReferences, { plan: '$.plan' }, ctx, {
      resultPath: '$.references',
    });
    refresh.addCatch(windows, { errors: ['States.ALL'], resultPath: '$.references' });
    reclaim.addCatch(refresh, { errors: ['States.ALL'], resultPath: sfn.JsonPath.DISCARD });
    const commit = lambdaTask(
      this,
      'CommitWatermark',
      fns.CommitWatermark,
      { plan: '$.plan', windows: '$.windows', executionId: run.executionId },
      ctx,
      { resultPath: '$.commit' },
    );
    commit.addCatch(cleanup, onError);
    const publishSucceeded = this.publish('PublishSucceeded', '$.commit.event', DETAIL_TYPES.succeeded, props);
    const succeeded = new sfn.Succeed(this, 'ExportSucceeded', {
      stateName: 'ExportSucceeded',
      outputPath: '$.commit.event',
    });
    // Windows that failed were cleaned up in their iterations; the landed ones stay, and the run fails.
    const windowsFailed = new sfn.Pass(this, 'WindowsFailed', {
      stateName: 'WindowsFailed',
      parameters: { 'event.$': '$.commit.event', 'error.$': '$.commit.error' },
      resultPath: '$.cleanup',
    });
    windowsFailed.next(publishFailed);
    const runOutcome = new sfn.Choice(this, 'RunOutcome', { stateName: 'RunOutcome' })
      .when(sfn.Condition.stringEquals('$.commit.outcome', 'failed'), windowsFailed)
      .otherwise(publishSucceeded.next(succeeded));

    // A scheduled start that found another run holding the export ends here: skipped, not failed (Plan
    // counted it as ScheduledStartsSkipped). A manual start in that case failed in Plan, by name.
    const exportBusy = new sfn.Choice(this, 'ExportBusy', { stateName: 'ExportBusy' })
      .when(
        sfn.Condition.isPresent('$.plan.skipped'),
        new sfn.Succeed(this, 'SkippedExportBusy', { stateName: 'SkippedExportBusy', outputPath: '$.plan.skipped' }),
      )
      .otherwise(reclaim.next(refresh).next(windows).next(commit).next(runOutcome));

    this.logGroup = new logs.LogGroup(this, 'StateMachineLogs', { retention: logs.RetentionDays.THREE_MONTHS });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromChainable(plan.next(exportBusy)),
      timeout: runTimeout(props.executionTimeout),
      tracingEnabled: true,
      // Execution data would copy state into the logs: provider paths, job ids, counts. (No pre-signed
      // link ever sits in state: lambdas/workflow/state-links.ts keeps only a link's origin and path.)
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
      comment: 'Bulk export: plan windows, run remote export jobs, stream verified files into S3, announce the outcome',
    });
    this.acknowledgeStateMachineFindings(fns);
  }

  /** A native EventBridge PutEvents task (no Lambda), worth a few retries. */
  private publish(
    name: string,
    detailPath: string,
    detailType: string,
    props: ExportWorkflowProps,
  ): tasks.EventBridgePutEvents {
    const task = new tasks.EventBridgePutEvents(this, name, {
      stateName: name,
      entries: [
        {
          detail: sfn.TaskInput.fromJsonPathAt(detailPath),
          detailType,
          source: props.eventSource,
          eventBus: props.bus,
        },
      ],
      resultPath: sfn.JsonPath.DISCARD,
    });
    task.addRetry(stateRetry(['States.ALL'], RETRY_POLICY.publishEvent));
    return task;
  }

  /** cdk-nag AwsSolutions findings on the state machine's role that are the design, each with its reason. */
  private acknowledgeStateMachineFindings(fns: Record<WorkflowTaskName, HandlerFunction>): void {
    const stack = Stack.of(this);
    Validations.of(this.stateMachine).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'CloudWatch Logs delivery and X-Ray actions of Step Functions support no resource-level permissions.',
    });
    for (const fn of Object.values(fns)) {
      Validations.of(this.stateMachine).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(fn.node.defaultChild as CfnResource)}.Arn>:*]`,
        reason:
          "Step Functions grants invoke on the function and its versions/aliases (the `:*` suffix); only this workflow's own functions are named.",
      });
    }
  }
}

/**
 * The execution timeout: at most as long as an export's lease lives (lambdas/window/run-limits.ts), or
 * a second run could take over the export under a run that still works.
 */
function runTimeout(asked: Duration | undefined): Duration {
  const max = Duration.millis(MAX_RUN_DURATION_MS);
  if (!asked) return max;
  if (asked.toMilliseconds() > MAX_RUN_DURATION_MS) {
    throw new Error(
      `executionTimeout ${asked.toHumanString()} is longer than a run may hold its export (${max.toHumanString()})`,
    );
  }
  return asked;
}
