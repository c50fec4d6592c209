// Lambda entry point of the start-job Task state: the step handler over lambdas/workflow/steps/start-job.ts.
import { stepHandler } from '../workflow/step-handler';
import { startJob } from '../workflow/steps/start-job';

export const handler = stepHandler(startJob);
