// A new object written as it is produced: bytes gather into parts of a fixed size that go out as a
// multipart upload, hashed on the way, so memory holds one part, and nothing is visible until complete.
import { createHash } from 'node:crypto';
import type { ObjectStore } from '#transfer/object-store';

/** S3's smallest part but the last is 5 MiB; 8 MiB keeps the part count low for large splits. */
export const UPLOAD_PART_BYTES = 8 * 1024 * 1024;

export interface UploadedObject {
  readonly key: string;
  readonly bytes: number;
  readonly sha256: string;
}

export class StreamingObjectUpload {
  private uploadId: string | undefined;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private parts = 0;
  private total = 0;
  private readonly hash = createHash('sha256');

  constructor(
    private readonly store: ObjectStore,
    readonly key: string,
    private readonly contentType: string,
    private readonly partBytes = UPLOAD_PART_BYTES,
  ) {}

  async append(bytes: Uint8Array): Promise<void> {
    if (bytes.length === 0) return;
    this.hash.update(bytes);
    this.total += bytes.length;
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    while (this.pendingBytes >= this.partBytes) await this.sendPart(this.partBytes);
  }

  async complete(): Promise<UploadedObject> {
    if (this.pendingBytes > 0 || this.parts === 0) await this.sendPart(this.pendingBytes);
    const uploadId = await this.upload();
    await this.store.completeUpload(this.key, uploadId, { parts: this.parts, bytes: this.total });
    return { key: this.key, bytes: this.total, sha256: this.hash.digest('hex') };
  }

  /** Leaves no object and no pending upload behind; safe to call when nothing was started. */
  async abort(): Promise<void> {
    if (this.uploadId) await this.store.abortUpload(this.key, this.uploadId);
  }

  private async upload(): Promise<string> {
    this.uploadId ??= (await this.store.createUpload(this.key, this.contentType)).uploadId;
    return this.uploadId;
  }

  private async sendPart(size: number): Promise<void> {
    const all = Buffer.concat(this.pending, this.pendingBytes);
    const body = all.subarray(0, size);
    const rest = all.subarray(size);
    this.pending = rest.length > 0 ? [rest] : [];
    this.pendingBytes = rest.length;
    const uploadId = await this.upload();
    this.parts += 1;
    await this.store.uploadPart(this.key, uploadId, this.parts, body, body.length);
  }
}
