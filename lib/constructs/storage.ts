// Where exports land and how Athena reads them: the data bucket (raw files, curated Parquet, manifests,
// Athena results), its access-log bucket, the Glue database with the curated tables, and an Athena
// workgroup with a pinned engine and a per-query scan limit.
import { Aws, Duration, Names, RemovalPolicy } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { ExportDefinition } from '#shared/export-definition';
import { BUCKET_PREFIXES } from '#window/bucket-layout';
import { MAX_RUN_DURATION_MS } from '#window/run-limits';
import { AnalystViews } from './analyst-views';
import { CuratedTables, type CuratedTable } from './curated-tables';
import { RejectsTables } from './rejects-tables';

const ATHENA_RESULTS_PREFIX = BUCKET_PREFIXES.athenaResults;

/**
 * A day longer than the longest a run may live. What a living run keeps in the bucket between its
 * steps lasts at least that long: a staged object waiting for its window's publish, and an open
 * multipart upload (a run deferred to a quota reset keeps its upload open for up to a day, and may be
 * deferred again). Only what a dead run abandoned (no later run finished or undid its window) expires.
 */
export const OUTLIVES_A_RUN = Duration.days(Math.ceil(MAX_RUN_DURATION_MS / 86_400_000) + 1);

/** Athena engine the workgroup pins, so a query's meaning does not change under it. */
export const ATHENA_ENGINE_VERSION = 'Athena engine version 3';

export interface ExportStorageProps {
  /** One curated Glue table per export. */
  readonly exports: readonly ExportDefinition[];
  /**
   * Largest scan one query may make in the workgroup (Athena bills per byte scanned); a query that
   * would read more is cancelled.
   * @default 10 GB
   */
  readonly queryScanLimitBytes?: number;
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

export class ExportStorage extends Construct {
  public readonly bucket: s3.Bucket;
  public readonly accessLogsBucket: s3.Bucket;
  public readonly database: glue.Database;
  public readonly workGroup: athena.CfnWorkGroup;
  /** Per export, in config order: the curated table. */
  public readonly tables: readonly CuratedTable[];
  public readonly curated: CuratedTables;
  /** `<export>_rejects` tables of the exports with `badValues: "null"`. */
  public readonly rejects: RejectsTables;

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
        // A run that dies between CreateMultipartUpload and Complete/Abort would otherwise leave paid-for
        // parts forever; a living run's upload survives its quota waits (OUTLIVES_A_RUN).
        { id: 'AbortIncompleteMultipartUploads', abortIncompleteMultipartUploadAfter: OUTLIVES_A_RUN },
        {
          id: 'ExpireReplacedVersions',
          noncurrentVersionExpiration: Duration.days(30),
          expiredObjectDeleteMarker: true,
        },
        { id: 'ExpireAbandonedStagedObjects', prefix: BUCKET_PREFIXES.staging, expiration: OUTLIVES_A_RUN },
        {
          id: 'ExpireAthenaResults',
          prefix: ATHENA_RESULTS_PREFIX,
          expiration: props.athenaResultsExpiration ?? Duration.days(30),
        },
        // A deferred step reads its checkpoint within a day (the wait ends at the next reset) and the step
        // that uses it deletes it; one a failed or abandoned window left behind is garbage.
        { id: 'ExpireCheckpoints', prefix: BUCKET_PREFIXES.checkpoints, expiration: Duration.days(7) },
      ],
      ...removal,
    });

    this.database = new glue.Database(this, 'Database', {
      description: 'Bulk exports landed by the pipeline: typed Parquet tables, one per export, and reference tables.',
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
        engineVersion: { selectedEngineVersion: ATHENA_ENGINE_VERSION },
        bytesScannedCutoffPerQuery: props.queryScanLimitBytes ?? 10_000_000_000,
        resultConfiguration: {
          outputLocation: this.bucket.s3UrlForObject(ATHENA_RESULTS_PREFIX),
          expectedBucketOwner: Aws.ACCOUNT_ID,
          encryptionConfiguration: { encryptionOption: 'SSE_S3' },
        },
      },
    });

    this.curated = new CuratedTables(this, 'Curated', {
      bucket: this.bucket,
      database: this.database,
      exports: props.exports,
    });
    this.tables = this.curated.tables;
    this.rejects = new RejectsTables(this, 'Rejects', {
      bucket: this.bucket,
      database: this.database,
      exports: props.exports,
    });
    new AnalystViews(this, 'AnalystViews', {
      database: this.database,
      exports: props.exports,
      tables: [...this.curated.tables.map((t) => t.table), ...this.curated.referenceTables],
    });
  }
}

export { projectionStart } from './curated-tables';
