// CheckJob: poll the remote job once and say what next: wait (how long), transfer (which files), or fail.
import { JobCancelledError, JobDeadlineExceededError, JobFailedError } from '#shared/errors';
import { checkJobProgressKey } from '#window/keys';
import { keepingCheckProgress, savedCheckProgress } from '../check-progress';
import { fileForState } from '../state-links';
import { recordCheck } from '../metrics';
import type { WorkflowRuntime } from '../runtime';
import { CheckJobInputSchema, type JobCheck } from '../state';
import { parseOrThrow } from '#shared/validation';
import { quoteProviderText } from '#shared/redact';

export async function checkJob(event: unknown, rt: WorkflowRuntime): Promise<JobCheck> {
  const input = parseOrThrow(CheckJobInputSchema, event, 'event');
  const def = rt.exports.definition(input.export);
  const provider = await rt.provider(def);
  // A check deferred mid-count left how far it got: the count goes on from there.
  const progressKey = checkJobProgressKey(def.name, input.window);
  const resume = await savedCheckProgress(rt.store, progressKey, input.job);
  const status = await keepingCheckProgress(rt.store, progressKey, input.job, () =>
    provider.checkJob(input.job, input.poll.count, resume),
  );
  if (resume !== undefined) await rt.store.deleteObject(progressKey);
  const waitedSeconds = input.poll.waitedSeconds + input.poll.waitSeconds;

  if (status.state === 'failed')
    throw new JobFailedError(
      `job ${input.job.id} failed at ${def.provider}: ${quoteProviderText(status.message ?? status.providerStatus)}`,
    );
  if (status.state === 'cancelled')
    throw new JobCancelledError(`job ${input.job.id} was cancelled at ${def.provider} (${status.providerStatus})`);

  if (status.state !== 'succeeded') {
    // Age is the larger of wall-clock age and the waits we asked for, so shortened local waits still
    // reach the deadline after the same number of polls as on AWS.
    const since = Date.parse(input.poll.since ?? '');
    const wallSeconds = Number.isFinite(since) ? (rt.clock.now().getTime() - since) / 1000 : 0;
    const ageSeconds = Math.max(wallSeconds, waitedSeconds);
    if (ageSeconds > def.jobTimeoutMinutes * 60) {
      throw new JobDeadlineExceededError(
        `job ${input.job.id} still ${status.providerStatus} after ${Math.round(ageSeconds / 60)} min (jobTimeoutMinutes ${def.jobTimeoutMinutes}); cleanup asks the provider to cancel it`,
      );
    }
  }

  rt.events({
    export: def.name,
    step: 'CheckJob',
    window: input.window,
    message: `job ${input.job.id}: ${status.providerStatus}`,
  });
  const check: JobCheck = {
    state: status.state,
    providerStatus: status.providerStatus,
    files: status.state === 'succeeded' ? status.files.map(fileForState) : [],
    fileCount: status.state === 'succeeded' ? status.files.length : 0,
    records: status.records ?? null,
    count: input.poll.count + 1,
    waitSeconds: Math.max(1, Math.round(status.nextPollSeconds)),
    waitedSeconds,
    ...(input.poll.since ? { since: input.poll.since } : {}),
  };
  await recordCheck(rt, def, provider, status, check);
  return check;
}
