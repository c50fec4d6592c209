// Where a soak kills a run with SIGKILL. A kill point watches the child's progress lines and says when
// the moment has come; it may also hand the child environment variables (a kill hook inside the
// process can replace line watching for moments a line cannot catch, such as the middle of a publish).

import { KILL_ON_COPY_VARIABLE } from '../engine/fault-hooks';

export const KILL_POINT_NAMES = ['plan', 'job', 'transfer', 'verify', 'convert', 'publish'] as const;
export type KillPointName = (typeof KILL_POINT_NAMES)[number];

export interface KillPoint {
  readonly name: KillPointName;
  /** Extra environment of the child (none for a line-watching kill point). */
  readonly env: Readonly<Record<string, string>>;
  /** Whether this output line is the moment to kill. */
  reached(line: string): boolean;
}

/**
 * The progress line that opens each moment: the step has just reported, so the next steps (or the
 * rest of this one, other splits and windows) are in flight when the kill lands.
 */
const LINES: Record<Exclude<KillPointName, 'publish'>, RegExp> = {
  plan: /^• Plan: [1-9]/,
  job: /^• StartJob \[/,
  transfer: /^• TransferChunk \[/,
  verify: /^• FinishFile \[/,
  convert: /^• ConvertSplit \[/,
};

/**
 * A publish is killed from inside (the local engine's kill hook) as the store starts its first copy:
 * the intent is written and nothing is copied, so the next run must finish it (roll forward). A line
 * could only say that the publish is over. A kill between two copies of one publish leaves the window
 * partly readable until the next run finishes it (the kill tests show that case; README, "Guarantees").
 */
export function lineKillPoint(name: KillPointName): KillPoint {
  if (name === 'publish') return { name, env: { [KILL_ON_COPY_VARIABLE]: '1' }, reached: () => false };
  const pattern = LINES[name];
  return { name, env: {}, reached: (line) => pattern.test(line) };
}
