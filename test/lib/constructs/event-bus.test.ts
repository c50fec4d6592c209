import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { PipelineEventBus } from '../../../lib/constructs/event-bus';
import { testApp } from '../support/test-app';

describe('PipelineEventBus', () => {
  it('creates an unnamed bus and an archive of its completion events', () => {
    const stack = new Stack(testApp(), 'BusStack');
    const events = new PipelineEventBus(stack, 'Events', { eventSource: 'acme.exports' });
    const template = Template.fromStack(stack);
    const buses = Object.values(template.findResources('AWS::Events::EventBus')) as { Properties: { Name: unknown } }[];
    expect(buses).toHaveLength(1);
    // CloudFormation requires Name; CDK derives it from the construct path (unique per stack), not from config.
    expect(buses[0]?.Properties.Name).toMatch(/^BusStackEvents[A-Za-z0-9]+$/);
    template.hasResourceProperties('AWS::Events::Archive', {
      SourceArn: { 'Fn::GetAtt': [stack.getLogicalId(events.bus.node.defaultChild as never), 'Arn'] },
      EventPattern: {
        source: ['acme.exports'],
        'detail-type': ['Export Succeeded', 'Export Failed', 'Export Window Quarantined'],
      },
      RetentionDays: 90,
    });
  });

  it('can go without an archive', () => {
    const stack = new Stack(testApp(), 'BusStack');
    const events = new PipelineEventBus(stack, 'Events', {
      eventSource: 'acme.exports',
      archiveRetention: Duration.days(0),
    });
    expect(events.archive).toBeUndefined();
    Template.fromStack(stack).resourceCountIs('AWS::Events::Archive', 0);
  });
});
