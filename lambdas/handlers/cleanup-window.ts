// Lambda entry point of the cleanup-window Task state: the step handler over lambdas/workflow/steps/cleanup-window.ts.
import { providerStepHandler } from '#workflow/provider-step-handler';
import { cleanupWindow } from '#workflow/steps/cleanup-window';

export const handler = providerStepHandler(cleanupWindow);
