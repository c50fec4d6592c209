// Lambda entry point of the plan Task state: the step handler over lambdas/workflow/steps/plan.ts.
import { providerStepHandler } from '#workflow/provider-step-handler';
import { plan } from '#workflow/steps/plan';

export const handler = providerStepHandler(plan);
