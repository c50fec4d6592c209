// An export with `badValues: "null"` gets a Glue table `<export>_rejects` over curated/<export>_rejects/
// (typed like the rejects objects, projected on dt like the export's table); an export that fails on bad
// values gets none. The steps that write, check and remove a window's rejects objects hold the curated
// grants that cover that prefix.
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { REJECTS_COLUMNS } from '../../lambdas/curated/curated-column';
import { BUCKET_PREFIXES, rejectsPrefix } from '../../lambdas/window/bucket-layout';
import { PipelineStack } from '../../lib/pipeline-stack';
import { clickwrapExport, marketoExport, testApp, testConfig } from './support/test-app';

type TableInput = {
  Name: string;
  Parameters: Record<string, unknown>;
  PartitionKeys: { Name: string; Type: string }[];
  StorageDescriptor: { Location: unknown; Columns: { Name: string; Type: string }[]; InputFormat: string };
};
type Statement = { Action: string | string[]; Resource: unknown };

let template: Template;
let dataBucketRef: unknown;

beforeAll(() => {
  const stack = new PipelineStack(testApp(), 'Rejects', {
    config: testConfig({ exports: [{ ...marketoExport, badValues: 'null' }, clickwrapExport] }),
  });
  template = Template.fromStack(stack);
  dataBucketRef = { Ref: stack.getLogicalId(stack.storage.bucket.node.defaultChild as never) };
});

function tables(): TableInput[] {
  return Object.values(template.findResources('AWS::Glue::Table')).map(
    (t) => (t as { Properties: { TableInput: TableInput } }).Properties.TableInput,
  );
}

function statementsOf(functionName: string): Statement[] {
  const found = Object.entries(template.findResources('AWS::IAM::Policy')).find(([id]) =>
    id.startsWith(`Workflow${functionName}FunctionRoleDefaultPolicy`),
  );
  expect(found, functionName).toBeDefined();
  return (found![1] as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument
    .Statement;
}

describe('rejects tables', () => {
  it('only the export with badValues "null" has one', () => {
    const names = tables().map((t) => t.Name);
    expect(names).toContain('marketo_activities_rejects');
    expect(names).not.toContain('clickwrap_activity_rejects');
  });

  it('reads Parquet under curated/<export>_rejects/, beside (never below) the export table, typed and projected on dt', () => {
    const table = tables().find((t) => t.Name === 'marketo_activities_rejects')!;
    expect(table.StorageDescriptor.Location).toEqual({
      'Fn::Join': ['', ['s3://', dataBucketRef, '/curated/marketo-activities_rejects/']],
    });
    expect(table.StorageDescriptor.InputFormat).toContain('Parquet');
    expect(table.StorageDescriptor.Columns.map((c) => [c.Name, c.Type])).toEqual([
      ['window_start', 'timestamp'],
      ['window_end', 'timestamp'],
      ['raw_file', 'string'],
      ['record', 'bigint'],
      ['column_name', 'string'],
      ['column_type', 'string'],
      ['reason', 'string'],
      ['raw_value', 'string'],
      ['raw_length', 'int'],
    ]);
    expect(table.StorageDescriptor.Columns.map((c) => c.Name)).toEqual(REJECTS_COLUMNS.map((c) => c.name));
    expect(table.PartitionKeys).toEqual([expect.objectContaining({ Name: 'dt', Type: 'string' })]);
    expect(table.Parameters).toMatchObject({
      'projection.enabled': 'true',
      'projection.dt.type': 'date',
      'projection.dt.range': '2026-01-01,NOW',
    });
  });

  it("the steps that stage, publish, check and take down a window's rejects hold grants covering its prefixes", () => {
    expect(rejectsPrefix('marketo-activities').startsWith(BUCKET_PREFIXES.curated)).toBe(true);
    const allows = (fn: string, action: string, area: string = BUCKET_PREFIXES.curated) =>
      statementsOf(fn).some(
        (s) =>
          [s.Action].flat().includes(action) &&
          [s.Resource].flat().some((r) => JSON.stringify(r).endsWith(`"/${area}*"]]}`)),
      );
    // ConvertSplit stages the rejects object beside its split; the publish copies both under curated/.
    expect(allows('ConvertSplit', 's3:PutObject', BUCKET_PREFIXES.staging)).toBe(true);
    expect(allows('ConvertSplit', 's3:AbortMultipartUpload', BUCKET_PREFIXES.staging)).toBe(true);
    expect(allows('WriteManifest', 's3:PutObject')).toBe(true);
    for (const fn of ['WriteManifest', 'CleanupWindow', 'Cleanup', 'ReclaimDeadRuns']) {
      expect(allows(fn, 's3:DeleteObject'), fn).toBe(true);
    }
  });
});
