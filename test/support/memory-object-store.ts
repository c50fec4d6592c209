// An ObjectStore in memory with S3's rules where the pipeline relies on them: parts replace parts of
// the same number, every part but the last is at least 5 MiB, completion lists the parts itself and
// a retried completion finds the object, conditional puts compare ETags (If-Match on a missing key
// fails too), listings are sorted and only show complete objects. Steps run over it without moto.
import { createHash, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { PreconditionFailedError, RangeMismatchError, SizeMismatchError } from '../../lambdas/shared/errors';
import type {
  CompletedUpload,
  ExpectedParts,
  ObjectStore,
  PendingUpload,
  PutCondition,
} from '../../lambdas/transfer/object-store';
import { MIN_PART_SIZE } from '../../lambdas/transfer/part-size';

export type StoreOperation = Exclude<keyof ObjectStore, 'description'>;

interface StoredObject {
  readonly body: Buffer;
  readonly contentType: string;
  readonly etag: string;
}

interface OpenUpload {
  readonly key: string;
  readonly contentType: string;
  readonly parts: Map<number, Buffer>;
}

export interface MemoryObjectStoreOptions {
  /** Smallest part allowed before the last one. @default 5 MiB, as S3 */
  readonly minPartSize?: number;
}

function md5(data: Buffer): string {
  return createHash('md5').update(data).digest('hex');
}

async function bytesOf(body: Readable | Buffer): Promise<Buffer> {
  if (Buffer.isBuffer(body)) return Buffer.from(body);
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

export class MemoryObjectStore implements ObjectStore {
  readonly description: string;
  /** Every call, in order, with its key (what a test asserts a step did or did not touch). */
  readonly calls: Array<{ readonly op: StoreOperation; readonly key: string }> = [];
  private readonly objects = new Map<string, StoredObject>();
  private readonly uploads = new Map<string, OpenUpload>();
  private readonly completed = new Map<string, string>();
  private readonly failures: Array<{ op: StoreOperation; error: Error; times: number; keyPrefix?: string }> = [];
  private readonly minPartSize: number;
  private beforeCall?: (op: StoreOperation, key: string) => Promise<void> | void;

  constructor(name = 'memory-bucket', options: MemoryObjectStoreOptions = {}) {
    this.description = `memory://${name}`;
    this.minPartSize = options.minPartSize ?? MIN_PART_SIZE;
  }

  /** The next `times` calls of `op` (on keys starting with `keyPrefix`, if given) throw `error`. */
  failNext(op: StoreOperation, error: Error, options: { times?: number; keyPrefix?: string } = {}): void {
    this.failures.push({
      op,
      error,
      times: options.times ?? 1,
      ...(options.keyPrefix !== undefined ? { keyPrefix: options.keyPrefix } : {}),
    });
  }

  /** Runs before every call (after it is logged): lets a test change the store between a read and a write. */
  onCall(listener: ((op: StoreOperation, key: string) => Promise<void> | void) | undefined): void {
    this.beforeCall = listener;
  }

  /** Every object key, sorted (pending uploads excluded). */
  keys(): string[] {
    return [...this.objects.keys()].sort();
  }

  text(key: string): string | undefined {
    return this.objects.get(key)?.body.toString('utf8');
  }

  json(key: string): unknown {
    const text = this.text(key);
    return text === undefined ? undefined : JSON.parse(text);
  }

  contentType(key: string): string | undefined {
    return this.objects.get(key)?.contentType;
  }

  /** Writes without logging or faults: test set-up that the step under test must not see as its own call. */
  seed(key: string, body: string | Buffer, contentType = 'application/octet-stream'): void {
    const bytes = Buffer.from(body);
    this.objects.set(key, { body: bytes, contentType, etag: `"${md5(bytes)}"` });
  }

  private async enter(op: StoreOperation, key: string): Promise<void> {
    this.calls.push({ op, key });
    const index = this.failures.findIndex(
      (f) => f.op === op && f.times > 0 && (f.keyPrefix === undefined || key.startsWith(f.keyPrefix)),
    );
    const failure = this.failures[index];
    if (failure) {
      failure.times -= 1;
      if (failure.times === 0) this.failures.splice(index, 1);
      throw failure.error;
    }
    await this.beforeCall?.(op, key);
  }

  private upload(key: string, uploadId: string): OpenUpload {
    const upload = this.uploads.get(uploadId);
    if (!upload || upload.key !== key)
      throw Object.assign(new Error(`NoSuchUpload: upload ${uploadId} for ${key} does not exist`), {
        name: 'NoSuchUpload',
      });
    return upload;
  }

  async createUpload(key: string, contentType: string): Promise<{ uploadId: string }> {
    await this.enter('createUpload', key);
    const uploadId = randomUUID();
    this.uploads.set(uploadId, { key, contentType, parts: new Map() });
    return { uploadId };
  }

  async uploadPart(
    key: string,
    uploadId: string,
    partNumber: number,
    body: Readable | Buffer,
    contentLength: number,
  ): Promise<void> {
    await this.enter('uploadPart', key);
    const upload = this.upload(key, uploadId);
    const bytes = await bytesOf(body);
    if (bytes.length !== contentLength)
      throw new SizeMismatchError(`part ${partNumber} has ${bytes.length} bytes, announced ${contentLength}`);
    upload.parts.set(partNumber, bytes);
  }

  async completeUpload(key: string, uploadId: string, expected?: ExpectedParts): Promise<CompletedUpload> {
    await this.enter('completeUpload', key);
    const upload = this.uploads.get(uploadId);
    if (!upload || upload.key !== key) {
      const head = this.objects.get(key);
      if (expected && this.completed.get(uploadId) === key && head?.body.length === expected.bytes) {
        return { parts: expected.parts, bytes: expected.bytes, alreadyCompleted: true };
      }
      throw Object.assign(
        new Error(`NoSuchUpload: upload ${uploadId} for ${key} no longer exists (aborted or expired)`),
        { name: 'NoSuchUpload' },
      );
    }
    const count = expected?.parts ?? upload.parts.size;
    const chosen: Buffer[] = [];
    for (let n = 1; n <= count; n++) {
      const part = upload.parts.get(n);
      if (!part) throw new SizeMismatchError(`upload for ${key} is missing part ${n} of ${count}`);
      if (n < count && part.length < this.minPartSize) {
        throw Object.assign(
          new Error(`EntityTooSmall: part ${n} of ${key} is ${part.length} bytes, under ${this.minPartSize}`),
          { name: 'EntityTooSmall' },
        );
      }
      chosen.push(part);
    }
    const body = Buffer.concat(chosen);
    if (expected && body.length !== expected.bytes) {
      throw new SizeMismatchError(
        `upload for ${key} holds ${body.length} bytes in parts 1..${count}, expected ${expected.bytes}`,
      );
    }
    const etag = `"${md5(Buffer.concat(chosen.map((p) => Buffer.from(md5(p), 'hex'))))}-${count}"`;
    this.objects.set(key, { body, contentType: upload.contentType, etag });
    this.uploads.delete(uploadId);
    this.completed.set(uploadId, key);
    return { parts: count, bytes: body.length, alreadyCompleted: false };
  }

  async abortUpload(key: string, uploadId: string): Promise<void> {
    await this.enter('abortUpload', key);
    if (this.uploads.get(uploadId)?.key === key) this.uploads.delete(uploadId);
  }

  async listPendingUploads(prefix: string): Promise<PendingUpload[]> {
    await this.enter('listPendingUploads', prefix);
    return [...this.uploads.entries()]
      .filter(([, u]) => u.key.startsWith(prefix))
      .map(([uploadId, u]) => ({ key: u.key, uploadId }))
      .sort((a, b) => a.key.localeCompare(b.key) || a.uploadId.localeCompare(b.uploadId));
  }

  async listKeys(prefix: string): Promise<string[]> {
    await this.enter('listKeys', prefix);
    return this.keys().filter((k) => k.startsWith(prefix));
  }

  async putObject(
    key: string,
    body: string | Buffer,
    contentType: string,
    condition?: PutCondition,
  ): Promise<{ etag?: string }> {
    await this.enter('putObject', key);
    const current = this.objects.get(key);
    if (condition?.ifNoneMatch === '*' && current)
      throw new PreconditionFailedError(
        `conditional write to ${this.description}/${key} refused: the object already exists`,
      );
    if (condition?.ifMatch !== undefined && current?.etag !== condition.ifMatch) {
      throw new PreconditionFailedError(`conditional write to ${this.description}/${key} refused: the object changed`);
    }
    const bytes = Buffer.from(body);
    const etag = `"${md5(bytes)}"`;
    this.objects.set(key, { body: bytes, contentType, etag });
    return { etag };
  }

  async getObject(key: string): Promise<{ body: Buffer; etag?: string } | undefined> {
    await this.enter('getObject', key);
    const found = this.objects.get(key);
    return found ? { body: Buffer.from(found.body), etag: found.etag } : undefined;
  }

  async readHead(key: string, maxBytes: number): Promise<Buffer | undefined> {
    await this.enter('readHead', key);
    const found = this.objects.get(key);
    return found ? Buffer.from(found.body.subarray(0, maxBytes)) : undefined;
  }

  async openRead(key: string, range?: { start: number; endExclusive: number }): Promise<Readable> {
    await this.enter('openRead', key);
    const found = this.objects.get(key);
    if (!found) throw new Error(`NoSuchKey: ${key}`);
    const { start, endExclusive } = range ?? { start: 0, endExclusive: found.body.length };
    if (start < 0 || endExclusive < start || endExclusive > found.body.length) {
      throw new RangeMismatchError(
        `${key}: bytes ${start}-${endExclusive} do not lie within its ${found.body.length} bytes`,
      );
    }
    const slice = Buffer.from(found.body.subarray(start, endExclusive));
    return Readable.from(slice.length > 0 ? [slice] : []);
  }

  async headObject(key: string): Promise<{ size: number } | undefined> {
    await this.enter('headObject', key);
    const found = this.objects.get(key);
    return found ? { size: found.body.length } : undefined;
  }

  async deleteObject(key: string): Promise<void> {
    await this.enter('deleteObject', key);
    this.objects.delete(key);
  }

  async copyObject(sourceKey: string, targetKey: string): Promise<void> {
    await this.enter('copyObject', sourceKey);
    const found = this.objects.get(sourceKey);
    if (!found) throw new Error(`memory://${sourceKey} does not exist: nothing to copy to ${targetKey}`);
    this.objects.set(targetKey, { ...found, body: Buffer.from(found.body) });
  }
}
