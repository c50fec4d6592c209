// Apps for infrastructure tests: the same feature flags as `cdk synth` (cdk.json context), no
// esbuild bundling (Lambda code is not what these tests look at, and bundling makes a synth slow),
// and a throwaway output directory.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Stack } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { parsePipelineConfig, type PipelineConfig, type PipelineConfigInput } from '../../../lib/config';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(path.join(repoRoot, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return cdkJson.context ?? {};
}

export function testApp(): App {
  return new App({
    outdir: mkdtempSync(path.join(tmpdir(), 'infra-test-')),
    context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] },
  });
}

/** A stack plus a minimal real state machine, for constructs that only need something to start. */
export function stackWithStateMachine(): { app: App; stack: Stack; stateMachine: sfn.StateMachine } {
  const app = testApp();
  const stack = new Stack(app, 'TestStack');
  const stateMachine = new sfn.StateMachine(stack, 'StateMachine', {
    definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Nothing')),
  });
  return { app, stack, stateMachine };
}

export const marketoExport = {
  name: 'marketo-activities',
  provider: 'marketo',
  secretName: 'bulk-export/marketo',
  request: { format: 'CSV' },
  window: { grain: 'day', lagMinutes: 60, firstStart: '2026-01-01' },
  schedule: { expression: 'cron(15 2 * * ? *)', timezone: 'UTC' },
} as const satisfies PipelineConfigInput['exports'][number];

export const clickwrapExport = {
  name: 'clickwrap-activity',
  provider: 'clickwrap',
  secretName: 'bulk-export/clickwrap',
  request: {
    fields: ['id', 'signer_id', 'created_time', 'event_type', 'connection_data.remote_address', 'custom_data.vip'],
  },
  window: { grain: 'day', firstStart: '2026-01-01' },
} as const satisfies PipelineConfigInput['exports'][number];

/** A validated config built from partial input (defaults filled in as the loader would). */
export function testConfig(input: Partial<PipelineConfigInput> = {}): PipelineConfig {
  return parsePipelineConfig({ exports: [marketoExport, clickwrapExport], ...input }, 'test config');
}
