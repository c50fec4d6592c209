import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ExportStorage, projectionStart } from '../../../lib/constructs/storage';
import { testApp, testConfig } from '../support/test-app';

interface CfnResource {
  readonly Type: string;
  readonly Properties: Record<string, unknown>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}

function storageTemplate(retainData?: boolean): { template: Template; storage: ExportStorage; stack: Stack } {
  const stack = new Stack(testApp(), 'StorageStack');
  const storage = new ExportStorage(stack, 'Storage', { exports: testConfig().exports, retainData });
  return { template: Template.fromStack(stack), storage, stack };
}

function only<T>(items: Record<string, T>): [string, T] {
  const entries = Object.entries(items);
  expect(entries).toHaveLength(1);
  return entries[0] as [string, T];
}

describe('ExportStorage (default: retain data)', () => {
  let template: Template;
  let storage: ExportStorage;
  let stack: Stack;
  let dataBucketId: string;
  let logsBucketId: string;

  beforeAll(() => {
    ({ template, storage, stack } = storageTemplate());
    dataBucketId = stack.getLogicalId(storage.bucket.node.defaultChild as never);
    logsBucketId = stack.getLogicalId(storage.accessLogsBucket.node.defaultChild as never);
  });

  function bucket(id: string): CfnResource {
    return template.toJSON().Resources[id] as CfnResource;
  }

  it('encrypts, blocks public access and has no physical name', () => {
    for (const id of [dataBucketId, logsBucketId]) {
      const props = bucket(id).Properties;
      expect(props.BucketEncryption).toEqual({ ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] });
      expect(props.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(props.BucketName).toBeUndefined();
    }
  });

  it('denies every request without TLS on both buckets', () => {
    for (const id of [dataBucketId, logsBucketId]) {
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: id },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Principal: { AWS: '*' },
              Action: 's3:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    }
  });

  it('aborts incomplete multipart uploads after one day', () => {
    const rules = (bucket(dataBucketId).Properties.LifecycleConfiguration as { Rules: Record<string, unknown>[] }).Rules;
    expect(rules).toContainEqual({ Id: 'AbortIncompleteMultipartUploads', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' });
    expect(rules).toContainEqual(expect.objectContaining({ Prefix: 'athena-results/', ExpirationInDays: 30, Status: 'Enabled' }));
    const logRules = (bucket(logsBucketId).Properties.LifecycleConfiguration as { Rules: Record<string, unknown>[] }).Rules;
    expect(logRules).toContainEqual({ Id: 'AbortIncompleteMultipartUploads', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' });
    expect(logRules).toContainEqual({ Id: 'ExpireAccessLogs', ExpirationInDays: 365, Status: 'Enabled' });
  });

  it('versions the data bucket and logs its access to the logs bucket', () => {
    const props = bucket(dataBucketId).Properties;
    expect(props.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(props.LoggingConfiguration).toEqual({ DestinationBucketName: { Ref: logsBucketId }, LogFilePrefix: 'data-bucket/' });
    // Log delivery through the bucket policy, not the legacy ACL.
    expect(bucket(logsBucketId).Properties.AccessControl).toBeUndefined();
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logsBucketId },
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'logging.s3.amazonaws.com' }, Action: 's3:PutObject' })]) },
    });
  });

  it('retains both buckets on stack deletion, with no auto-delete', () => {
    for (const id of [dataBucketId, logsBucketId]) {
      expect(bucket(id).DeletionPolicy).toBe('Retain');
      expect(bucket(id).UpdateReplacePolicy).toBe('Retain');
    }
    template.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
  });

  it('creates one Glue database with a generated name', () => {
    const [, database] = only(template.findResources('AWS::Glue::Database') as Record<string, CfnResource>);
    const name = (database.Properties.DatabaseInput as { Name: string }).Name;
    expect(name).toMatch(/^[a-z0-9]+$/);
  });

  describe('Glue table per export', () => {
    function table(name: string): Record<string, unknown> {
      const tables = Object.values(template.findResources('AWS::Glue::Table') as Record<string, CfnResource>);
      expect(tables).toHaveLength(2);
      const found = tables.find((candidate) => (candidate.Properties.TableInput as { Name: string }).Name === name);
      expect(found, `table ${name}`).toBeDefined();
      return (found as CfnResource).Properties.TableInput as Record<string, unknown>;
    }

    it('reads raw/<export>/ of the data bucket', () => {
      const descriptor = table('marketo_activities').StorageDescriptor as Record<string, unknown>;
      expect(descriptor.Location).toEqual({ 'Fn::Join': ['', ['s3://', { Ref: dataBucketId }, '/raw/marketo-activities/']] });
      const clickwrap = table('clickwrap_activity').StorageDescriptor as Record<string, unknown>;
      expect(clickwrap.Location).toEqual({ 'Fn::Join': ['', ['s3://', { Ref: dataBucketId }, '/raw/clickwrap-activity/']] });
    });

    it('has string columns in file order and a string dt partition', () => {
      const marketo = table('marketo_activities');
      const columns = (marketo.StorageDescriptor as { Columns: { Name: string; Type: string }[] }).Columns;
      expect(columns.map((column) => column.Name)).toEqual([
        'marketoguid',
        'leadid',
        'activitydate',
        'activitytypeid',
        'campaignid',
        'primaryattributevalueid',
        'primaryattributevalue',
        'attributes',
      ]);
      expect(new Set(columns.map((column) => column.Type))).toEqual(new Set(['string']));
      expect(marketo.PartitionKeys).toEqual([expect.objectContaining({ Name: 'dt', Type: 'string' })]);
      const clickwrapColumns = (table('clickwrap_activity').StorageDescriptor as { Columns: { Name: string }[] }).Columns;
      expect(clickwrapColumns.map((column) => column.Name)).toEqual([
        'id',
        'signer_id',
        'created_time',
        'event_type',
        'connection_data_remote_address',
        'custom_data_vip',
      ]);
    });

    it('projects dt as a date from firstStart to NOW', () => {
      expect(table('marketo_activities').Parameters).toMatchObject({
        'projection.enabled': 'true',
        'projection.dt.type': 'date',
        'projection.dt.format': 'yyyy-MM-dd',
        'projection.dt.range': '2026-01-01,NOW',
        'projection.dt.interval': '1',
        'projection.dt.interval.unit': 'DAYS',
        has_encrypted_data: false,
      });
    });

    it('reads files with OpenCSVSerDe and skips the header as table property, storage descriptor and SerDe parameter', () => {
      const marketo = table('marketo_activities');
      expect(marketo.TableType).toBe('EXTERNAL_TABLE');
      expect(marketo.Parameters).toMatchObject({ 'skip.header.line.count': '1', classification: 'csv' });
      const descriptor = marketo.StorageDescriptor as Record<string, unknown>;
      expect(descriptor.Parameters).toEqual({ 'skip.header.line.count': '1' });
      expect(descriptor.InputFormat).toBe('org.apache.hadoop.mapred.TextInputFormat');
      expect(descriptor.OutputFormat).toBe('org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat');
      expect(descriptor.SerdeInfo).toEqual({
        SerializationLibrary: 'org.apache.hadoop.hive.serde2.OpenCSVSerde',
        Parameters: { separatorChar: ',', quoteChar: '"', escapeChar: '\u0001', 'skip.header.line.count': '1' },
      });
    });
  });

  it('has an Athena workgroup that enforces encrypted results under athena-results/', () => {
    const [, workGroup] = only(template.findResources('AWS::Athena::WorkGroup') as Record<string, CfnResource>);
    expect(workGroup.Properties.Name).toMatch(/^[A-Za-z0-9._-]{1,128}$/);
    expect(workGroup.Properties.WorkGroupConfiguration).toEqual({
      EnforceWorkGroupConfiguration: true,
      PublishCloudWatchMetricsEnabled: true,
      ResultConfiguration: {
        OutputLocation: { 'Fn::Join': ['', ['s3://', { Ref: dataBucketId }, '/athena-results/']] },
        ExpectedBucketOwner: { Ref: 'AWS::AccountId' },
        EncryptionConfiguration: { EncryptionOption: 'SSE_S3' },
      },
    });
  });

  it('saves a typed-view query per export in that workgroup', () => {
    const queries = Object.values(template.findResources('AWS::Athena::NamedQuery') as Record<string, CfnResource>);
    expect(queries).toHaveLength(2);
    const workGroupId = stack.getLogicalId(storage.workGroup);
    const databaseRef = { Ref: stack.getLogicalId(storage.database.node.defaultChild as never) };
    for (const query of queries) {
      expect(query.Properties.WorkGroup).toEqual({ Ref: workGroupId });
      expect(query.Properties.Database).toEqual(databaseRef);
    }
    const marketo = queries.find((query) => String(query.Properties.Name).startsWith('marketo-activities'));
    const sql = JSON.stringify(marketo?.Properties.QueryString);
    expect(sql).toContain('VIEW \\"');
    expect(sql).toContain('\\"marketo_activities_typed\\" AS');
    expect(sql).toContain(`CAST(NULLIF(\\"leadid\\", 'null') AS bigint)`);
    expect(sql).toContain('from_iso8601_timestamp');
    expect(sql).toContain('\\"marketo_activities\\"');
  });
});

describe('ExportStorage with retainData: false', () => {
  it('deletes both buckets and empties them first', () => {
    const { template, storage, stack } = storageTemplate(false);
    for (const bucket of [storage.bucket, storage.accessLogsBucket]) {
      const id = stack.getLogicalId(bucket.node.defaultChild as never);
      const resource = template.toJSON().Resources[id] as CfnResource;
      expect(resource.DeletionPolicy).toBe('Delete');
      template.hasResourceProperties('Custom::S3AutoDeleteObjects', { BucketName: { Ref: id } });
    }
  });
});

describe('projectionStart', () => {
  it('takes the date of a date, and the earlier of written and UTC dates of a datetime', () => {
    expect(projectionStart('2026-01-01')).toBe('2026-01-01');
    expect(projectionStart('2026-01-01T00:30:00+02:00')).toBe('2025-12-31');
    expect(projectionStart('2026-01-01T23:30:00-05:00')).toBe('2026-01-01');
    expect(projectionStart('2026-03-05T10:00:00Z')).toBe('2026-03-05');
  });
});
