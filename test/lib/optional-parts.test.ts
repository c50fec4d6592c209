// The parts of a deployment with a fixed monthly cost (README: What it costs), and turning them off.
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { loadPipelineConfig } from '../../lib/config';
import { PipelineStack } from '../../lib/pipeline-stack';
import { testApp, testConfig } from './support/test-app';

function count(template: Template, type: string): number {
  return Object.keys(template.findResources(type)).length;
}

describe('optional parts', () => {
  it("the demo config deploys what the README prices: 38 alarms, one dashboard, one archive, a log group per function and the state machine's", () => {
    const template = Template.fromStack(
      new PipelineStack(testApp(), 'Priced', { config: loadPipelineConfig('config/pipeline.json') }),
    );
    expect(count(template, 'AWS::CloudWatch::Alarm')).toBe(38);
    expect(count(template, 'AWS::CloudWatch::Dashboard')).toBe(1);
    expect(count(template, 'AWS::Events::Archive')).toBe(1);
    expect(count(template, 'AWS::Lambda::Function')).toBe(15);
    const retention = Object.values(template.findResources('AWS::Logs::LogGroup')).map(
      (g) => (g as { Properties: { RetentionInDays: number } }).Properties.RetentionInDays,
    );
    expect(retention.sort((a, b) => a - b)).toEqual([...Array<number>(15).fill(30), 90]);
  });

  it('turned off: no dashboard, no archive, no per-function alarms; the run, schedule, freshness and quota alarms stay', () => {
    const config = testConfig({ optionalParts: { dashboard: false, functionAlarms: false, eventArchiveDays: 0 } });
    const stack = new PipelineStack(testApp(), 'Lean', { config });
    const template = Template.fromStack(stack);
    expect(count(template, 'AWS::CloudWatch::Dashboard')).toBe(0);
    expect(count(template, 'AWS::Events::Archive')).toBe(0);
    expect(stack.monitoring.functionErrorAlarms.size).toBe(0);
    expect(stack.monitoring.nearTimeoutAlarm).toBeUndefined();
    expect(stack.monitoring.executionsFailedAlarm).toBeDefined();
    expect(count(template, 'AWS::CloudWatch::Alarm')).toBe(stack.monitoring.alarms.length);
    expect(stack.monitoring.alarms.length).toBeGreaterThan(0);
  });
});
