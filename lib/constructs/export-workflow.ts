// PLACEHOLDER (being written): the Step Functions state machine and its handler functions.
import type * as events from 'aws-cdk-lib/aws-events';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { ExportDefinition } from '../../lambdas/shared/export-definition';

export interface ExportWorkflowProps {
  /** Where raw files, manifests and watermarks land. */
  readonly bucket: s3.IBucket;
  /** The pipeline's own bus for completion events. */
  readonly bus: events.IEventBus;
  /** `source` of the completion events. */
  readonly eventSource: string;
  /** Every configured export (for secret grants and per-export limits). */
  readonly exports: readonly ExportDefinition[];
}

export class ExportWorkflow extends Construct {
  public readonly stateMachine!: sfn.StateMachine;
  constructor(scope: Construct, id: string, props: ExportWorkflowProps) {
    super(scope, id);
    void props;
  }
}
