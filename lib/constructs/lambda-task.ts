// A Lambda Task state of the workflow: its payload typed against the handler's input (TaskInputs), its
// retries from the error policy (lambdas/shared/errors.ts) with the numbers of the retry table
// (lambdas/shared/retry-policy.ts), never States.ALL; a step that calls a provider also gets the
// deferral path of a spent daily quota (quota-deferral.ts).
import { Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { RETRY_GROUPS } from '#shared/errors';
import { RETRY_POLICY } from '#shared/retry-policy';
import type { TaskInputs } from '#workflow/state';
import { withQuotaDeferral } from './quota-deferral';
import { stateRetry } from './state-retry';
import { TIMEOUT_ERRORS, WORKFLOW_TASKS, type WorkflowTaskName } from './workflow-tasks';
import type { TaskRowContext } from './task-row';

/** A JSONPath into the state or the context object. */
export type JsonPath = `$${string}`;

/** Every field of the handler's input, each read from a path: a field added, renamed or dropped fails tsc. */
export type TaskPayload<T extends WorkflowTaskName> = { readonly [K in keyof Required<TaskInputs[T]>]: JsonPath };

/** `{ field: '$.x' }` → `{ 'field.$': '$.x' }`, the form Step Functions reads. */
export function jsonPathFields(fields: Readonly<Record<string, JsonPath>>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).map(([key, path]) => [`${key}.$`, path]));
}

export interface LambdaTaskOptions {
  readonly resultPath?: string;
  readonly outputPath?: string;
}

export function lambdaTask<T extends WorkflowTaskName>(
  scope: Construct,
  name: T,
  fn: lambda.IFunction,
  payload: TaskPayload<T>,
  ctx: TaskRowContext,
  opts: LambdaTaskOptions = {},
): tasks.LambdaInvoke {
  const row = WORKFLOW_TASKS[name];
  const task = new tasks.LambdaInvoke(scope, name, {
    stateName: name,
    lambdaFunction: fn,
    payload: sfn.TaskInput.fromObject(jsonPathFields(payload)),
    payloadResponseOnly: true,
    // A minute beyond the function's own timeout, so the Lambda's timeout (retryable) is what fires.
    taskTimeout: sfn.Timeout.duration(Duration.seconds(row.timeout(ctx).toSeconds() + 60)),
    ...(opts.resultPath !== undefined ? { resultPath: opts.resultPath } : {}),
    ...(opts.outputPath !== undefined ? { outputPath: opts.outputPath } : {}),
  });
  const { transient, 'rate-limited': rateLimited } = RETRY_POLICY.states;
  const transientAttempts = 'transientAttempts' in row ? row.transientAttempts : transient.maxAttempts;
  task.addRetry(stateRetry(RETRY_GROUPS.transient, { ...transient, maxAttempts: transientAttempts }));
  task.addRetry(stateRetry(RETRY_GROUPS['rate-limited'], rateLimited));
  if ('retryOnTimeout' in row && row.retryOnTimeout)
    task.addRetry(stateRetry(TIMEOUT_ERRORS, RETRY_POLICY.lambdaTimeout));
  // A step that builds a provider calls it: a spent daily quota waits for its reset, whatever the call.
  if (row.readsSecrets) withQuotaDeferral(scope, name, task);
  return task;
}
