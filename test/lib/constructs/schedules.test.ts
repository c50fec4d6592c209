import type { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ExportSchedules } from '../../../lib/constructs/schedules';
import { clickwrapExport, marketoExport, stackWithStateMachine, testConfig } from '../support/test-app';

interface ScheduleResource {
  readonly Properties: {
    readonly ScheduleExpression: string;
    readonly ScheduleExpressionTimezone?: string;
    readonly State: string;
    readonly FlexibleTimeWindow: { Mode: string };
    readonly Target: {
      Arn: unknown;
      RoleArn: unknown;
      Input: string;
      RetryPolicy: { MaximumRetryAttempts: number; MaximumEventAgeInSeconds: number };
      DeadLetterConfig: { Arn: unknown };
    };
  };
}

describe('ExportSchedules', () => {
  const config = testConfig({
    exports: [
      marketoExport,
      clickwrapExport,
      {
        ...clickwrapExport,
        name: 'clickwrap-paused',
        schedule: { expression: 'rate(6 hours)', timezone: 'Europe/Berlin', enabled: false },
      },
    ],
  });
  let template: Template;
  let stack: Stack;
  let stateMachine: sfn.StateMachine;
  let schedules: ExportSchedules;
  let resources: ScheduleResource[];

  beforeAll(() => {
    ({ stack, stateMachine } = stackWithStateMachine());
    schedules = new ExportSchedules(stack, 'Schedules', { stateMachine, exports: config.exports });
    template = Template.fromStack(stack);
    resources = Object.values(template.findResources('AWS::Scheduler::Schedule')) as ScheduleResource[];
  });

  function scheduleFor(exportName: string): ScheduleResource {
    const found = resources.find(
      (resource) => (JSON.parse(resource.Properties.Target.Input) as { export: string }).export === exportName,
    );
    expect(found, `schedule of ${exportName}`).toBeDefined();
    return found as ScheduleResource;
  }

  it('creates one schedule per export that declares one; a disabled one stays deployed, paused', () => {
    expect(resources).toHaveLength(2);
    expect([...schedules.schedules.keys()]).toEqual(['marketo-activities', 'clickwrap-paused']);
    expect(scheduleFor('marketo-activities').Properties).toMatchObject({
      ScheduleExpression: 'cron(15 2 * * ? *)',
      ScheduleExpressionTimezone: 'UTC',
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
    });
    expect(scheduleFor('clickwrap-paused').Properties).toMatchObject({
      ScheduleExpression: 'rate(6 hours)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
      State: 'DISABLED',
    });
  });

  it('starts the state machine with exactly {"export": <name>, "trigger": "schedule"}: the definition is deployed, not sent', () => {
    const target = scheduleFor('marketo-activities').Properties.Target;
    expect(target.Arn).toEqual({ Ref: stack.getLogicalId(stateMachine.node.defaultChild as never) });
    expect(JSON.parse(target.Input)).toEqual({ export: config.exports[0]!.name, trigger: 'schedule' });
    expect(Object.keys(JSON.parse(target.Input) as object)).toEqual(['export', 'trigger']);
  });

  it('retries a few times within an hour, then dead-letters', () => {
    for (const resource of resources) {
      const target = resource.Properties.Target;
      expect(target.RetryPolicy).toEqual({ MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 });
      expect(target.DeadLetterConfig).toEqual({
        Arn: { 'Fn::GetAtt': [stack.getLogicalId(schedules.deadLetterQueue.node.defaultChild as never), 'Arn'] },
      });
    }
  });

  it('dead-letters into an encrypted, TLS-only queue', () => {
    const queueId = stack.getLogicalId(schedules.deadLetterQueue.node.defaultChild as never);
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 1_209_600,
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queueId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 'sqs:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it("uses one role, assumable only by the schedules of the pipeline's own group, that may start only this state machine", () => {
    const groupId = stack.getLogicalId(schedules.group.node.defaultChild as never);
    const groupName = (template.toJSON().Resources[groupId] as { Properties: { Name: string } }).Properties.Name;
    for (const resource of resources)
      expect((resource.Properties as { GroupName?: unknown }).GroupName).toBe(groupName);
    const roleId = stack.getLogicalId(schedules.role.node.defaultChild as never);
    for (const resource of resources)
      expect(resource.Properties.Target.RoleArn).toEqual({ 'Fn::GetAtt': [roleId, 'Arn'] });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'scheduler.amazonaws.com' },
            Action: 'sts:AssumeRole',
            Condition: {
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              ArnLike: {
                'aws:SourceArn': {
                  'Fn::Join': [
                    '',
                    [
                      'arn:',
                      { Ref: 'AWS::Partition' },
                      ':scheduler:',
                      { Ref: 'AWS::Region' },
                      ':',
                      { Ref: 'AWS::AccountId' },
                      `:schedule/${groupName}/*`,
                    ],
                  ],
                },
              },
            },
          },
        ],
      },
    });
    const policies = Object.values(
      template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } }),
    );
    expect(policies).toHaveLength(1);
    const statements = (policies[0] as { Properties: { PolicyDocument: { Statement: unknown[] } } }).Properties
      .PolicyDocument.Statement;
    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: 'states:StartExecution',
        Resource: { Ref: stack.getLogicalId(stateMachine.node.defaultChild as never) },
      },
      {
        Effect: 'Allow',
        Action: 'sqs:SendMessage',
        Resource: { 'Fn::GetAtt': [stack.getLogicalId(schedules.deadLetterQueue.node.defaultChild as never), 'Arn'] },
      },
    ]);
  });
});
