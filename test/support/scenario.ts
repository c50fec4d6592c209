// Scenario harness: runs the synthesized state machine on the local engine with the real handlers,
// against a simulator, into a fresh moto S3 bucket, and gathers what a scenario asserts on.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { GetObjectCommand, ListMultipartUploadsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { memoryLogger } from './memory-logger';
import type { ExportDefinitionInput } from '../../lambdas/shared/export-definition';
import { loadPipelineConfig, type PipelineConfig } from '../../lib/config';
import { runExport, type RunExportOptions, type RunExportResult } from '../../local/run-export';
import { synthesizeLocalWorkflow } from '../../local/engine/local-workflow';
import { freshBucket, motoS3Client } from './moto';
import { Ajv2020 } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

// Every event a scenario publishes must satisfy the schema the README points subscribers at.
const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats.default(ajv);
const validateEventDetail = ajv.compile(JSON.parse(readFileSync('schemas/export-event.schema.json', 'utf8')) as object);

export const baseConfig: PipelineConfig = loadPipelineConfig('config/pipeline.json');

/** The demo config with one export's definition changed (deadline, request…). */
export function configWith(exportName: string, change: Partial<ExportDefinitionInput>): PipelineConfig {
  return {
    ...baseConfig,
    exports: baseConfig.exports.map((e) => (e.name === exportName ? ({ ...e, ...change } as typeof e) : e)),
  };
}

export interface BucketState {
  readonly keys: string[];
  readonly rawKeys: string[];
  /** Window manifests (`manifests/<export>/…`). */
  readonly manifests: string[];
  /** Reference table manifests (`manifests/<table>/<instance>.json`: table names have `_`, export names never). */
  readonly referenceManifests: string[];
  readonly pendingUploads: number;
  readonly watermark?: string;
}

function isReferenceManifest(key: string): boolean {
  return /^manifests\/[^/]*_[^/]*\//.test(key);
}

/** A reference table's object or manifest (`curated|manifests/<table>/…`: table names have `_`, export names never). */
export function isReferenceObject(key: string): boolean {
  return /^(curated|manifests)\/[^/]*_[^/]*\//.test(key);
}

export async function bucketState(bucket: string): Promise<BucketState> {
  const s3 = motoS3Client();
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
    token = page.NextContinuationToken;
  } while (token);
  const uploads = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
  const wmKey = keys.find((k) => k.endsWith('/watermark.json'));
  const watermark = wmKey
    ? (JSON.parse(await objectText(bucket, wmKey)) as { watermark: string }).watermark
    : undefined;
  return {
    keys,
    rawKeys: keys.filter((k) => k.startsWith('raw/')),
    manifests: keys.filter((k) => k.startsWith('manifests/') && !isReferenceManifest(k)),
    referenceManifests: keys.filter(isReferenceManifest),
    pendingUploads: uploads.Uploads?.length ?? 0,
    ...(watermark ? { watermark } : {}),
  };
}

export async function objectText(bucket: string, key: string): Promise<string> {
  const res = await motoS3Client().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return res.Body!.transformToString('utf8');
}

export async function sha256OfStream(
  stream: Readable | AsyncIterable<Uint8Array>,
): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of stream) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

export async function sha256OfObject(bucket: string, key: string): Promise<{ sha256: string; bytes: number }> {
  const res = await motoS3Client().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return sha256OfStream(res.Body as Readable);
}

export interface ScenarioResult extends RunExportResult {
  readonly bucket: string;
  readonly state: BucketState;
  readonly logs: ReturnType<typeof memoryLogger>['lines'];
}

/** Runs one export into a fresh bucket; `options` may override anything (config, simulator, range…). */
export async function runScenario(
  options: Partial<RunExportOptions> & { exportName: string; config?: PipelineConfig; bucket?: string },
): Promise<ScenarioResult> {
  const bucket = options.bucket ?? (await freshBucket());
  const logger = memoryLogger();
  const config = options.config ?? baseConfig;
  const result = await runExport({
    from: '2026-11-01T00:00:00Z',
    to: '2026-11-02T00:00:00Z',
    store: { kind: 's3', bucket },
    logger,
    source: 'simulator',
    // The definition does not depend on the exports, so one synth serves every scenario.
    workflow: synthesizeLocalWorkflow(baseConfig),
    waitMs: 5,
    ...options,
    config,
  });
  for (const event of result.events) {
    if (!validateEventDetail(event.detail)) {
      throw new Error(
        `${event.detailType} detail violates schemas/export-event.schema.json: ${ajv.errorsText(validateEventDetail.errors)}`,
      );
    }
  }
  return { ...result, bucket, state: await bucketState(bucket), logs: logger.lines };
}
