// The one Lambda wrapper of the workflow's steps: every log line of the invocation carries the Lambda
// context (request id, function, cold start), the export, the execution and the window, without the
// steps having to repeat them; the invocation's metrics are flushed when it ends. Handlers are this
// wrapper over one step each (providerStepHandler gives it the provider registry).
import { z } from 'zod';
import { runWithLogKeys, type LogFields } from '#shared/logger';
import { redactError } from '#shared/redact';
import type { ProviderFactory } from '#providers/registry';
import { runtimeFromEnvironment } from './lambda-runtime';
import { scopedRuntime, type WorkflowRuntime } from './runtime';

/** What the steps read of the Lambda context. */
export interface LambdaContextLike {
  getRemainingTimeInMillis?: () => number;
}

export type Step<R> = (event: unknown, rt: WorkflowRuntime, remainingMs?: number) => Promise<R>;

// Loose on purpose: only for log keys; each step parses its own input strictly. Payloads name the
// export (a string) wherever they carry it.
const LogKeysSchema = z.looseObject({
  export: z.string().optional(),
  plan: z.looseObject({ export: z.string().optional() }).optional(),
  input: z.looseObject({ export: z.string().optional() }).optional(),
  executionId: z.string().optional(),
  window: z.looseObject({ start: z.string(), end: z.string() }).optional(),
});

/** The export, execution and window an event is about, as far as it says. */
export function logKeysOf(event: unknown): LogFields {
  const parsed = LogKeysSchema.safeParse(event);
  if (!parsed.success) return {};
  const { export: named, plan, input, executionId, window } = parsed.data;
  const exportName = named ?? plan?.export ?? input?.export;
  return {
    ...(exportName ? { export: exportName } : {}),
    ...(executionId ? { executionId } : {}),
    ...(window ? { window: `${window.start}/${window.end}` } : {}),
  };
}

/**
 * The invocation's runtime is the one withRuntime gave it (the local engine, tests) or, in a Lambda
 * container, the one built from the environment once, with `providers` as its provider factory
 * (none: the step never calls a provider; see provider-step-handler.ts).
 */
export function stepHandler<R>(
  step: Step<R>,
  providers?: ProviderFactory,
): (event: unknown, context?: LambdaContextLike) => Promise<R> {
  let container: WorkflowRuntime | undefined;
  return (event, context) => {
    const rt = scopedRuntime() ?? (container ??= runtimeFromEnvironment(providers));
    rt.logger.addLambdaContext?.(context);
    // An error's message becomes the execution's Cause (history, events): it leaves redacted. Metrics go
    // out whether the step succeeded or threw: a failed attempt's retries and calls count too.
    return runWithLogKeys(logKeysOf(event), () => step(event, rt, context?.getRemainingTimeInMillis?.()))
      .catch((error: unknown) => {
        throw redactError(error);
      })
      .finally(() => rt.metrics?.flush());
  };
}
