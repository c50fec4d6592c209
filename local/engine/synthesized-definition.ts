// Synthesizes the CDK app in-process and extracts the state machine's definition exactly as
// CloudFormation would receive it, with the few intrinsic functions in it resolved to local stand-ins.
import { App, type Stack } from 'aws-cdk-lib';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export interface SynthesizedWorkflow {
  /** The Amazon States Language definition (parsed JSON). */
  readonly definition: Record<string, unknown>;
  /** Logical id of the state machine resource in the template. */
  readonly logicalId: string;
  readonly template: Record<string, unknown>;
}

/** Stand-in ARN for a resource of the template, stable across runs. */
export function localArn(logicalId: string): string {
  return `arn:aws:lambda:us-east-1:000000000000:function:${logicalId}`;
}

function resolve(value: Json): Json {
  if (Array.isArray(value)) return value.map(resolve);
  if (value && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 1) {
      const [k] = keys as [string];
      const arg = value[k] as Json;
      if (k === 'Fn::Join' && Array.isArray(arg)) {
        const [sep, parts] = arg as [string, Json[]];
        return parts.map((p) => String(resolve(p))).join(sep);
      }
      if (k === 'Ref')
        return arg === 'AWS::Region'
          ? 'us-east-1'
          : arg === 'AWS::AccountId'
            ? '000000000000'
            : arg === 'AWS::Partition'
              ? 'aws'
              : arg === 'AWS::URLSuffix'
                ? 'amazonaws.com'
                : String(arg);
      if (k === 'Fn::GetAtt' && Array.isArray(arg)) return localArn(String(arg[0]));
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
  }
  return value;
}

/**
 * `build` adds the stack to the app; bundling is skipped (the local engine runs the TypeScript handlers
 * in-process, so there is nothing to bundle), which keeps a synth to a second or two.
 */
export function synthesizeWorkflow(build: (app: App) => Stack): SynthesizedWorkflow {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = build(app);
  const assembly = app.synth();
  const template = assembly.getStackArtifact(stack.artifactId).template as {
    Resources: Record<string, { Type: string; Properties: Record<string, Json> }>;
  };
  const machines = Object.entries(template.Resources).filter(([, r]) => r.Type === 'AWS::StepFunctions::StateMachine');
  if (machines.length !== 1)
    throw new Error(`expected one state machine in ${stack.stackName}, found ${machines.length}`);
  const [logicalId, resource] = machines[0]!;
  const definitionString = resolve(resource.Properties.DefinitionString ?? null);
  if (typeof definitionString !== 'string') throw new Error('state machine has no DefinitionString');
  return { definition: JSON.parse(definitionString) as Record<string, unknown>, logicalId, template };
}
