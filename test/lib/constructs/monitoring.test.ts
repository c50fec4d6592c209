import type { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { beforeAll, describe, expect, it } from 'vitest';
import { PipelineMonitoring } from '../../../lib/constructs/monitoring';
import { stackWithStateMachine } from '../support/test-app';

interface AlarmResource {
  readonly Properties: Record<string, unknown> & { AlarmActions?: unknown[] };
}

function build(alarmEmail?: string): {
  template: Template;
  stack: Stack;
  stateMachine: sfn.StateMachine;
  queue: sqs.Queue;
  monitoring: PipelineMonitoring;
} {
  const { stack, stateMachine } = stackWithStateMachine();
  const queue = new sqs.Queue(stack, 'Dlq');
  const monitoring = new PipelineMonitoring(stack, 'Monitoring', {
    stateMachine,
    scheduleDeadLetterQueue: queue,
    alarmEmail,
  });
  return { template: Template.fromStack(stack), stack, stateMachine, queue, monitoring };
}

describe('PipelineMonitoring without an e-mail address', () => {
  let built: ReturnType<typeof build>;
  beforeAll(() => {
    built = build();
  });

  function alarmOn(metricName: string): AlarmResource {
    const alarms = Object.values(
      built.template.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: metricName } }),
    );
    expect(alarms, metricName).toHaveLength(1);
    return alarms[0] as AlarmResource;
  }

  it('alarms on any failed, timed-out or aborted execution of the state machine', () => {
    const stateMachineRef = { Ref: built.stack.getLogicalId(built.stateMachine.node.defaultChild as never) };
    for (const metricName of ['ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionsAborted']) {
      expect(alarmOn(metricName).Properties).toMatchObject({
        Namespace: 'AWS/States',
        Dimensions: [{ Name: 'StateMachineArn', Value: stateMachineRef }],
        Statistic: 'Sum',
        Period: 300,
        Threshold: 1,
        EvaluationPeriods: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      });
    }
  });

  it('alarms on any message in the schedule dead-letter queue', () => {
    expect(alarmOn('ApproximateNumberOfMessagesVisible').Properties).toMatchObject({
      Namespace: 'AWS/SQS',
      Dimensions: [
        {
          Name: 'QueueName',
          Value: { 'Fn::GetAtt': [built.stack.getLogicalId(built.queue.node.defaultChild as never), 'QueueName'] },
        },
      ],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it('creates no topic, so alarms have no actions', () => {
    built.template.resourceCountIs('AWS::SNS::Topic', 0);
    for (const alarm of Object.values(built.template.findResources('AWS::CloudWatch::Alarm')) as AlarmResource[]) {
      expect(alarm.Properties.AlarmActions).toBeUndefined();
      expect(alarm.Properties.AlarmName).toBeUndefined();
    }
    built.template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });
});

describe('PipelineMonitoring with an e-mail address', () => {
  let built: ReturnType<typeof build>;
  beforeAll(() => {
    built = build('ops@example.com');
  });

  it('notifies an encrypted, TLS-only topic with an e-mail subscription from every alarm', () => {
    const topicId = built.stack.getLogicalId(built.monitoring.alarmTopic?.node.defaultChild as never);
    const keyId = built.stack.getLogicalId(built.monitoring.node.findChild('AlarmTopicKey').node.defaultChild as never);
    built.template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    built.template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          }),
        ]),
      },
    });
    built.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    built.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
      TopicArn: { Ref: topicId },
    });
    const alarms = Object.values(built.template.findResources('AWS::CloudWatch::Alarm')) as AlarmResource[];
    // The construct without exports or functions has four: failed, timed out, aborted, dead letters.
    expect(alarms).toHaveLength(4);
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
  });
});
