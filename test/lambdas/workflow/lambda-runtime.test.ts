// The runtime a Lambda container builds from its environment, and the one event sink every runtime has.
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ProviderNotBundledError,
  runtimeFromEnvironment,
  tuningFromEnvironment,
} from '../../../lambdas/workflow/lambda-runtime';
import { createRuntime, type StepEvent, type WorkflowRuntime } from '../../../lambdas/workflow/runtime';
import { memoryLogger } from '../../support/memory-logger';
import { exportDefinition, stepWorld } from './steps/support/step-world';

afterEach(() => vi.unstubAllEnvs());

describe('runtimeFromEnvironment', () => {
  it('reads the chunk budget and the split tuning from the environment, the Lambda defaults otherwise', () => {
    expect(tuningFromEnvironment({})).toEqual({ chunkBudgetMs: 600_000 });
    expect(
      tuningFromEnvironment({
        CHUNK_BUDGET_SECONDS: '120',
        MAX_SPLIT_BYTES: '2097152',
        RECORD_START_INTERVAL_BYTES: '1048576',
      }),
    ).toEqual({
      chunkBudgetMs: 120_000,
      split: { maxSplitBytes: 2_097_152, recordStartInterval: 1_048_576 },
    });
    expect(() => tuningFromEnvironment({ CHUNK_BUDGET_SECONDS: 'soon' })).toThrow();
  });

  it('refuses to run without its bucket', () => {
    expect(() => runtimeFromEnvironment(undefined, {})).toThrow(/BUCKET_NAME/);
  });

  it('has no provider when its handler chose no factory', async () => {
    const def = exportDefinition();
    vi.stubEnv('PIPELINE_EXPORTS', JSON.stringify([def]));
    const rt = runtimeFromEnvironment(undefined, { BUCKET_NAME: 'bucket' });
    expect(rt.uri('raw/x.csv')).toBe('s3://bucket/raw/x.csv');
    expect(rt.exports.names).toEqual([def.name]);
    await expect(rt.provider(def)).rejects.toBeInstanceOf(ProviderNotBundledError);
  });
});

describe('the event sink', () => {
  it('hands each event to every subscriber in order; one that throws is logged and the others still hear it', () => {
    const heard: string[] = [];
    const logger = memoryLogger();
    const { rt: base } = stepWorld();
    const rt: WorkflowRuntime = createRuntime({
      ...base,
      logger,
      subscribers: [
        (e: StepEvent) => void heard.push(`a:${e.step}`),
        () => {
          throw new Error('display gone');
        },
        (e: StepEvent) => void heard.push(`b:${e.step}`),
      ],
    });
    rt.events({ export: 'acts', step: 'Plan', message: '1 window(s)' });
    expect(heard).toEqual(['a:Plan', 'b:Plan']);
    expect(logger.lines).toMatchObject([{ level: 'warn', message: 'a step event subscriber failed' }]);
  });
});
