// The export task as GET /tasks/export/:id answers it, mapped robustly: only `pending` is documented,
// so a non-empty `links` means done whatever the status word, and words are matched loosely.
import { z } from 'zod';
import { ProviderApiError } from '../../shared/errors';
import { quoteProviderText } from '../../shared/redact';
import type { JobState } from '../types';

const LinkSchema = z.union([
  z.string(),
  z.object({ url: z.string().optional(), href: z.string().optional() }).loose(),
]);

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

const DONE_WORDS = /^(complete|completed|success|succeeded|successful|done|finished)$/i;
const QUEUED_WORDS = /^(pending|queued|created|new|waiting|scheduled)$/i;
// How many polls a "done" status without links is given for its links to appear before the task
// counts as finished with no file (a window with no activity may legitimately have none).
const POLLS_BEFORE_EMPTY_DONE = 2;

/** The link strings in order; objects give `url`, else `href`. */
export function linkStrings(task: Task): string[] {
  return (task.links ?? []).map((link, i) => {
    if (typeof link === 'string') return link;
    const value = link.url ?? link.href;
    if (!value) throw new ProviderApiError(`export task ${task.id}: link ${i + 1} has neither url nor href`, 'unexpected-body');
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
    if (value && typeof value === 'object' && 'message' in value && typeof value.message === 'string') return value.message;
  }
  return undefined;
}

export function viewTask(task: Task, pollCount: number): TaskView {
  const links = linkStrings(task).filter((l) => l.trim() !== '');
  const word = (task.status ?? '').trim();
  const providerStatus = word || '(none)';
  if (links.length > 0) return { state: 'succeeded', links, providerStatus };
  if (/cancel/i.test(word)) return { state: 'cancelled', links: [], providerStatus, message: failureMessage(task) ?? `export task ${task.id} was cancelled` };
  if (/fail|error/i.test(word)) return { state: 'failed', links: [], providerStatus, message: failureMessage(task) ?? `export task ${task.id} failed (${quoteProviderText(word, 80)})` };
  if (DONE_WORDS.test(word) && pollCount >= POLLS_BEFORE_EMPTY_DONE) return { state: 'succeeded', links: [], providerStatus };
  return { state: QUEUED_WORDS.test(word) ? 'queued' : 'running', links: [], providerStatus };
}
