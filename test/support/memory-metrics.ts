// Metrics kept in memory, for tests that parse what a step emitted: the pipeline's EMF recorder with
// a sink that keeps its lines, and a reader that turns a line back into values (what CloudWatch would).
import { emfMetrics, type MetricsRecorder } from '../../lambdas/shared/metrics';

/** One flushed metric value, as read back from an EMF line. */
export interface EmittedMetric {
  readonly name: string;
  readonly unit: string;
  readonly value: number;
  readonly namespace: string;
  readonly dimensionSets: readonly (readonly string[])[];
  readonly dimensions: Readonly<Record<string, string>>;
}

/** Reads the metric values out of one EMF line (what CloudWatch would make of it). */
export function parseEmfLine(line: string): EmittedMetric[] {
  const doc = JSON.parse(line) as Record<string, unknown> & {
    _aws: {
      CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[];
    };
  };
  const out: EmittedMetric[] = [];
  for (const directive of doc._aws.CloudWatchMetrics) {
    const names = [...new Set(directive.Dimensions.flat())];
    const dimensions = Object.fromEntries(names.map((n) => [n, String(doc[n])]));
    for (const m of directive.Metrics) {
      const raw = doc[m.Name];
      for (const value of Array.isArray(raw) ? raw : [raw]) {
        out.push({
          name: m.Name,
          unit: m.Unit,
          value: Number(value),
          namespace: directive.Namespace,
          dimensionSets: directive.Dimensions,
          dimensions,
        });
      }
    }
  }
  return out;
}

/** Keeps the EMF lines it flushes, for tests that parse what a step emitted. */
export function memoryMetrics(): MetricsRecorder & { readonly lines: string[]; emitted(): EmittedMetric[] } {
  const lines: string[] = [];
  const recorder = emfMetrics((line) => void lines.push(line));
  return { ...recorder, lines, emitted: () => lines.flatMap(parseEmfLine) };
}
