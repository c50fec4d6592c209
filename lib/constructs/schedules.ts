// One EventBridge Scheduler schedule per export that declares a `schedule`: it starts the workflow
// with `{"export": "<name>"}`. Scheduler's default is 185 tries over 24 h, which for a
// StartExecution that keeps failing only hides the problem: retry a few times, then dead-letter.
import { Duration, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { ExportDefinition } from '#shared/export-definition';
import { RETRY_POLICY } from '#shared/retry-policy';

export interface ExportSchedulesProps {
  readonly stateMachine: sfn.IStateMachine;
  /** Exports without a `schedule` get none. */
  readonly exports: readonly ExportDefinition[];
  /**
   * Attempts after the first failed StartExecution.
   * @default 3
   */
  readonly retryAttempts?: number;
  /**
   * Give up on (and dead-letter) an invocation this long after its scheduled time.
   * @default Duration.hours(1)
   */
  readonly maxEventAge?: Duration;
}

/** What a scheduled run hands the state machine: the export's name (the definition is deployed with the functions). */
export interface ScheduledRunInput {
  readonly export: string;
  /** A scheduled start that finds the export busy (another run holds it) is skipped, not failed. */
  readonly trigger: 'schedule';
}

export class ExportSchedules extends Construct {
  /** Invocations Scheduler gave up on; alarmed by the monitoring construct. */
  public readonly deadLetterQueue: sqs.Queue;
  /** The role every schedule assumes: StartExecution on this one state machine, SendMessage to the DLQ. */
  public readonly role: iam.Role;
  /** Per scheduled export, by export name. */
  public readonly schedules: ReadonlyMap<string, scheduler.Schedule>;
  /** The pipeline's own schedule group: the role trusts only schedules in it. */
  public readonly group: scheduler.ScheduleGroup;

  constructor(scope: Construct, id: string, props: ExportSchedulesProps) {
    super(scope, id);
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        "This queue is itself the dead-letter queue of the schedules (Scheduler's DeadLetterConfig, which cdk-nag cannot see).",
    });
    this.group = new scheduler.ScheduleGroup(this, 'Group');
    const stack = Stack.of(this);
    this.role = new iam.Role(this, 'Role', {
      description: 'EventBridge Scheduler: start the bulk export state machine.',
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        // Confused-deputy guard: only this account's schedules, and only those of the pipeline's group.
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'scheduler',
              resource: 'schedule',
              resourceName: `${this.group.scheduleGroupName}/*`,
            }),
          },
        },
      }),
    });

    const schedules = new Map<string, scheduler.Schedule>();
    for (const definition of props.exports) {
      const schedule = definition.schedule;
      if (!schedule) continue;
      const input: ScheduledRunInput = { export: definition.name, trigger: 'schedule' };
      schedules.set(
        definition.name,
        new scheduler.Schedule(this, `Schedule-${definition.name}`, {
          description: `Start export "${definition.name}" (${definition.provider} ${definition.dataset}).`,
          scheduleGroup: this.group,
          schedule: scheduler.ScheduleExpression.expression(schedule.expression, TimeZone.of(schedule.timezone)),
          // A disabled schedule stays deployed (paused), so enabling it is a config flip, not a new resource.
          enabled: schedule.enabled,
          target: new targets.StepFunctionsStartExecution(props.stateMachine, {
            input: scheduler.ScheduleTargetInput.fromObject(input),
            role: this.role,
            deadLetterQueue: this.deadLetterQueue,
            retryAttempts: props.retryAttempts ?? RETRY_POLICY.scheduledStart.retryAttempts,
            maxEventAge: props.maxEventAge ?? Duration.seconds(RETRY_POLICY.scheduledStart.maxEventAgeSeconds),
          }),
        }),
      );
    }
    this.schedules = schedules;
  }
}
