// The workflow's Lambda functions, one per row of workflow-tasks.ts: each function's environment, its
// grants and the cdk-nag acknowledgements of those grants come from the same row, so they cannot drift.
import type { CfnResource, Duration } from 'aws-cdk-lib';
import { ArnFormat, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { BUCKET_PREFIXES, type BucketArea } from '#window/bucket-layout';
import type { ExportDefinition } from '#shared/export-definition';
import { EXPORTS_VARIABLE } from '#shared/export-catalog';
import { HandlerFunction } from './handler-function';
import { WORKFLOW_TASKS, type WorkflowTaskName } from './workflow-tasks';
import type { TaskRow, TaskRowContext } from './task-row';

export interface WorkflowFunctionsProps {
  readonly bucket: s3.IBucket;
  /** Every configured export (their secrets are granted to the steps that build providers). */
  readonly exports: readonly ExportDefinition[];
  readonly chunkBudget: Duration;
}

export class WorkflowFunctions extends Construct {
  /** The handler function of each Task state. */
  public readonly byTask: Record<WorkflowTaskName, HandlerFunction>;

  constructor(scope: Construct, id: string, props: WorkflowFunctionsProps) {
    super(scope, id);
    const ctx: TaskRowContext = { chunkBudget: props.chunkBudget };
    const secretArns = connectionSecretArns(Stack.of(scope), props.exports);
    const byTask = {} as Record<WorkflowTaskName, HandlerFunction>;
    for (const [name, row] of Object.entries(WORKFLOW_TASKS) as [WorkflowTaskName, TaskRow][]) {
      // Functions keep their construct ids under the scope (not this construct) so logical ids stay stable.
      const fn = new HandlerFunction(scope, `${name}Function`, {
        handler: row.handler,
        description: row.description,
        timeout: row.timeout(ctx),
        ...(row.memorySize ? { memorySize: row.memorySize } : {}),
        environment: { BUCKET_NAME: props.bucket.bucketName, ...row.environment?.(ctx) },
        // The deployed exports travel in the code, not the execution input (see export-catalog.ts).
        bundledEnvironment: { [EXPORTS_VARIABLE]: JSON.stringify(props.exports) },
      });
      grantTaskRow(fn, row, props.bucket, secretArns);
      byTask[name] = fn;
    }
    this.byTask = byTask;
  }
}

/** The exports' connection secrets (Secrets Manager appends six random characters to a secret's name). */
export function connectionSecretArns(stack: Stack, exports: readonly ExportDefinition[]): string[] {
  return [...new Set(exports.map((e) => e.secretName))].map((name) =>
    stack.formatArn({
      service: 'secretsmanager',
      resource: 'secret',
      resourceName: `${name}-??????`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    }),
  );
}

/** Least privilege from the row: its bucket areas and actions, its secrets; each wildcard acknowledged with the row's reason. */
export function grantTaskRow(
  fn: HandlerFunction,
  row: TaskRow,
  bucket: s3.IBucket,
  secretArns: readonly string[],
): void {
  if (row.readsSecrets && secretArns.length > 0) {
    fn.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [...secretArns] }),
    );
  }
  const bucketToken = `<${Stack.of(fn).getLogicalId(bucket.node.defaultChild as CfnResource)}.Arn>`;
  for (const [area, access] of Object.entries(row.objects) as [
    BucketArea,
    NonNullable<TaskRow['objects'][BucketArea]>,
  ][]) {
    const prefix = BUCKET_PREFIXES[area];
    fn.addToRolePolicy(
      new iam.PolicyStatement({ actions: [...access.actions], resources: [bucket.arnForObjects(`${prefix}*`)] }),
    );
    Validations.of(fn.role!).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${bucketToken}/${prefix}*]`,
      reason: `Keys under ${prefix} are derived per export and window at run time; the step ${access.why} (${access.actions.join(', ')}) and nothing more.`,
    });
  }
  if (row.bucketActions && row.bucketActions.length > 0) {
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: [...row.bucketActions], resources: [bucket.bucketArn] }));
  }
  if (bucket.encryptionKey) bucket.encryptionKey.grantEncryptDecrypt(fn);
  Validations.of(fn.role!).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${Stack.of(fn).getLogicalId(fn.logGroup.node.defaultChild as CfnResource)}.Arn>:*]`,
    reason:
      "Log streams of the function's own log group: streams are created per container at run time, so the grant names the group's streams (`:*`), nothing wider.",
  });
  Validations.of(fn.role!).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permissions (active tracing is required by AwsSolutions).',
  });
}
