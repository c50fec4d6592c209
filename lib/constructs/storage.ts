// Where exports land and how Athena reads them: the data bucket (raw files, manifests, Athena
// results), its access-log bucket, a Glue table per export with partition projection on `dt`,
// an Athena workgroup, and a saved "typed view" query per export.
import { Aws, Duration, Names, RemovalPolicy } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { ExportDefinition } from '../../lambdas/shared/export-definition';
import { athenaLayout, PARTITION_COLUMN, type AthenaLayout } from '../athena-columns';
import { typedViewSql } from '../athena-typed-view';
import { BUCKET_PREFIXES } from '../../lambdas/shared/bucket-layout';

const ATHENA_RESULTS_PREFIX = BUCKET_PREFIXES.athenaResults;

export interface ExportStorageProps {
  /** One Glue table (and typed-view query) per export. */
  readonly exports: readonly ExportDefinition[];
  /**
   * Keep both buckets and their objects when the stack is deleted. With false, deleting the stack
   * empties and deletes them.
   * @default true
   */
  readonly retainData?: boolean;
  /**
   * How long Athena query results are kept.
   * @default Duration.days(30)
   */
  readonly athenaResultsExpiration?: Duration;
  /**
   * How long server access logs are kept.
   * @default Duration.days(365)
   */
  readonly accessLogsExpiration?: Duration;
}

export interface ExportTable {
  readonly exportName: string;
  readonly table: glue.S3Table;
  /** `raw/<export>/`: the table's location; nothing but data files may live under it. */
  readonly prefix: string;
  readonly typedViewQuery: athena.CfnNamedQuery;
}

export class ExportStorage extends Construct {
  public readonly bucket: s3.Bucket;
  public readonly accessLogsBucket: s3.Bucket;
  public readonly database: glue.Database;
  public readonly workGroup: athena.CfnWorkGroup;
  /** Per export, in config order. */
  public readonly tables: readonly ExportTable[];

  constructor(scope: Construct, id: string, props: ExportStorageProps) {
    super(scope, id);
    // Grant log delivery through a bucket policy instead of the legacy LogDeliveryWrite ACL (which
    // would force ACLs back on); set here so the construct does not depend on the app's cdk.json.
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
    const retainData = props.retainData ?? true;
    const removal = retainData
      ? { removalPolicy: RemovalPolicy.RETAIN, autoDeleteObjects: false }
      : { removalPolicy: RemovalPolicy.DESTROY, autoDeleteObjects: true };

    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogsBucket', {
      // Server access log delivery supports SSE-S3 only.
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [
        { id: 'ExpireAccessLogs', expiration: props.accessLogsExpiration ?? Duration.days(365) },
        { id: 'AbortIncompleteMultipartUploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      ...removal,
    });

    this.bucket = new s3.Bucket(this, 'DataBucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // A re-run overwrites a window's keys: versions let an operator recover what was replaced.
      versioned: true,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'data-bucket/',
      lifecycleRules: [
        // A run that dies between CreateMultipartUpload and Complete/Abort would otherwise leave paid-for parts forever.
        { id: 'AbortIncompleteMultipartUploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
        { id: 'ExpireReplacedVersions', noncurrentVersionExpiration: Duration.days(30), expiredObjectDeleteMarker: true },
        {
          id: 'ExpireAthenaResults',
          prefix: ATHENA_RESULTS_PREFIX,
          expiration: props.athenaResultsExpiration ?? Duration.days(30),
        },
      ],
      ...removal,
    });

    this.database = new glue.Database(this, 'Database', {
      description: 'Bulk exports landed by the pipeline (raw tables and typed views).',
    });

    this.workGroup = new athena.CfnWorkGroup(this, 'WorkGroup', {
      // Required by CloudFormation; derived from the construct path so stacks do not collide.
      name: Names.uniqueResourceName(this, { maxLength: 128 }),
      description: 'Queries over the bulk export tables; results stay in the data bucket.',
      // The workgroup holds no data (results live in the bucket); saved queries must not block deletion.
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        resultConfiguration: {
          outputLocation: this.bucket.s3UrlForObject(ATHENA_RESULTS_PREFIX),
          expectedBucketOwner: Aws.ACCOUNT_ID,
          encryptionConfiguration: { encryptionOption: 'SSE_S3' },
        },
      },
    });

    this.tables = props.exports.map((definition) => this.addExportTable(definition));
  }

  private addExportTable(definition: ExportDefinition): ExportTable {
    const layout = athenaLayout(definition);
    const prefix = `${BUCKET_PREFIXES.raw}${definition.name}/`;
    const tableName = sqlName(definition.name);
    const table = new glue.S3Table(this, `Table-${definition.name}`, {
      database: this.database,
      tableName,
      description: `Raw ${definition.provider} ${definition.dataset} files of export "${definition.name}", as delivered (all columns strings).`,
      storage: glue.S3TableStorage.fromBucket(this.bucket),
      s3Prefix: prefix,
      columns: layout.columns.map((column) => ({ name: column.name, type: glue.Schema.STRING, comment: `${definition.provider} field ${column.field}` })),
      partitionKeys: [{ name: PARTITION_COLUMN, type: glue.Schema.STRING, comment: 'Window date (yyyy-MM-dd), from the object key dt=…' }],
      dataFormat: OPEN_CSV,
      // Athena documents skip.header.line.count as a table property; the storage parameter lands in the
      // storage descriptor. Set both (and the SerDe parameter below) so every reader skips the header.
      storageParameters: [glue.StorageParameter.skipHeaderLineCount(1)],
      parameters: { 'skip.header.line.count': '1' },
      // SSE-S3 is transparent to Athena; has_encrypted_data is for client-side encryption.
      hasEncryptedData: false,
      partitionProjection: {
        [PARTITION_COLUMN]: glue.PartitionProjectionConfiguration.date({
          min: projectionStart(definition.window.firstStart),
          max: 'NOW',
          format: 'yyyy-MM-dd',
          step: { interval: 1, intervalUnit: glue.DateIntervalUnit.DAYS },
        }),
      },
    });
    // The L2 has no SerDe parameters; OpenCSVSerDe reads its delimiter from there.
    const cfnTable = table.node.defaultChild as glue.CfnTable;
    cfnTable.addPropertyOverride('TableInput.StorageDescriptor.SerdeInfo.Parameters', serdeParameters(layout));

    const view = `${tableName}_typed`;
    const typedViewQuery = new athena.CfnNamedQuery(this, `TypedView-${definition.name}`, {
      name: `${definition.name}: create typed view ${view}`,
      description: `Run once (and after changing the export's fields): typed columns over "${tableName}", 'null' as NULL.`,
      database: this.database.databaseName,
      workGroup: this.workGroup.ref,
      queryString: typedViewSql(layout, { database: this.database.databaseName, table: tableName, view }),
    });
    return { exportName: definition.name, table, prefix, typedViewQuery };
  }
}

const OPEN_CSV = new glue.DataFormat({
  inputFormat: glue.InputFormat.TEXT,
  outputFormat: glue.OutputFormat.HIVE_IGNORE_KEY_TEXT,
  serializationLibrary: glue.SerializationLibrary.OPEN_CSV,
  classificationString: glue.ClassificationString.CSV,
});

function serdeParameters(layout: AthenaLayout): Record<string, string> {
  return {
    separatorChar: layout.separator,
    quoteChar: '"',
    // OpenCSVSerDe's default escape '\' would end a quoted field early at JSON's \"" (Marketo's
    // `attributes`); the providers escape quotes by doubling them, so take a character files never hold.
    escapeChar: '\u0001',
    'skip.header.line.count': '1',
  };
}

/** Glue and Athena names: the export name with `_` for `-`. */
export function sqlName(exportName: string): string {
  return exportName.replaceAll('-', '_');
}

/**
 * First `dt` Athena should project. firstStart may carry an offset: take the earlier of the date as
 * written and the UTC date, so the first window's partition is inside the range whichever zone names it.
 */
export function projectionStart(firstStart: string): string {
  const written = firstStart.slice(0, 10);
  if (firstStart.length === 10) return written;
  const utc = new Date(firstStart).toISOString().slice(0, 10);
  return utc < written ? utc : written;
}

