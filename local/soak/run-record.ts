// What one child run did, read from how it ended and the lines it printed.
import type { ChildRunResult } from './child-run';

export type RunOutcome =
  'landed' | 'nothing-due' | 'skipped-busy' | 'busy' | 'parked' | 'failed' | 'killed' | 'crashed';

export interface RunRecord {
  readonly export: string;
  readonly kind: 'scheduled' | 'backfill' | 'retry';
  readonly asOf?: string;
  readonly outcome: RunOutcome;
  /** Windows whose manifest the run reported writing. */
  readonly landed: number;
  /** The kill point, when one was armed, and the line after which the run was killed (if it got there). */
  readonly killPoint?: string;
  readonly killedAfter?: string;
  /** One line: the run's own verdict (its summary's first line, or the error it printed). */
  readonly detail: string;
  readonly code: number | null;
}

export function recordRun(
  meta: { export: string; kind: RunRecord['kind']; asOf?: string; killPoint?: string },
  result: ChildRunResult,
): RunRecord {
  const lines = result.lines;
  const landed = lines.filter((l) => /^• (WriteManifest|Publish\w*) \[/.test(l)).length;
  const verdict =
    lines.find((l) => /^(✔|✘|⏸|⏭|■) /.test(l)) ?? lines.find((l) => l.startsWith('error:')) ?? lines.at(-1) ?? '';
  const outcome = ((): RunOutcome => {
    if (result.signal === 'SIGKILL') return 'killed';
    if (lines.some((l) => /^• Plan: skipped: /.test(l))) return 'skipped-busy';
    if (result.code === 0) return lines.some((l) => /^• Plan: 0 window/.test(l)) ? 'nothing-due' : 'landed';
    if (result.code === 75) return 'parked';
    if (result.code === 1 && /ExportBusyError|is busy/.test(verdict)) return 'busy';
    if (result.code === 1) return 'failed';
    return 'crashed';
  })();
  return {
    export: meta.export,
    kind: meta.kind,
    ...(meta.asOf ? { asOf: meta.asOf } : {}),
    outcome,
    landed,
    ...(meta.killPoint ? { killPoint: meta.killPoint } : {}),
    ...(result.killedAfter ? { killedAfter: result.killedAfter } : {}),
    detail:
      outcome === 'killed'
        ? result.killedAfter
          ? `SIGKILL after: ${result.killedAfter}`
          : `SIGKILL from inside at ${meta.killPoint ?? 'its kill point'}`
        : verdict.trim().slice(0, 300),
    code: result.code,
  };
}
