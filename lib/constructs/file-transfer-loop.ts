// One file of a window: BeginFile → TransferChunk ⇄ (until the cursor says done) → FinishFile. Each
// TransferChunk streams as much as fits in its time budget and hands back a small cursor, so a file of
// any size crosses the Lambda time limit without its bytes ever passing through state.
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import type { HandlerFunction } from './handler-function';
import { lambdaTask, type TaskPayload } from './lambda-task';
import type { TaskRowContext, WorkflowTaskName } from './workflow-tasks';

export interface FileTransferLoopProps {
  readonly functions: Record<WorkflowTaskName, HandlerFunction>;
  readonly ctx: TaskRowContext;
}

export class FileTransferLoop extends sfn.StateMachineFragment {
  public readonly startState: sfn.State;
  public readonly endStates: sfn.INextable[];

  constructor(scope: Construct, id: string, props: FileTransferLoopProps) {
    super(scope, id);
    const { functions: fns, ctx } = props;
    // The Map's item selector puts these on every file's state (export-workflow.ts).
    const file = { export: '$.export', window: '$.window', job: '$.job', file: '$.file', fileCount: '$.fileCount', jobRecords: '$.jobRecords' } as const satisfies TaskPayload<'BeginFile'>;
    const beginFile = lambdaTask(this, 'BeginFile', fns.BeginFile, file, ctx, { resultPath: '$.transfer' });
    const transferChunk = lambdaTask(this, 'TransferChunk', fns.TransferChunk, { ...file, transfer: '$.transfer' }, ctx, { resultPath: '$.transfer' });
    // No ResultPath: the result replaces the state. (aws-local-stepfunctions mishandles an explicit "$".)
    const finishFile = lambdaTask(this, 'FinishFile', fns.FinishFile, { ...file, transfer: '$.transfer' }, ctx);
    const fileDone = new sfn.Choice(this, 'FileComplete', { stateName: 'FileComplete' })
      .when(sfn.Condition.booleanEquals('$.transfer.cursor.done', true), finishFile)
      .otherwise(transferChunk);
    beginFile.next(transferChunk).next(fileDone);
    this.startState = beginFile;
    this.endStates = [finishFile];
  }
}
