// Lambda entry point for the state machine's cleanup Task: parse → core → named errors (see lambdas/workflow).
import { getRuntime } from '../workflow/runtime';
import { cleanup } from '../workflow/steps/cleanup';

export const handler = (event: unknown) => cleanup(event, getRuntime());
