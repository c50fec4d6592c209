// The whole pipeline in one stack: storage (bucket, Glue, Athena), the completion-event bus, the
// export workflow, its schedules and the alarms. No physical names, so several copies can coexist.
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { PipelineConfig } from './config';
import { PipelineEventBus } from './constructs/event-bus';
import { ExportWorkflow } from './constructs/export-workflow';
import { PipelineMonitoring } from './constructs/monitoring';
import { ExportSchedules } from './constructs/schedules';
import { ExportStorage } from './constructs/storage';
import { StoppedExecutionCleanup } from './constructs/stopped-execution-cleanup';

export interface PipelineStackProps extends StackProps {
  /** The validated deploy config (lib/config.ts). */
  readonly config: PipelineConfig;
}

export class PipelineStack extends Stack {
  public readonly storage: ExportStorage;
  public readonly events: PipelineEventBus;
  public readonly workflow: ExportWorkflow;
  public readonly schedules: ExportSchedules;
  public readonly monitoring: PipelineMonitoring;
  /** Cleans up executions that ended without their Catch (stopped, timed out). */
  public readonly stoppedExecutions: StoppedExecutionCleanup;

  constructor(scope: Construct, id: string, props: PipelineStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.storage = new ExportStorage(this, 'Storage', {
      exports: config.exports,
      retainData: config.retainData,
      queryScanLimitBytes: Math.round(config.queryScanLimitGb * 1e9),
    });
    const optional = config.optionalParts;
    this.events = new PipelineEventBus(this, 'Events', {
      eventSource: config.eventSource,
      archiveRetention: Duration.days(optional.eventArchiveDays),
    });
    this.workflow = new ExportWorkflow(this, 'Workflow', {
      bucket: this.storage.bucket,
      bus: this.events.bus,
      eventSource: config.eventSource,
      exports: config.exports,
    });
    const stateMachine = this.workflow.stateMachine;
    this.stoppedExecutions = new StoppedExecutionCleanup(this, 'StoppedExecutions', {
      stateMachine,
      bucket: this.storage.bucket,
      exports: config.exports,
    });
    this.schedules = new ExportSchedules(this, 'Schedules', { stateMachine, exports: config.exports });
    this.monitoring = new PipelineMonitoring(this, 'Monitoring', {
      stateMachine,
      scheduleDeadLetterQueue: this.schedules.deadLetterQueue,
      exports: config.exports,
      ...(optional.functionAlarms
        ? {
            functions: this.workflow.functions,
            longRunning: {
              fn: this.workflow.functions.TransferChunk,
              timeout: this.workflow.functions.TransferChunk.timeout ?? Duration.minutes(15),
            },
          }
        : {}),
      alarmEmail: config.alarmEmail,
      dashboard: optional.dashboard,
    });

    new CfnOutput(this, 'BucketName', {
      description: 'Data bucket: raw/, curated/, manifests/, state/, athena-results/.',
      value: this.storage.bucket.bucketName,
    });
    new CfnOutput(this, 'StateMachineArn', {
      description: 'Start or backfill an export here.',
      value: stateMachine.stateMachineArn,
    });
    new CfnOutput(this, 'EventBusName', {
      description: 'Subscribe to Export Succeeded / Export Failed here.',
      value: this.events.bus.eventBusName,
    });
    new CfnOutput(this, 'GlueDatabaseName', {
      description: 'Athena database of the export tables.',
      value: this.storage.database.databaseName,
    });
    new CfnOutput(this, 'AthenaWorkGroupName', {
      description: 'Query the export tables in this workgroup.',
      value: this.storage.workGroup.ref,
    });
  }
}
