// Lambda entry point of the plan Task state: the step handler over lambdas/workflow/steps/plan.ts.
import { stepHandler } from '../workflow/step-handler';
import { plan } from '../workflow/steps/plan';

export const handler = stepHandler(plan);
