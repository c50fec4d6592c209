// The export state machine (DESIGN.md "The flow"): Plan → Map windows [StartJob ⇄ waits → CheckJob ⇄
// Wait → Map files [BeginFile → TransferChunk ⇄ → FinishFile] → WriteManifest] → CommitWatermark →
// PublishSucceeded; any failure → Cleanup → PublishFailed → Fail. JSONPath only: aws-local-stepfunctions
// ignores JSONata and Assign, and the same definition must run on a laptop.
import type { CfnResource} from 'aws-cdk-lib';
import { ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import type { ExportDefinition } from '../../lambdas/shared/export-definition';
import { HandlerFunction } from './handler-function';
import {
  DETAIL_TYPES,
  QUOTA_ERRORS,
  RATE_LIMIT_ERRORS,
  TIMEOUT_ERRORS,
  TRANSIENT_ERRORS,
  WORKFLOW_TASKS,
  type WorkflowTaskName,
} from './workflow-tasks';

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
}

interface TaskSpec {
  readonly description: string;
  readonly timeout?: Duration;
  readonly memorySize?: number;
  /** Whether the step builds a provider (and so reads connection secrets). */
  readonly usesProvider: boolean;
}

const TASK_SPECS: Record<WorkflowTaskName, TaskSpec> = {
  Plan: { description: 'Validates the run input and plans its windows', usesProvider: true },
  StartJob: { description: 'Creates and enqueues (or resumes) the remote export job of a window', usesProvider: true },
  CheckJob: { description: 'Polls the remote job and decides the next wait', usesProvider: true },
  BeginFile: { description: 'Opens the multipart upload at the file\'s final key', usesProvider: false },
  TransferChunk: { description: 'Streams byte ranges of the file into multipart parts', usesProvider: true, memorySize: 1024 },
  FinishFile: { description: 'Verifies size, SHA-256 and records, then completes (or aborts) the upload', usesProvider: false },
  WriteManifest: { description: 'Writes the window manifest', usesProvider: false },
  CommitWatermark: { description: 'Advances the export watermark and builds the success event', usesProvider: false },
  Cleanup: { description: 'Cancels remote jobs and aborts open uploads of a failed run', usesProvider: true },
};

export class ExportWorkflow extends Construct {
  public readonly stateMachine: sfn.StateMachine;
  /** The handler function of each Task state. */
  public readonly functions: Record<WorkflowTaskName, HandlerFunction>;

  constructor(scope: Construct, id: string, props: ExportWorkflowProps) {
    super(scope, id);
    const chunkBudget = props.chunkBudget ?? Duration.minutes(12);
    const fns = {} as Record<WorkflowTaskName, HandlerFunction>;
    for (const [name, spec] of Object.entries(TASK_SPECS) as [WorkflowTaskName, TaskSpec][]) {
      // Every step may sit out provider backoff in-process (Marketo's 606 waits ≥ 20 s, a 60 s header
      // timeout, Clickwrap's Retry-After), so none gets the 1-minute default; all stay under the task timeout.
      const timeout = name === 'TransferChunk' ? Duration.seconds(chunkBudget.toSeconds() + 180) : (spec.timeout ?? Duration.minutes(4));
      fns[name] = new HandlerFunction(this, `${name}Function`, {
        handler: WORKFLOW_TASKS[name],
        description: spec.description,
        ...(timeout ? { timeout } : {}),
        ...(spec.memorySize ? { memorySize: spec.memorySize } : {}),
        environment: {
          BUCKET_NAME: props.bucket.bucketName,
          ...(name === 'TransferChunk' ? { CHUNK_BUDGET_SECONDS: String(chunkBudget.toSeconds()) } : {}),
        },
      });
    }
    this.functions = fns;
    this.grantAccess(props, fns);

    const task = (name: WorkflowTaskName, payload: Record<string, unknown>, opts: { resultPath?: string; outputPath?: string; transientAttempts?: number } = {}) => {
      const timeout = name === 'TransferChunk' ? Duration.seconds(chunkBudget.toSeconds() + 240) : Duration.minutes(5);
      const t = new tasks.LambdaInvoke(this, name, {
        stateName: name,
        lambdaFunction: fns[name],
        payload: sfn.TaskInput.fromObject(payload),
        payloadResponseOnly: true,
        taskTimeout: sfn.Timeout.duration(timeout),
        ...(opts.resultPath !== undefined ? { resultPath: opts.resultPath } : {}),
        ...(opts.outputPath !== undefined ? { outputPath: opts.outputPath } : {}),
      });
      t.addRetry({ errors: [...TRANSIENT_ERRORS], interval: Duration.seconds(5), backoffRate: 2, maxAttempts: opts.transientAttempts ?? 6, maxDelay: Duration.minutes(5), jitterStrategy: sfn.JitterType.FULL });
      // A daily quota (Marketo 607) resets at midnight US Central: an hourly retry for a day covers it.
      t.addRetry({ errors: [...QUOTA_ERRORS], interval: Duration.hours(1), backoffRate: 1, maxAttempts: 24 });
      // Marketo asks for at least 20 s after a 606; the provider already waited once in-process.
      t.addRetry({ errors: [...RATE_LIMIT_ERRORS], interval: Duration.seconds(20), backoffRate: 2, maxAttempts: 6, maxDelay: Duration.minutes(5), jitterStrategy: sfn.JitterType.FULL });
      return t;
    };
    const ctx = { 'startedAt.$': '$$.Execution.StartTime', 'executionId.$': '$$.Execution.Id' };

    // ---- failure path -------------------------------------------------------------------------
    const fail = new sfn.Fail(this, 'ExportFailed', { stateName: 'ExportFailed', errorPath: '$.cleanup.error.name', causePath: '$.cleanup.error.message' });
    const publishFailed = new tasks.EventBridgePutEvents(this, 'PublishFailed', {
      stateName: 'PublishFailed',
      entries: [{ detail: sfn.TaskInput.fromJsonPathAt('$.cleanup.event'), detailType: DETAIL_TYPES.failed, source: props.eventSource, eventBus: props.bus }],
      resultPath: sfn.JsonPath.DISCARD,
    });
    const cleanup = task('Cleanup', { 'input.$': '$', 'plan.$': '$.plan', 'error.$': '$.error', ...ctx }, { resultPath: '$.cleanup' });
    cleanup.addRetry({ errors: [...TIMEOUT_ERRORS], interval: Duration.seconds(5), backoffRate: 2, maxAttempts: 2 });
    // If Cleanup itself cannot run, the execution still fails with the original error (no event then:
    // the ExecutionsFailed alarm covers it).
    cleanup.addCatch(new sfn.Fail(this, 'CleanupFailed', { stateName: 'CleanupFailed', errorPath: '$.error.Error', causePath: '$.error.Cause' }), {
      resultPath: '$.cleanupError',
    });
    // Publishing the failure is worth a retry, but a failed publish must still end the run as failed.
    publishFailed.addRetry({ errors: ['States.ALL'], interval: Duration.seconds(5), backoffRate: 2, maxAttempts: 4 });
    publishFailed.addCatch(fail, { resultPath: '$.publishError' });
    cleanup.next(publishFailed).next(fail);
    const onError = { errors: ['States.ALL'], resultPath: '$.error' };

    // ---- one file: BeginFile → TransferChunk ⇄ → FinishFile -------------------------------------
    const fileTask = { 'export.$': '$.export', 'window.$': '$.window', 'job.$': '$.job', 'file.$': '$.file', 'fileCount.$': '$.fileCount', 'jobRecords.$': '$.jobRecords' };
    const beginFile = task('BeginFile', fileTask, { resultPath: '$.transfer' });
    const transferChunk = task('TransferChunk', { ...fileTask, 'transfer.$': '$.transfer' }, { resultPath: '$.transfer' });
    transferChunk.addRetry({ errors: [...TIMEOUT_ERRORS], interval: Duration.seconds(5), backoffRate: 2, maxAttempts: 2 });
    // No ResultPath: the result replaces the state. (aws-local-stepfunctions mishandles an explicit "$".)
    const finishFile = task('FinishFile', { ...fileTask, 'transfer.$': '$.transfer' });
    const fileDone = new sfn.Choice(this, 'FileComplete', { stateName: 'FileComplete' })
      .when(sfn.Condition.booleanEquals('$.transfer.cursor.done', true), finishFile)
      .otherwise(transferChunk);
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
    transferFiles.itemProcessor(beginFile.next(transferChunk).next(fileDone));

    // ---- one window: StartJob ⇄ (busy | deferred) → Wait ⇄ CheckJob → files → manifest ---------
    const startJob = task(
      'StartJob',
      { 'export.$': '$.export', 'request.$': '$.request', 'window.$': '$.window', 'previous.$': '$.start', 'executionId.$': '$$.Execution.Id' },
      // Safe to retry: the window's job is recorded the moment it is created, so a retried StartJob
      // resumes it. Few tries: a create whose outcome stayed unknown may leave a stray job in Created.
      { resultPath: '$.start', transientAttempts: 2 },
    );
    const waitForQueue = new sfn.Wait(this, 'WaitForQueue', { stateName: 'WaitForQueue', time: sfn.WaitTime.secondsPath('$.start.waitSeconds') });
    const waitForQuotaReset = new sfn.Wait(this, 'WaitForQuotaReset', { stateName: 'WaitForQuotaReset', time: sfn.WaitTime.timestampPath('$.start.until') });
    const jobStarted = new sfn.Pass(this, 'JobStarted', {
      stateName: 'JobStarted',
      parameters: { count: 0, 'waitSeconds.$': '$.start.waitSeconds', waitedSeconds: 0, 'since.$': '$.start.startedAt' },
      resultPath: '$.poll',
    });
    const waitForJob = new sfn.Wait(this, 'WaitForJob', { stateName: 'WaitForJob', time: sfn.WaitTime.secondsPath('$.poll.waitSeconds') });
    const checkJob = task('CheckJob', { 'export.$': '$.export', 'window.$': '$.window', 'job.$': '$.start.job', 'poll.$': '$.poll' }, { resultPath: '$.poll' });
    const writeManifest = task(
      'WriteManifest',
      { 'export.$': '$.export', 'window.$': '$.window', 'job.$': '$.start.job', 'poll.$': '$.poll', 'files.$': '$.files', 'runStartedAt.$': '$.runStartedAt' },
    );
    const jobDone = new sfn.Choice(this, 'JobComplete', { stateName: 'JobComplete' })
      .when(sfn.Condition.stringEquals('$.poll.state', 'succeeded'), transferFiles.next(writeManifest))
      .otherwise(waitForJob);
    const startOutcome = new sfn.Choice(this, 'JobStartOutcome', { stateName: 'JobStartOutcome' })
      .when(sfn.Condition.stringEquals('$.start.kind', 'started'), jobStarted.next(waitForJob).next(checkJob).next(jobDone))
      .when(sfn.Condition.stringEquals('$.start.kind', 'busy'), waitForQueue.next(startJob))
      .otherwise(waitForQuotaReset.next(startJob));
    const windows = new sfn.Map(this, 'ExportWindows', {
      stateName: 'ExportWindows',
      itemsPath: '$.plan.windows',
      maxConcurrencyPath: '$.plan.maxConcurrency',
      itemSelector: {
        'export.$': '$.plan.export',
        'request.$': '$.plan.request',
        'window.$': '$$.Map.Item.Value',
        'runStartedAt.$': '$.plan.startedAt',
        start: { kind: 'init' },
      },
      resultPath: '$.windows',
    });
    windows.itemProcessor(startJob.next(startOutcome));
    windows.addCatch(cleanup, onError);

    // ---- the run ------------------------------------------------------------------------------
    const plan = task('Plan', { 'input.$': '$', ...ctx }, { resultPath: '$.plan' });
    // Cleanup always finds $.plan: when Plan itself failed, there are no windows to clean up.
    const noPlan = new sfn.Pass(this, 'NoPlan', { stateName: 'NoPlan', result: sfn.Result.fromObject({ windows: [] }), resultPath: '$.plan' });
    plan.addCatch(noPlan.next(cleanup), onError);
    const commit = task('CommitWatermark', { 'plan.$': '$.plan', 'windows.$': '$.windows', 'executionId.$': '$$.Execution.Id' }, { resultPath: '$.commit' });
    commit.addCatch(cleanup, onError);
    const publishSucceeded = new tasks.EventBridgePutEvents(this, 'PublishSucceeded', {
      stateName: 'PublishSucceeded',
      entries: [{ detail: sfn.TaskInput.fromJsonPathAt('$.commit.event'), detailType: DETAIL_TYPES.succeeded, source: props.eventSource, eventBus: props.bus }],
      resultPath: sfn.JsonPath.DISCARD,
    });
    publishSucceeded.addRetry({ errors: ['States.ALL'], interval: Duration.seconds(5), backoffRate: 2, maxAttempts: 4 });
    const succeeded = new sfn.Succeed(this, 'ExportSucceeded', { stateName: 'ExportSucceeded', outputPath: '$.commit.event' });

    const logGroup = new logs.LogGroup(this, 'StateMachineLogs', { retention: logs.RetentionDays.THREE_MONTHS });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromChainable(plan.next(windows).next(commit).next(publishSucceeded).next(succeeded)),
      timeout: props.executionTimeout ?? Duration.days(7),
      tracingEnabled: true,
      // Execution data would copy state into the logs, and state holds Clickwrap's pre-signed links.
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
      comment: 'Bulk export: plan windows, run remote export jobs, stream verified files into S3, announce the outcome',
    });
    this.acknowledgeNagFindings(props, fns);
  }

  /** cdk-nag AwsSolutions findings that are the design, each with its reason (one per finding id). */
  private acknowledgeNagFindings(props: ExportWorkflowProps, fns: Record<WorkflowTaskName, HandlerFunction>): void {
    const stack = Stack.of(this);
    const tokenOf = (c: Construct) => stack.getLogicalId(c.node.defaultChild as CfnResource);
    const bucketArn = `<${tokenOf(props.bucket)}.Arn>`;
    for (const fn of Object.values(fns)) {
      Validations.of(fn).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: 'The AWS-managed basic execution role only lets the function write its own CloudWatch logs; a copy would add nothing.',
      });
      Validations.of(fn).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permissions (active tracing is required by AwsSolutions).',
      });
      for (const prefix of ['state', 'raw', 'manifests']) {
        Validations.of(fn).acknowledge({
          id: `AwsSolutions-IAM5[Resource::${bucketArn}/${prefix}/*]`,
          reason: `Object keys under ${prefix}/ are derived per export and window at run time; the grant is limited to that prefix and to the actions the step needs.`,
        });
      }
    }
    Validations.of(this.stateMachine).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'CloudWatch Logs delivery and X-Ray actions of Step Functions support no resource-level permissions.',
    });
    for (const fn of Object.values(fns)) {
      Validations.of(this.stateMachine).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${tokenOf(fn)}.Arn>:*]`,
        reason: 'Step Functions grants invoke on the function and its versions/aliases (the `:*` suffix); only this workflow\'s own functions are named.',
      });
    }
  }

  /** Least privilege: each function gets only the bucket prefixes and secrets its step touches. */
  private grantAccess(props: ExportWorkflowProps, fns: Record<WorkflowTaskName, HandlerFunction>): void {
    const { bucket } = props;
    const stack = Stack.of(this);
    const secretArns = [...new Set(props.exports.map((e) => e.secretName))].map((name) =>
      stack.formatArn({ service: 'secretsmanager', resource: 'secret', resourceName: `${name}-??????`, arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
    );
    for (const [name, spec] of Object.entries(TASK_SPECS) as [WorkflowTaskName, TaskSpec][]) {
      if (spec.usesProvider && secretArns.length > 0) {
        fns[name].addToRolePolicy(new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: secretArns }));
      }
    }
    const objects = (prefix: string) => bucket.arnForObjects(prefix);
    const allow = (fn: HandlerFunction, actions: string[], resources: string[]) =>
      fn.addToRolePolicy(new iam.PolicyStatement({ actions, resources }));

    allow(fns.Plan, ['s3:GetObject'], [objects('state/*')]);
    allow(fns.StartJob, ['s3:GetObject', 's3:PutObject'], [objects('state/*')]);
    allow(fns.BeginFile, ['s3:PutObject'], [objects('raw/*')]);
    // AbortMultipartUpload: a chunk that finds the source contradicting the file aborts at once.
    allow(fns.TransferChunk, ['s3:PutObject', 's3:AbortMultipartUpload'], [objects('raw/*')]);
    // GetObject: a retried finish checks the completed object (HeadObject), a long header is read back.
    allow(fns.FinishFile, ['s3:PutObject', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload'], [objects('raw/*')]);
    allow(fns.WriteManifest, ['s3:PutObject'], [objects('manifests/*')]);
    allow(fns.WriteManifest, ['s3:GetObject', 's3:DeleteObject'], [objects('raw/*')]);
    allow(fns.WriteManifest, ['s3:DeleteObject'], [objects('state/*')]);
    allow(fns.CommitWatermark, ['s3:GetObject', 's3:PutObject'], [objects('state/*')]);
    allow(fns.Cleanup, ['s3:GetObject', 's3:DeleteObject'], [objects('state/*')]);
    allow(fns.Cleanup, ['s3:GetObject', 's3:AbortMultipartUpload', 's3:DeleteObject'], [objects('raw/*')]);
    allow(fns.Cleanup, ['s3:GetObject', 's3:DeleteObject'], [objects('manifests/*')]);
    allow(fns.Cleanup, ['s3:ListBucketMultipartUploads'], [bucket.bucketArn]);
    // A missing key must read as "absent" (404), not "forbidden" (403): that needs ListBucket, and a
    // GetObject carries no s3:prefix a condition could match, so it cannot be narrowed by prefix.
    for (const fn of [fns.Plan, fns.StartJob, fns.FinishFile, fns.WriteManifest, fns.CommitWatermark, fns.Cleanup]) {
      fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }));
    }
    if (bucket.encryptionKey) {
      for (const fn of Object.values(fns)) bucket.encryptionKey.grantEncryptDecrypt(fn);
    }
  }
}
