// The step after a landed window: ReleaseJob deletes the window's job at the provider, best effort. It
// follows WriteManifest, ends the iteration with the window summary either way (its own result is
// discarded), catches every failure into a Pass that ends the iteration too, and, as a step that builds
// a provider, has the quota-deferral path (quota-deferral.test.ts checks its shape).
import type { App } from 'aws-cdk-lib';
import { beforeAll, expect, it } from 'vitest';
import { loadPipelineConfig } from '../../../lib/config';
import { WORKFLOW_TASKS } from '../../../lib/constructs/workflow-tasks';
import { PipelineStack } from '../../../lib/pipeline-stack';
import { synthesizeWorkflow } from '../../../local/engine/synthesized-definition';

type State = Record<string, unknown> & { Type: string };
type Definition = { States: Record<string, State> };

let windowStates: Record<string, State>;

beforeAll(() => {
  const synthesized = synthesizeWorkflow(
    (app: App) => new PipelineStack(app, 'ReleaseJobTest', { config: loadPipelineConfig('config/pipeline.json') }),
  );
  const definition = synthesized.definition as Definition;
  windowStates = (definition.States.ExportWindows!.ItemProcessor as Definition).States;
});

it('runs after WriteManifest and ends the iteration with the window summary, whatever it did', () => {
  expect(windowStates.WriteManifest).toMatchObject({ ResultPath: '$.landed', Next: 'ReleaseJob' });
  expect(windowStates.ReleaseJob).toMatchObject({
    Type: 'Task',
    Parameters: { 'export.$': '$.export', 'window.$': '$.window', 'job.$': '$.start.job' },
    ResultPath: null,
    OutputPath: '$.landed',
    End: true,
  });
});

it('is best effort: every failure is caught into a Pass that ends the iteration as landed', () => {
  const catches = windowStates.ReleaseJob!.Catch as { ErrorEquals: string[]; ResultPath?: unknown; Next: string }[];
  expect(catches[0]).toMatchObject({ ErrorEquals: ['QuotaExceededError'], Next: 'ReleaseJobQuotaDeferred' });
  expect(catches.slice(1)).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: null, Next: 'JobNotReleased' }]);
  expect(windowStates.JobNotReleased).toMatchObject({ Type: 'Pass', OutputPath: '$.landed', End: true });
  expect(WORKFLOW_TASKS.ReleaseJob.readsSecrets).toBe(true);
  expect(windowStates.ReleaseJobWaitForQuotaReset).toMatchObject({ Type: 'Wait', Next: 'ReleaseJob' });
});
