// Helpers for tests that need a real S3 (moto_server, started in moto-global-setup.ts).
import { randomUUID } from 'node:crypto';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, inject } from 'vitest';

// The unit project starts no moto_server: a file that needs one must be listed under the s3 (or e2e)
// project in vitest.config.ts, or it would report its S3 tests skipped and pass for nothing.
if (process.env.TEST_PROJECT === 'unit') {
  throw new Error('this test file needs moto_server: list it in S3_TESTS in vitest.config.ts');
}

export const motoEndpoint: string | undefined = inject('motoEndpoint');

/** `describe` that runs when moto_server is up and reports itself skipped, by name, when it is not. */
export const describeWithMoto: typeof describe = (motoEndpoint ? describe : describe.skip) as typeof describe;

/** Environment the AWS SDK needs to talk to moto (path-style, no aws-chunked trailers). */
export function motoEnv(): Record<string, string> {
  if (!motoEndpoint) throw new Error('moto_server is not running');
  return {
    AWS_ENDPOINT_URL: motoEndpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
    AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
  };
}

/** Applies motoEnv() to process.env (SDK clients built afterwards pick it up). */
export function useMotoEnv(): void {
  Object.assign(process.env, motoEnv());
}

export function motoS3Client(): S3Client {
  if (!motoEndpoint) throw new Error('moto_server is not running');
  return new S3Client({
    endpoint: motoEndpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** A fresh bucket per test, so parallel test files never see each other's objects. */
export async function freshBucket(client = motoS3Client()): Promise<string> {
  const name = `t-${randomUUID().slice(0, 18)}`;
  await client.send(new CreateBucketCommand({ Bucket: name }));
  return name;
}
