// StartJob: create (and enqueue) the window's remote job, or resume the one it already has. Never
// creates a second job for a window: the previous outcome and the window's job record are both
// consulted first (a duplicate Marketo job burns the shared daily quota).
import { parseOrThrow } from '#shared/validation';
import type { JobRef } from '#providers/types';
import { QueueFullError } from '#shared/errors';
import { RETRY_POLICY } from '#shared/retry-policy';
import { readJobRecord, saveJobRecord } from '#window/job-record';
import { recordWindowRunning } from '#window/ledger-records';
import type { WorkflowRuntime } from '../runtime';
import { recordStart } from '../metrics';
import { StartJobInputSchema, type StartOutcome } from '../state';

/** A queue full for this many tries in a row (about a day at Marketo's pace) fails the window. */
export const MAX_BUSY_RETRIES: number = RETRY_POLICY.queueFull.maxTries;

export async function startJob(
  event: unknown,
  rt: WorkflowRuntime,
): Promise<StartOutcome & { kind: 'started' | 'deferred' | 'busy'; waitSeconds: number; startedAt?: string }> {
  const input = parseOrThrow(StartJobInputSchema, event, 'event');
  const def = rt.exports.definition(input.export);
  const provider = await rt.provider(def);
  // The request as the provider reads it: validated by Plan already, so this cannot fail here.
  const request = provider.validate(def.request);

  let existing = input.previous.job ?? undefined;
  if (!existing) {
    const record = await readJobRecord(rt.store, def.name, input.window);
    const maxAgeMs = provider.limits.fileRetentionDays * 86_400_000;
    // A job older than the provider keeps its files is of no use any more: start afresh.
    if (record && rt.clock.now().getTime() - Date.parse(record.savedAt) < maxAgeMs) {
      existing = record.job;
      rt.logger.info('resuming the job recorded for this window', { export: def.name, jobId: existing.id });
    }
  }

  // The job is recorded the moment it exists, before the enqueue that may still fail: a retried or
  // re-run StartJob then resumes it (and Cleanup can cancel it) instead of creating a second one.
  const record = (job: JobRef) =>
    saveJobRecord(rt.store, def.name, input.window, job, rt.clock.now(), input.executionId);
  const outcome = await provider.startJob(input.window, request, existing, { onCreated: record });
  const job = outcome.job;
  if (job) await record(job);

  recordStart(rt, def, outcome);
  const base = { ...(job ? { job } : { job: null }) };
  // A Wait state takes whole seconds, at least one.
  const waitFor = (seconds: number) => Math.max(1, Math.round(seconds));
  switch (outcome.kind) {
    case 'started':
      await recordWindowRunning(rt.store, def.name, input.window, {
        at: rt.clock.now().toISOString(),
        jobId: outcome.job.id,
        ...(input.executionId ? { executionId: input.executionId } : {}),
      });
      rt.events({ export: def.name, step: 'StartJob', window: input.window, message: `job ${outcome.job.id} queued` });
      // The deadline counts from here: time parked behind a quota or a full queue is not the job's fault.
      return {
        kind: 'started',
        ...base,
        waitSeconds: waitFor(outcome.pollAfterSeconds),
        startedAt: rt.clock.now().toISOString(),
      };
    case 'busy': {
      const busyCount = (input.previous.busyCount ?? 0) + 1;
      if (busyCount > MAX_BUSY_RETRIES) {
        throw new QueueFullError(
          `${def.provider} queue still full after ${MAX_BUSY_RETRIES} tries: ${outcome.reason}`,
          outcome.retryAfterSeconds,
        );
      }
      rt.logger.warn('provider queue full; retrying later', {
        export: def.name,
        reason: outcome.reason,
        retryAfterSeconds: outcome.retryAfterSeconds,
      });
      rt.events({ export: def.name, step: 'StartJob', window: input.window, message: `queue full: ${outcome.reason}` });
      return {
        kind: 'busy',
        ...base,
        waitSeconds: waitFor(outcome.retryAfterSeconds),
        reason: outcome.reason,
        busyCount,
      };
    }
    case 'deferred':
      rt.logger.warn('quota exhausted; waiting for the reset', {
        export: def.name,
        until: outcome.until,
        reason: outcome.reason,
      });
      rt.events({
        export: def.name,
        step: 'StartJob',
        window: input.window,
        message: `deferred until ${outcome.until}: ${outcome.reason}`,
      });
      return { kind: 'deferred', ...base, waitSeconds: 0, until: outcome.until, reason: outcome.reason };
  }
}
