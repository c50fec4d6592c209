// Lambda entry point of the cleanup Task state: the step handler over lambdas/workflow/steps/cleanup.ts.
import { providerStepHandler } from '#workflow/provider-step-handler';
import { cleanup } from '#workflow/steps/cleanup';

export const handler = providerStepHandler(cleanup);
