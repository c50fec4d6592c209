// Lambda entry point of the status-change rule (aborted, timed-out or failed executions): the step
// handler over lambdas/workflow/steps/settle-stopped-execution.ts.
import { describeExecutionInput } from '#workflow/execution-input';
import { providerStepHandler } from '#workflow/provider-step-handler';
import { settleStoppedExecution } from '#workflow/steps/settle-stopped-execution';

export const handler = providerStepHandler((event, rt) =>
  settleStoppedExecution(event, rt, { executionInput: describeExecutionInput }),
);
