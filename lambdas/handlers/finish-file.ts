// Lambda entry point of the finish-file Task state: the step handler over lambdas/workflow/steps/transfer-steps.ts.
import { stepHandler } from '#workflow/step-handler';
import { finishFile } from '#workflow/steps/transfer-steps';

export const handler = stepHandler(finishFile);
