// Lambda entry point for the state machine's begin-file Task: parse → core → named errors (see lambdas/workflow).
import { getRuntime } from '../workflow/runtime';
import { beginFile } from '../workflow/steps/transfer-steps';

export const handler = (event: unknown) => beginFile(event, getRuntime());
