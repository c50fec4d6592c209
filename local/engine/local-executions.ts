// Local executions are named after the process that runs them, so a later run can tell whether the
// owner of a job record it finds is still alive: a killed `npm start` (kill -9, a second Ctrl-C) has
// no cleanup, and its leftovers are reclaimed by the next run of the export.
import { randomUUID } from 'node:crypto';

const LOCAL_EXECUTION = /:execution:local:(\d+)-[0-9a-f-]+$/;

/** The executions this process is running now: several may run side by side (two exports, two runs). */
const running = new Set<string>();

/** A new local execution's id, counted as running until endLocalExecution. */
export function localExecutionId(): string {
  const id = `arn:aws:states:us-east-1:000000000000:execution:local:${process.pid}-${randomUUID()}`;
  running.add(id);
  return id;
}

export function endLocalExecution(executionId: string): void {
  running.delete(executionId);
}

/**
 * true when the execution's process is gone, or is this process and the execution has ended; false
 * while it runs; undefined for an execution that is not a local one (it cannot be told from here).
 */
export async function localExecutionEnded(executionId: string): Promise<boolean | undefined> {
  const pid = Number(LOCAL_EXECUTION.exec(executionId)?.[1] ?? Number.NaN);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  if (pid === process.pid) return !running.has(executionId);
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
