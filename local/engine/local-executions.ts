// Local executions are named after the process that runs them, so a later run can tell whether the
// owner of a job record it finds is still alive: a killed `npm start` (kill -9, a second Ctrl-C) has
// no cleanup, and its leftovers are reclaimed by the next run of the export.
import { randomUUID } from 'node:crypto';

const LOCAL_EXECUTION = /:execution:local:(\d+)-[0-9a-f-]+$/;

export function localExecutionId(): string {
  return `arn:aws:states:us-east-1:000000000000:execution:local:${process.pid}-${randomUUID()}`;
}

/**
 * true when the execution's process is gone, or is this process (which runs one execution at a time:
 * the caller's own, which never asks about itself); false while its process lives; undefined for an
 * execution that is not a local one (it cannot be told from here).
 */
export async function localExecutionEnded(executionId: string): Promise<boolean | undefined> {
  const pid = Number(LOCAL_EXECUTION.exec(executionId)?.[1] ?? Number.NaN);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
