// Lambda entry point of the refresh-references Task state: the step handler over lambdas/workflow/steps/refresh-references.ts.
import { providerStepHandler } from '#workflow/provider-step-handler';
import { refreshReferences } from '#workflow/steps/refresh-references';

export const handler = providerStepHandler(refreshReferences);
