// Lambda entry point of the check-job Task state: the step handler over lambdas/workflow/steps/check-job.ts.
import { stepHandler } from '../workflow/step-handler';
import { checkJob } from '../workflow/steps/check-job';

export const handler = stepHandler(checkJob);
