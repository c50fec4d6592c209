// An S3 client for moto that also times CompleteMultipartUpload: moto assembles objects slowly (tens of
// seconds per GiB), which says nothing about the uploader, so the report shows it apart.
import { S3Client } from '@aws-sdk/client-s3';

export interface TimedS3Client {
  readonly client: S3Client;
  readonly completeMs: () => number;
}

export function timedS3Client(endpoint: string): TimedS3Client {
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  let completeMs = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'CompleteMultipartUploadCommand') return next(args);
      const started = performance.now();
      try {
        return await next(args);
      } finally {
        completeMs += performance.now() - started;
      }
    },
    { step: 'initialize', name: 'benchCompleteTimer' },
  );
  return { client, completeMs: () => completeMs };
}
