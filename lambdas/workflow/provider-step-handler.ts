// The Lambda wrapper of a step that calls a provider: stepHandler with the provider registry as its
// factory. Only these handlers bundle the provider adapters (HTTP clients and all).
import { createProvider } from '#providers/registry';
import { stepHandler, type Step, type LambdaContextLike } from './step-handler';

export function providerStepHandler<R>(step: Step<R>): (event: unknown, context?: LambdaContextLike) => Promise<R> {
  return stepHandler(step, createProvider);
}
