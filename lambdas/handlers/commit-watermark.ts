// Lambda entry point of the commit-watermark Task state: the step handler over lambdas/workflow/steps/commit-watermark.ts.
import { stepHandler } from '#workflow/step-handler';
import { commitRun } from '#workflow/steps/commit-watermark';

export const handler = stepHandler(commitRun);
