// The state machine a local run executes: the one `cdk synth` produces for the config's exports.
import type { App } from 'aws-cdk-lib';
import type { PipelineConfig } from '../../lib/config';
import { PipelineStack } from '../../lib/pipeline-stack';
import { synthesizeWorkflow, type SynthesizedWorkflow } from './synthesized-definition';

let cachedWorkflow: { config: PipelineConfig; workflow: SynthesizedWorkflow } | undefined;

/** Synthesizes in-process (no bundling); tests call it once per file and reuse the result. */
export function synthesizeLocalWorkflow(config: PipelineConfig): SynthesizedWorkflow {
  if (cachedWorkflow?.config === config) return cachedWorkflow.workflow;
  const workflow = synthesizeWorkflow((app: App) => new PipelineStack(app, 'BulkExportPipelineLocal', { config }));
  cachedWorkflow = { config, workflow };
  return workflow;
}
