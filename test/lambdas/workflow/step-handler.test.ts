import { describe, expect, it } from 'vitest';
import { memoryLogger } from '../../support/memory-logger';
import { withRuntime, type WorkflowRuntime } from '../../../lambdas/workflow/runtime';
import { logKeysOf, stepHandler } from '../../../lambdas/workflow/step-handler';

const def = 'marketo-activities';
const window = { start: '2026-01-01T00:00:00Z', end: '2026-01-02T00:00:00Z' };

describe('logKeysOf', () => {
  it('finds the export wherever a step input carries it', () => {
    expect(logKeysOf({ export: def, window, executionId: 'arn:x' })).toEqual({
      export: 'marketo-activities',
      executionId: 'arn:x',
      window: '2026-01-01T00:00:00Z/2026-01-02T00:00:00Z',
    });
    expect(logKeysOf({ plan: { export: def } })).toEqual({ export: 'marketo-activities' });
    expect(logKeysOf({ input: { export: def }, startedAt: 'x' })).toEqual({ export: 'marketo-activities' });
    expect(logKeysOf({ input: { export: 'by-name' } })).toEqual({ export: 'by-name' });
    expect(logKeysOf('not an object')).toEqual({});
  });
});

describe('stepHandler', () => {
  it('puts the export, execution and window on every line of the step, also when steps run side by side', async () => {
    const logger = memoryLogger();
    const rt = { logger } as unknown as WorkflowRuntime;
    const step = async (event: unknown, rt: WorkflowRuntime, remainingMs?: number) => {
      const { n } = event as { n: number };
      rt.logger.info('before', { n });
      await new Promise((r) => setTimeout(r, 10 * (3 - n)));
      rt.logger.info('after', { n });
      return remainingMs;
    };
    const handler = stepHandler(step);
    const results = await withRuntime(rt, () =>
      Promise.all(
        [1, 2].map((n) =>
          handler(
            { n, export: `export-${n}`, executionId: `exec-${n}`, window },
            { getRemainingTimeInMillis: () => 1000 * n },
          ),
        ),
      ),
    );
    expect(results).toEqual([1000, 2000]);
    expect(logger.lines).toHaveLength(4);
    for (const line of logger.lines) {
      const n = (line.fields as { n: number }).n;
      expect(line.fields).toMatchObject({
        export: `export-${n}`,
        executionId: `exec-${n}`,
        window: `${window.start}/${window.end}`,
      });
    }
  });
});
