// Lambda entry point for the state machine's write-manifest Task: parse → core → named errors (see lambdas/workflow).
import { getRuntime } from '../workflow/runtime';
import { writeManifest } from '../workflow/steps/write-manifest';

export const handler = (event: unknown) => writeManifest(event, getRuntime());
