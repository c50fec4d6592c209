// The job states as data: which end a job, and the one shape both providers map their status words in.
// A word no entry lists fails by name; no word may mean two states.
import { describe, expect, it } from 'vitest';
import { CLICKWRAP_TASK_STATUSES } from '../../../lambdas/providers/clickwrap/task-status';
import {
  JOB_STATES,
  TERMINAL_JOB_STATES,
  jobStateOf,
  type JobState,
  type JobStatusMap,
} from '../../../lambdas/providers/job-states';
import { MARKETO_JOB_STATUSES } from '../../../lambdas/providers/marketo/job-status';

const MAPS: [string, JobStatusMap][] = [
  ['Marketo', MARKETO_JOB_STATUSES],
  ['Clickwrap', CLICKWRAP_TASK_STATUSES],
];

describe('job states', () => {
  it('the terminal states are those marked isTerminal', () => {
    expect([...TERMINAL_JOB_STATES].sort()).toEqual(['cancelled', 'failed', 'succeeded']);
    expect(Object.keys(JOB_STATES).sort()).toEqual(['cancelled', 'failed', 'queued', 'running', 'succeeded']);
  });

  it.each(MAPS)('%s: every listed word maps to its own state, whatever its case and blanks', (provider, map) => {
    for (const state of Object.keys(map) as JobState[]) {
      for (const word of map[state].filter((w) => !w.endsWith('*'))) {
        expect(jobStateOf(map, ` ${word.toUpperCase()} `, provider), word).toBe(state);
      }
    }
  });

  it.each(MAPS)('%s: an unknown word fails by name, naming the provider and the word', (provider, map) => {
    expect(() => jobStateOf(map, 'Archived', provider)).toThrow(
      expect.objectContaining({
        name: 'ProviderApiError',
        code: 'unknown-status',
        message: expect.stringContaining(`${provider} reported an unknown job status "Archived"`),
      }),
    );
  });

  it('a prefix entry matches the family (Clickwrap: fail*, error*, cancel*)', () => {
    expect(
      ['failure', 'errored_out', 'cancel_requested'].map((w) => jobStateOf(CLICKWRAP_TASK_STATUSES, w, 'Clickwrap')),
    ).toEqual(['failed', 'failed', 'cancelled']);
    expect(() => jobStateOf(MARKETO_JOB_STATUSES, 'failure', 'Marketo')).toThrow(
      expect.objectContaining({ name: 'ProviderApiError' }),
    );
  });
});
