// Cleanup for executions that end without passing through their Catch. StopExecution (ABORTED) and the
// execution timeout (TIMED_OUT) skip every Catch, so the Cleanup state never runs for them; FAILED is
// included as a backstop for a Cleanup that itself could not run. An EventBridge rule on this state
// machine's status changes invokes one function that undoes the execution's windows exactly as Cleanup
// would (lambdas/workflow/steps/settle-stopped-execution.ts).
import type { CfnResource } from 'aws-cdk-lib';
import { ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { EXPORTS_VARIABLE } from '#shared/export-catalog';
import type { ExportDefinition } from '#shared/export-definition';
import { RETRY_POLICY } from '#shared/retry-policy';
import { UNCLEANED_STATUSES } from '#shared/uncleaned-statuses';
import { HandlerFunction } from './handler-function';
import { connectionSecretArns, grantTaskRow } from './workflow-functions';
import { WORKFLOW_TASKS } from './workflow-tasks';
import type { TaskRow } from './task-row';

/** The function's row: Cleanup's access (it runs the same undo), plus reading the execution's input. */
export const SETTLE_STOPPED_EXECUTION = {
  ...WORKFLOW_TASKS.Cleanup,
  handler: 'settle-stopped-execution',
  description: 'Cleans up the windows of an execution that was stopped, timed out or failed without its Catch',
  objects: {
    ...WORKFLOW_TASKS.Cleanup.objects,
    state: {
      actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      why: "lists and reads job records and publish intents, removes them or marks a cancel pending, gives the export's lease back",
    },
  },
  /** DescribeExecution: an event too large to carry the execution's input. */
  executionActions: ['states:DescribeExecution'],
} as const satisfies TaskRow & { executionActions: readonly string[] };

export interface StoppedExecutionCleanupProps {
  readonly stateMachine: sfn.StateMachine;
  readonly bucket: s3.IBucket;
  readonly exports: readonly ExportDefinition[];
}

export class StoppedExecutionCleanup extends Construct {
  public readonly function: HandlerFunction;
  public readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: StoppedExecutionCleanupProps) {
    super(scope, id);
    const row = SETTLE_STOPPED_EXECUTION;
    const stack = Stack.of(this);
    this.function = new HandlerFunction(this, 'Function', {
      handler: row.handler,
      description: row.description,
      timeout: row.timeout(),
      environment: { BUCKET_NAME: props.bucket.bucketName },
      bundledEnvironment: { [EXPORTS_VARIABLE]: JSON.stringify(props.exports) },
    });
    grantTaskRow(this.function, row, props.bucket, connectionSecretArns(stack, props.exports));
    const executions = stack.formatArn({
      service: 'states',
      resource: 'execution',
      resourceName: `${props.stateMachine.stateMachineName}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.function.addToRolePolicy(
      new iam.PolicyStatement({ actions: [...row.executionActions], resources: [executions] }),
    );
    const smName = stack.getLogicalId(props.stateMachine.node.defaultChild as CfnResource);
    Validations.of(this.function.role!).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:<${smName}.Name>:*]`,
      reason:
        "Executions are named at start time; the grant covers only this state machine's executions, to read the input of the one that stopped.",
    });

    this.rule = new events.Rule(this, 'StatusChange', {
      description:
        "Runs the cleanup of this state machine's executions that end without their Catch (stopped, timed out; failed as a backstop)",
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: { stateMachineArn: [props.stateMachine.stateMachineArn], status: [...UNCLEANED_STATUSES] },
      },
    });
    // A few retries within the hour: the undo is idempotent, and a provider outage is what marks a cancel pending.
    const { retryAttempts, maxEventAgeSeconds } = RETRY_POLICY.stoppedExecutionCleanup;
    this.rule.addTarget(
      new targets.LambdaFunction(this.function, { retryAttempts, maxEventAge: Duration.seconds(maxEventAgeSeconds) }),
    );
  }
}
