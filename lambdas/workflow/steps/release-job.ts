// ReleaseJob: after a window landed (its manifest written), delete its job at the provider where the
// provider's docs advise it (Salesforce: a query job and its results, kept 7 days otherwise). Best
// effort by design: every failure, a spent daily limit included, is logged and counted and the window
// stays landed; waiting out a quota only to delete a job that expires by itself would hold the run.
import { providerDescriptor } from '#providers/descriptors';
import { parseOrThrow } from '#shared/validation';
import { recordRelease } from '../metrics';
import { ReleaseJobInputSchema, type ReleaseJobResult } from '../release-job-input';
import type { WorkflowRuntime } from '../runtime';

export async function releaseJob(event: unknown, rt: WorkflowRuntime): Promise<ReleaseJobResult> {
  const input = parseOrThrow(ReleaseJobInputSchema, event, 'event');
  const def = rt.exports.definition(input.export);
  const jobId = input.job.id;
  // Known without a call: a provider that keeps no job is not built (no secret read, no API call).
  if (!providerDescriptor(def.provider).limits.releasesJobs) return { jobId, outcome: 'not-applicable' };
  try {
    const provider = await rt.provider(def);
    if (!provider.releaseJob) return { jobId, outcome: 'not-applicable' };
    await provider.releaseJob(input.job);
  } catch (error) {
    const name = error instanceof Error ? error.name : 'Error';
    rt.logger.warn('landed job not deleted at the provider; it expires there by itself', {
      export: def.name,
      window: input.window,
      jobId,
      error: { name, message: error instanceof Error ? error.message : String(error) },
    });
    recordRelease(rt, def, name);
    return { jobId, outcome: 'failed', error: name };
  }
  recordRelease(rt, def);
  rt.events({ export: def.name, step: 'ReleaseJob', window: input.window, message: `job ${jobId} deleted` });
  return { jobId, outcome: 'released' };
}
