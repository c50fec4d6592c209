// A Retry rule of the state machine from its numbers in the retry table (lambdas/shared/retry-policy.ts).
import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { StateRetry } from '#shared/retry-policy';

export function stateRetry(errors: readonly string[], rule: StateRetry): sfn.RetryProps {
  return {
    errors: [...errors],
    interval: Duration.seconds(rule.intervalSeconds),
    backoffRate: rule.backoffRate,
    maxAttempts: rule.maxAttempts,
    ...(rule.maxDelaySeconds !== undefined ? { maxDelay: Duration.seconds(rule.maxDelaySeconds) } : {}),
    ...(rule.jitter === 'full' ? { jitterStrategy: sfn.JitterType.FULL } : {}),
  };
}
