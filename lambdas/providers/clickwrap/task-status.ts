// The export task as GET /tasks/export/:id answers it. Only `pending` is documented, so a non-empty
// `links` means done whatever the status word, and the words below are the ones seen or plausible,
// with prefixes for the failure and cancel families; any other word fails the poll by name.
import { z } from 'zod';
import { ProviderApiError } from '#shared/errors';
import { quoteProviderText } from '#shared/redact';
import { jobStateOf, type JobState, type JobStatusMap } from '#providers/job-states';

const LinkSchema = z.union([z.string(), z.object({ url: z.string().optional(), href: z.string().optional() }).loose()]);

const LinksSchema = z.union([
  z.string().transform((s) => [s]),
  z.array(LinkSchema),
  // An object keyed by position ({"1": "...", "2": "..."}): keep key order.
  z.record(z.string(), LinkSchema).transform((o) => Object.values(o)),
]);

export const TaskSchema = z
  .object({
    id: z.union([z.string().min(1), z.number()]).transform(String),
    status: z.string().nullish(),
    links: LinksSchema.nullish(),
  })
  .loose();

/** The documented envelope is `{"data": {...}}`; a bare task object is accepted too. */
export const TaskResponseSchema = z.union([z.object({ data: TaskSchema }).transform((r) => r.data), TaskSchema]);

export type Task = z.infer<typeof TaskSchema>;

export interface TaskView {
  readonly state: JobState;
  readonly links: readonly string[];
  readonly providerStatus: string;
  readonly message?: string;
}

/** Clickwrap's task statuses per state; `''` is a task that has no status yet. */
export const CLICKWRAP_TASK_STATUSES: JobStatusMap = {
  queued: ['pending', 'queued', 'created', 'new', 'waiting', 'scheduled'],
  running: ['', 'processing', 'running', 'in_progress', 'in progress', 'in-progress', 'started', 'exporting'],
  succeeded: ['complete', 'completed', 'success', 'succeeded', 'successful', 'done', 'finished'],
  failed: ['fail*', 'error*'],
  cancelled: ['cancel*'],
};

// How many polls a "done" status without links is given for its links to appear before the task
// counts as finished with no file (a window with no activity may legitimately have none).
const POLLS_BEFORE_EMPTY_DONE = 2;

/** The link strings in order; objects give `url`, else `href`. */
export function linkStrings(task: Task): string[] {
  return (task.links ?? []).map((link, i) => {
    if (typeof link === 'string') return link;
    const value = link.url ?? link.href;
    if (!value)
      throw new ProviderApiError(`export task ${task.id}: link ${i + 1} has neither url nor href`, 'unexpected-body');
    return value;
  });
}

/** The task's own words on why it failed: provider text, so redacted and bounded. */
function failureMessage(task: Task): string | undefined {
  const found = rawFailureMessage(task);
  return found === undefined ? undefined : quoteProviderText(found);
}

function rawFailureMessage(task: Task): string | undefined {
  for (const key of ['error', 'message', 'error_message', 'failed_reason', 'failure_reason', 'reason']) {
    const value: unknown = task[key];
    if (typeof value === 'string' && value.trim()) return value.trim();
    if (value && typeof value === 'object' && 'message' in value && typeof value.message === 'string')
      return value.message;
  }
  return undefined;
}

export function viewTask(task: Task, pollCount: number): TaskView {
  const links = linkStrings(task).filter((l) => l.trim() !== '');
  const word = (task.status ?? '').trim();
  const providerStatus = word || '(none)';
  if (links.length > 0) return { state: 'succeeded', links, providerStatus };
  const state = jobStateOf(CLICKWRAP_TASK_STATUSES, word, `Clickwrap export task ${task.id}`);
  if (state === 'cancelled')
    return {
      state,
      links: [],
      providerStatus,
      message: failureMessage(task) ?? `export task ${task.id} was cancelled`,
    };
  if (state === 'failed')
    return {
      state,
      links: [],
      providerStatus,
      message: failureMessage(task) ?? `export task ${task.id} failed (${quoteProviderText(word, 80)})`,
    };
  // Done without links: the links may still be on their way, or the window had nothing to export.
  if (state === 'succeeded')
    return { state: pollCount >= POLLS_BEFORE_EMPTY_DONE ? 'succeeded' : 'running', links: [], providerStatus };
  return { state, links: [], providerStatus };
}
