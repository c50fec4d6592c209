// Lambda entry point for the state machine's commit-watermark Task: parse → core → named errors (see lambdas/workflow).
import { getRuntime } from '../workflow/runtime';
import { commitRun } from '../workflow/steps/commit-watermark';

export const handler = (event: unknown) => commitRun(event, getRuntime());
