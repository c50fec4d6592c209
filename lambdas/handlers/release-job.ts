// Lambda entry point of the release-job Task state: the step handler over lambdas/workflow/steps/release-job.ts.
import { providerStepHandler } from '#workflow/provider-step-handler';
import { releaseJob } from '#workflow/steps/release-job';

export const handler = providerStepHandler(releaseJob);
