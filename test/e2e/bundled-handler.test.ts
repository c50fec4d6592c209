// The AWS code path that the local engine replaces: a handler bundled by esbuild the way
// HandlerFunction bundles it, reading its connection secret from Secrets Manager and its state from
// S3 (both moto), configured only by the environment the stack sets.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { build } from 'esbuild';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithMoto, freshBucket, motoEndpoint, motoS3Client, useMotoEnv } from '../support/moto';
import { baseConfig } from '../support/scenario';

const out = mkdtempSync(path.join(tmpdir(), 'bundle-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describeWithMoto('bundled Lambda handler on the AWS code path', () => {
  let bucket: string;
  beforeAll(async () => {
    useMotoEnv();
    bucket = await freshBucket();
    const secrets = new SecretsManagerClient({
      endpoint: motoEndpoint!,
      region: 'us-east-1',
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    await secrets.send(
      new CreateSecretCommand({
        Name: `bulk-export/marketo-${bucket}`,
        SecretString: JSON.stringify({
          baseUrl: 'https://123-abc-456.mktorest.com',
          clientId: 'id',
          clientSecret: 'never-logged',
        }),
      }),
    );
    const def = {
      ...baseConfig.exports.find((e) => e.name === 'marketo-activities')!,
      secretName: `bulk-export/marketo-${bucket}`,
    };
    await build({
      entryPoints: ['lambdas/handlers/plan.ts'],
      // As HandlerFunction bundles it: the deployed exports are baked in, never read from the input.
      define: { 'process.env.PIPELINE_EXPORTS': JSON.stringify(JSON.stringify([def])) },
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile: path.join(out, 'plan.mjs'),
      banner: { js: "import { createRequire as __cr } from 'module'; const require = __cr(import.meta.url);" },
      logLevel: 'silent',
    });
  });

  it('plans from the watermark stored in S3, with credentials from Secrets Manager', async () => {
    await motoS3Client().send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'state/marketo-activities/watermark.json',
        Body: JSON.stringify({
          export: 'marketo-activities',
          watermark: '2026-11-20T00:00:00Z',
          updatedAt: '2026-11-20T03:00:00Z',
        }),
      }),
    );
    process.env.BUCKET_NAME = bucket;
    process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
    const bundle = (await import(pathToFileURL(path.join(out, 'plan.mjs')).href)) as {
      handler: (e: unknown) => Promise<{ windows: { start: string }[]; mode: string }>;
    };
    const plan = await bundle.handler({ input: { export: 'marketo-activities' }, startedAt: '2026-11-23T00:00:00Z' });
    expect(plan.mode).toBe('scheduled');
    expect(plan.windows[0]!.start).toBe('2026-11-20T00:00:00Z');
    expect(JSON.stringify(plan)).not.toContain('never-logged');
  });
});
