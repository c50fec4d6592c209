// CDK app entry (cdk.json runs it with tsx): the only place that reads the deploy config. The file
// is config/pipeline.json unless `-c config=<path>` or PIPELINE_CONFIG names another. Env-agnostic:
// `cdk synth` needs no AWS credentials. cdk-nag's AwsSolutions pack runs on every synth.
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DEFAULT_CONFIG_PATH, loadPipelineConfig, PipelineConfigError, type PipelineConfig } from '../lib/config';
import { PipelineStack } from '../lib/pipeline-stack';

export const STACK_ID = 'BulkExportPipeline';

/** Adds the pipeline stack and the cdk-nag checks to `app` (tests call this too). */
export function addPipeline(app: App, config: PipelineConfig): PipelineStack {
  const stack = new PipelineStack(app, STACK_ID, {
    config,
    description: 'Bulk exports from SaaS APIs (Marketo, Ironclad Clickwrap) into S3 for Athena.',
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return stack;
}

/** `-c config=…` wins over PIPELINE_CONFIG, which wins over the default. */
export function configPath(app: App, env: NodeJS.ProcessEnv = process.env): string {
  const fromContext: unknown = app.node.tryGetContext('config');
  if (typeof fromContext === 'string' && fromContext !== '') return fromContext;
  return env.PIPELINE_CONFIG || DEFAULT_CONFIG_PATH;
}

function main(): void {
  const app = new App();
  let config: PipelineConfig;
  try {
    config = loadPipelineConfig(configPath(app));
  } catch (error) {
    if (!(error instanceof PipelineConfigError)) throw error;
    // A stack trace would bury the one line the user needs.
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  addPipeline(app, config);
  app.synth();
}

const invokedDirectly =
  process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) main();
