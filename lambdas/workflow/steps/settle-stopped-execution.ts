// An execution that ended without passing through its Catch: StopExecution (ABORTED) and the execution
// timeout (TIMED_OUT) skip every Catch, so Cleanup never ran. Its status-change event brings us here
// (FAILED too, as a backstop for a Cleanup that could not run). The execution's windows are the ones
// whose job records name it as their owner; each gets the one undo (lambdas/window/undo-window.ts).
import { giveBackLease } from '#window/lease';
import { z } from 'zod';
import { UNCLEANED_STATUSES, type UncleanedStatus } from '#shared/uncleaned-statuses';
import { parseOrThrow } from '#shared/validation';
import { listJobRecords } from '#window/job-record';
import { undoWindows } from '#window/undo-window';
import type { WorkflowRuntime } from '../runtime';
import { ExecutionInputSchema } from '../state';

/** What we read of a `Step Functions Execution Status Change` event; the rest is ignored. */
export const StatusChangeEventSchema = z.looseObject({
  detail: z.looseObject({
    executionArn: z.string().min(1),
    stateMachineArn: z.string().min(1),
    status: z.enum(UNCLEANED_STATUSES),
    /** Included while small (ours are tiny); null when Step Functions left it out. */
    input: z.string().nullable().optional(),
  }),
});
export type StatusChangeEvent = z.infer<typeof StatusChangeEventSchema>;

export interface StoppedExecutionDeps {
  /** The execution's input when the event did not carry it (DescribeExecution on AWS). */
  executionInput(executionArn: string): Promise<string | undefined>;
}

export interface StoppedExecutionReport {
  readonly executionArn: string;
  readonly status: UncleanedStatus;
  readonly export: string | null;
  readonly windows: number;
  readonly cancelledJobs: string[];
  /** Jobs whose cancel failed: their records stay, marked, for the next run or cleanup. */
  readonly cancelPendingJobs: string[];
  readonly abortedUploads: number;
  readonly removedObjects: number;
}

export async function settleStoppedExecution(
  event: unknown,
  rt: WorkflowRuntime,
  deps: StoppedExecutionDeps,
): Promise<StoppedExecutionReport> {
  const { detail } = parseOrThrow(StatusChangeEventSchema, event, 'event');
  const report: StoppedExecutionReport = {
    executionArn: detail.executionArn,
    status: detail.status,
    export: null,
    windows: 0,
    cancelledJobs: [],
    cancelPendingJobs: [],
    abortedUploads: 0,
    removedObjects: 0,
  };
  const inputText = detail.input ?? (await deps.executionInput(detail.executionArn));
  const exportName = exportNameOf(inputText);
  // An input that names no deployed export was refused by Plan before anything was created.
  if (!exportName || !rt.exports.names.includes(exportName)) {
    rt.logger.info('stopped execution names no deployed export; nothing to clean up', {
      executionId: detail.executionArn,
      status: detail.status,
    });
    return report;
  }
  const def = rt.exports.definition(exportName);
  const owned = (await listJobRecords(rt.store, def.name)).filter((r) => r.executionId === detail.executionArn);
  const { tally } = await undoWindows(
    rt,
    def,
    owned.map((r) => ({ window: r.window, owner: detail.executionArn })),
  );
  await giveBackLease(rt.store, rt.logger, def.name, detail.executionArn);
  const totals: StoppedExecutionReport = { ...report, export: def.name, windows: owned.length, ...tally };
  // FAILED runs usually had their Cleanup already: nothing owned is the normal case there.
  if (owned.length > 0) rt.logger.warn('cleaned up after an execution that ended without its Catch', { ...totals });
  else
    rt.logger.info('the stopped execution left no window behind', {
      executionId: detail.executionArn,
      status: detail.status,
    });
  rt.events({
    export: def.name,
    step: 'StoppedExecution',
    message: `${detail.status}: cleaned up ${owned.length} window(s)`,
  });
  return totals;
}

function exportNameOf(inputText: string | undefined): string | undefined {
  if (!inputText) return undefined;
  try {
    const parsed = ExecutionInputSchema.safeParse(JSON.parse(inputText));
    return parsed.success ? parsed.data.export : undefined;
  } catch {
    return undefined;
  }
}
