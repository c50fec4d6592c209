// What a deferred invocation keeps. A deferral is a thrown error (the state machine's Catch waits until
// the quota resets and runs the step again on the SAME state), so the cursor it would hand back cannot
// travel through state. It is written beside the file instead, keyed by the cursor the state still
// holds, together with the bytes read past the last stored part up to the source's last page boundary
// (the carry): the attempt after the wait starts from there, and no page fetched before is fetched again.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Logger } from '#shared/logger';
import type { ObjectStore } from './object-store';
import { type TransferCursor, TransferCursorSchema } from './transfer-cursor';

export interface Resumed {
  /** Where this invocation really starts: the state's cursor, or the successor a deferral left. */
  readonly cursor: TransferCursor;
  /** Bytes from `cursor.offset` on, already read from the source (empty without a checkpoint). */
  readonly carry: Buffer;
}

const HeaderSchema = z.object({
  cursor: TransferCursorSchema,
  carryBytes: z.number().int().nonnegative(),
  carrySha256: z.string().regex(/^[0-9a-f]{64}$/),
});

const sha256 = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');

/** One object per cursor in state: a later deferral from the same state replaces it. */
export function checkpointKey(prefix: string, stateCursor: TransferCursor): string {
  const upload = sha256(stateCursor.uploadId).slice(0, 16);
  return `${prefix}${upload}-${stateCursor.invocations}-${stateCursor.offset}.checkpoint`;
}

export async function saveCheckpoint(
  store: ObjectStore,
  prefix: string,
  stateCursor: TransferCursor,
  successor: TransferCursor,
  carry: Buffer,
): Promise<void> {
  const header = JSON.stringify({ cursor: successor, carryBytes: carry.length, carrySha256: sha256(carry) });
  const body = Buffer.concat([Buffer.from(`${header}\n`, 'utf8'), carry]);
  await store.putObject(checkpointKey(prefix, stateCursor), body, 'application/octet-stream');
}

/**
 * The successor a deferral left for this state's cursor, or the cursor itself. A checkpoint that does
 * not belong to this upload or whose carry does not hash as written is ignored (the state's cursor is
 * always a valid place to start, only a dearer one).
 */
export async function resumeFrom(
  store: ObjectStore,
  prefix: string | undefined,
  stateCursor: TransferCursor,
  logger: Logger,
): Promise<Resumed> {
  const none: Resumed = { cursor: stateCursor, carry: Buffer.alloc(0) };
  if (prefix === undefined) return none;
  const key = checkpointKey(prefix, stateCursor);
  const found = await store.getObject(key);
  if (!found) return none;
  const newline = found.body.indexOf(0x0a);
  let header: z.infer<typeof HeaderSchema> | undefined;
  try {
    header = HeaderSchema.parse(JSON.parse(found.body.subarray(0, Math.max(0, newline)).toString('utf8')));
  } catch {
    header = undefined;
  }
  const carry = found.body.subarray(newline + 1);
  const usable =
    header !== undefined &&
    newline >= 0 &&
    header.cursor.key === stateCursor.key &&
    header.cursor.uploadId === stateCursor.uploadId &&
    header.carryBytes === carry.length &&
    header.carrySha256 === sha256(carry);
  if (!usable || !header) {
    logger.warn('transfer checkpoint unreadable; starting from the cursor in state', { key });
    return none;
  }
  logger.info('transfer resumes from the checkpoint a deferral left', {
    key,
    offset: header.cursor.offset,
    carryBytes: carry.length,
  });
  return { cursor: header.cursor, carry: Buffer.from(carry) };
}

/** Every checkpoint of a file, once it is complete (or given up): none is needed any more. */
export async function discardCheckpoints(store: ObjectStore, prefix: string): Promise<void> {
  for (const key of await store.listKeys(prefix)) await store.deleteObject(key);
}
