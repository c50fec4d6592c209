// Lambda entry point for the state machine's start-job Task: parse → core → named errors (see lambdas/workflow).
import { getRuntime } from '../workflow/runtime';
import { startJob } from '../workflow/steps/start-job';

export const handler = (event: unknown) => startJob(event, getRuntime());
