// Per-window progress of an execution, read from its history (GetExecutionHistory): each iteration of
// the ExportWindows Map is one window (in the order Plan listed them), and every later event belongs to
// the iteration its previousEventId chain leads back to, so the state a window is in is the last state
// entered on its chain (StartJob, WaitForJob, TransferChunk, …), nested file Maps included.
import { GetExecutionHistoryCommand, type HistoryEvent, type SFNClient } from '@aws-sdk/client-sfn';
import { z } from 'zod';
import { parseJson } from './parse-json';

/** The Map state whose iterations are the windows (lib/constructs/export-workflow.ts). */
export const WINDOWS_MAP = 'ExportWindows';

export interface WindowProgress {
  readonly index: number;
  readonly window?: { readonly start: string; readonly end: string };
  readonly status: 'running' | 'succeeded' | 'failed' | 'aborted';
  /** The state the window is in (or ended in). */
  readonly state?: string;
  /** Remote job polls (CheckJob runs) and file chunks (TransferChunk runs) so far. */
  readonly polls: number;
  readonly chunks: number;
}

const PlanOutputSchema = z.looseObject({
  plan: z.looseObject({ windows: z.array(z.object({ start: z.string(), end: z.string() })) }),
});

export async function executionHistory(sfn: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(
      new GetExecutionHistoryCommand({
        executionArn,
        maxResults: 1000,
        includeExecutionData: true,
        ...(nextToken ? { nextToken } : {}),
      }),
    );
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

export function windowProgress(events: readonly HistoryEvent[]): WindowProgress[] {
  const iterationOf = new Map<number, number>();
  const progress = new Map<
    number,
    { status: WindowProgress['status']; state?: string; polls: number; chunks: number }
  >();
  let windows: { start: string; end: string }[] = [];
  for (const event of [...events].sort((a, b) => (a.id ?? 0) - (b.id ?? 0))) {
    const id = event.id ?? 0;
    const inherited = event.previousEventId !== undefined ? iterationOf.get(event.previousEventId) : undefined;
    const started =
      event.type === 'MapIterationStarted' && event.mapIterationStartedEventDetails?.name === WINDOWS_MAP
        ? event.mapIterationStartedEventDetails.index
        : undefined;
    const iteration = started ?? inherited;
    if (event.stateExitedEventDetails?.name === 'Plan') {
      const plan = PlanOutputSchema.safeParse(parseJson(event.stateExitedEventDetails.output));
      if (plan.success) windows = plan.data.plan.windows;
    }
    if (iteration === undefined) continue;
    const outer = (name: string | undefined) => name === WINDOWS_MAP;
    const ends =
      (event.type === 'MapIterationSucceeded' && outer(event.mapIterationSucceededEventDetails?.name)) ||
      (event.type === 'MapIterationFailed' && outer(event.mapIterationFailedEventDetails?.name)) ||
      (event.type === 'MapIterationAborted' && outer(event.mapIterationAbortedEventDetails?.name));
    // What follows an iteration's end (the Map's exit, CommitWatermark) is the run's, not the window's.
    if (!ends) iterationOf.set(id, iteration);
    const entry = progress.get(iteration) ?? { status: 'running', polls: 0, chunks: 0 };
    progress.set(iteration, entry);
    const entered = event.stateEnteredEventDetails?.name;
    if (entered) {
      entry.state = entered;
      if (entered === 'CheckJob') entry.polls += 1;
      if (entered === 'TransferChunk') entry.chunks += 1;
    }
    // An iteration that ended in CleanupWindow succeeded as a Map iteration, but its window failed.
    if (event.type === 'MapIterationSucceeded' && outer(event.mapIterationSucceededEventDetails?.name))
      entry.status = entry.state === 'CleanupWindow' ? 'failed' : 'succeeded';
    if (event.type === 'MapIterationFailed' && outer(event.mapIterationFailedEventDetails?.name))
      entry.status = 'failed';
    if (event.type === 'MapIterationAborted' && outer(event.mapIterationAbortedEventDetails?.name))
      entry.status = 'aborted';
  }
  return [...progress.entries()]
    .sort(([a], [b]) => a - b)
    .map(([index, p]) => {
      const window = windows[index];
      return {
        index,
        ...(window ? { window } : {}),
        status: p.status,
        ...(p.state ? { state: p.state } : {}),
        polls: p.polls,
        chunks: p.chunks,
      };
    });
}

export function renderWindowProgress(windows: readonly WindowProgress[]): string[] {
  return windows.map((w) => {
    const range = w.window ? `${w.window.start} → ${w.window.end}` : `window #${w.index + 1}`;
    const where =
      w.status === 'running'
        ? `in ${w.state ?? '?'}`
        : `${w.status}${w.state && w.status !== 'succeeded' ? ` in ${w.state}` : ''}`;
    return `  ${range}  ${where}  polls ${w.polls}  chunks ${w.chunks}`;
  });
}
