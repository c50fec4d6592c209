import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ExportStorage, projectionStart, OUTLIVES_A_RUN } from '../../../lib/constructs/storage';
import { MAX_RUN_DURATION_MS } from '../../../lambdas/window/run-limits';
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
      expect(props.BucketEncryption).toEqual({
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      });
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

  it('aborts incomplete multipart uploads a dead run left, never those of a run waiting for a quota reset', () => {
    const rules = (bucket(dataBucketId).Properties.LifecycleConfiguration as { Rules: Record<string, unknown>[] })
      .Rules;
    expect(rules).toContainEqual({
      Id: 'AbortIncompleteMultipartUploads',
      AbortIncompleteMultipartUpload: { DaysAfterInitiation: 8 },
      Status: 'Enabled',
    });
    expect(OUTLIVES_A_RUN.toMilliseconds()).toBeGreaterThan(MAX_RUN_DURATION_MS);
    expect(rules).toContainEqual(
      expect.objectContaining({ Prefix: 'athena-results/', ExpirationInDays: 30, Status: 'Enabled' }),
    );
    // Deferred steps' checkpoints a failed window left behind.
    expect(rules).toContainEqual(
      expect.objectContaining({ Prefix: 'checkpoints/', ExpirationInDays: 7, Status: 'Enabled' }),
    );
    const logRules = (bucket(logsBucketId).Properties.LifecycleConfiguration as { Rules: Record<string, unknown>[] })
      .Rules;
    expect(logRules).toContainEqual({
      Id: 'AbortIncompleteMultipartUploads',
      AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
      Status: 'Enabled',
    });
    expect(logRules).toContainEqual({ Id: 'ExpireAccessLogs', ExpirationInDays: 365, Status: 'Enabled' });
  });

  it('expires abandoned staged objects a day after the longest a run may live, and nothing else by that rule', () => {
    const rules = (bucket(dataBucketId).Properties.LifecycleConfiguration as { Rules: Record<string, unknown>[] })
      .Rules;
    const staged = rules.filter((r) => r.Id === 'ExpireAbandonedStagedObjects');
    expect(staged).toEqual([
      { Id: 'ExpireAbandonedStagedObjects', Prefix: 'staging/', ExpirationInDays: 8, Status: 'Enabled' },
    ]);
    expect(OUTLIVES_A_RUN.toMilliseconds()).toBeGreaterThan(MAX_RUN_DURATION_MS);
  });

  it('versions the data bucket and logs its access to the logs bucket', () => {
    const props = bucket(dataBucketId).Properties;
    expect(props.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(props.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: logsBucketId },
      LogFilePrefix: 'data-bucket/',
    });
    // Log delivery through the bucket policy, not the legacy ACL.
    expect(bucket(logsBucketId).Properties.AccessControl).toBeUndefined();
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logsBucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Principal: { Service: 'logging.s3.amazonaws.com' }, Action: 's3:PutObject' }),
        ]),
      },
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

  describe('curated Glue table per export', () => {
    /** The tables, not the views (test/lib/analyst-views.test.ts covers those). */
    function tables(): CfnResource[] {
      return Object.values(template.findResources('AWS::Glue::Table') as Record<string, CfnResource>).filter(
        (t) => (t.Properties.TableInput as { TableType?: string }).TableType !== 'VIRTUAL_VIEW',
      );
    }
    function table(name: string): Record<string, unknown> {
      const found = tables().find((candidate) => (candidate.Properties.TableInput as { Name: string }).Name === name);
      expect(found, `table ${name}`).toBeDefined();
      return (found as CfnResource).Properties.TableInput as Record<string, unknown>;
    }

    it('has one table per export plus the reference tables on by default, and none over the raw CSV', () => {
      expect(
        tables()
          .map((t) => (t.Properties.TableInput as { Name: string }).Name)
          .sort(),
      ).toEqual([
        'activity_types',
        'clickwrap_activity',
        'marketo_activities',
        'marketo_emails',
        'marketo_forms',
        'marketo_landing_pages',
        'marketo_programs',
        'marketo_smart_campaigns',
      ]);
      for (const t of tables()) {
        const location = JSON.stringify(
          (t.Properties.TableInput as { StorageDescriptor: { Location: unknown } }).StorageDescriptor.Location,
        );
        expect(location).toContain('/curated/');
        expect(location).not.toContain('/raw/');
      }
    });

    it('reads curated/<export>/ of the data bucket', () => {
      const descriptor = table('marketo_activities').StorageDescriptor as Record<string, unknown>;
      expect(descriptor.Location).toEqual({
        'Fn::Join': ['', ['s3://', { Ref: dataBucketId }, '/curated/marketo-activities/']],
      });
      const clickwrap = table('clickwrap_activity').StorageDescriptor as Record<string, unknown>;
      expect(clickwrap.Location).toEqual({
        'Fn::Join': ['', ['s3://', { Ref: dataBucketId }, '/curated/clickwrap-activity/']],
      });
    });

    it('has typed columns in file order and a string dt partition', () => {
      const marketo = table('marketo_activities');
      const columns = (marketo.StorageDescriptor as { Columns: { Name: string; Type: string }[] }).Columns;
      expect(columns.map((column) => [column.Name, column.Type])).toEqual([
        ['marketoguid', 'string'],
        ['leadid', 'bigint'],
        ['activitydate', 'timestamp'],
        ['activitytypeid', 'int'],
        ['campaignid', 'int'],
        ['primaryattributevalueid', 'int'],
        ['primaryattributevalue', 'string'],
        ['attributes', 'string'],
      ]);
      expect(marketo.PartitionKeys).toEqual([expect.objectContaining({ Name: 'dt', Type: 'string' })]);
      const clickwrapColumns = (
        table('clickwrap_activity').StorageDescriptor as { Columns: { Name: string; Type: string }[] }
      ).Columns;
      expect(clickwrapColumns.map((column) => [column.Name, column.Type])).toEqual([
        ['id', 'string'],
        ['signer_id', 'string'],
        ['created_time', 'timestamp'],
        ['event_type', 'string'],
        ['connection_data_remote_address', 'string'],
        ['custom_data_vip', 'string'],
      ]);
    });

    it('projects dt as a date from the earliest window the export may write to NOW', () => {
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

    it('starts the projection at window.backfillFrom when one is set', () => {
      const stack2 = new Stack(testApp(), 'BackfillStack');
      const config = testConfig();
      const first = { ...config.exports[0]!, window: { ...config.exports[0]!.window, backfillFrom: '2024-06-01' } };
      new ExportStorage(stack2, 'Storage', { exports: [first] });
      const found = Object.values(
        Template.fromStack(stack2).findResources('AWS::Glue::Table') as Record<string, CfnResource>,
      ).find((t) => (t.Properties.TableInput as { Name: string }).Name === 'marketo_activities');
      expect(
        (found?.Properties.TableInput as { Parameters: Record<string, string> }).Parameters['projection.dt.range'],
      ).toBe('2024-06-01,NOW');
    });

    it('reads Parquet', () => {
      const descriptor = table('marketo_activities').StorageDescriptor as Record<string, unknown>;
      expect(descriptor.InputFormat).toBe('org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat');
      expect(descriptor.OutputFormat).toBe('org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat');
      expect((descriptor.SerdeInfo as { SerializationLibrary: string }).SerializationLibrary).toBe(
        'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
      );
    });

    it('has an activity_types table over curated/activity_types/', () => {
      const types = table('activity_types');
      expect((types.StorageDescriptor as { Location: unknown }).Location).toEqual({
        'Fn::Join': ['', ['s3://', { Ref: dataBucketId }, '/curated/activity_types/']],
      });
      expect(
        (types.StorageDescriptor as { Columns: { Name: string; Type: string }[] }).Columns.map((c) => [c.Name, c.Type]),
      ).toEqual([
        ['id', 'int'],
        ['name', 'string'],
        ['description', 'string'],
        ['primary_attribute', 'string'],
        ['attributes', 'string'],
        ['source', 'string'],
      ]);
    });
  });

  it('has an Athena workgroup with a pinned engine, a scan limit, and encrypted results under athena-results/', () => {
    const [, workGroup] = only(template.findResources('AWS::Athena::WorkGroup') as Record<string, CfnResource>);
    expect(workGroup.Properties.Name).toMatch(/^[A-Za-z0-9._-]{1,128}$/);
    expect(workGroup.Properties.WorkGroupConfiguration).toEqual({
      EnforceWorkGroupConfiguration: true,
      PublishCloudWatchMetricsEnabled: true,
      EngineVersion: { SelectedEngineVersion: 'Athena engine version 3' },
      BytesScannedCutoffPerQuery: 10_000_000_000,
      ResultConfiguration: {
        OutputLocation: { 'Fn::Join': ['', ['s3://', { Ref: dataBucketId }, '/athena-results/']] },
        ExpectedBucketOwner: { Ref: 'AWS::AccountId' },
        EncryptionConfiguration: { EncryptionOption: 'SSE_S3' },
      },
    });
  });

  it('saves no query or view that could read the raw CSV', () => {
    template.resourceCountIs('AWS::Athena::NamedQuery', 0);
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
