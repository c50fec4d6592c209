// Lambda entry point of the transfer-chunk Task state: the step handler over lambdas/workflow/steps/transfer-steps.ts.
import { providerStepHandler } from '#workflow/provider-step-handler';
import { transferFileChunk } from '#workflow/steps/transfer-steps';

export const handler = providerStepHandler(transferFileChunk);
