// Alarms that say a run needs a person: executions that failed or timed out, and scheduled starts
// that never happened (dead-lettered). On by default; with an e-mail address they also notify.
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

const atLeastOnce = {
  threshold: 1,
  evaluationPeriods: 1,
  comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
  treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
} as const;

export interface PipelineMonitoringProps {
  readonly stateMachine: sfn.IStateMachine;
  /** The schedules' dead-letter queue; any message in it is a run that did not start. */
  readonly scheduleDeadLetterQueue?: sqs.IQueue;
  /**
   * Subscribes this address to an alarm topic. Without it the alarms exist but notify nobody.
   * @default - no topic
   */
  readonly alarmEmail?: string;
  /**
   * A small CloudWatch dashboard of executions and the dead-letter queue.
   * @default true
   */
  readonly dashboard?: boolean;
}

export class PipelineMonitoring extends Construct {
  public readonly executionsFailedAlarm: cloudwatch.Alarm;
  public readonly executionsTimedOutAlarm: cloudwatch.Alarm;
  public readonly deadLetterAlarm?: cloudwatch.Alarm;
  public readonly alarmTopic?: sns.Topic;

  constructor(scope: Construct, id: string, props: PipelineMonitoringProps) {
    super(scope, id);
    const period = Duration.minutes(5);

    this.executionsFailedAlarm = new cloudwatch.Alarm(this, 'ExecutionsFailed', {
      alarmDescription: 'An export run failed: see the Export Failed event or the execution history.',
      metric: props.stateMachine.metricFailed({ period, statistic: cloudwatch.Stats.SUM }),
      ...atLeastOnce,
    });
    this.executionsTimedOutAlarm = new cloudwatch.Alarm(this, 'ExecutionsTimedOut', {
      alarmDescription: 'An export run hit the state machine timeout.',
      metric: props.stateMachine.metricTimedOut({ period, statistic: cloudwatch.Stats.SUM }),
      ...atLeastOnce,
    });
    const alarms = [this.executionsFailedAlarm, this.executionsTimedOutAlarm];
    if (props.scheduleDeadLetterQueue) {
      this.deadLetterAlarm = new cloudwatch.Alarm(this, 'ScheduleDeadLetters', {
        alarmDescription: 'Scheduler could not start an export run; the failed invocation is in the dead-letter queue.',
        metric: props.scheduleDeadLetterQueue.metricApproximateNumberOfMessagesVisible({ period, statistic: cloudwatch.Stats.MAXIMUM }),
        ...atLeastOnce,
      });
      alarms.push(this.deadLetterAlarm);
    }

    if (props.alarmEmail) {
      this.alarmTopic = this.createAlarmTopic(props.alarmEmail);
      const action = new actions.SnsAction(this.alarmTopic);
      for (const alarm of alarms) alarm.addAlarmAction(action);
    }

    if (props.dashboard ?? true) {
      const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { defaultInterval: Duration.days(7) });
      dashboard.addWidgets(
        new cloudwatch.GraphWidget({
          title: 'Export runs',
          left: [
            props.stateMachine.metricStarted({ period: Duration.hours(1) }),
            props.stateMachine.metricSucceeded({ period: Duration.hours(1) }),
            props.stateMachine.metricFailed({ period: Duration.hours(1) }),
            props.stateMachine.metricTimedOut({ period: Duration.hours(1) }),
          ],
          width: 12,
        }),
        new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms, width: 12 }),
      );
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
