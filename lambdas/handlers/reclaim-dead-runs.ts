// Lambda entry point of the ReclaimDeadRuns Task state: the step handler over lambdas/workflow/steps/reclaim-dead-runs.ts.
import { stepHandler } from '../workflow/step-handler';
import { reclaimDeadRuns } from '../workflow/steps/reclaim-dead-runs';

export const handler = stepHandler(reclaimDeadRuns);
