// The stack's dashboard. On top: runs of the state machine, every alarm's state, the functions' errors
// and throttles. Then one section per export, each the same rows: what landed per day (bytes,
// records), how long runs and their remote jobs take, quota use (Marketo), failures by error, and
// freshness (watermark age against the alarm's threshold).
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { ExportDefinition } from '#shared/export-definition';
import { MARKETO_DAILY_CALL_QUOTA } from '#shared/metric-catalog';
import { byDetail, byInstance, exportMetric } from './export-metrics';

export interface ExportDashboardProps {
  readonly stateMachine: sfn.IStateMachine;
  readonly exports: readonly ExportDefinition[];
  readonly alarms: readonly cloudwatch.IAlarm[];
  readonly freshnessAlarms: ReadonlyMap<string, cloudwatch.Alarm>;
  readonly quotaAlarmPercent: number;
  readonly functions?: Readonly<Record<string, lambda.IFunction>>;
}

const DAY = Duration.days(1);
const HOUR = Duration.hours(1);

/** The widgets of one export's section, in order (tests read their titles). */
export function exportSection(
  def: ExportDefinition,
  props: Pick<ExportDashboardProps, 'freshnessAlarms' | 'quotaAlarmPercent'>,
): cloudwatch.IWidget[] {
  const m = (name: Parameters<typeof exportMetric>[1], statistic: string, period: Duration, label: string) =>
    exportMetric(def, name, { statistic, period, label });
  const freshness = props.freshnessAlarms.get(def.name);
  const widgets: cloudwatch.IWidget[] = [
    new cloudwatch.TextWidget({
      markdown: `## ${def.name}\n${def.provider} · ${def.dataset} · ${def.schedule ? `schedule \`${def.schedule.expression}\` (${def.schedule.timezone})${def.schedule.enabled ? '' : ', disabled'}` : 'not scheduled'}`,
      width: 24,
      height: 2,
    }),
    new cloudwatch.GraphWidget({
      title: `${def.name}: landed per day`,
      left: [m('LandedBytes', 'Sum', DAY, 'bytes')],
      right: [m('LandedRecords', 'Sum', DAY, 'records')],
      width: 8,
    }),
    new cloudwatch.GraphWidget({
      title: `${def.name}: run duration and job wait`,
      left: [
        m('RunDurationSeconds', 'Maximum', HOUR, 'run (s)'),
        m('JobQueueSeconds', 'Maximum', HOUR, 'job queued (s)'),
        m('JobProcessingSeconds', 'Maximum', HOUR, 'job processing (s)'),
        m('JobAgeSeconds', 'Maximum', HOUR, 'job start → done (s)'),
      ],
      width: 8,
    }),
    new cloudwatch.GraphWidget({
      title: `${def.name}: runs and failures per day`,
      left: [m('RunsSucceeded', 'Sum', DAY, 'succeeded'), byDetail(def, 'RunsFailed', DAY, 'failed:')],
      right: [m('QuotaDeferrals', 'Sum', DAY, 'quota deferrals'), m('QueueFullWaits', 'Sum', DAY, 'queue full')],
      width: 8,
    }),
    new cloudwatch.GraphWidget({
      title: `${def.name}: freshness (watermark age, h)`,
      left: [
        new cloudwatch.MathExpression({
          expression: 'age / 3600',
          usingMetrics: { age: m('WatermarkAgeSeconds', 'Maximum', HOUR, 'age') },
          label: 'watermark age (h)',
          period: HOUR,
        }),
      ],
      ...(freshness ? { leftAnnotations: [{ value: thresholdOf(freshness) / 3600, label: 'alarm' }] } : {}),
      width: 8,
    }),
    new cloudwatch.GraphWidget({
      title: `${def.name}: transfer`,
      left: [m('TransferMegabytesPerSecond', 'Average', HOUR, 'MB/s (avg per invocation)')],
      right: [
        m('FileInvocations', 'Maximum', HOUR, 'invocations per file'),
        byDetail(def, 'Retries', HOUR, 'retries:'),
      ],
      width: 8,
    }),
  ];
  if (def.provider === 'marketo') {
    widgets.push(
      new cloudwatch.GraphWidget({
        title: `${def.name}: Marketo export quota used today (%)`,
        left: [m('MarketoExportQuotaUsedPercent', 'Maximum', HOUR, 'quota used (%)')],
        leftYAxis: { min: 0, max: 100 },
        leftAnnotations: [{ value: props.quotaAlarmPercent, label: 'alarm' }],
        width: 8,
      }),
      // The daily REST quota is the instance's: every export and step on it counts in one series.
      new cloudwatch.GraphWidget({
        title: 'Marketo API calls per day by instance (every export)',
        left: [byInstance('ApiCalls', 'marketo', DAY, 'calls:')],
        leftAnnotations: [{ value: MARKETO_DAILY_CALL_QUOTA, label: 'daily quota' }],
        width: 8,
      }),
    );
  } else {
    widgets.push(
      new cloudwatch.GraphWidget({
        title: `${def.name}: API calls by kind`,
        left: [byDetail(def, 'ApiCalls', HOUR, 'calls:')],
        width: 8,
      }),
    );
  }
  return widgets;
}

function thresholdOf(alarm: cloudwatch.Alarm): number {
  return (alarm.node.defaultChild as cloudwatch.CfnAlarm).threshold ?? 0;
}

export class ExportDashboard extends Construct {
  public readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: ExportDashboardProps) {
    super(scope, id);
    this.dashboard = new cloudwatch.Dashboard(this, 'Resource', { defaultInterval: Duration.days(7) });
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Export runs',
        left: [
          props.stateMachine.metricStarted({ period: HOUR }),
          props.stateMachine.metricSucceeded({ period: HOUR }),
          props.stateMachine.metricFailed({ period: HOUR }),
          props.stateMachine.metricTimedOut({ period: HOUR }),
          props.stateMachine.metricAborted({ period: HOUR }),
        ],
        width: 12,
      }),
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: [...props.alarms], width: 12 }),
    );
    const functions = Object.entries(props.functions ?? {});
    if (functions.length > 0) {
      this.dashboard.addWidgets(
        new cloudwatch.GraphWidget({
          title: 'Function errors',
          left: functions.map(([task, fn]) => fn.metricErrors({ period: HOUR, label: task })),
          width: 8,
        }),
        new cloudwatch.GraphWidget({
          title: 'Function throttles',
          left: functions.map(([task, fn]) => fn.metricThrottles({ period: HOUR, label: task })),
          width: 8,
        }),
        new cloudwatch.GraphWidget({
          title: 'Function duration (max)',
          left: functions.map(([task, fn]) => fn.metricDuration({ period: HOUR, statistic: 'Maximum', label: task })),
          width: 8,
        }),
      );
    }
    for (const def of props.exports) {
      const [header, ...rest] = exportSection(def, props);
      this.dashboard.addWidgets(header!);
      this.dashboard.addWidgets(...rest.slice(0, 3));
      this.dashboard.addWidgets(...rest.slice(3));
    }
  }
}
