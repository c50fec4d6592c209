// The cases the benchmark compares, each run alone in a child process (see bench-case.ts).
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { request } from 'undici';
import { httpRangeOpener } from '../lambdas/transfer/http-range-opener';
import { LocalDirObjectStore } from '../local/store/local-dir-object-store';
import type { ObjectStore } from '../lambdas/transfer/object-store';
import { S3ObjectStore } from '../lambdas/transfer/s3-object-store';
import { beginTransfer, finishTransfer, transferChunk } from '../lambdas/transfer/transfer-file';
import { ResumableSha256 } from '../lambdas/transfer/resumable-sha256';
import { type TransferMetrics, emptyTransferMetrics } from '../lambdas/transfer/transfer-metrics';
import { timedS3Client } from './bench-s3-client';
import { GeneratedCsv } from './generated-csv';

export const CASE_KINDS = [
  'source-null',
  'hash-alone',
  'sink-s3',
  'sink-local',
  'lib-storage-s3',
  'transfer-s3',
  'transfer-local',
] as const;
export type CaseKind = (typeof CASE_KINDS)[number];

export interface CaseInput {
  readonly kind: CaseKind;
  readonly url: string;
  readonly size: number;
  readonly sha256: string;
  readonly records: number;
  readonly motoEndpoint: string;
  readonly localRoot: string;
  readonly partSize: number;
  readonly partsInFlight: number;
  /** Simulated invocations to spread the transfer over (at least). */
  readonly invocations: number;
}

export interface CaseOutput {
  readonly bytes: number;
  /** Time spent in CompleteMultipartUpload (moto's assembly), part of `totalMs`. */
  readonly completeMs: number;
  readonly totalMs: number;
  readonly invocations?: number;
  readonly rangeRequests?: number;
  readonly metrics?: TransferMetrics;
}

const KEY = 'raw/bench/dt=2024-01-01/file.csv';
const BUCKET = 'bench-transfer';

async function s3Store(input: CaseInput): Promise<{ store: S3ObjectStore; completeMs: () => number }> {
  const { client, completeMs } = timedS3Client(input.motoEndpoint);
  await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
  return { store: new S3ObjectStore({ bucket: BUCKET, client }), completeMs };
}

/** The local store, timing its completion (assembling the parts into the final file). */
function timedLocalStore(root: string): { store: ObjectStore; completeMs: () => number } {
  const inner = new LocalDirObjectStore({ root });
  const store: ObjectStore = Object.create(inner) as ObjectStore;
  let completeMs = 0;
  store.completeUpload = async (...args) => {
    const started = performance.now();
    try {
      return await inner.completeUpload(...args);
    } finally {
      completeMs += performance.now() - started;
    }
  };
  return { store, completeMs: () => completeMs };
}

async function sourceToNull(input: CaseInput): Promise<CaseOutput> {
  const started = performance.now();
  const opened = await httpRangeOpener(input.url)({ start: 0 });
  let bytes = 0;
  for await (const chunk of opened.body) bytes += (chunk as Buffer).length;
  return { bytes, completeMs: 0, totalMs: performance.now() - started };
}

/**
 * The resumable SHA-256 alone on one core: the same number of bytes, part by part with the state
 * saved after each, from memory. Nothing that hashes every byte in order can move faster on one core.
 */
async function hashAlone(input: CaseInput): Promise<CaseOutput> {
  const part = Buffer.concat([...new GeneratedCsv(input.partSize).slices(0, input.partSize)]);
  const hasher = await ResumableSha256.create();
  const started = performance.now();
  for (let left = input.size; left > 0; left -= part.length) {
    hasher.update(part.subarray(0, Math.min(left, part.length)));
    hasher.save();
  }
  hasher.digestHex();
  return { bytes: input.size, completeMs: 0, totalMs: performance.now() - started };
}

/** The same bytes, same part size and parts in flight, straight from memory: what the sink can take. */
async function memoryToSink(input: CaseInput, store: ObjectStore, completeMs: () => number): Promise<CaseOutput> {
  const part = Buffer.concat([...new GeneratedCsv(input.partSize).slices(0, input.partSize)]);
  const started = performance.now();
  const { uploadId } = await store.createUpload(KEY, 'text/csv');
  const parts = Math.ceil(input.size / input.partSize);
  let next = 1;
  const worker = async () => {
    for (let n = next++; n <= parts; n = next++) {
      const length = n < parts ? input.partSize : input.size - (parts - 1) * input.partSize;
      await store.uploadPart(KEY, uploadId, n, part.subarray(0, length), length);
    }
  };
  await Promise.all(Array.from({ length: input.partsInFlight }, worker));
  await store.completeUpload(KEY, uploadId, { parts, bytes: input.size });
  return { bytes: input.size, completeMs: completeMs(), totalMs: performance.now() - started };
}

/** The usual library way: lib-storage's Upload fed by the same HTTP stream, at its defaults. */
async function libStorage(input: CaseInput): Promise<CaseOutput> {
  const { client, completeMs } = timedS3Client(input.motoEndpoint);
  await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const started = performance.now();
  const { body } = await request(input.url);
  await new Upload({ client, params: { Bucket: BUCKET, Key: KEY, Body: body, ContentType: 'text/csv' } }).done();
  return { bytes: input.size, completeMs: completeMs(), totalMs: performance.now() - started };
}

/** Our transfer, as the state machine runs it: begin, chunks over several "invocations", finish (verifying). */
async function transfer(input: CaseInput, store: ObjectStore, completeMs: () => number): Promise<CaseOutput> {
  const metrics = emptyTransferMetrics();
  const openRange = httpRangeOpener(input.url);
  const started = performance.now();
  let cursor = await beginTransfer(
    store,
    { key: KEY, contentType: 'text/csv' },
    { size: input.size, format: 'csv' },
    { partSize: input.partSize },
  );
  // Each simulated invocation moves about a third of the file (maxBytesPerInvocation), under a real
  // deadline far enough away not to interfere: the same code path as a deadline-driven stop.
  const tuning = {
    maxPartsInFlight: input.partsInFlight,
    maxBytesPerInvocation: Math.ceil(input.size / input.invocations),
  };
  while (!cursor.done) {
    cursor = await transferChunk(
      { store, openRange, metrics, tuning },
      { size: input.size },
      cursor,
      Date.now() + 10 * 60_000,
    );
  }
  const result = await finishTransfer(
    store,
    { size: input.size, sha256: input.sha256, records: input.records },
    cursor,
  );
  return {
    bytes: result.bytes,
    completeMs: completeMs(),
    totalMs: performance.now() - started,
    invocations: result.invocations,
    rangeRequests: result.rangeRequests,
    metrics,
  };
}

export async function runCase(input: CaseInput): Promise<CaseOutput> {
  switch (input.kind) {
    case 'source-null':
      return sourceToNull(input);
    case 'hash-alone':
      return hashAlone(input);
    case 'sink-s3': {
      const { store, completeMs } = await s3Store(input);
      return memoryToSink(input, store, completeMs);
    }
    case 'sink-local': {
      const { store, completeMs } = timedLocalStore(input.localRoot);
      return memoryToSink(input, store, completeMs);
    }
    case 'lib-storage-s3':
      return libStorage(input);
    case 'transfer-s3': {
      const { store, completeMs } = await s3Store(input);
      return transfer(input, store, completeMs);
    }
    case 'transfer-local': {
      const { store, completeMs } = timedLocalStore(input.localRoot);
      return transfer(input, store, completeMs);
    }
  }
}
