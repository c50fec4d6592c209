// How long one provider call may take, its attempts and the pauses between them included. A retry is
// only started when it would end inside the budget even if it timed out (connect plus headers), so
// a host that never answers fails the call by name well inside the step's Lambda timeout, instead
// of the Lambda being killed mid-retry (a bare States.Timeout). Fast failures (503s answered at once,
// rate-limit pauses) keep all their attempts.
import { RETRY_POLICY } from '../retry-policy';
import type { HttpTimeouts } from './timeouts';

/** One provider call, attempts and pauses included. lib/ checks it fits every calling step's timeout. */
export const CALL_BUDGET_MS: number = RETRY_POLICY.providerCall.budgetMs;

/** The longest one attempt can take before any byte of an answer: connecting, then waiting for headers. */
export function attemptWorstMs(timeouts: Pick<HttpTimeouts, 'connectMs' | 'headersMs'>): number {
  return timeouts.connectMs + timeouts.headersMs;
}

/** Whether another attempt, after a pause of `delayMs`, still ends within the budget should it time out. */
export function retryFits(
  elapsedMs: number,
  delayMs: number,
  timeouts: Pick<HttpTimeouts, 'connectMs' | 'headersMs'>,
  budgetMs = CALL_BUDGET_MS,
): boolean {
  return elapsedMs + delayMs + attemptWorstMs(timeouts) <= budgetMs;
}
