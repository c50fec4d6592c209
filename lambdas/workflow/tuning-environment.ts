// The tuning a Lambda's environment sets (the stack writes it), also read by local runs, so a file is cut
// the same way on a laptop as in a Lambda. Pure: no AWS client is loaded to read three numbers.
import { z } from 'zod';
import type { RuntimeTuning } from './runtime';

const positive = z.coerce.number().positive();
const TuningSchema = z.object({
  CHUNK_BUDGET_SECONDS: positive.default(600),
  /** Largest split one ConvertSplit converts (bytes). */
  MAX_SPLIT_BYTES: positive.optional(),
  /** Bytes between the record starts a transfer records (bytes). */
  RECORD_START_INTERVAL_BYTES: positive.optional(),
});

/** The tuning the environment sets; unset values keep the Lambda defaults. */
export function tuningFromEnvironment(env: NodeJS.ProcessEnv): RuntimeTuning {
  const parsed = TuningSchema.parse(env);
  const split = {
    ...(parsed.MAX_SPLIT_BYTES ? { maxSplitBytes: parsed.MAX_SPLIT_BYTES } : {}),
    ...(parsed.RECORD_START_INTERVAL_BYTES ? { recordStartInterval: parsed.RECORD_START_INTERVAL_BYTES } : {}),
  };
  return { chunkBudgetMs: parsed.CHUNK_BUDGET_SECONDS * 1000, ...(Object.keys(split).length ? { split } : {}) };
}
