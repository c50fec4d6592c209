// Custom metrics as CloudWatch EMF lines, built by Powertools Metrics (units, limits, the EMF shape)
// behind a two-method interface whose line sink is the caller's (stdout, a log file). Values are buffered per dimension
// set and written on flush(), which stepHandler calls once per invocation: one line per set. A flush
// is synchronous, so invocations running side by side (the local engine's Map items) cannot mix their
// dimensions up. Where the line goes is the sink's business: stdout on Lambda (CloudWatch Logs turns
// EMF into metrics) or the local log file.
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import {
  METRIC_DETAIL_DIMENSION,
  METRIC_INSTANCE_DIMENSION,
  METRICS,
  METRICS_NAMESPACE,
  type MetricDimensions,
  type MetricName,
} from './metric-catalog';

export interface MetricsRecorder {
  /** Buffers one value of `name` for the export; `detail` adds the catalogue's third dimension (a reason, a kind). */
  add(name: MetricName, value: number, dimensions: MetricDimensions, detail?: string): void;
  /** Writes what was buffered, one EMF line per dimension set. Never throws. */
  flush(): void;
}

/** Receives each EMF line (a JSON string). */
export type EmfSink = (line: string) => void;

const UNITS = {
  Count: MetricUnit.Count,
  Bytes: MetricUnit.Bytes,
  Seconds: MetricUnit.Seconds,
  'Megabytes/Second': MetricUnit.MegabytesPerSecond,
  Percent: MetricUnit.Percent,
} as const;

interface Buffered {
  readonly dimensions: MetricDimensions;
  readonly detail: string | undefined;
  readonly values: { name: MetricName; value: number }[];
}

export function emfMetrics(sink: EmfSink, options: { onError?: (error: unknown) => void } = {}): MetricsRecorder {
  let buffered = new Map<string, Buffered>();
  return {
    add(name, value, dimensions, detail) {
      if (!Number.isFinite(value)) return;
      const key = JSON.stringify([dimensions.export, dimensions.provider, detail ?? null, dimensions.instance ?? null]);
      let entry = buffered.get(key);
      if (!entry) buffered.set(key, (entry = { dimensions, detail, values: [] }));
      entry.values.push({ name, value });
    },
    flush() {
      const entries = [...buffered.values()];
      buffered = new Map();
      for (const entry of entries) {
        try {
          sink(JSON.stringify(serialize(entry)));
        } catch (error) {
          // A metric must never fail the step that landed the data.
          options.onError?.(error);
        }
      }
    },
  };
}

// The dimension set of a detailed line repeats export and provider on purpose (both sets are
// published); Powertools warns about that overlap on every line, which is noise here.
const quietPowertools = { debug() {}, info() {}, warn() {}, error() {} };

function serialize(entry: Buffered): unknown {
  // A fresh instance per line: Powertools keeps one dimension set per buffer, ours vary per export.
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, logger: quietPowertools });
  // No `service` dimension: alarms and graphs name exactly METRIC_DIMENSIONS.
  metrics.clearDefaultDimensions();
  metrics.addDimension('export', entry.dimensions.export);
  metrics.addDimension('provider', entry.dimensions.provider);
  if (entry.detail)
    metrics.addDimensions({
      export: entry.dimensions.export,
      provider: entry.dimensions.provider,
      [METRIC_DETAIL_DIMENSION]: entry.detail,
    });
  if (entry.dimensions.instance)
    metrics.addDimensions({
      provider: entry.dimensions.provider,
      [METRIC_INSTANCE_DIMENSION]: entry.dimensions.instance,
    });
  for (const { name, value } of entry.values) metrics.addMetric(name, UNITS[METRICS[name].unit], value);
  return metrics.serializeMetrics();
}

/** On Lambda: EMF on stdout, where the Lambda log agent and CloudWatch pick it up. */
export function stdoutMetrics(onError?: (error: unknown) => void): MetricsRecorder {
  return emfMetrics((line) => void process.stdout.write(`${line}\n`), onError ? { onError } : {});
}
