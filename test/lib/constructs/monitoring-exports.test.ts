// The alarms and the dashboard of a whole stack (two exports: a scheduled Marketo one and an
// unscheduled Clickwrap one): every alarm's metric, threshold, period and action, and each export's
// dashboard section.
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { WORKFLOW_TASKS } from '../../../lib/constructs/workflow-tasks';
import { freshnessBudget, longestScheduleGapSeconds } from '../../../lib/constructs/freshness';
import { DEFAULT_QUOTA_ALARM_PERCENT, FUNCTION_ERRORS_THRESHOLD } from '../../../lib/constructs/monitoring';
import { PipelineStack } from '../../../lib/pipeline-stack';
import { METRICS_NAMESPACE } from '../../../lambdas/shared/metric-catalog';
import { testApp, testConfig } from '../support/test-app';

interface AlarmProps {
  Namespace?: string;
  MetricName?: string;
  Dimensions?: { Name: string; Value: unknown }[];
  Statistic?: string;
  Period?: number;
  Threshold?: number;
  EvaluationPeriods?: number;
  DatapointsToAlarm?: number;
  ComparisonOperator?: string;
  TreatMissingData?: string;
  AlarmActions?: unknown[];
  AlarmDescription?: string;
}

describe('PipelineStack monitoring', () => {
  let stack: PipelineStack;
  let template: Template;
  let alarms: AlarmProps[];
  let topic: { Ref: string };

  beforeAll(() => {
    stack = new PipelineStack(testApp(), 'Pipeline', { config: testConfig({ alarmEmail: 'ops@example.com' }) });
    template = Template.fromStack(stack);
    alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(
      (r) => (r as { Properties: AlarmProps }).Properties,
    );
    topic = { Ref: stack.getLogicalId(stack.monitoring.alarmTopic!.node.defaultChild as never) };
  });

  const find = (predicate: (a: AlarmProps) => boolean): AlarmProps[] => alarms.filter(predicate);
  const fnRef = (task: keyof typeof WORKFLOW_TASKS) => ({
    Ref: stack.getLogicalId(stack.workflow.functions[task].node.defaultChild as never),
  });

  it('every alarm notifies the one topic', () => {
    template.resourceCountIs('AWS::SNS::Topic', 1);
    const tasks = Object.keys(WORKFLOW_TASKS).length;
    // failed, timed out, aborted, dead letters; errors and throttles per function; near timeout; freshness and
    // quota of the Marketo export; a quarantined window of each export.
    expect(alarms).toHaveLength(4 + 2 * tasks + 1 + 2 + 2);
    for (const alarm of alarms) expect(alarm.AlarmActions).toEqual([topic]);
  });

  it('a quarantined window of any export pages at once: its later windows land, so freshness stays green', () => {
    const quarantine = find((a) => a.MetricName === 'WindowsQuarantined');
    expect(quarantine.map((a) => a.Dimensions?.[0]?.Value).sort()).toEqual([
      'clickwrap-activity',
      'marketo-activities',
    ]);
    for (const alarm of quarantine) {
      expect(alarm).toMatchObject({
        Namespace: METRICS_NAMESPACE,
        Statistic: 'Sum',
        Period: 300,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [topic],
      });
      expect(alarm.AlarmDescription).toMatch(/quarantine\/.+\/; fix the cause, then retry the window/);
    }
  });

  it('freshness: no successful commit of the scheduled export within its daily schedule plus slack, or a watermark too old', () => {
    const freshness = find((a) => a.MetricName === 'WatermarkAgeSeconds');
    // Only the scheduled export has one.
    expect(freshness).toHaveLength(1);
    const budget = freshnessBudget(testConfig().exports.find((e) => e.name === 'marketo-activities')!)!;
    // cron(15 2 * * ? *): daily, + 2 h slack = 26 silent hours; age: a day + 60 min lag + a day grain + 2 h.
    expect(budget).toEqual({ silentHours: 26, maxWatermarkAgeSeconds: 86_400 + 3600 + 86_400 + 7200 });
    expect(freshness[0]).toMatchObject({
      Namespace: METRICS_NAMESPACE,
      Dimensions: [
        { Name: 'export', Value: 'marketo-activities' },
        { Name: 'provider', Value: 'marketo' },
      ],
      Statistic: 'Maximum',
      Period: 3600,
      Threshold: budget.maxWatermarkAgeSeconds,
      EvaluationPeriods: 26,
      DatapointsToAlarm: 26,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'breaching',
    });
  });

  it("Marketo's export quota: an hour's maximum use at or above the threshold", () => {
    const quota = find((a) => a.MetricName === 'MarketoExportQuotaUsedPercent');
    expect(quota).toHaveLength(1);
    expect(quota[0]).toMatchObject({
      Namespace: METRICS_NAMESPACE,
      Dimensions: [
        { Name: 'export', Value: 'marketo-activities' },
        { Name: 'provider', Value: 'marketo' },
      ],
      Statistic: 'Maximum',
      Period: 3600,
      Threshold: DEFAULT_QUOTA_ALARM_PERCENT,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  it('every function: errors (several in 15 minutes) and throttles (any in 5 minutes)', () => {
    for (const task of Object.keys(WORKFLOW_TASKS) as (keyof typeof WORKFLOW_TASKS)[]) {
      const dims = [{ Name: 'FunctionName', Value: fnRef(task) }];
      const errors = find((a) => a.MetricName === 'Errors' && JSON.stringify(a.Dimensions) === JSON.stringify(dims));
      const throttles = find(
        (a) => a.MetricName === 'Throttles' && JSON.stringify(a.Dimensions) === JSON.stringify(dims),
      );
      expect(errors, task).toHaveLength(1);
      expect(throttles, task).toHaveLength(1);
      expect(errors[0]).toMatchObject({
        Namespace: 'AWS/Lambda',
        Statistic: 'Sum',
        Period: 900,
        Threshold: FUNCTION_ERRORS_THRESHOLD,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      });
      expect(throttles[0]).toMatchObject({
        Namespace: 'AWS/Lambda',
        Statistic: 'Sum',
        Period: 300,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    }
  });

  it("TransferChunk's longest invocation at 90 % of its timeout", () => {
    const fn = template.findResources('AWS::Lambda::Function');
    const transferChunk = fn[stack.getLogicalId(stack.workflow.functions.TransferChunk.node.defaultChild as never)] as {
      Properties: { Timeout: number };
    };
    const near = find((a) => a.MetricName === 'Duration');
    expect(near).toHaveLength(1);
    expect(near[0]).toMatchObject({
      Namespace: 'AWS/Lambda',
      Dimensions: [{ Name: 'FunctionName', Value: fnRef('TransferChunk') }],
      Statistic: 'Maximum',
      Period: 300,
      Threshold: transferChunk.Properties.Timeout * 1000 * 0.9,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    // 12-minute chunk budget + 3 minutes: the 15-minute Lambda limit.
    expect(transferChunk.Properties.Timeout).toBe(900);
  });

  it('the dashboard has a section per export: landed, durations, runs and failures, freshness, transfer, quota (Marketo) or API calls', () => {
    const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard')) as {
      Properties: { DashboardBody: unknown };
    }[];
    expect(dashboards).toHaveLength(1);
    const body = JSON.stringify(stack.resolve(dashboards[0]!.Properties.DashboardBody));
    const titles = (name: string) => [
      `${name}: landed per day`,
      `${name}: run duration and job wait`,
      `${name}: runs and failures per day`,
      `${name}: freshness (watermark age, h)`,
      `${name}: transfer`,
    ];
    for (const t of [
      ...titles('marketo-activities'),
      'marketo-activities: Marketo export quota used today (%)',
      ...titles('clickwrap-activity'),
      'clickwrap-activity: API calls by kind',
    ]) {
      expect(body, t).toContain(JSON.stringify(t).slice(1, -1));
    }
    expect(body).not.toContain('clickwrap-activity: Marketo export quota');
    // Each section graphs its own export's metrics, under the catalogue's namespace and dimensions.
    for (const name of ['marketo-activities', 'clickwrap-activity']) {
      expect(body).toContain(`[\\"${METRICS_NAMESPACE}\\",\\"LandedBytes\\",\\"export\\",\\"${name}\\"`);
    }
  });
});

describe('longestScheduleGapSeconds', () => {
  it('reads rates and crons, erring long', () => {
    expect(longestScheduleGapSeconds('rate(15 minutes)')).toBe(900);
    expect(longestScheduleGapSeconds('rate(2 hours)')).toBe(7200);
    expect(longestScheduleGapSeconds('cron(15 2 * * ? *)')).toBe(86_400);
    expect(longestScheduleGapSeconds('cron(0/10 * * * ? *)')).toBe(600);
    expect(longestScheduleGapSeconds('cron(0 * * * ? *)')).toBe(3600);
    expect(longestScheduleGapSeconds('cron(0 6 ? * MON *)')).toBe(7 * 86_400);
    expect(longestScheduleGapSeconds('cron(0 6 1 * ? *)')).toBe(31 * 86_400);
  });
});
