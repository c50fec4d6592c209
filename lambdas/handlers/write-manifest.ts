// Lambda entry point of the write-manifest Task state: the step handler over lambdas/workflow/steps/write-manifest.ts.
import { stepHandler } from '#workflow/step-handler';
import { writeManifest } from '#workflow/steps/write-manifest';

export const handler = stepHandler(writeManifest);
