// The provider contract's job states as data, and the one shape in which every provider maps its own
// status words onto them (as Airbyte's async job statuses do: each normalized status says whether it
// is terminal, each provider lists its words per status). A word no entry lists fails loudly by name:
// guessing a state for it could land an unfinished file or poll a dead job until the deadline.
import { ProviderApiError } from '#shared/errors';

export const JOB_STATES = {
  queued: { isTerminal: false },
  running: { isTerminal: false },
  succeeded: { isTerminal: true },
  failed: { isTerminal: true },
  cancelled: { isTerminal: true },
} as const satisfies Record<string, { readonly isTerminal: boolean }>;

export type JobState = keyof typeof JOB_STATES;

export const TERMINAL_JOB_STATES: ReadonlySet<JobState> = new Set(
  (Object.keys(JOB_STATES) as JobState[]).filter((state) => JOB_STATES[state].isTerminal),
);

/**
 * A provider's status words for each state, matched without regard to case or surrounding blanks. A
 * word ending in `*` matches every status starting with the rest (`fail*`: failed, failure), for a
 * provider whose words are not all documented; `''` is a missing status.
 */
export type JobStatusMap = { readonly [S in JobState]: readonly string[] };

function matches(word: string, status: string): boolean {
  const wanted = word.toLowerCase();
  return wanted.endsWith('*') ? status.startsWith(wanted.slice(0, -1)) : status === wanted;
}

/** The state `map` gives `status`; a ProviderApiError naming `provider` and the word when no entry lists it. */
export function jobStateOf(map: JobStatusMap, status: string | null | undefined, provider: string): JobState {
  const word = (status ?? '').trim().toLowerCase();
  const state = (Object.keys(map) as JobState[]).find((s) => map[s].some((listed) => matches(listed, word)));
  if (state === undefined)
    throw new ProviderApiError(`${provider} reported an unknown job status "${status ?? ''}"`, 'unknown-status');
  return state;
}
