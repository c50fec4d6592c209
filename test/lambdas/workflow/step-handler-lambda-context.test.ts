// On the Lambda path (the Powertools logger, not a fake), every line a step writes carries the
// Lambda request id and function name (addContext) and the export, execution and window.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../../lambdas/shared/logger';
import { withRuntime, type WorkflowRuntime } from '../../../lambdas/workflow/runtime';
import { stepHandler } from '../../../lambdas/workflow/step-handler';

const context = {
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
  functionName: 'BulkExportPipeline-CheckJobFunction',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:BulkExportPipeline-CheckJobFunction',
  memoryLimitInMB: '512',
  logGroupName: '/aws/lambda/x',
  logStreamName: 's',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 60_000,
  done() {},
  fail() {},
  succeed() {},
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe('stepHandler with the Powertools logger', () => {
  it('puts the request id, function, export, execution and window on the lines of the invocation', async () => {
    const written: string[] = [];
    // Powertools writes JSON lines through its own console on stdout.
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const rt = { logger: createLogger() } as unknown as WorkflowRuntime;
    const handler = stepHandler(async (_event, rt) => {
      rt.logger.info('polled', { polls: 3 });
    });
    await withRuntime(rt, () =>
      handler(
        {
          export: 'acts',
          executionId: 'arn:aws:states:us-east-1:1:execution:m:run-1',
          window: { start: '2026-01-01T00:00:00Z', end: '2026-01-02T00:00:00Z' },
        },
        context,
      ),
    );
    vi.restoreAllMocks();
    const lines = written
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const polled = lines.find((l) => l.message === 'polled');
    expect(polled).toMatchObject({
      function_request_id: context.awsRequestId,
      function_name: context.functionName,
      cold_start: expect.any(Boolean),
      export: 'acts',
      executionId: 'arn:aws:states:us-east-1:1:execution:m:run-1',
      window: '2026-01-01T00:00:00Z/2026-01-02T00:00:00Z',
      polls: 3,
    });
  });
});
