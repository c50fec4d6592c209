// Lambda entry point of the cleanup-window Task state: the step handler over lambdas/workflow/steps/cleanup-window.ts.
import { stepHandler } from '../workflow/step-handler';
import { cleanupWindow } from '../workflow/steps/cleanup-window';

export const handler = stepHandler(cleanupWindow);
