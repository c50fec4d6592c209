// Lambda entry point of the check-job Task state: the step handler over lambdas/workflow/steps/check-job.ts.
import { providerStepHandler } from '#workflow/provider-step-handler';
import { checkJob } from '#workflow/steps/check-job';

export const handler = providerStepHandler(checkJob);
