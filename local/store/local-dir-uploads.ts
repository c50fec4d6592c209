// The multipart uploads of the local-directory store. Each upload lives in a hidden directory beside
// its target. When the caller states its part size, parts are written in place at their offsets of
// one hidden file, which completion truncates, syncs and renames over the key: every byte is written
// once. Parts that do not fit that layout (or any part when no size was stated) are staged as files of
// their own and completion copies them into a hidden file first. Either way a reader sees the old
// object or the whole new one, never a partial one.
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { SizeMismatchError } from '#shared/errors';
import type { CompletedUpload, ExpectedParts, PendingUpload, UploadLayout } from '#transfer/object-store';
import { entriesBelow, isErrno } from './local-fs';
import { STAGING_PREFIX, partFileName, partNumberOf, pathForKey, stagingDirFor, walkRootFor } from './local-key-path';

const UploadMeta = z.object({
  key: z.string(),
  contentType: z.string(),
  createdAt: z.string(),
  partSize: z.number().int().positive().optional(),
});
const META_FILE = 'upload.json';
/** The object being written in place (parts at (n-1) × partSize). */
const IN_PLACE_FILE = 'object';
/** A part written in place is listed by a marker holding its length, written once its bytes are. */
const SlotMarker = z.object({ bytes: z.number().int().nonnegative() });
const slotMarkerName = (partNumber: number) => `${partFileName(partNumber)}.slot`;
function slotPartNumberOf(name: string): number | undefined {
  return name.endsWith('.slot') ? partNumberOf(name.slice(0, -'.slot'.length)) : undefined;
}

/** Where part n's bytes are: a staged file of its own, or a slot of the in-place file. */
interface StoredPart {
  readonly bytes: number;
  readonly inPlace: boolean;
}
const COPY_BUFFER_BYTES = 4 * 1024 * 1024;

/** Size of the object at `path`, or undefined when there is none. */
async function sizeOf(path: string): Promise<number | undefined> {
  try {
    const s = await stat(path);
    return s.isFile() ? s.size : undefined;
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return undefined;
    throw err;
  }
}

export class LocalDirUploads {
  /** Part size of in-place uploads by staging directory (read from upload.json once). */
  private readonly slotSizes = new Map<string, number | undefined>();

  constructor(private readonly root: string) {}

  async createUpload(key: string, contentType: string, layout?: UploadLayout): Promise<{ uploadId: string }> {
    const uploadId = randomUUID();
    const staging = stagingDirFor(this.root, key, uploadId);
    await mkdir(staging, { recursive: true });
    const partSize = layout?.partSize;
    if (partSize !== undefined) await writeFile(join(staging, IN_PLACE_FILE), '');
    await writeFile(
      join(staging, META_FILE),
      JSON.stringify({
        key,
        contentType,
        createdAt: new Date().toISOString(),
        ...(partSize !== undefined ? { partSize } : {}),
      }),
    );
    this.slotSizes.set(staging, partSize);
    return { uploadId };
  }

  private async slotSizeOf(staging: string): Promise<number | undefined> {
    if (this.slotSizes.has(staging)) return this.slotSizes.get(staging);
    const meta = UploadMeta.parse(JSON.parse(await readFile(join(staging, META_FILE), 'utf8')));
    this.slotSizes.set(staging, meta.partSize);
    return meta.partSize;
  }

  async uploadPart(
    key: string,
    uploadId: string,
    partNumber: number,
    body: Readable | Buffer,
    contentLength: number,
  ): Promise<void> {
    const staging = stagingDirFor(this.root, key, uploadId);
    let slotSize: number | undefined;
    try {
      slotSize = await this.slotSizeOf(staging);
    } catch (err) {
      if (isErrno(err, 'ENOENT'))
        throw new Error(`upload ${uploadId} for ${key} does not exist (aborted or completed)`, { cause: err });
      throw err;
    }
    // A stream could run past its slot into the next part's, so only buffers are written in place.
    if (slotSize !== undefined && Buffer.isBuffer(body) && contentLength <= slotSize) {
      return this.writeInPlace(key, uploadId, staging, partNumber, body, contentLength, (partNumber - 1) * slotSize);
    }
    await rm(join(staging, slotMarkerName(partNumber)), { force: true });
    const finalPath = join(staging, partFileName(partNumber));
    // Written under a temp name and renamed, so a part cut short by a dying writer is never listed.
    const tmp = `${finalPath}.${randomUUID()}.tmp`;
    try {
      if (Buffer.isBuffer(body)) {
        if (body.length !== contentLength)
          throw new SizeMismatchError(`part ${partNumber} has ${body.length} bytes, announced ${contentLength}`);
        await writeFile(tmp, body);
      } else {
        await pipeline(body, createWriteStream(tmp));
        const written = (await stat(tmp)).size;
        if (written !== contentLength)
          throw new SizeMismatchError(`part ${partNumber} has ${written} bytes, announced ${contentLength}`);
      }
      await rename(tmp, finalPath);
    } catch (err) {
      await rm(tmp, { force: true });
      if (isErrno(err, 'ENOENT'))
        throw new Error(`upload ${uploadId} for ${key} does not exist (aborted or completed)`, { cause: err });
      throw err;
    }
  }

  private async writeInPlace(
    key: string,
    uploadId: string,
    staging: string,
    partNumber: number,
    body: Buffer,
    contentLength: number,
    offset: number,
  ): Promise<void> {
    if (body.length !== contentLength)
      throw new SizeMismatchError(`part ${partNumber} has ${body.length} bytes, announced ${contentLength}`);
    const marker = join(staging, slotMarkerName(partNumber));
    const tmp = `${marker}.${randomUUID()}.tmp`;
    try {
      // Unlisted while its slot changes, so a writer dying mid-write leaves the part missing, never mixed.
      await rm(marker, { force: true });
      await rm(join(staging, partFileName(partNumber)), { force: true });
      const file = await open(join(staging, IN_PLACE_FILE), 'r+');
      try {
        let written = 0;
        while (written < body.length)
          written += (await file.write(body, written, body.length - written, offset + written)).bytesWritten;
      } finally {
        await file.close();
      }
      await writeFile(tmp, JSON.stringify({ bytes: contentLength }));
      await rename(tmp, marker);
    } catch (err) {
      await rm(tmp, { force: true });
      if (isErrno(err, 'ENOENT'))
        throw new Error(`upload ${uploadId} for ${key} does not exist (aborted or completed)`, { cause: err });
      throw err;
    }
  }

  private async storedParts(staging: string): Promise<Map<number, StoredPart>> {
    const parts = new Map<number, StoredPart>();
    for (const name of await readdir(staging)) {
      const staged = partNumberOf(name);
      if (staged !== undefined && !parts.has(staged))
        parts.set(staged, { bytes: (await stat(join(staging, name))).size, inPlace: false });
      const slot = slotPartNumberOf(name);
      if (slot !== undefined)
        parts.set(slot, {
          bytes: SlotMarker.parse(JSON.parse(await readFile(join(staging, name), 'utf8'))).bytes,
          inPlace: true,
        });
    }
    return parts;
  }

  async completeUpload(key: string, uploadId: string, expected?: ExpectedParts): Promise<CompletedUpload> {
    const target = pathForKey(this.root, key);
    const staging = stagingDirFor(this.root, key, uploadId);
    let sizes: Map<number, StoredPart>;
    try {
      sizes = await this.storedParts(staging);
    } catch (err) {
      if (!isErrno(err, 'ENOENT')) throw err;
      const size = expected ? await sizeOf(target) : undefined;
      if (expected && size === expected.bytes) return { parts: expected.parts, bytes: size, alreadyCompleted: true };
      throw new Error(`upload ${uploadId} for ${key} no longer exists (aborted or completed)`, { cause: err });
    }
    const count = expected?.parts ?? sizes.size;
    let bytes = 0;
    for (let n = 1; n <= count; n++) {
      const part = sizes.get(n);
      if (part === undefined) throw new SizeMismatchError(`upload for ${key} is missing part ${n} of ${count}`);
      bytes += part.bytes;
    }
    if (expected && bytes !== expected.bytes) {
      throw new SizeMismatchError(
        `upload for ${key} holds ${bytes} bytes in parts 1..${count}, expected ${expected.bytes}`,
      );
    }
    const slotSize = await this.slotSizeOf(staging);
    const inPlace =
      slotSize !== undefined &&
      [...Array(count).keys()].every((i) => {
        const part = sizes.get(i + 1);
        return part?.inPlace === true && (i + 1 === count ? part.bytes <= slotSize : part.bytes === slotSize);
      });
    if (inPlace) {
      // Already the object: cut off whatever re-sent higher parts left past its end, sync, rename.
      const file = await open(join(staging, IN_PLACE_FILE), 'r+');
      try {
        await file.truncate(bytes);
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(join(staging, IN_PLACE_FILE), target);
    } else {
      const assembling = join(dirname(target), `.${basename(target)}.${uploadId}.assembling`);
      await this.assemble(staging, count, sizes, slotSize ?? 0, assembling);
      await rename(assembling, target);
    }
    this.slotSizes.delete(staging);
    await rm(staging, { recursive: true, force: true });
    return { parts: count, bytes, alreadyCompleted: false };
  }

  /** Copies parts 1..count, each from its staged file or its slot, into one new file. */
  private async assemble(
    staging: string,
    count: number,
    parts: Map<number, StoredPart>,
    slotSize: number,
    into: string,
  ): Promise<void> {
    const out = await open(into, 'w');
    const buffer = Buffer.allocUnsafe(COPY_BUFFER_BYTES);
    try {
      for (let n = 1; n <= count; n++) {
        const stored = parts.get(n);
        const inPlace = stored?.inPlace === true;
        const part = await open(join(staging, inPlace ? IN_PLACE_FILE : partFileName(n)), 'r');
        try {
          let position = inPlace ? (n - 1) * slotSize : 0;
          let left = stored?.bytes ?? 0;
          while (left > 0) {
            const { bytesRead } = await part.read(buffer, 0, Math.min(buffer.length, left), position);
            if (bytesRead === 0) throw new SizeMismatchError(`part ${n} ended ${left} bytes early`);
            await out.write(buffer, 0, bytesRead);
            position += bytesRead;
            left -= bytesRead;
          }
        } finally {
          await part.close();
        }
      }
      await out.sync();
    } catch (err) {
      await out.close();
      await rm(into, { force: true });
      throw err;
    }
    await out.close();
  }

  async abortUpload(key: string, uploadId: string): Promise<void> {
    const staging = stagingDirFor(this.root, key, uploadId);
    this.slotSizes.delete(staging);
    await rm(staging, { recursive: true, force: true });
  }

  async listPendingUploads(prefix: string): Promise<PendingUpload[]> {
    const start = walkRootFor(this.root, prefix);
    const entries = await entriesBelow(start);
    const found: PendingUpload[] = [];
    for (const rel of entries) {
      const name = basename(rel);
      if (!name.startsWith(STAGING_PREFIX)) continue;
      try {
        const meta = UploadMeta.parse(JSON.parse(await readFile(join(start, rel, META_FILE), 'utf8')));
        if (meta.key.startsWith(prefix)) found.push({ key: meta.key, uploadId: name.slice(STAGING_PREFIX.length) });
      } catch (err) {
        // Aborted between readdir and read: nothing pending there any more.
        if (!isErrno(err, 'ENOENT') && !isErrno(err, 'ENOTDIR')) throw err;
      }
    }
    return found.sort((a, b) => a.key.localeCompare(b.key));
  }
}
