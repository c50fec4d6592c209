// A directory laid out exactly like the bucket (key = relative path), for running without AWS: the
// local CLI's store, and the tests'. Uploads are LocalDirUploads' job; conditional puts compare a
// SHA-256 ETag under a per-key lock (one process).
import { createHash, randomUUID } from 'node:crypto';
import { copyFile, mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { PreconditionFailedError, RangeMismatchError } from '#shared/errors';
import type {
  ByteRange,
  CompletedUpload,
  ExpectedParts,
  ObjectStore,
  PendingUpload,
  PutCondition,
  UploadLayout,
} from '#transfer/object-store';
import { LocalDirUploads } from './local-dir-uploads';
import { entriesBelow, isErrno } from './local-fs';
import { pathForKey, walkRootFor } from './local-key-path';

function etagOf(body: Buffer): string {
  return `"${createHash('sha256').update(body).digest('hex')}"`;
}

export interface LocalDirObjectStoreOptions {
  readonly root: string;
}

export class LocalDirObjectStore implements ObjectStore {
  readonly description: string;
  private readonly root: string;
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly uploads: LocalDirUploads;

  constructor(options: LocalDirObjectStoreOptions) {
    this.root = resolve(options.root);
    this.description = pathToFileURL(this.root).href;
    this.uploads = new LocalDirUploads(this.root);
  }

  createUpload(key: string, contentType: string, layout?: UploadLayout): Promise<{ uploadId: string }> {
    return this.uploads.createUpload(key, contentType, layout);
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
    const start = walkRootFor(this.root, prefix);
    const entries = await entriesBelow(start);
    const base =
      start === this.root
        ? ''
        : `${start
            .slice(this.root.length + 1)
            .split(sep)
            .join('/')}/`;
    const keys: string[] = [];
    for (const rel of entries) {
      const segments = rel.split(sep);
      // Staging directories and temporary files are hidden ('.'): they are not objects.
      if (segments.some((s) => s.startsWith('.'))) continue;
      const key = base + segments.join('/');
      if (!key.startsWith(prefix)) continue;
      const info = await stat(join(start, rel)).catch(() => undefined);
      if (info?.isFile()) keys.push(key);
    }
    return keys.sort();
  }

  async putObject(
    key: string,
    body: string | Buffer,
    _contentType: string,
    condition?: PutCondition,
  ): Promise<{ etag?: string }> {
    const target = pathForKey(this.root, key);
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    return this.withLock(target, async () => {
      if (condition?.ifMatch !== undefined || condition?.ifNoneMatch !== undefined) {
        const current = await this.getObject(key);
        if (condition.ifNoneMatch === '*' && current) {
          throw new PreconditionFailedError(`conditional write to ${key} refused: the object already exists`);
        }
        if (condition.ifMatch !== undefined && current?.etag !== condition.ifMatch) {
          throw new PreconditionFailedError(`conditional write to ${key} refused: the object changed`);
        }
      }
      await mkdir(dirname(target), { recursive: true });
      const tmp = join(dirname(target), `.${basename(target)}.${randomUUID()}.tmp`);
      await writeFile(tmp, bytes);
      await rename(tmp, target);
      return { etag: etagOf(bytes) };
    });
  }

  async getObject(key: string): Promise<{ body: Buffer; etag?: string } | undefined> {
    try {
      const body = await readFile(pathForKey(this.root, key));
      return { body, etag: etagOf(body) };
    } catch (err) {
      if (isErrno(err, 'ENOENT') || isErrno(err, 'EISDIR')) return undefined;
      throw err;
    }
  }

  async readHead(key: string, maxBytes: number): Promise<Buffer | undefined> {
    let file;
    try {
      file = await open(pathForKey(this.root, key), 'r');
    } catch (err) {
      if (isErrno(err, 'ENOENT')) return undefined;
      throw err;
    }
    try {
      const buffer = Buffer.alloc(maxBytes);
      const { bytesRead } = await file.read(buffer, 0, maxBytes, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await file.close();
    }
  }

  async headObject(key: string): Promise<{ size: number } | undefined> {
    try {
      const s = await stat(pathForKey(this.root, key));
      return s.isFile() ? { size: s.size } : undefined;
    } catch (err) {
      if (isErrno(err, 'ENOENT')) return undefined;
      throw err;
    }
  }

  async openRead(key: string, range?: ByteRange): Promise<Readable> {
    const file = await open(pathForKey(this.root, key), 'r');
    try {
      const { size } = await file.stat();
      const { start, endExclusive } = range ?? { start: 0, endExclusive: size };
      if (
        !Number.isSafeInteger(start) ||
        !Number.isSafeInteger(endExclusive) ||
        start < 0 ||
        endExclusive < start ||
        endExclusive > size
      ) {
        throw new RangeMismatchError(`${key}: bytes ${start}-${endExclusive} do not lie within its ${size} bytes`);
      }
      if (start === endExclusive) {
        await file.close();
        return Readable.from([]);
      }
      return file.createReadStream({ start, end: endExclusive - 1, autoClose: true });
    } catch (err) {
      await file.close();
      throw err;
    }
  }

  async deleteObject(key: string): Promise<void> {
    await rm(pathForKey(this.root, key), { force: true });
  }

  async copyObject(sourceKey: string, targetKey: string): Promise<void> {
    const target = pathForKey(this.root, targetKey);
    await mkdir(dirname(target), { recursive: true });
    // Copied beside the target under a hidden name, then renamed: a reader sees the whole object or none.
    const tmp = join(dirname(target), `.${basename(target)}.${randomUUID()}.tmp`);
    try {
      await copyFile(pathForKey(this.root, sourceKey), tmp);
    } catch (err) {
      if (isErrno(err, 'ENOENT')) {
        throw new Error(`${this.description}/${sourceKey} does not exist: nothing to copy to ${targetKey}`, {
          cause: err,
        });
      }
      throw err;
    }
    await rename(tmp, target);
  }

  /** Serializes read-compare-write on one path (conditional puts from concurrent Map iterations). */
  private async withLock<T>(path: string, work: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(path) ?? Promise.resolve();
    const run = previous.then(work, work);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.locks.set(path, settled);
    try {
      return await run;
    } finally {
      if (this.locks.get(path) === settled) this.locks.delete(path);
    }
  }
}
