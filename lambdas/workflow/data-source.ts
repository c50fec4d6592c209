// Where a run's data comes from, as manifests, events and the watermark record it: `simulator` for the
// bundled simulators (made-up data), otherwise the provider API's host (the host only: a path or query
// could carry an instance detail or a token). A simulator run must never move the watermark of a real
// export's output, and a simulator's watermark must never stop a real run from exporting.
import type { ExportProvider } from '#providers/types';
import type { WorkflowRuntime } from './runtime';

export const SIMULATOR_SOURCE = 'simulator';

export function dataSourceOf(rt: Pick<WorkflowRuntime, 'simulated'>, provider: Pick<ExportProvider, 'host'>): string {
  return rt.simulated ? SIMULATOR_SOURCE : provider.host;
}

/**
 * What a run from `runSource` makes of a watermark recorded by `recordedSource`: `own` (plan from it
 * and move it as usual), `ignore` (a simulator's watermark under a real run: as if there were none, so
 * the real data is exported from the first start and replaces it), or `keep` (a real watermark under a
 * simulator run: plan from it, never move it). A watermark that names no source predates the
 * recording and is treated as real data's.
 */
export function watermarkStanding(
  recordedSource: string | undefined,
  runSource: string | undefined,
): 'own' | 'ignore' | 'keep' {
  const recorded = recordedSource ?? 'unrecorded';
  if (runSource === undefined || recorded === runSource) return 'own';
  if (recorded === SIMULATOR_SOURCE) return 'ignore';
  if (runSource === SIMULATOR_SOURCE) return 'keep';
  return 'own';
}
