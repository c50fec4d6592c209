// Fine-grained assertions on the export state machine and its functions (no snapshots), plus
// asl-validator on the definition exactly as the local engine extracts it from the synthesized template.
import { createRequire } from 'node:module';
import type { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPipelineConfig } from '../../../lib/config';
import { WORKFLOW_TASKS } from '../../../lib/constructs/workflow-tasks';
import { PipelineStack } from '../../../lib/pipeline-stack';
import { synthesizeWorkflow } from '../../../local/engine/synthesized-definition';

type State = Record<string, unknown> & { Type: string };
type Definition = { StartAt: string; States: Record<string, State> };

const require = createRequire(import.meta.url);
const aslValidator = require('asl-validator') as (
  d: unknown,
  o?: unknown,
) => { isValid: boolean; errorsText: (sep?: string) => string };

let template: Template;
let definition: Definition;
const config = loadPipelineConfig('config/pipeline.json');

/** Every state of the definition, nested Map processors included. */
function allStates(def: Definition): Record<string, State> {
  const out: Record<string, State> = {};
  const walk = (d: Definition) => {
    for (const [name, state] of Object.entries(d.States)) {
      out[name] = state;
      const processor = state.ItemProcessor as Definition | undefined;
      if (processor) walk(processor);
    }
  };
  walk(def);
  return out;
}

type Catcher = { ErrorEquals: string[]; ResultPath?: string; Next: string };

/** A state's catchers other than its quota deferral (test/lib/constructs/quota-deferral.test.ts covers that one). */
function failureCatches(state: State | undefined): Catcher[] {
  return ((state?.Catch ?? []) as Catcher[]).filter((c) => !c.ErrorEquals.includes('QuotaExceededError'));
}

beforeAll(() => {
  const synthesized = synthesizeWorkflow((app: App) => new PipelineStack(app, 'WorkflowTest', { config }));
  definition = synthesized.definition as Definition;
  template = Template.fromJSON(synthesized.template);
});

describe('export state machine definition', () => {
  it('is valid Amazon States Language (asl-validator)', () => {
    const result = aslValidator(definition, { checkPaths: true, checkArn: true });
    expect(result.errorsText('\n')).toBe('');
    expect(result.isValid).toBe(true);
  });

  it('follows the flow: Plan → ReclaimDeadRuns → RefreshReferences → ExportWindows → CommitWatermark → PublishSucceeded → ExportSucceeded', () => {
    expect(definition.StartAt).toBe('Plan');
    const top = definition.States;
    expect(top.Plan!.Next).toBe('ExportBusy');
    // A scheduled start that found the export busy ends as skipped (succeeded), before any provider call.
    expect(top.ExportBusy).toMatchObject({
      Type: 'Choice',
      Choices: [{ Variable: '$.plan.skipped', IsPresent: true, Next: 'SkippedExportBusy' }],
      Default: 'ReclaimDeadRuns',
    });
    expect(top.SkippedExportBusy).toMatchObject({ Type: 'Succeed', OutputPath: '$.plan.skipped' });
    expect(top.ReclaimDeadRuns!.Next).toBe('RefreshReferences');
    // Reclaiming a dead run's windows is best effort: it never stops this run's own windows.
    // Reclaiming a dead run's windows is best effort: it never stops this run's own windows (a spent
    // daily quota still waits for its reset first, as on every step that calls the provider).
    expect(top.ReclaimDeadRuns).toMatchObject({ ResultPath: null });
    expect(top.ReclaimDeadRuns!.Catch).toContainEqual({
      ErrorEquals: ['States.ALL'],
      Next: 'RefreshReferences',
      ResultPath: null,
    });
    expect(top.RefreshReferences!.Next).toBe('ExportWindows');
    // A failed refresh of a reference table never stops data from landing.
    expect(failureCatches(top.RefreshReferences).map((c) => c.Next)).toEqual(['ExportWindows']);
    expect(top.ExportWindows!.Next).toBe('CommitWatermark');
    expect(top.CommitWatermark!.Next).toBe('RunOutcome');
    expect(top.RunOutcome).toMatchObject({
      Type: 'Choice',
      Choices: [{ Variable: '$.commit.outcome', StringEquals: 'failed', Next: 'WindowsFailed' }],
      Default: 'PublishSucceeded',
    });
    expect(top.PublishSucceeded!.Next).toBe('ExportSucceeded');
    expect(top.ExportSucceeded!.Type).toBe('Succeed');
    expect(definition).not.toHaveProperty('QueryLanguage', 'JSONata');
  });

  it('converts each file in a Map of splits after FinishFile, its output the verified file with its Parquet parts', () => {
    const fileStates = allStates(definition);
    expect(fileStates.FinishFile).toMatchObject({ ResultPath: '$.result', Next: 'CurateSplits' });
    expect(fileStates.CurateSplits).toMatchObject({
      Type: 'Map',
      ItemsPath: '$.result.splits',
      MaxConcurrency: 4,
      ResultPath: '$.result.curated',
      OutputPath: '$.result',
      End: true,
    });
    expect(fileStates.ConvertSplit).toMatchObject({ Type: 'Task' });
  });

  it('binds every Lambda task of WORKFLOW_TASKS, with task timeouts', () => {
    const states = allStates(definition);
    for (const name of Object.keys(WORKFLOW_TASKS)) {
      expect(states[name], name).toBeDefined();
      expect(states[name]!.Type).toBe('Task');
      expect(String(states[name]!.Resource)).toMatch(/^arn:aws:lambda:/);
      expect(states[name]!.TimeoutSeconds).toBeGreaterThan(0);
    }
    expect(states.TransferChunk!.TimeoutSeconds).toBeGreaterThan(12 * 60);
  });

  it('routes failures of Plan, the window map and the commit to Cleanup → PublishFailed → ExportFailed', () => {
    const top = definition.States;
    for (const name of ['ExportWindows', 'CommitWatermark']) {
      expect(failureCatches(top[name]), name).toEqual([
        { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Cleanup' },
      ]);
    }
    // A failed Plan has no windows to clean up, but Cleanup still runs (and publishes the failure).
    expect(failureCatches(top.Plan)).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'NoPlan' }]);
    expect(top.NoPlan).toMatchObject({ Type: 'Pass', Result: { windows: [] }, ResultPath: '$.plan', Next: 'Cleanup' });
    expect(top.Cleanup!.Next).toBe('PublishFailed');
    expect(top.PublishFailed!.Next).toBe('ExportFailed');
    expect(top.PublishFailed!.Resource).toBe('arn:aws:states:::events:putEvents');
    expect(top.ExportFailed).toMatchObject({
      Type: 'Fail',
      ErrorPath: '$.cleanup.error.name',
      CausePath: '$.cleanup.error.message',
    });
    expect(failureCatches(top.Cleanup)).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.cleanupError', Next: 'CleanupFailed' },
    ]);
    expect(top.PublishFailed!.Retry).toEqual([
      expect.objectContaining({ ErrorEquals: ['States.ALL'], MaxAttempts: 4 }),
    ]);
  });

  it("catches a window's failure inside its iteration: CleanupWindow ends it with a result, the siblings go on", () => {
    const windowStates = (definition.States.ExportWindows!.ItemProcessor as Definition).States;
    for (const name of ['StartJob', 'CheckJob', 'TransferFiles', 'WriteManifest']) {
      expect(failureCatches(windowStates[name]), name).toEqual([
        { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'CleanupWindow' },
      ]);
    }
    // CleanupWindow's result ends the iteration, announced first when it quarantined the window.
    expect(windowStates.CleanupWindow).toMatchObject({ Type: 'Task', Next: 'WindowQuarantined' });
    expect(windowStates.WindowQuarantined).toMatchObject({
      Type: 'Choice',
      Choices: [{ Variable: '$.quarantine', IsPresent: true, Next: 'PublishQuarantined' }],
      Default: 'WindowFailed',
    });
    expect(windowStates.PublishQuarantined).toMatchObject({
      Type: 'Task',
      Resource: 'arn:aws:states:::events:putEvents',
      Parameters: {
        Entries: [expect.objectContaining({ 'Detail.$': '$.quarantine', DetailType: 'Export Window Quarantined' })],
      },
      ResultPath: null,
      End: true,
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: null, Next: 'WindowFailed' }],
    });
    expect(windowStates.WindowFailed).toMatchObject({ Type: 'Pass', End: true });
    expect(windowStates.CleanupWindow!.Parameters).toEqual({
      'export.$': '$.export',
      'window.$': '$.window',
      'error.$': '$.error',
      'executionId.$': '$$.Execution.Id',
    });
    // The iteration's output is the window's result: WriteManifest's summary (kept at $.landed while ReleaseJob
    // runs, release-job-step.test.ts) or CleanupWindow's failure (no ResultPath).
    expect(windowStates.WriteManifest).toMatchObject({ ResultPath: '$.landed', Next: 'ReleaseJob' });
    expect(windowStates.CleanupWindow).not.toHaveProperty('ResultPath');
    // A failed window makes the run fail after the commit, through the same event and Fail state.
    expect(definition.States.WindowsFailed).toMatchObject({
      Type: 'Pass',
      Parameters: { 'event.$': '$.commit.event', 'error.$': '$.commit.error' },
      ResultPath: '$.cleanup',
      Next: 'PublishFailed',
    });
  });

  it('retries named errors only (never States.ALL on a Lambda task), with jitter', () => {
    const states = allStates(definition);
    const errorsOf = (name: string) =>
      ((states[name]!.Retry ?? []) as { ErrorEquals: string[] }[]).flatMap((r) => r.ErrorEquals);
    for (const name of Object.keys(WORKFLOW_TASKS)) expect(errorsOf(name), name).not.toContain('States.ALL');
    for (const name of ['StartJob', 'CheckJob', 'TransferChunk', 'FinishFile', 'BeginFile']) {
      expect(errorsOf(name), name).toEqual(expect.arrayContaining(['TransientApiError', 'RateLimitedError']));
      // A spent daily quota is waited out in a Wait state, not retried (quota-deferral.test.ts).
      expect(errorsOf(name), name).not.toContain('QuotaExceededError');
    }
    const transient = (states.CheckJob!.Retry as { ErrorEquals: string[]; JitterStrategy?: string }[]).find((r) =>
      r.ErrorEquals.includes('TransientApiError'),
    );
    expect(transient?.JitterStrategy).toBe('FULL');
    expect(errorsOf('TransferChunk')).toEqual(expect.arrayContaining(['Sandbox.Timedout', 'States.Timeout']));
  });

  it('waits: quota reset by timestamp, queue and polling by seconds from state', () => {
    const states = allStates(definition);
    // The job deadline counts from when it started, not from when it was parked behind a quota.
    expect(states.JobStarted!.Parameters).toMatchObject({ 'since.$': '$.start.startedAt', count: 0 });
    expect(states.WaitForQuotaReset).toMatchObject({ Type: 'Wait', TimestampPath: '$.start.until', Next: 'StartJob' });
    expect(states.WaitForQueue).toMatchObject({ Type: 'Wait', SecondsPath: '$.start.waitSeconds', Next: 'StartJob' });
    expect(states.WaitForJob).toMatchObject({ Type: 'Wait', SecondsPath: '$.poll.waitSeconds', Next: 'CheckJob' });
    expect(states.JobComplete!.Choices).toEqual([
      expect.objectContaining({ Variable: '$.poll.state', StringEquals: 'succeeded', Next: 'TransferFiles' }),
    ]);
    expect(states.JobComplete!.Default).toBe('WaitForJob');
  });

  it('maps windows at the provider concurrency and files through the chunk loop', () => {
    const states = allStates(definition);
    expect(states.ExportWindows).toMatchObject({
      Type: 'Map',
      ItemsPath: '$.plan.windows',
      MaxConcurrencyPath: '$.plan.maxConcurrency',
    });
    expect(states.TransferFiles).toMatchObject({ Type: 'Map', ItemsPath: '$.poll.files', MaxConcurrency: 2 });
    expect(states.BeginFile!.Next).toBe('TransferChunk');
    expect(states.TransferChunk!.Next).toBe('FileComplete');
    expect(states.FileComplete!.Default).toBe('TransferChunk');
    expect(states.FileComplete!.Choices).toEqual([
      expect.objectContaining({ Variable: '$.transfer.cursor.done', BooleanEquals: true, Next: 'FinishFile' }),
    ]);
  });
});

describe('export state machine resources', () => {
  it('is a Standard state machine with X-Ray, full logging (without state data: links) and an execution timeout', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({
        Level: 'ALL',
        IncludeExecutionData: false,
        Destinations: Match.anyValue(),
      }),
    });
    const machine = Object.values(template.findResources('AWS::StepFunctions::StateMachine'))[0] as {
      Properties: { DefinitionString: unknown };
    };
    expect(JSON.stringify(machine.Properties.DefinitionString)).toContain('TimeoutSeconds');
  });

  it('handler functions: latest Node runtime, ARM64, tracing, the bucket in the environment', () => {
    const fns = template.findResources('AWS::Lambda::Function', {
      Properties: { Environment: { Variables: { BUCKET_NAME: Match.anyValue() } } },
    });
    // One per Task state, plus the cleanup of executions that end without their Catch.
    expect(Object.keys(fns)).toHaveLength(Object.keys(WORKFLOW_TASKS).length + 1);
    for (const fn of Object.values(fns) as { Properties: Record<string, unknown> }[]) {
      expect(fn.Properties.Architectures).toEqual(['arm64']);
      // Long enough to sit out provider backoff, shorter than the state's task timeout.
      expect(fn.Properties.Timeout).toBeGreaterThanOrEqual(240);
      expect(String(fn.Properties.Runtime)).toMatch(/^nodejs\d+\.x$/);
      expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
    }
    template.hasResourceProperties('AWS::Lambda::Function', {
      Timeout: 15 * 60,
      Environment: { Variables: Match.objectLike({ CHUNK_BUDGET_SECONDS: '720' }) },
    });
  });

  it('least privilege: the transfer function may only write raw/*, and secrets are scoped to the configured ones', () => {
    const policies = template.findResources('AWS::IAM::Policy');
    const transfer = Object.entries(policies).find(([id]) =>
      id.startsWith('WorkflowTransferChunkFunctionRoleDefaultPolicy'),
    );
    expect(transfer).toBeDefined();
    const statements = (
      transfer![1] as {
        Properties: { PolicyDocument: { Statement: { Action: string | string[]; Resource: unknown }[] } };
      }
    ).Properties.PolicyDocument.Statement;
    const text = JSON.stringify(statements);
    expect(text).toContain('/raw/*');
    expect(text).not.toContain('/manifests/*');
    expect(text).not.toContain('/state/*');
    expect(text).not.toMatch(/"s3:\*"/);
    // It reads only the call budget ledger (its calls to the provider count against the instance's budget)
    // and the checkpoints a deferral mid-read leaves.
    const reads = statements.filter((s) => [s.Action].flat().includes('s3:GetObject'));
    expect(JSON.stringify(reads.flatMap((s) => [s.Resource].flat()))).toMatch(/\/call-budgets\/\*"/);
    expect(JSON.stringify(reads.flatMap((s) => [s.Resource].flat()))).toMatch(/\/checkpoints\/\*"/);
    expect(JSON.stringify(reads.flatMap((s) => [s.Resource].flat()))).not.toMatch(/\/raw\/\*"/);
    const secretResources = statements
      .filter((s) => [s.Action].flat().includes('secretsmanager:GetSecretValue'))
      .flatMap((s) => [s.Resource].flat());
    expect(JSON.stringify(secretResources)).toContain('bulk-export/marketo-??????');
    expect(JSON.stringify(secretResources)).not.toContain('*"');
  });

  it("quarantine/: only CleanupWindow writes it (the copy of a quarantined window's raw files); the ledger under state/ is written by the steps that record a window", () => {
    const policies = template.findResources('AWS::IAM::Policy');
    const statementsOf = (task: string) =>
      Object.entries(policies)
        .filter(([id]) => id.startsWith(`Workflow${task}FunctionRoleDefaultPolicy`))
        .flatMap(
          ([, p]) =>
            (p as { Properties: { PolicyDocument: { Statement: { Action: string | string[]; Resource: unknown }[] } } })
              .Properties.PolicyDocument.Statement,
        );
    const writes = (task: string, area: string) =>
      statementsOf(task).some(
        (s) => [s.Action].flat().includes('s3:PutObject') && JSON.stringify(s.Resource).includes(`/${area}/*`),
      );
    const withQuarantine = Object.keys(WORKFLOW_TASKS).filter((task) =>
      JSON.stringify(statementsOf(task)).includes('/quarantine/*'),
    );
    expect(withQuarantine).toEqual(['CleanupWindow']);
    expect(writes('CleanupWindow', 'quarantine')).toBe(true);
    for (const task of ['Plan', 'StartJob', 'WriteManifest', 'CleanupWindow', 'CommitWatermark'])
      expect(writes(task, 'state'), task).toBe(true);
  });

  it('staging/ is granted to exactly the functions that stage, publish or undo a window; ConvertSplit never writes curated/', () => {
    const policies = template.findResources('AWS::IAM::Policy') as Record<
      string,
      { Properties: { PolicyDocument: { Statement: { Action: string | string[]; Resource: unknown }[] } } }
    >;
    const onPrefix = (prefix: string) =>
      Object.entries(policies)
        .filter(([, p]) =>
          p.Properties.PolicyDocument.Statement.some((st) => JSON.stringify(st.Resource).includes(`/${prefix}/*`)),
        )
        .map(([id]) =>
          id
            .replace(/^Workflow(\w+?)FunctionRoleDefaultPolicy\w+$/, '$1')
            .replace(/^StoppedExecutions\w+$/, 'StoppedExecutions'),
        )
        .sort();
    expect(onPrefix('staging')).toEqual(
      [
        'Cleanup',
        'CleanupWindow',
        'ConvertSplit',
        'Plan',
        'ReclaimDeadRuns',
        'StoppedExecutions',
        'WriteManifest',
      ].sort(),
    );
    expect(onPrefix('curated')).not.toContain('ConvertSplit');
    const actionsOf = (fn: string, prefix: string) =>
      Object.entries(policies)
        .filter(([id]) => id.startsWith(`Workflow${fn}FunctionRole`))
        .flatMap(([, p]) => p.Properties.PolicyDocument.Statement)
        .filter((st) => JSON.stringify(st.Resource).includes(`/${prefix}/*`))
        .flatMap((st) => [st.Action].flat())
        .sort();
    expect(actionsOf('ConvertSplit', 'staging')).toEqual(
      ['s3:AbortMultipartUpload', 's3:ListMultipartUploadParts', 's3:PutObject'].sort(),
    );
    // The publish copies staged → curated (GetObject on the source, PutObject on the target).
    expect(actionsOf('WriteManifest', 'staging')).toEqual([
      's3:AbortMultipartUpload',
      's3:DeleteObject',
      's3:GetObject',
    ]);
    expect(actionsOf('WriteManifest', 'curated')).toContain('s3:PutObject');
    expect(actionsOf('WriteManifest', 'state')).toEqual(['s3:DeleteObject', 's3:GetObject', 's3:PutObject']);
    for (const finisher of ['Plan', 'CleanupWindow', 'Cleanup', 'ReclaimDeadRuns']) {
      expect(actionsOf(finisher, 'curated'), finisher).toContain('s3:PutObject');
      expect(actionsOf(finisher, 'manifests'), finisher).toContain('s3:PutObject');
    }
  });

  it('uses no managed basic-execution policy: each function may write only its own log group', () => {
    const roles = template.findResources('AWS::IAM::Role') as Record<
      string,
      {
        Properties: {
          ManagedPolicyArns?: unknown;
          Policies?: { PolicyName: string; PolicyDocument: { Statement: { Action: string[]; Resource: unknown }[] } }[];
        };
      }
    >;
    expect(JSON.stringify(roles)).not.toContain('AWSLambdaBasicExecutionRole');
    const functionRoles = Object.entries(roles).filter(([id]) => /^Workflow\w+FunctionRole[0-9A-F]{8}$/.test(id));
    expect(functionRoles).toHaveLength(Object.keys(WORKFLOW_TASKS).length);
    for (const [id, role] of functionRoles) {
      const own = role.Properties.Policies?.find((p) => p.PolicyName === 'OwnLogs');
      expect(own, id).toBeDefined();
      const logGroupId = id.replace(/Role[0-9A-F]{8}$/, 'Logs');
      expect(own!.PolicyDocument.Statement).toEqual([
        {
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Effect: 'Allow',
          Resource: {
            'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(new RegExp(`^${logGroupId}`)), 'Arn'] }, ':*']],
          },
        },
      ]);
    }
  });

  it('publishes to the pipeline bus only', () => {
    const roles = template.findResources('AWS::IAM::Policy', {
      Properties: {
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'events:PutEvents' })]) },
      },
    });
    expect(Object.keys(roles).length).toBeGreaterThan(0);
    for (const policy of Object.values(roles) as {
      Properties: { PolicyDocument: { Statement: { Action: unknown; Resource: unknown }[] } };
    }[]) {
      const putEvents = policy.Properties.PolicyDocument.Statement.filter((s) => s.Action === 'events:PutEvents');
      expect(putEvents.map((s) => s.Resource)).toEqual([{ 'Fn::GetAtt': [expect.stringMatching(/Bus/), 'Arn'] }]);
    }
  });
});
