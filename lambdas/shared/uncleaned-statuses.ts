// The execution statuses whose runs may leave windows behind without Cleanup having run: StopExecution
// (ABORTED) and the execution timeout (TIMED_OUT) skip every Catch; FAILED is the backstop for a
// Cleanup that itself could not run. The status-change rule (lib/) and its handler share this list.
export const UNCLEANED_STATUSES = ['ABORTED', 'TIMED_OUT', 'FAILED'] as const;
export type UncleanedStatus = (typeof UNCLEANED_STATUSES)[number];
