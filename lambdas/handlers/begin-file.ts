// Lambda entry point of the begin-file Task state: the step handler over lambdas/workflow/steps/transfer-steps.ts.
import { stepHandler } from '#workflow/step-handler';
import { beginFile } from '#workflow/steps/transfer-steps';

export const handler = stepHandler(beginFile);
