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
import { createRuntime, type RuntimeTuning, type WorkflowRuntime } from './runtime';

/** A step asked for a provider in a function that bundles none (its handler chose no factory). */
export class ProviderNotBundledError extends Error {
  override readonly name = 'ProviderNotBundledError';
}

const positive = z.coerce.number().positive();
const EnvironmentSchema = z.object({
  BUCKET_NAME: z.string().min(1, 'environment variable BUCKET_NAME is not set'),
  CHUNK_BUDGET_SECONDS: positive.default(600),
  /** Largest split one ConvertSplit converts (bytes). */
  MAX_SPLIT_BYTES: positive.optional(),
  /** Bytes between the record starts a transfer records (bytes). */
  RECORD_START_INTERVAL_BYTES: positive.optional(),
});

/** The tuning the environment sets; unset values keep the Lambda defaults. */
export function tuningFromEnvironment(env: NodeJS.ProcessEnv): RuntimeTuning {
  const parsed = EnvironmentSchema.omit({ BUCKET_NAME: true }).parse(env);
  const split = {
    ...(parsed.MAX_SPLIT_BYTES ? { maxSplitBytes: parsed.MAX_SPLIT_BYTES } : {}),
    ...(parsed.RECORD_START_INTERVAL_BYTES ? { recordStartInterval: parsed.RECORD_START_INTERVAL_BYTES } : {}),
  };
  return { chunkBudgetMs: parsed.CHUNK_BUDGET_SECONDS * 1000, ...(Object.keys(split).length ? { split } : {}) };
}

export function runtimeFromEnvironment(
  factory: ProviderFactory | undefined,
  env: NodeJS.ProcessEnv = process.env,
): WorkflowRuntime {
  const { BUCKET_NAME: bucket } = EnvironmentSchema.pick({ BUCKET_NAME: true }).parse(env);
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
