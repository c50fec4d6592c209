// Lambda entry point for the state machine's check-job Task: parse → core → named errors (see lambdas/workflow).
import { getRuntime } from '../workflow/runtime';
import { checkJob } from '../workflow/steps/check-job';

export const handler = (event: unknown) => checkJob(event, getRuntime());
