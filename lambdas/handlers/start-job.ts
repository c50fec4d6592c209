// Lambda entry point of the start-job Task state: the step handler over lambdas/workflow/steps/start-job.ts.
import { providerStepHandler } from '#workflow/provider-step-handler';
import { startJob } from '#workflow/steps/start-job';

export const handler = providerStepHandler(startJob);
