// The production store: objects read and written with single S3 calls here; multipart uploads are
// s3-multipart-uploads.ts, which the store hands its client, bucket and encryption.
import { Readable } from 'node:stream';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { PreconditionFailedError, RangeMismatchError } from '#shared/errors';
import type {
  ByteRange,
  CompletedUpload,
  ExpectedParts,
  ObjectStore,
  PendingUpload,
  PutCondition,
} from './object-store';
import { errorNameOf, httpStatusOf, isNotFound, rethrowS3Error } from './s3-errors';
import { S3MultipartUploads, type S3Encryption } from './s3-multipart-uploads';

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
  private readonly encryption: S3Encryption;
  private readonly uploads: S3MultipartUploads;

  constructor(options: S3ObjectStoreOptions) {
    this.bucket = options.bucket;
    this.client = options.client ?? defaultClient();
    this.description = `s3://${options.bucket}`;
    this.encryption = {
      ...(options.serverSideEncryption ? { ServerSideEncryption: options.serverSideEncryption } : {}),
      ...(options.serverSideEncryption === 'aws:kms' && options.kmsKeyId ? { SSEKMSKeyId: options.kmsKeyId } : {}),
    };
    this.uploads = new S3MultipartUploads({
      client: this.client,
      bucket: this.bucket,
      encryption: this.encryption,
      listPartsPageSize: options.listPartsPageSize,
      headObject: (key) => this.headObject(key),
    });
  }

  createUpload(key: string, contentType: string): Promise<{ uploadId: string }> {
    return this.uploads.createUpload(key, contentType);
  }

  uploadPart(
    key: string,
    uploadId: string,
    partNumber: number,
    body: Readable | Buffer,
    contentLength: number,
  ): Promise<void> {
    return this.uploads.uploadPart(key, uploadId, partNumber, body, contentLength);
  }

  completeUpload(key: string, uploadId: string, expected?: ExpectedParts): Promise<CompletedUpload> {
    return this.uploads.completeUpload(key, uploadId, expected);
  }

  abortUpload(key: string, uploadId: string): Promise<void> {
    return this.uploads.abortUpload(key, uploadId);
  }

  listPendingUploads(prefix: string): Promise<PendingUpload[]> {
    return this.uploads.listPendingUploads(prefix);
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

  async copyObject(sourceKey: string, targetKey: string): Promise<void> {
    try {
      await this.client.send(
        new CopyObjectCommand({
          Bucket: this.bucket,
          Key: targetKey,
          // CopySource is `bucket/key` with the key URL-encoded (keys hold `=` and `:`).
          CopySource: `${this.bucket}/${sourceKey.split('/').map(encodeURIComponent).join('/')}`,
          ...this.encryption,
        }),
      );
    } catch (err) {
      if (isNotFound(err)) {
        throw new Error(`${this.description}/${sourceKey} does not exist: nothing to copy to ${targetKey}`, {
          cause: err,
        });
      }
      return rethrowS3Error(err, 'CopyObject');
    }
  }
}

function checkRange(key: string, range: ByteRange): void {
  const { start, endExclusive } = range;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(endExclusive) || start < 0 || endExclusive < start) {
    throw new RangeMismatchError(`${key}: ${start}-${endExclusive} is not a byte range`);
  }
}
