// Lambda entry point of the convert-split Task state: the step handler over lambdas/workflow/steps/convert-split.ts.
import { stepHandler } from '#workflow/step-handler';
import { convertSplit } from '#workflow/steps/convert-split';

export const handler = stepHandler(convertSplit);
