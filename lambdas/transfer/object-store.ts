// Where transferred files land: one interface, two implementations (S3, a local directory laid out
// exactly like the bucket), so the same pipeline code runs in AWS and on a laptop.
import type { Readable } from 'node:stream';

export interface PutCondition {
  /** Write only if the current object still has this ETag (optimistic update). */
  readonly ifMatch?: string;
  /** Write only if no object exists at the key yet. */
  readonly ifNoneMatch?: '*';
}

export interface PendingUpload {
  readonly key: string;
  readonly uploadId: string;
}

/** What the caller knows about the parts it uploaded; completion refuses anything else. */
export interface ExpectedParts {
  /** Parts 1..parts must all exist; higher-numbered leftovers are left out of the object. */
  readonly parts: number;
  /** Sum of those parts' sizes. */
  readonly bytes: number;
}

export interface CompletedUpload {
  readonly parts: number;
  readonly bytes: number;
  /** true when the upload had already been completed by an earlier attempt (a retried finish). */
  readonly alreadyCompleted: boolean;
}

export interface ByteRange {
  readonly start: number;
  readonly endExclusive: number;
}

/** Hints about an upload's parts, which a store may use to lay them out (S3 needs none). */
export interface UploadLayout {
  /** Every part but the last will have exactly this many bytes (the last at most as many). */
  readonly partSize?: number;
}

export interface ObjectStore {
  /** 's3://bucket' or 'file:///abs/dir', for logs and manifests. */
  readonly description: string;
  createUpload(key: string, contentType: string, layout?: UploadLayout): Promise<{ uploadId: string }>;
  /** Replaces an earlier part with the same number (re-sending a part is how a transfer resumes). */
  uploadPart(
    key: string,
    uploadId: string,
    partNumber: number,
    body: Readable | Buffer,
    contentLength: number,
  ): Promise<void>;
  /**
   * Lists the parts itself (never needs ETags from state) and assembles the object. With `expected`,
   * throws SizeMismatchError (leaving the upload open for the caller to abort) when the stored parts
   * disagree. A retried completion of an upload that already completed with the expected size succeeds.
   */
  completeUpload(key: string, uploadId: string, expected?: ExpectedParts): Promise<CompletedUpload>;
  /** Idempotent: aborting an unknown or already-aborted upload is not an error. */
  abortUpload(key: string, uploadId: string): Promise<void>;
  listPendingUploads(prefix: string): Promise<PendingUpload[]>;
  /** Keys of the (complete, visible) objects that start with `prefix`, sorted. */
  listKeys(prefix: string): Promise<string[]>;
  /** Throws PreconditionFailedError when `condition` does not hold. */
  putObject(
    key: string,
    body: string | Buffer,
    contentType: string,
    condition?: PutCondition,
  ): Promise<{ etag?: string }>;
  getObject(key: string): Promise<{ body: Buffer; etag?: string } | undefined>;
  /** Up to `maxBytes` from the start of an object (empty for an empty object, undefined when missing). */
  readHead(key: string, maxBytes: number): Promise<Buffer | undefined>;
  headObject(key: string): Promise<{ size: number } | undefined>;
  /**
   * Streams an object, or bytes [start, endExclusive) of it. Rejects when the object is missing and
   * with RangeMismatchError when the range does not lie within it; an empty range streams nothing.
   */
  openRead(key: string, range?: ByteRange): Promise<Readable>;
  deleteObject(key: string): Promise<void>;
  /**
   * Copies a complete object to another key inside the store (server-side on S3: no bytes through the
   * caller), so staged objects can be published into a table's location. Rejects when the source is
   * missing.
   */
  copyObject(sourceKey: string, targetKey: string): Promise<void>;
}
