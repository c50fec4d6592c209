// Alarms that say a run or an export needs a person, one SNS topic for all of them, and the dashboard.
// Executions: failed, timed out, aborted. Exports: no successful run within the schedule's period plus
// a slack (freshness), Marketo's daily export quota nearly spent, a window quarantined. Functions: errors, throttles, and
// TransferChunk running close to its timeout. Scheduling: a start that was dead-lettered.
// On by default; with an e-mail address they also notify.
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { ExportDefinition } from '#shared/export-definition';
import { ExportDashboard } from './export-dashboard';
import { exportMetric } from './export-metrics';
import { freshnessBudget } from './freshness';

const atLeastOnce = {
  threshold: 1,
  evaluationPeriods: 1,
  comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
  treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
} as const;

/** Errors of one function within 15 minutes that page: fewer are retried transients the runs absorb. */
export const FUNCTION_ERRORS_THRESHOLD = 3;
/** TransferChunk's longest invocation above this share of its timeout pages (it is killed at 100 %). */
export const DURATION_NEAR_TIMEOUT = 0.9;
/** Marketo's daily bulk export quota used, in percent, that pages (at 100 % jobs wait for midnight Central). */
export const DEFAULT_QUOTA_ALARM_PERCENT = 80;

export interface PipelineMonitoringProps {
  readonly stateMachine: sfn.IStateMachine;
  /** The schedules' dead-letter queue; any message in it is a run that did not start. */
  readonly scheduleDeadLetterQueue?: sqs.IQueue;
  /** The deployed exports: each gets a dashboard section, scheduled ones a freshness alarm, Marketo ones a quota alarm. */
  readonly exports?: readonly ExportDefinition[];
  /** The workflow's functions by Task name: each gets an errors and a throttles alarm. */
  readonly functions?: Readonly<Record<string, lambda.IFunction>>;
  /** The function whose duration is alarmed near its timeout (TransferChunk streams close to it by design). */
  readonly longRunning?: { readonly fn: lambda.IFunction; readonly timeout: Duration };
  /** @default DEFAULT_QUOTA_ALARM_PERCENT */
  readonly quotaAlarmPercent?: number;
  /**
   * Subscribes this address to an alarm topic. Without it the alarms exist but notify nobody.
   * @default - no topic
   */
  readonly alarmEmail?: string;
  /**
   * The CloudWatch dashboard: runs and alarms, then one section per export.
   * @default true
   */
  readonly dashboard?: boolean;
}

export class PipelineMonitoring extends Construct {
  public readonly executionsFailedAlarm: cloudwatch.Alarm;
  public readonly executionsTimedOutAlarm: cloudwatch.Alarm;
  public readonly executionsAbortedAlarm: cloudwatch.Alarm;
  public readonly deadLetterAlarm?: cloudwatch.Alarm;
  /** By export name. */
  public readonly freshnessAlarms: ReadonlyMap<string, cloudwatch.Alarm>;
  public readonly quotaAlarms: ReadonlyMap<string, cloudwatch.Alarm>;
  /** By export name: a window of the export was quarantined (its data failed maxWindowAttempts times). */
  public readonly quarantineAlarms: ReadonlyMap<string, cloudwatch.Alarm>;
  /** By Task name. */
  public readonly functionErrorAlarms: ReadonlyMap<string, cloudwatch.Alarm>;
  public readonly functionThrottleAlarms: ReadonlyMap<string, cloudwatch.Alarm>;
  public readonly nearTimeoutAlarm?: cloudwatch.Alarm;
  public readonly alarms: readonly cloudwatch.Alarm[];
  public readonly alarmTopic?: sns.Topic;
  public readonly dashboard?: ExportDashboard;

  constructor(scope: Construct, id: string, props: PipelineMonitoringProps) {
    super(scope, id);
    const period = Duration.minutes(5);
    const exports = props.exports ?? [];
    const alarms: cloudwatch.Alarm[] = [];
    const add = (alarm: cloudwatch.Alarm) => {
      alarms.push(alarm);
      return alarm;
    };

    this.executionsFailedAlarm = add(
      new cloudwatch.Alarm(this, 'ExecutionsFailed', {
        alarmDescription: 'An export run failed: see the Export Failed event or the execution history.',
        metric: props.stateMachine.metricFailed({ period, statistic: cloudwatch.Stats.SUM }),
        ...atLeastOnce,
      }),
    );
    this.executionsTimedOutAlarm = add(
      new cloudwatch.Alarm(this, 'ExecutionsTimedOut', {
        alarmDescription: 'An export run hit the state machine timeout.',
        metric: props.stateMachine.metricTimedOut({ period, statistic: cloudwatch.Stats.SUM }),
        ...atLeastOnce,
      }),
    );
    this.executionsAbortedAlarm = add(
      new cloudwatch.Alarm(this, 'ExecutionsAborted', {
        alarmDescription:
          'An export run was stopped (StopExecution) before it finished: its Cleanup did not run; its jobs and uploads may be left over.',
        metric: props.stateMachine.metricAborted({ period, statistic: cloudwatch.Stats.SUM }),
        ...atLeastOnce,
      }),
    );
    if (props.scheduleDeadLetterQueue) {
      this.deadLetterAlarm = add(
        new cloudwatch.Alarm(this, 'ScheduleDeadLetters', {
          alarmDescription:
            'Scheduler could not start an export run; the failed invocation is in the dead-letter queue.',
          metric: props.scheduleDeadLetterQueue.metricApproximateNumberOfMessagesVisible({
            period,
            statistic: cloudwatch.Stats.MAXIMUM,
          }),
          ...atLeastOnce,
        }),
      );
    }

    const freshness = new Map<string, cloudwatch.Alarm>();
    const quota = new Map<string, cloudwatch.Alarm>();
    const quarantine = new Map<string, cloudwatch.Alarm>();
    const quotaPercent = props.quotaAlarmPercent ?? DEFAULT_QUOTA_ALARM_PERCENT;
    for (const def of exports) {
      // Later windows land past a quarantined one, so freshness stays green: this is what tells a person.
      quarantine.set(
        def.name,
        add(
          new cloudwatch.Alarm(this, `WindowQuarantined-${def.name}`, {
            alarmDescription: `A window of export "${def.name}" was quarantined: its data failed with a data error on every try. Its raw files are under quarantine/${def.name}/; fix the cause, then retry the window (README "A quarantined window").`,
            metric: exportMetric(def, 'WindowsQuarantined', { statistic: cloudwatch.Stats.SUM, period }),
            ...atLeastOnce,
          }),
        ),
      );
      const budget = freshnessBudget(def);
      if (budget) {
        // One datapoint per successful run; every hour without one counts as breaching, so the alarm
        // fires after `silentHours` without a success, or as soon as a run reports a watermark too old.
        freshness.set(
          def.name,
          add(
            new cloudwatch.Alarm(this, `Freshness-${def.name}`, {
              alarmDescription: `Export "${def.name}" has not landed within its schedule (${def.schedule?.expression}) plus slack, or its watermark is more than ${Math.round(budget.maxWatermarkAgeSeconds / 3600)} h behind.`,
              metric: exportMetric(def, 'WatermarkAgeSeconds', {
                statistic: cloudwatch.Stats.MAXIMUM,
                period: Duration.hours(1),
              }),
              threshold: budget.maxWatermarkAgeSeconds,
              comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
              evaluationPeriods: budget.silentHours,
              datapointsToAlarm: budget.silentHours,
              treatMissingData: cloudwatch.TreatMissingData.BREACHING,
            }),
          ),
        );
      }
      if (def.provider === 'marketo') {
        quota.set(
          def.name,
          add(
            new cloudwatch.Alarm(this, `ExportQuota-${def.name}`, {
              alarmDescription: `Marketo's daily bulk export quota (500 MB, resets at midnight US Central) is ${quotaPercent} % used by export "${def.name}"'s account: further jobs will wait for the reset.`,
              metric: exportMetric(def, 'MarketoExportQuotaUsedPercent', {
                statistic: cloudwatch.Stats.MAXIMUM,
                period: Duration.hours(1),
              }),
              threshold: quotaPercent,
              comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
              evaluationPeriods: 1,
              treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
            }),
          ),
        );
      }
    }
    this.freshnessAlarms = freshness;
    this.quotaAlarms = quota;
    this.quarantineAlarms = quarantine;

    const errors = new Map<string, cloudwatch.Alarm>();
    const throttles = new Map<string, cloudwatch.Alarm>();
    for (const [task, fn] of Object.entries(props.functions ?? {})) {
      errors.set(
        task,
        add(
          new cloudwatch.Alarm(this, `${task}Errors`, {
            alarmDescription: `${task}: ${FUNCTION_ERRORS_THRESHOLD} or more errors in 15 minutes (retried, but more than transient blips): read the function's log.`,
            metric: fn.metricErrors({ period: Duration.minutes(15), statistic: cloudwatch.Stats.SUM }),
            threshold: FUNCTION_ERRORS_THRESHOLD,
            evaluationPeriods: 1,
            comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
          }),
        ),
      );
      throttles.set(
        task,
        add(
          new cloudwatch.Alarm(this, `${task}Throttles`, {
            alarmDescription: `${task} was throttled: the account's Lambda concurrency is exhausted.`,
            metric: fn.metricThrottles({ period, statistic: cloudwatch.Stats.SUM }),
            ...atLeastOnce,
          }),
        ),
      );
    }
    this.functionErrorAlarms = errors;
    this.functionThrottleAlarms = throttles;

    if (props.longRunning) {
      const limit = props.longRunning.timeout.toMilliseconds() * DURATION_NEAR_TIMEOUT;
      this.nearTimeoutAlarm = add(
        new cloudwatch.Alarm(this, 'TransferChunkNearTimeout', {
          alarmDescription: `TransferChunk ran longer than ${Math.round(DURATION_NEAR_TIMEOUT * 100)} % of its ${props.longRunning.timeout.toMinutes()}-minute timeout: uploads are slower than the chunk budget assumes.`,
          metric: props.longRunning.fn.metricDuration({ period, statistic: cloudwatch.Stats.MAXIMUM }),
          threshold: limit,
          evaluationPeriods: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
      );
    }
    this.alarms = alarms;

    if (props.alarmEmail) {
      this.alarmTopic = this.createAlarmTopic(props.alarmEmail);
      const action = new actions.SnsAction(this.alarmTopic);
      for (const alarm of alarms) alarm.addAlarmAction(action);
    }

    if (props.dashboard ?? true) {
      this.dashboard = new ExportDashboard(this, 'Dashboard', {
        stateMachine: props.stateMachine,
        exports,
        alarms,
        freshnessAlarms: freshness,
        quotaAlarmPercent: quotaPercent,
        ...(props.functions ? { functions: props.functions } : {}),
      });
    }
  }

  private createAlarmTopic(email: string): sns.Topic {
    const key = new kms.Key(this, 'AlarmTopicKey', {
      description: 'Encrypts the bulk export alarm topic.',
      enableKeyRotation: true,
    });
    // CloudWatch publishes alarms into the encrypted topic; the AWS-managed SNS key cannot grant it that.
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    const topic = new sns.Topic(this, 'AlarmTopic', {
      displayName: 'Bulk export alarms',
      masterKey: key,
      enforceSSL: true,
    });
    topic.addSubscription(new subscriptions.EmailSubscription(email));
    return topic;
  }
}
