// The multipart half of the S3 store. Part bodies go straight to UploadPart and ETags are fetched back
// with ListParts at completion, so no ETag ever travels through state.
import type { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  type S3Client,
  UploadPartCommand,
  type CompletedPart,
  type Part,
} from '@aws-sdk/client-s3';
import { SizeMismatchError } from '#shared/errors';
import type { CompletedUpload, ExpectedParts, PendingUpload } from './object-store';
import { isNoSuchUpload, isNotFound, rethrowS3Error } from './s3-errors';

export type S3Encryption = { ServerSideEncryption?: 'AES256' | 'aws:kms'; SSEKMSKeyId?: string };

export interface S3MultipartUploadsOptions {
  readonly client: S3Client;
  readonly bucket: string;
  readonly encryption: S3Encryption;
  /** Parts per ListParts page; undefined leaves S3's own. */
  readonly listPartsPageSize: number | undefined;
  /** The store's HeadObject: how a retried completion recognises the object an earlier attempt made. */
  readonly headObject: (key: string) => Promise<{ size: number } | undefined>;
}

export class S3MultipartUploads {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly encryption: S3Encryption;
  private readonly listPartsPageSize: number | undefined;
  private readonly headObject: (key: string) => Promise<{ size: number } | undefined>;

  constructor(options: S3MultipartUploadsOptions) {
    this.client = options.client;
    this.bucket = options.bucket;
    this.encryption = options.encryption;
    this.listPartsPageSize = options.listPartsPageSize;
    this.headObject = options.headObject;
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
