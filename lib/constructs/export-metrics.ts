// CloudWatch metric objects for the pipeline's custom metrics (the catalogue in
// lambdas/shared/metric-catalog.ts): names, namespace and dimensions come from there, so an alarm or a
// graph names exactly what the steps emit. No unit filter: a graph ignores it, and an alarm that filters
// on a unit sees nothing if one line ever states another.
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import {
  METRIC_DETAIL_DIMENSION,
  METRIC_INSTANCE_DIMENSION,
  METRICS_NAMESPACE,
  type MetricName,
} from '#shared/metric-catalog';
import type { ExportDefinition } from '#shared/export-definition';

export type ExportRef = Pick<ExportDefinition, 'name' | 'provider'>;

export function exportMetric(
  def: ExportRef,
  name: MetricName,
  options: { statistic: string; period?: Duration; label?: string },
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName: name,
    dimensionsMap: { export: def.name, provider: def.provider },
    statistic: options.statistic,
    period: options.period ?? Duration.hours(1),
    ...(options.label ? { label: options.label } : {}),
  });
}

/** Every value of `name` for the export, one line per `reason` (retries by cause, API calls by kind, failures by error). */
/** One series per provider instance, summed over every export that calls it (METRIC_INSTANCE_DIMENSION). */
export function byInstance(
  name: MetricName,
  provider: string,
  period: Duration,
  label: string,
): cloudwatch.MathExpression {
  const search = `SEARCH('{${METRICS_NAMESPACE},provider,${METRIC_INSTANCE_DIMENSION}} MetricName="${name}" provider="${provider}"', 'Sum', ${period.toSeconds()})`;
  return new cloudwatch.MathExpression({ expression: search, label, period, usingMetrics: {} });
}

export function byDetail(def: ExportRef, name: MetricName, period: Duration, label: string): cloudwatch.MathExpression {
  const search = `SEARCH('{${METRICS_NAMESPACE},export,provider,${METRIC_DETAIL_DIMENSION}} MetricName="${name}" export="${def.name}"', 'Sum', ${period.toSeconds()})`;
  return new cloudwatch.MathExpression({ expression: search, label, period, usingMetrics: {} });
}
