// Lambda entry point of the ReclaimDeadRuns Task state: the step handler over lambdas/workflow/steps/reclaim-dead-runs.ts.
import { providerStepHandler } from '#workflow/provider-step-handler';
import { reclaimDeadRuns } from '#workflow/steps/reclaim-dead-runs';

export const handler = providerStepHandler(reclaimDeadRuns);
