// A deferral met mid-read (a daily quota spent on a page call): what the attempt after the wait needs
// to start exactly where this one got to. The parts stored are in the advanced cursor; the bytes read
// past them are kept up to the source's last page boundary (never part of a page), with that boundary's
// position, so every page already fetched is in the stored parts or in the carry, and none is fetched
// again. Written only when it gets further than where this attempt started.
import { QuotaExceededError } from '#shared/errors';
import type { Logger } from '#shared/logger';
import type { ObjectStore } from './object-store';
import type { SourceMarks } from './source-marks';
import { type Resumed, saveCheckpoint } from './transfer-checkpoint';
import type { TransferCursor } from './transfer-cursor';

export interface HeldBytes {
  /** The part being filled when reading stopped (not uploaded), or none. */
  readonly part: Buffer | undefined;
  /** Bytes of it filled. */
  readonly fill: number;
  /** File offset just past the last byte read. */
  readonly fileOffset: number;
}

export function isDeferral(failure: unknown): failure is QuotaExceededError {
  return failure instanceof QuotaExceededError;
}

export async function keepDeferredProgress(
  deps: { store: ObjectStore; checkpointPrefix?: string; logger: Logger },
  stateCursor: TransferCursor,
  started: Resumed,
  advanced: TransferCursor,
  marks: SourceMarks,
  held: HeldBytes,
): Promise<void> {
  if (deps.checkpointPrefix === undefined) return;
  const partStart = held.fileOffset - held.fill;
  const boundary = marks.best(held.fileOffset);
  // The carry is the held part's head, so it exists only when every part before it was stored.
  const carries = held.part !== undefined && partStart === advanced.offset && boundary && boundary.at > partStart;
  const carry = carries ? Buffer.from(held.part.subarray(0, boundary.at - partStart)) : Buffer.alloc(0);
  const source = carries ? boundary : marks.best(advanced.offset);
  const successor: TransferCursor = { ...advanced, ...(source ? { source } : {}) };
  const reached = (c: TransferCursor, carried: number) => Math.max(c.offset + carried, c.source?.at ?? 0);
  if (reached(successor, carry.length) <= reached(started.cursor, started.carry.length)) return;
  await saveCheckpoint(deps.store, deps.checkpointPrefix, stateCursor, successor, carry);
  deps.logger.info('deferred mid-read: progress kept for the attempt after the wait', {
    key: stateCursor.key,
    offset: successor.offset,
    carryBytes: carry.length,
    sourceAt: source?.at,
  });
}
