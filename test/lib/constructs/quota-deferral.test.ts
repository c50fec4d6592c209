// Every step that calls a provider has the deferral path of a spent daily quota in the synthesized
// definition: its first Catch takes QuotaExceededError into $.deferral, reads the reset instant from the
// Lambda error report, waits until it in a Wait state and runs the same step again. No other state
// catches it, and no Retry hides it (a retry would wait in Lambda or give up before the reset).
import type { App } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFERRAL_INSTANT_WORD, QuotaExceededError } from '../../../lambdas/shared/errors';
import { loadPipelineConfig } from '../../../lib/config';
import { WORKFLOW_TASKS, type WorkflowTaskName } from '../../../lib/constructs/workflow-tasks';
import { PipelineStack } from '../../../lib/pipeline-stack';
import { synthesizeWorkflow } from '../../../local/engine/synthesized-definition';

type State = Record<string, unknown> & { Type: string };
type Definition = { States: Record<string, State> };
type Catcher = { ErrorEquals: string[]; ResultPath?: string; Next: string };

let states: Record<string, State>;

function allStates(def: Definition, out: Record<string, State> = {}): Record<string, State> {
  for (const [name, state] of Object.entries(def.States)) {
    out[name] = state;
    const processor = state.ItemProcessor as Definition | undefined;
    if (processor) allStates(processor, out);
  }
  return out;
}

beforeAll(() => {
  const synthesized = synthesizeWorkflow(
    (app: App) => new PipelineStack(app, 'DeferralTest', { config: loadPipelineConfig('config/pipeline.json') }),
  );
  states = allStates(synthesized.definition as Definition);
});

/** The steps whose function builds a provider: each of them calls the provider's API. */
const callers = (Object.keys(WORKFLOW_TASKS) as WorkflowTaskName[]).filter((name) => WORKFLOW_TASKS[name].readsSecrets);

describe('quota deferral path', () => {
  it('exists for every step that calls a provider: Catch → read the instant → Wait until it → the same step', () => {
    expect(callers).toEqual(
      expect.arrayContaining([
        'Plan',
        'RefreshReferences',
        'StartJob',
        'CheckJob',
        'TransferChunk',
        'CleanupWindow',
        'Cleanup',
      ]),
    );
    for (const name of callers) {
      const [first] = (states[name]!.Catch ?? []) as Catcher[];
      expect(first, name).toEqual({
        ErrorEquals: ['QuotaExceededError'],
        ResultPath: '$.deferral',
        Next: `${name}QuotaDeferred`,
      });
      const caught = states[`${name}QuotaDeferred`]!;
      expect(caught, name).toMatchObject({
        Type: 'Pass',
        Parameters: { 'report.$': 'States.StringToJson($.deferral.Cause)' },
        ResultPath: '$.deferral',
        Next: `${name}QuotaResetInstant`,
      });
      const instant = states[`${name}QuotaResetInstant`]!;
      expect(instant, name).toMatchObject({
        Type: 'Pass',
        Parameters: {
          'until.$': `States.ArrayGetItem(States.StringSplit($.deferral.report.errorMessage, ' '), ${DEFERRAL_INSTANT_WORD})`,
        },
        ResultPath: '$.deferral',
        Next: `${name}WaitForQuotaReset`,
      });
      expect(states[`${name}WaitForQuotaReset`], name).toEqual({
        Type: 'Wait',
        TimestampPath: '$.deferral.until',
        Next: name,
      });
      const retried = ((states[name]!.Retry ?? []) as { ErrorEquals: string[] }[]).flatMap((r) => r.ErrorEquals);
      expect(retried, name).not.toContain('QuotaExceededError');
    }
  });

  it('is only on those steps', () => {
    const withDeferral = Object.entries(states)
      .filter(([, s]) => ((s.Catch ?? []) as Catcher[]).some((c) => c.ErrorEquals.includes('QuotaExceededError')))
      .map(([name]) => name);
    expect(withDeferral.sort()).toEqual([...callers].sort());
  });

  it("reads the instant the error puts in its message, as Lambda's report carries it", () => {
    const error = new QuotaExceededError(
      "Marketo error 607: Max rate limit '50000' exceeded with in '86400' secs",
      '2026-12-07T06:00:00Z',
      '607',
    );
    const cause = JSON.stringify({ errorType: error.name, errorMessage: error.message, trace: [] });
    const report = JSON.parse(cause) as { errorMessage: string };
    expect(report.errorMessage.split(' ')[DEFERRAL_INSTANT_WORD]).toBe('2026-12-07T06:00:00Z');
  });
});
