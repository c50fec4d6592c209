// One file of a window: BeginFile → TransferChunk ⇄ (until the cursor says done) → FinishFile → Map
// CurateSplits [ConvertSplit]. Each TransferChunk streams as much as fits in its time budget and hands
// back a small cursor, so a file of any size crosses the Lambda time limit without its bytes ever
// passing through state; once verified, the file's splits are converted to Parquet side by side.
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import type { HandlerFunction } from './handler-function';
import { lambdaTask, type TaskPayload } from './lambda-task';
import type { WorkflowTaskName } from './workflow-tasks';
import type { TaskRowContext } from './task-row';

export interface FileTransferLoopProps {
  readonly functions: Record<WorkflowTaskName, HandlerFunction>;
  readonly ctx: TaskRowContext;
  /** Splits of one file converted at once. */
  readonly convertConcurrency: number;
}

export class FileTransferLoop extends sfn.StateMachineFragment {
  public readonly startState: sfn.State;
  public readonly endStates: sfn.INextable[];

  constructor(scope: Construct, id: string, props: FileTransferLoopProps) {
    super(scope, id);
    const { functions: fns, ctx } = props;
    // The Map's item selector puts these on every file's state (window-pipeline.ts): the export's name, not its definition.
    const file = {
      export: '$.export',
      window: '$.window',
      job: '$.job',
      file: '$.file',
      fileCount: '$.fileCount',
      jobRecords: '$.jobRecords',
    } as const satisfies TaskPayload<'BeginFile'>;
    const beginFile = lambdaTask(this, 'BeginFile', fns.BeginFile, file, ctx, { resultPath: '$.transfer' });
    const transferChunk = lambdaTask(
      this,
      'TransferChunk',
      fns.TransferChunk,
      { ...file, transfer: '$.transfer' },
      ctx,
      { resultPath: '$.transfer' },
    );
    const finishFile = lambdaTask(this, 'FinishFile', fns.FinishFile, { ...file, transfer: '$.transfer' }, ctx, {
      resultPath: '$.result',
    });
    const curateSplits = new sfn.Map(this, 'CurateSplits', {
      stateName: 'CurateSplits',
      itemsPath: '$.result.splits',
      maxConcurrency: props.convertConcurrency,
      itemSelector: {
        'export.$': '$.export',
        'window.$': '$.window',
        'file.$': '$.result',
        'split.$': '$$.Map.Item.Value',
        'fileCount.$': '$.fileCount',
      },
      // The file's iteration output is the verified file with its Parquet parts (WriteManifest reads it).
      resultPath: '$.result.curated',
      outputPath: '$.result',
    });
    curateSplits.itemProcessor(
      lambdaTask(
        this,
        'ConvertSplit',
        fns.ConvertSplit,
        { export: '$.export', window: '$.window', file: '$.file', split: '$.split', fileCount: '$.fileCount' },
        ctx,
      ),
    );
    finishFile.next(curateSplits);
    const fileDone = new sfn.Choice(this, 'FileComplete', { stateName: 'FileComplete' })
      .when(sfn.Condition.booleanEquals('$.transfer.cursor.done', true), finishFile)
      .otherwise(transferChunk);
    beginFile.next(transferChunk).next(fileDone);
    this.startState = beginFile;
    this.endStates = [curateSplits];
  }
}
