import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { PipelineStack } from '../../lib/pipeline-stack';
import { testApp, testConfig } from './support/test-app';

// Properties that would give a resource a fixed physical name (and so forbid a second copy of the stack).
const PHYSICAL_NAME_PROPERTIES = [
  'BucketName',
  'RoleName',
  'QueueName',
  'TopicName',
  'StateMachineName',
  'FunctionName',
  'AlarmName',
  'DashboardName',
  'KeyAlias',
];

const cfnLintAvailable = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' }).status === 0;

describe('PipelineStack', () => {
  let stack: PipelineStack;
  let template: Template;

  beforeAll(() => {
    stack = new PipelineStack(testApp(), 'Pipeline', { config: testConfig() });
    template = Template.fromStack(stack);
  });

  function ref(construct: { node: { defaultChild?: unknown } }): { Ref: string } {
    return { Ref: stack.getLogicalId(construct.node.defaultChild as never) };
  }

  it('outputs what a user needs to find the pipeline', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(Object.keys(outputs).sort()).toEqual([
      'AthenaWorkGroupName',
      'BucketName',
      'EventBusName',
      'GlueDatabaseName',
      'StateMachineArn',
    ]);
    expect(outputs.BucketName?.Value).toEqual(ref(stack.storage.bucket));
    expect(outputs.StateMachineArn?.Value).toEqual(ref(stack.workflow.stateMachine));
    expect(outputs.EventBusName?.Value).toEqual(ref(stack.events.bus));
    expect(outputs.GlueDatabaseName?.Value).toEqual(ref(stack.storage.database));
    expect(outputs.AthenaWorkGroupName?.Value).toEqual({ Ref: stack.getLogicalId(stack.storage.workGroup) });
  });

  it('schedules and alarms point at the workflow state machine', () => {
    const stateMachineRef = ref(stack.workflow.stateMachine);
    const schedules = Object.values(template.findResources('AWS::Scheduler::Schedule')) as {
      Properties: { Target: { Arn: unknown; Input: string } };
    }[];
    expect(schedules).toHaveLength(1);
    expect(schedules[0]?.Properties.Target.Arn).toEqual(stateMachineRef);
    expect(JSON.parse(schedules[0]?.Properties.Target.Input ?? '{}')).toEqual({
      export: testConfig().exports[0]!.name,
      trigger: 'schedule',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ExecutionsFailed',
      Dimensions: [{ Name: 'StateMachineArn', Value: stateMachineRef }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ExecutionsTimedOut',
      Dimensions: [{ Name: 'StateMachineArn', Value: stateMachineRef }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ApproximateNumberOfMessagesVisible' });
  });

  it('retains data by default and creates a Glue table per export', () => {
    expect(
      template.toJSON().Resources[stack.getLogicalId(stack.storage.bucket.node.defaultChild as never)].DeletionPolicy,
    ).toBe('Retain');
    // Two exports, the six Marketo reference tables on by default, the named and merged-leads views.
    template.resourceCountIs('AWS::Glue::Table', 2 + 6 + 2);
    template.resourceCountIs('AWS::Events::EventBus', 1);
  });

  it('gives no resource a physical name', () => {
    const named = Object.entries(
      template.toJSON().Resources as Record<string, { Type: string; Properties?: Record<string, unknown> }>,
    ).flatMap(([id, resource]) =>
      PHYSICAL_NAME_PROPERTIES.filter((property) => resource.Properties?.[property] !== undefined)
        // A Lambda permission's FunctionName refers to a function (here by Arn), it names nothing.
        .filter(
          (property) =>
            !(
              resource.Type === 'AWS::Lambda::Permission' &&
              property === 'FunctionName' &&
              typeof resource.Properties?.[property] === 'object'
            ),
        )
        .map((property) => `${id} (${resource.Type}).${property}`),
    );
    expect(named).toEqual([]);
  });

  // The machine image has cfn-lint; a laptop without it skips this by name, but CI must run it.
  it.skipIf(!cfnLintAvailable && !process.env.CI)(
    'passes cfn-lint (skipped outside CI when cfn-lint is not on PATH)',
    () => {
      expect(cfnLintAvailable, 'cfn-lint is not on PATH').toBe(true);
      const file = path.join(mkdtempSync(path.join(tmpdir(), 'cfn-lint-')), 'template.json');
      writeFileSync(file, JSON.stringify(template.toJSON()));
      // W3005: CDK adds an explicit DependsOn next to a GetAtt (e.g. a state machine on its role): redundant, harmless.
      const result = spawnSync('cfn-lint', ['--format', 'parseable', '--ignore-checks', 'W3005', '--', file], {
        encoding: 'utf8',
      });
      expect(`${result.stdout}${result.stderr}`.trim()).toBe('');
      expect(result.status).toBe(0);
    },
  );
});
