// The production store: S3 multipart uploads, with part bodies handed straight to UploadPart and
// ETags fetched back with ListParts at completion, so no ETag ever travels through state.
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
  type CompletedPart,
  type Part,
} from '@aws-sdk/client-s3';
import { PreconditionFailedError, RangeMismatchError, SizeMismatchError } from '#shared/errors';
import type {
  ByteRange,
  CompletedUpload,
  ExpectedParts,
  ObjectStore,
  PendingUpload,
  PutCondition,
} from './object-store';
import { errorNameOf, httpStatusOf, isNoSuchUpload, isNotFound, rethrowS3Error } from './s3-errors';

export interface S3ObjectStoreOptions {
  readonly bucket: string;
  /** Defaults to a client configured from the environment (path-style when an endpoint override is set). */
  readonly client?: S3Client;
  /** @default the bucket's default encryption */
  readonly serverSideEncryption?: 'AES256' | 'aws:kms';
  /** KMS key for 'aws:kms'; @default the AWS managed key */
  readonly kmsKeyId?: string;
  /** Parts per ListParts page. @default S3's own (1,000) */
  readonly listPartsPageSize?: number;
}

function defaultClient(): S3Client {
  // Emulators (moto, MinIO) behind AWS_ENDPOINT_URL only understand path-style addressing.
  const endpointOverride = process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL;
  return new S3Client({ forcePathStyle: Boolean(endpointOverride) });
}

export class S3ObjectStore implements ObjectStore {
  readonly description: string;
  private readonly bucket: string;
  private readonly client: S3Client;
  private readonly encryption: { ServerSideEncryption?: 'AES256' | 'aws:kms'; SSEKMSKeyId?: string };
  private readonly listPartsPageSize: number | undefined;

  constructor(options: S3ObjectStoreOptions) {
    this.bucket = options.bucket;
    this.client = options.client ?? defaultClient();
    this.description = `s3://${options.bucket}`;
    this.listPartsPageSize = options.listPartsPageSize;
    this.encryption = {
      ...(options.serverSideEncryption ? { ServerSideEncryption: options.serverSideEncryption } : {}),
      ...(options.serverSideEncryption === 'aws:kms' && options.kmsKeyId ? { SSEKMSKeyId: options.kmsKeyId } : {}),
    };
  }

  async createUpload(key: string, contentType: string): Promise<{ uploadId: string }> {
    try {
      const out = await this.client.send(
        new CreateMultipartUploadCommand({
          Bucket: this.bucket,
          Key: key,
          ContentType: contentType,
          ...this.encryption,
        }),
      );
      if (!out.UploadId) throw new Error(`S3 CreateMultipartUpload for ${key} returned no UploadId`);
      return { uploadId: out.UploadId };
    } catch (err) {
      return rethrowS3Error(err, 'CreateMultipartUpload');
    }
  }

  async uploadPart(
    key: string,
    uploadId: string,
    partNumber: number,
    body: Readable | Buffer,
    contentLength: number,
  ): Promise<void> {
    // The SDK does not watch a streamed body for errors: a source that fails mid-part would leave the
    // request waiting for bytes that never come. Abort the request instead.
    const controller = new AbortController();
    const onBodyError = (err: unknown) => controller.abort(err);
    if (!Buffer.isBuffer(body)) body.once('error', onBodyError);
    try {
      await this.client.send(
        new UploadPartCommand({
          Bucket: this.bucket,
          Key: key,
          UploadId: uploadId,
          PartNumber: partNumber,
          Body: body,
          ContentLength: contentLength,
        }),
        { abortSignal: controller.signal },
      );
    } catch (err) {
      if (controller.signal.aborted) throw controller.signal.reason;
      return rethrowS3Error(err, `UploadPart ${partNumber}`);
    } finally {
      if (!Buffer.isBuffer(body)) body.off('error', onBodyError);
    }
  }

  private async listParts(key: string, uploadId: string): Promise<Part[]> {
    const parts: Part[] = [];
    let marker: string | undefined;
    for (;;) {
      const page = await this.client.send(
        new ListPartsCommand({
          Bucket: this.bucket,
          Key: key,
          UploadId: uploadId,
          PartNumberMarker: marker,
          MaxParts: this.listPartsPageSize,
        }),
      );
      parts.push(...(page.Parts ?? []));
      if (!page.IsTruncated) return parts;
      if (!page.NextPartNumberMarker || page.NextPartNumberMarker === marker) {
        throw new Error(`S3 ListParts for ${key} is truncated without a usable NextPartNumberMarker`);
      }
      marker = page.NextPartNumberMarker;
    }
  }

  async completeUpload(key: string, uploadId: string, expected?: ExpectedParts): Promise<CompletedUpload> {
    let listed: Part[];
    try {
      listed = await this.listParts(key, uploadId);
    } catch (err) {
      if (isNoSuchUpload(err)) return this.completedEarlier(key, uploadId, expected, err);
      return rethrowS3Error(err, 'ListParts');
    }
    const chosen = choosePartsToComplete(key, listed, expected);
    try {
      await this.client.send(
        new CompleteMultipartUploadCommand({
          Bucket: this.bucket,
          Key: key,
          UploadId: uploadId,
          MultipartUpload: { Parts: chosen.parts },
        }),
      );
    } catch (err) {
      if (isNoSuchUpload(err)) return this.completedEarlier(key, uploadId, expected, err);
      return rethrowS3Error(err, 'CompleteMultipartUpload');
    }
    return { parts: chosen.parts.length, bytes: chosen.bytes, alreadyCompleted: false };
  }

  /** A finish that is retried after its CompleteMultipartUpload went through finds no upload, but the object. */
  private async completedEarlier(
    key: string,
    uploadId: string,
    expected: ExpectedParts | undefined,
    cause: unknown,
  ): Promise<CompletedUpload> {
    const head = expected ? await this.headObject(key) : undefined;
    if (expected && head?.size === expected.bytes)
      return { parts: expected.parts, bytes: head.size, alreadyCompleted: true };
    throw new Error(`S3 upload ${uploadId} for ${key} no longer exists (aborted or expired)`, { cause });
  }

  async abortUpload(key: string, uploadId: string): Promise<void> {
    try {
      await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId }));
    } catch (err) {
      if (isNotFound(err)) return;
      return rethrowS3Error(err, 'AbortMultipartUpload');
    }
  }

  async listPendingUploads(prefix: string): Promise<PendingUpload[]> {
    const found: PendingUpload[] = [];
    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    try {
      for (;;) {
        const page = await this.client.send(
          new ListMultipartUploadsCommand({
            Bucket: this.bucket,
            Prefix: prefix,
            KeyMarker: keyMarker,
            UploadIdMarker: uploadIdMarker,
          }),
        );
        for (const u of page.Uploads ?? []) if (u.Key && u.UploadId) found.push({ key: u.Key, uploadId: u.UploadId });
        if (!page.IsTruncated) return found;
        keyMarker = page.NextKeyMarker;
        uploadIdMarker = page.NextUploadIdMarker;
      }
    } catch (err) {
      return rethrowS3Error(err, 'ListMultipartUploads');
    }
  }

  async listKeys(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    try {
      do {
        const page = await this.client.send(
          new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }),
        );
        for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    } catch (err) {
      return rethrowS3Error(err, 'ListObjectsV2');
    }
    return keys.sort();
  }

  async putObject(
    key: string,
    body: string | Buffer,
    contentType: string,
    condition?: PutCondition,
  ): Promise<{ etag?: string }> {
    try {
      const out = await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: body,
          ContentType: contentType,
          ...this.encryption,
          ...(condition?.ifMatch ? { IfMatch: condition.ifMatch } : {}),
          ...(condition?.ifNoneMatch ? { IfNoneMatch: condition.ifNoneMatch } : {}),
        }),
      );
      return out.ETag ? { etag: out.ETag } : {};
    } catch (err) {
      // If-Match on a missing key answers 404 NoSuchKey: the expected version is not there either.
      if (
        condition &&
        (httpStatusOf(err) === 412 ||
          errorNameOf(err) === 'PreconditionFailed' ||
          (condition.ifMatch && isNotFound(err)))
      ) {
        throw new PreconditionFailedError(
          `conditional write to ${this.description}/${key} refused: the object changed`,
          { cause: err },
        );
      }
      return rethrowS3Error(err, 'PutObject');
    }
  }

  async getObject(key: string): Promise<{ body: Buffer; etag?: string } | undefined> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      const bytes = out.Body ? await out.Body.transformToByteArray() : new Uint8Array();
      return {
        body: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
        ...(out.ETag ? { etag: out.ETag } : {}),
      };
    } catch (err) {
      if (isNotFound(err)) return undefined;
      return rethrowS3Error(err, 'GetObject');
    }
  }

  async readHead(key: string, maxBytes: number): Promise<Buffer | undefined> {
    try {
      const out = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: `bytes=0-${maxBytes - 1}` }),
      );
      const bytes = out.Body ? await out.Body.transformToByteArray() : new Uint8Array();
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    } catch (err) {
      // A range on an empty object is unsatisfiable.
      if (httpStatusOf(err) === 416) return Buffer.alloc(0);
      if (isNotFound(err)) return undefined;
      return rethrowS3Error(err, 'GetObject');
    }
  }

  async headObject(key: string): Promise<{ size: number } | undefined> {
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { size: out.ContentLength ?? 0 };
    } catch (err) {
      if (isNotFound(err)) return undefined;
      return rethrowS3Error(err, 'HeadObject');
    }
  }

  async openRead(key: string, range?: ByteRange): Promise<Readable> {
    if (range) checkRange(key, range);
    // S3 cannot express an empty range; an empty stream needs the object to exist all the same.
    if (range && range.start === range.endExclusive) {
      const head = await this.headObject(key);
      if (!head) throw new Error(`${this.description}/${key} does not exist`);
      if (range.start > head.size)
        throw new RangeMismatchError(
          `${key}: bytes ${range.start}-${range.endExclusive} lie beyond its ${head.size} bytes`,
        );
      return Readable.from([]);
    }
    let out;
    try {
      out = await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: key,
          ...(range ? { Range: `bytes=${range.start}-${range.endExclusive - 1}` } : {}),
        }),
      );
    } catch (err) {
      if (httpStatusOf(err) === 416)
        throw new RangeMismatchError(`${key}: bytes ${range?.start}-${range?.endExclusive} lie beyond the object`, {
          cause: err,
        });
      if (isNotFound(err)) throw new Error(`${this.description}/${key} does not exist`, { cause: err });
      return rethrowS3Error(err, 'GetObject');
    }
    const body = out.Body;
    if (!(body instanceof Readable)) throw new Error(`S3 GetObject for ${key} returned no stream`);
    // S3 answers a range that runs past the end with the bytes it has: a short read must not pass as whole.
    if (range && out.ContentLength !== range.endExclusive - range.start) {
      body.destroy();
      throw new RangeMismatchError(
        `${key}: asked for bytes ${range.start}-${range.endExclusive}, S3 sent ${out.ContentLength} bytes`,
      );
    }
    return body;
  }

  async deleteObject(key: string): Promise<void> {
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (err) {
      return rethrowS3Error(err, 'DeleteObject');
    }
  }
}

function checkRange(key: string, range: ByteRange): void {
  const { start, endExclusive } = range;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(endExclusive) || start < 0 || endExclusive < start) {
    throw new RangeMismatchError(`${key}: ${start}-${endExclusive} is not a byte range`);
  }
}

/** Parts 1..n in order, checked against what the caller uploaded. */
function choosePartsToComplete(
  key: string,
  listed: readonly Part[],
  expected?: ExpectedParts,
): { parts: CompletedPart[]; bytes: number } {
  const byNumber = new Map<number, Part>();
  for (const p of listed) if (p.PartNumber !== undefined) byNumber.set(p.PartNumber, p);
  const count = expected?.parts ?? byNumber.size;
  const parts: CompletedPart[] = [];
  let bytes = 0;
  for (let n = 1; n <= count; n++) {
    const p = byNumber.get(n);
    if (!p?.ETag) throw new SizeMismatchError(`upload for ${key} is missing part ${n} of ${count}`);
    parts.push({ PartNumber: n, ETag: p.ETag });
    bytes += p.Size ?? 0;
  }
  if (expected && bytes !== expected.bytes) {
    throw new SizeMismatchError(
      `upload for ${key} holds ${bytes} bytes in parts 1..${count}, expected ${expected.bytes}`,
    );
  }
  return { parts, bytes };
}
