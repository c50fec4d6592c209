// The last runs of the pipeline, from wherever they are recorded: the completion events a local run
// appends to its events file, or a deployed state machine's executions (ListExecutions +
// DescribeExecution). Both become the same rows, printed by renderHistory.
import { readFile } from 'node:fs/promises';
import {
  DescribeExecutionCommand,
  ListExecutionsCommand,
  type DescribeExecutionCommandOutput,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { z } from 'zod';
import { DETAIL_TYPES } from '#shared/completion-events';
import { STATUS_CHANGE } from '../engine/stopped-record';
import { formatBytes } from './progress';
import { parseJson } from './parse-json';

/** A deployed execution's status, or INTERRUPTED: a local run stopped by Ctrl-C / SIGTERM (ABORTED on AWS). */
export type RunOutcome =
  'SUCCEEDED' | 'FAILED' | 'RUNNING' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE' | 'INTERRUPTED';

export interface RunRecord {
  readonly export: string;
  readonly executionId?: string;
  readonly start: string;
  readonly end: string | null;
  /** The range the run covered and how many windows (jobs) it landed; null where unknown. */
  readonly span: { readonly start: string; readonly end: string } | null;
  readonly windows: number | null;
  readonly bytes: number | null;
  readonly records: number | null;
  readonly outcome: RunOutcome;
  readonly error?: string;
}

const PublishedEventSchema = z.object({ time: z.string(), detailType: z.string(), detail: z.unknown() });

// Only what a history row shows, and loose: a local run's file URIs are file://, which the published
// event schema (s3:// only) would refuse, and older events may lack newer fields.
const Span = z.object({ start: z.string(), end: z.string() }).nullable();
const RunDetail = {
  export: z.string(),
  window: Span,
  durationSeconds: z.number().min(0),
  executionId: z.string().optional(),
};
const ExportSucceededDetailSchema = z.looseObject({
  ...RunDetail,
  jobIds: z.array(z.string()),
  bytes: z.number(),
  records: z.number(),
});
const ExportFailedDetailSchema = z.looseObject({
  ...RunDetail,
  error: z.object({ name: z.string(), message: z.string() }),
});

function startOf(end: string, durationSeconds: number): string {
  return new Date(Date.parse(end) - durationSeconds * 1000).toISOString();
}

/** The runs recorded in a local events file (JSON lines), newest first; lines that are not run events are skipped. */
export async function localRunHistory(
  eventsFile: string,
  options: { export?: string; limit: number },
): Promise<RunRecord[]> {
  let text: string;
  try {
    text = await readFile(eventsFile, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const runs: RunRecord[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      continue;
    }
    const event = PublishedEventSchema.safeParse(raw);
    if (!event.success) continue;
    const run = recordOfEvent(event.data.time, event.data.detailType, event.data.detail);
    if (run && (!options.export || run.export === options.export)) runs.push(run);
  }
  return newestFirst(runs).slice(0, options.limit);
}

const StoppedDetailSchema = z.looseObject({
  executionArn: z.string(),
  status: z.literal('ABORTED'),
  input: z.string(),
  startDate: z.string(),
  stopDate: z.string(),
  cleanup: z
    .object({ cancelledJobs: z.array(z.string()), abortedUploads: z.number(), removedObjects: z.number() })
    .optional(),
  cleanupError: z.string().optional(),
});

/** A run stopped by Ctrl-C / SIGTERM (or StopExecution): what its status-change cleanup did. */
function interruptedText(d: z.infer<typeof StoppedDetailSchema>): string {
  if (!d.cleanup) return `its cleanup failed: ${d.cleanupError ?? 'no report'}`;
  const jobs =
    d.cleanup.cancelledJobs.length > 0 ? `cancelled job(s) ${d.cleanup.cancelledJobs.join(', ')}` : 'no job to cancel';
  return `cleanup: ${jobs}, aborted ${d.cleanup.abortedUploads} upload(s), removed ${d.cleanup.removedObjects} object(s)`;
}

function recordOfEvent(time: string, detailType: string, detail: unknown): RunRecord | undefined {
  if (detailType === STATUS_CHANGE) {
    const d = StoppedDetailSchema.safeParse(detail);
    if (!d.success) return undefined;
    const input = ExecutionInputSchema.safeParse(parseJson(d.data.input));
    if (!input.success) return undefined;
    const range =
      typeof input.data.from === 'string' && typeof input.data.to === 'string'
        ? { start: input.data.from, end: input.data.to }
        : null;
    return {
      export: input.data.export,
      executionId: d.data.executionArn,
      start: d.data.startDate,
      end: d.data.stopDate,
      span: range,
      windows: null,
      bytes: null,
      records: null,
      outcome: 'INTERRUPTED',
      error: interruptedText(d.data),
    };
  }
  if (detailType === DETAIL_TYPES.succeeded) {
    const d = ExportSucceededDetailSchema.safeParse(detail);
    if (!d.success) return undefined;
    return {
      export: d.data.export,
      ...(d.data.executionId ? { executionId: d.data.executionId } : {}),
      start: startOf(time, d.data.durationSeconds),
      end: time,
      span: d.data.window,
      windows: d.data.jobIds.length,
      bytes: d.data.bytes,
      records: d.data.records,
      outcome: 'SUCCEEDED',
    };
  }
  if (detailType === DETAIL_TYPES.failed) {
    const d = ExportFailedDetailSchema.safeParse(detail);
    if (!d.success) return undefined;
    return {
      export: d.data.export,
      ...(d.data.executionId ? { executionId: d.data.executionId } : {}),
      start: startOf(time, d.data.durationSeconds),
      end: time,
      span: d.data.window,
      windows: null,
      bytes: null,
      records: null,
      outcome: 'FAILED',
      error: `${d.data.error.name}: ${d.data.error.message}`,
    };
  }
  return undefined;
}

const ExecutionInputSchema = z.looseObject({ export: z.string() });

/** The last executions of a deployed state machine, newest first, optionally of one export. */
export async function deployedRunHistory(
  sfn: SFNClient,
  stateMachineArn: string,
  options: { export?: string; limit: number },
): Promise<RunRecord[]> {
  const runs: RunRecord[] = [];
  let nextToken: string | undefined;
  // An export filter is applied to the input, which only DescribeExecution returns: page until enough match.
  do {
    const page = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn, maxResults: 100, ...(nextToken ? { nextToken } : {}) }),
    );
    for (const item of page.executions ?? []) {
      if (runs.length >= options.limit) break;
      if (!item.executionArn) continue;
      const run = runOfExecution(await sfn.send(new DescribeExecutionCommand({ executionArn: item.executionArn })));
      if (!options.export || run.export === options.export) runs.push(run);
    }
    nextToken = page.nextToken;
  } while (nextToken && runs.length < options.limit);
  return newestFirst(runs);
}

/** One execution as a history row: the export and range from its input, what landed from its output (the success event), or its error. */
export function runOfExecution(
  ex: Pick<
    DescribeExecutionCommandOutput,
    'executionArn' | 'input' | 'output' | 'status' | 'startDate' | 'stopDate' | 'error' | 'cause'
  >,
): RunRecord {
  const input = ExecutionInputSchema.safeParse(parseJson(ex.input));
  const output = ExportSucceededDetailSchema.safeParse(parseJson(ex.output));
  const base = {
    export: input.success ? input.data.export : '?',
    ...(ex.executionArn ? { executionId: ex.executionArn } : {}),
    start: ex.startDate?.toISOString() ?? '',
    end: ex.stopDate?.toISOString() ?? null,
    outcome: (ex.status ?? 'RUNNING') as RunOutcome,
  };
  if (output.success) {
    return {
      ...base,
      export: output.data.export,
      span: output.data.window,
      windows: output.data.jobIds.length,
      bytes: output.data.bytes,
      records: output.data.records,
    };
  }
  const range =
    input.success && typeof input.data.from === 'string' && typeof input.data.to === 'string'
      ? { start: input.data.from, end: input.data.to }
      : null;
  return {
    ...base,
    span: range,
    windows: null,
    bytes: null,
    records: null,
    ...(ex.error || ex.cause ? { error: `${ex.error ?? 'Error'}: ${ex.cause ?? ''}`.trim() } : {}),
  };
}

/** Newest first; runs that started in the same second keep the order they were recorded in, reversed. */
function newestFirst(runs: RunRecord[]): RunRecord[] {
  return runs
    .map((run, recorded) => ({ run, recorded }))
    .sort((a, b) => Date.parse(b.run.start) - Date.parse(a.run.start) || b.recorded - a.recorded)
    .map(({ run }) => run);
}

const MAX_ERROR = 120;

/** One line per run: start, end, outcome, export, range and windows, bytes, records, error. */
export function renderHistory(runs: readonly RunRecord[]): string {
  if (runs.length === 0) return 'no runs recorded';
  const rows = runs.map((r) => [
    r.start.replace(/\.\d{3}Z$/, 'Z'),
    r.end?.replace(/\.\d{3}Z$/, 'Z') ?? '-',
    r.outcome,
    r.export,
    r.span ? `${r.span.start} → ${r.span.end}` : '-',
    r.windows === null ? '-' : String(r.windows),
    r.bytes === null ? '-' : formatBytes(r.bytes),
    r.records === null ? '-' : String(r.records),
    r.error ? (r.error.length > MAX_ERROR ? `${r.error.slice(0, MAX_ERROR)}…` : r.error) : '',
  ]);
  const header = ['START', 'END', 'OUTCOME', 'EXPORT', 'RANGE', 'WINDOWS', 'BYTES', 'RECORDS', 'ERROR'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
