// Lambda entry point for the state machine's plan Task: parse → core → named errors (see lambdas/workflow).
import { getRuntime } from '../workflow/runtime';
import { plan } from '../workflow/steps/plan';

export const handler = (event: unknown) => plan(event, getRuntime());
