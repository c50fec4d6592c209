// Lambda entry point for the state machine's finish-file Task: parse → core → named errors (see lambdas/workflow).
import { getRuntime } from '../workflow/runtime';
import { finishFile } from '../workflow/steps/transfer-steps';

export const handler = (event: unknown) => finishFile(event, getRuntime());
