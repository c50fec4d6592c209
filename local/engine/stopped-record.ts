// A stopped local run leaves the record AWS would: the execution's status change (ABORTED), appended
// to the events file beside the completion events, so `history` lists interrupted runs too.
import { appendFile, mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import { redactDeep } from '#shared/redact';

export const STATUS_CHANGE = 'Step Functions Execution Status Change';

export interface StoppedCleanup {
  readonly cancelledJobs: readonly string[];
  readonly abortedUploads: number;
  readonly removedObjects: number;
}

export async function appendStoppedRecord(
  eventsFile: string,
  run: {
    executionId: string;
    input: unknown;
    startDate: Date;
    stopDate: Date;
    cleanup?: StoppedCleanup | undefined;
    cleanupError?: string | undefined;
  },
): Promise<void> {
  const record = redactDeep({
    time: run.stopDate.toISOString(),
    source: 'aws.states',
    detailType: STATUS_CHANGE,
    detail: {
      executionArn: run.executionId,
      status: 'ABORTED',
      input: JSON.stringify(run.input),
      startDate: run.startDate.toISOString(),
      stopDate: run.stopDate.toISOString(),
      ...(run.cleanup
        ? {
            cleanup: {
              cancelledJobs: run.cleanup.cancelledJobs,
              abortedUploads: run.cleanup.abortedUploads,
              removedObjects: run.cleanup.removedObjects,
            },
          }
        : {}),
      ...(run.cleanupError ? { cleanupError: run.cleanupError } : {}),
    },
  });
  await mkdir(path.dirname(eventsFile), { recursive: true });
  await appendFile(eventsFile, `${JSON.stringify(record)}\n`);
}
