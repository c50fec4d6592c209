import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { PipelineStack } from '../../../lib/pipeline-stack';
import { testApp, testConfig } from '../support/test-app';

interface PolicyStatement {
  readonly Action: string | string[];
  readonly Resource: unknown;
}

describe('StoppedExecutionCleanup', () => {
  let stack: PipelineStack;
  let template: Template;
  const ref = (construct: { node: { defaultChild?: unknown } }) => ({
    Ref: stack.getLogicalId(construct.node.defaultChild as never),
  });

  beforeAll(() => {
    stack = new PipelineStack(testApp(), 'Pipeline', { config: testConfig() });
    template = Template.fromStack(stack);
  });

  it("matches this state machine's aborted, timed-out and failed executions, nothing else", () => {
    const rule = template.findResources('AWS::Events::Rule', {
      Properties: { EventPattern: { source: ['aws.states'] } },
    });
    expect(Object.values(rule)).toHaveLength(1);
    const pattern = (Object.values(rule)[0] as { Properties: { EventPattern: unknown; State: string } }).Properties;
    expect(pattern.EventPattern).toEqual({
      source: ['aws.states'],
      'detail-type': ['Step Functions Execution Status Change'],
      detail: { stateMachineArn: [ref(stack.workflow.stateMachine)], status: ['ABORTED', 'TIMED_OUT', 'FAILED'] },
    });
    expect(pattern.State).toBe('ENABLED');
  });

  it('targets the settle-stopped-execution function, with bounded retries, and lets EventBridge invoke it', () => {
    const fnArn = {
      'Fn::GetAtt': [stack.getLogicalId(stack.stoppedExecutions.function.node.defaultChild as never), 'Arn'],
    };
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({ source: ['aws.states'] }),
      Targets: [
        Match.objectLike({ Arn: fnArn, RetryPolicy: { MaximumRetryAttempts: 4, MaximumEventAgeInSeconds: 3600 } }),
      ],
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      FunctionName: fnArn,
      SourceArn: { 'Fn::GetAtt': [stack.getLogicalId(stack.stoppedExecutions.rule.node.defaultChild as never), 'Arn'] },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('stopped, timed out or failed without its Catch'),
      Environment: { Variables: Match.objectLike({ BUCKET_NAME: ref(stack.storage.bucket) }) },
    });
  });

  it("may read only this state machine's executions, and undo windows like Cleanup", () => {
    const roleRef = ref(stack.stoppedExecutions.function.role as never);
    const policies = Object.values(template.findResources('AWS::IAM::Policy')) as {
      Properties: { Roles: unknown[]; PolicyDocument: { Statement: PolicyStatement[] } };
    }[];
    const statements = policies
      .filter((p) => JSON.stringify(p.Properties.Roles) === JSON.stringify([roleRef]))
      .flatMap((p) => p.Properties.PolicyDocument.Statement);
    const describe = statements.filter((s) => [s.Action].flat().includes('states:DescribeExecution'));
    expect(describe).toHaveLength(1);
    expect(JSON.stringify(describe[0]?.Resource)).toContain(
      `${stack.getLogicalId(stack.workflow.stateMachine.node.defaultChild as never)}","Name"`,
    );
    const actions = statements.flatMap((s) => [s.Action].flat());
    for (const action of [
      's3:AbortMultipartUpload',
      's3:ListBucketMultipartUploads',
      's3:DeleteObject',
      's3:PutObject',
      'secretsmanager:GetSecretValue',
    ])
      expect(actions).toContain(action);
    expect(actions).not.toContain('states:StopExecution');
  });

  it('Cleanup, the stopped-execution function and ReclaimDeadRuns may mark a failed cancel pending (PutObject on state/)', () => {
    for (const fn of [
      stack.workflow.functions.Cleanup,
      stack.stoppedExecutions.function,
      stack.workflow.functions.ReclaimDeadRuns,
    ]) {
      const roleRef = ref(fn.role as never);
      const policies = Object.values(template.findResources('AWS::IAM::Policy')) as {
        Properties: { Roles: unknown[]; PolicyDocument: { Statement: PolicyStatement[] } };
      }[];
      const statements = policies
        .filter((p) => JSON.stringify(p.Properties.Roles) === JSON.stringify([roleRef]))
        .flatMap((p) => p.Properties.PolicyDocument.Statement);
      const onState = statements.filter((st) => JSON.stringify(st.Resource).includes('/state/*'));
      expect(
        onState.flatMap((st) => [st.Action].flat()),
        fn.node.path,
      ).toEqual(expect.arrayContaining(['s3:GetObject', 's3:PutObject', 's3:DeleteObject']));
    }
  });

  it('keeps the alarm on aborted executions of the state machine', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/States',
      MetricName: 'ExecutionsAborted',
      Dimensions: [{ Name: 'StateMachineArn', Value: ref(stack.workflow.stateMachine) }],
    });
  });
});
