// The runtime of a Lambda container, built once from the environment the stack sets (bucket, tuning)
// and Secrets Manager. The provider factory is the handler's choice: a function whose step never calls
// a provider is given none, so its bundle carries no provider adapter.
import { z } from 'zod';
import type { ProviderFactory } from '#providers/registry';
import { systemClock } from '#shared/clock';
import { exportCatalogFromEnvironment } from '#shared/export-catalog';
import { createLogger } from '#shared/logger';
import { stdoutMetrics } from '#shared/metrics';
import { getSecretJson } from '#shared/secrets';
import { S3ObjectStore } from '#transfer/s3-object-store';
import { providerTelemetry } from './metrics';
import { storeCallBudgetLedger } from './call-budget-ledger';
import { ProviderCache } from './provider-cache';
import { createRuntime, type WorkflowRuntime } from './runtime';
import { tuningFromEnvironment } from './tuning-environment';

export { tuningFromEnvironment } from './tuning-environment';

/** A step asked for a provider in a function that bundles none (its handler chose no factory). */
export class ProviderNotBundledError extends Error {
  override readonly name = 'ProviderNotBundledError';
}

const EnvironmentSchema = z.object({
  BUCKET_NAME: z.string().min(1, 'environment variable BUCKET_NAME is not set'),
});

export function runtimeFromEnvironment(
  factory: ProviderFactory | undefined,
  env: NodeJS.ProcessEnv = process.env,
): WorkflowRuntime {
  const { BUCKET_NAME: bucket } = EnvironmentSchema.parse(env);
  const logger = createLogger();
  const metrics = stdoutMetrics((error) => logger.warn('metrics could not be written', { error: String(error) }));
  const store = new S3ObjectStore({ bucket });
  const providers = new ProviderCache(async (def) => {
    if (!factory) throw new ProviderNotBundledError(`the ${def.provider} provider is not bundled in this function`);
    const telemetry = providerTelemetry(metrics, def);
    return factory(def, await getSecretJson(def.secretName), {
      clock: systemClock,
      logger,
      callBudget: storeCallBudgetLedger(store),
      ...(telemetry ? { telemetry } : {}),
    });
  });
  return createRuntime({
    exports: exportCatalogFromEnvironment(),
    store,
    uri: (key) => `s3://${bucket}/${key}`,
    provider: (def) => providers.get(def),
    clock: systemClock,
    logger,
    metrics,
    tuning: tuningFromEnvironment(env),
  });
}
