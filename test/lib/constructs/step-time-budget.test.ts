// Each step's HTTP timeouts and retries fit inside its Lambda timeout: a provider that never answers
// fails the call by name (host and phase) while the Lambda still runs, never as a bare States.Timeout.
import { Duration } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { fullJitterMs, DEFAULT_BACKOFF } from '../../../lambdas/shared/http/backoff';
import { attemptWorstMs, CALL_BUDGET_MS, retryFits } from '../../../lambdas/shared/http/call-budget';
import { DEFAULT_HTTP_TIMEOUTS } from '../../../lambdas/shared/http/timeouts';
import { WORKFLOW_TASKS, type WorkflowTaskName } from '../../../lib/constructs/workflow-tasks';

const ctx = { chunkBudget: Duration.minutes(12) };
// What a step needs after its last call: log, flush metrics, answer (the Lambda's own margin).
const AFTER_LAST_CALL_MS = 30_000;

/** How long a call to a host that never answers can last: attempts that each time out, the largest pauses between them. */
function neverAnsweringCallMs(maxAttempts: number): number {
  let elapsed = attemptWorstMs(DEFAULT_HTTP_TIMEOUTS);
  for (let retry = 1; retry < maxAttempts; retry++) {
    const pause = fullJitterMs(retry, () => 1, DEFAULT_BACKOFF);
    if (!retryFits(elapsed, pause, DEFAULT_HTTP_TIMEOUTS)) break;
    elapsed += pause + attemptWorstMs(DEFAULT_HTTP_TIMEOUTS);
  }
  return elapsed;
}

describe('step time budgets', () => {
  const callers = (Object.keys(WORKFLOW_TASKS) as WorkflowTaskName[]).filter(
    (name) => WORKFLOW_TASKS[name].readsSecrets && name !== 'TransferChunk',
  );

  it.each(callers)('%s: one provider call, attempts and pauses included, ends inside the Lambda timeout', (name) => {
    const row: { timeout: (c: typeof ctx) => Duration } = WORKFLOW_TASKS[name];
    const timeoutMs = row.timeout(ctx).toMilliseconds();
    expect(CALL_BUDGET_MS + AFTER_LAST_CALL_MS).toBeLessThanOrEqual(timeoutMs);
    // The providers try up to 5 times: against a host that never answers the budget stops them first.
    expect(neverAnsweringCallMs(5)).toBeLessThanOrEqual(CALL_BUDGET_MS);
  });

  it('the old shape would not have fit: five attempts of connect + headers timeouts exceed the 4-minute step', () => {
    expect(5 * attemptWorstMs(DEFAULT_HTTP_TIMEOUTS)).toBeGreaterThan(
      WORKFLOW_TASKS.CheckJob.timeout().toMilliseconds(),
    );
    expect(neverAnsweringCallMs(5)).toBeLessThan(5 * attemptWorstMs(DEFAULT_HTTP_TIMEOUTS));
  });

  it('TransferChunk: its streaming budget plus a range request that times out before the deadline stops it fits its timeout', () => {
    const timeoutMs = WORKFLOW_TASKS.TransferChunk.timeout(ctx).toMilliseconds();
    // The read stops at the budget (its signal aborts a pending request); the last part's upload has the rest.
    expect(
      ctx.chunkBudget.toMilliseconds() + attemptWorstMs(DEFAULT_HTTP_TIMEOUTS) + AFTER_LAST_CALL_MS,
    ).toBeLessThanOrEqual(timeoutMs);
  });
});
