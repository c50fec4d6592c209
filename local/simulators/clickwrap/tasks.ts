// Export tasks: created from a filter and fields, "processing" for a while, then offering one
// pre-signed-style link per CSV that expires after linkTtlMs (or when the test says so).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { CONNECTION_FIELDS, TOP_LEVEL_FIELDS } from './activity-data';
import type { Activity } from './activity-data';
import { toCsv } from './csv';
import { matches, parseFilter, timeBounds } from './filter';
import { hexId } from './random';
import type { SimState, SimTask } from './state';

const REQUIRED = ['id', 'signer_id', 'created_time'];
const DEFAULT_LOOKBACK_MS = 30 * 86_400_000;

export class BadRequest extends Error {}

export function checkFields(fields: readonly string[]): void {
  const missing = REQUIRED.filter((f) => !fields.includes(f));
  if (missing.length > 0)
    throw new BadRequest(`fields must include id, signer_id and created_time (missing ${missing.join(', ')})`);
  for (const f of fields) {
    const known =
      (TOP_LEVEL_FIELDS as readonly string[]).includes(f) ||
      (f.startsWith('connection_data.') &&
        (CONNECTION_FIELDS as readonly string[]).includes(f.slice('connection_data.'.length))) ||
      /^custom_data\.[A-Za-z0-9_-]+$/.test(f);
    if (!known) throw new BadRequest(`unknown field "${f}"`);
  }
}

/** Rows a filter selects; without a created_time lower bound the last 30 days, without an upper one up to now. */
export function selectRows(state: SimState, filter: string): Activity[] {
  const clauses = parseFilter(filter);
  const bounds = timeBounds(clauses);
  const nowMs = state.now().getTime();
  const startMs = bounds.startMs ?? nowMs - DEFAULT_LOOKBACK_MS;
  const endMs = Math.min(bounds.endMs ?? nowMs, startMs + 400 * 86_400_000);
  return state.store.between(startMs, endMs).filter((row) => matches(row, clauses));
}

export function createTask(state: SimState, filter: string, fields: readonly string[]): SimTask {
  const bounds = timeBounds(parseFilter(filter));
  checkFields(fields);
  state.taskCounter += 1;
  const faults = state.faults;
  const poison = faults.poison;
  const poisoned =
    poison && (bounds.startMs ?? -Infinity) <= poison.atMs && poison.atMs < (bounds.endMs ?? Infinity)
      ? { field: poison.field, value: poison.value }
      : undefined;
  const badValue = faults.badValueNext ?? poisoned;
  const task: SimTask = {
    id: hexId(24, state.seed, 'task', state.taskCounter),
    createdMs: state.now().getTime(),
    filter,
    fields: [...fields],
    ...(faults.failNextTask !== undefined ? { failMessage: faults.failNextTask } : {}),
    ...(faults.hostileLinks !== undefined ? { hostileLinks: faults.hostileLinks } : {}),
    ...(badValue !== undefined ? { badValue } : {}),
    linkStyle: faults.linkStyle ?? 'string',
    onApiHost: faults.linksOnApiHost ?? false,
    links: [],
    status: 'pending',
  };
  delete faults.failNextTask;
  delete faults.hostileLinks;
  delete faults.badValueNext;
  state.tasks.set(task.id, task);
  return task;
}

export function taskFiles(state: SimState, task: SimTask): Buffer[] {
  if (!task.files) {
    const selected = selectRows(state, task.filter);
    const bad = task.badValue;
    const rows =
      bad && selected.length > 0
        ? [{ ...selected[0]!, [bad.field]: bad.value } as (typeof selected)[number], ...selected.slice(1)]
        : selected;
    const files: Buffer[] = [];
    for (let i = 0; i < rows.length; i += state.rowsPerFile)
      files.push(toCsv(task.fields, rows.slice(i, i + state.rowsPerFile)));
    // A window without activity still gets one CSV: the header alone.
    task.files = files.length > 0 ? files : [toCsv(task.fields, [])];
  }
  return task.files;
}

function signature(state: SimState, parts: string): string {
  return createHmac('sha256', state.signingKey).update(parts).digest('hex');
}

function signedLink(state: SimState, task: SimTask, index: number, nowMs: number): string {
  const expires = nowMs + state.linkTtlMs;
  const gen = state.linkGeneration;
  const sig = signature(state, `${task.id}/${index}/${expires}/${gen}`);
  return `${state.fileHostOrigin}/files/${task.id}/${index}.csv?X-Expires=${expires}&X-Gen=${gen}&X-Signature=${sig}`;
}

/** Verdict on a file-host link: the file, or why it is refused. */
export function verifyLink(
  state: SimState,
  taskId: string,
  index: number,
  query: URLSearchParams,
): { file: Buffer } | { refused: 'signature' | 'expired' | 'missing' } {
  const expires = query.get('X-Expires') ?? '';
  const gen = query.get('X-Gen') ?? '';
  const given = Buffer.from(query.get('X-Signature') ?? '', 'hex');
  const wanted = Buffer.from(signature(state, `${taskId}/${index}/${expires}/${gen}`), 'hex');
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) return { refused: 'signature' };
  if (Number(gen) !== state.linkGeneration || state.now().getTime() > Number(expires)) return { refused: 'expired' };
  const task = state.tasks.get(taskId);
  const file = task?.files?.[index - 1];
  return file ? { file } : { refused: 'missing' };
}

function styled(link: string, style: SimTask['linkStyle']): unknown {
  return style === 'string' ? link : { [style]: link, name: link.split('?')[0]?.split('/').pop() };
}

/** The task as GET /tasks/export/:id answers it; a finished task gets freshly signed links on every poll. */
export function pollTask(state: SimState, task: SimTask): Record<string, unknown> {
  const nowMs = state.now().getTime();
  const age = nowMs - task.createdMs;
  let extra: Record<string, unknown> = {};
  if (task.failMessage !== undefined) {
    task.status = 'failed';
    extra = { error: task.failMessage };
  } else if (age < state.processingMs / 2) task.status = 'pending';
  else if (age < state.processingMs) task.status = 'processing';
  else {
    task.status = 'completed';
    const files = taskFiles(state, task);
    task.links = files.map((_, i) => {
      if (task.hostileLinks !== undefined)
        return `${task.hostileLinks}${task.hostileLinks.includes('?') ? '&' : '?'}part=${i + 1}`;
      if (task.onApiHost) return `${state.apiOrigin}/v1.1/downloads/${task.id}/${i + 1}.csv`;
      return signedLink(state, task, i + 1, nowMs);
    });
    extra = { links: task.links.map((l) => styled(l, task.linkStyle)) };
  }
  return {
    status: task.status,
    source: 'api',
    retry_count: 0,
    active: task.status !== 'completed' && task.status !== 'failed',
    job_name: 'GenerateExportCSV',
    created_by: 9785,
    account: 2785,
    site: 5193,
    data: { exportName: 'action', exportType: 'Action', filter: task.filter, fields: task.fields.join(',') },
    created_time: new Date(task.createdMs).toISOString(),
    id: task.id,
    ...extra,
  };
}
