// Writes a file body to the socket with backpressure, applying the body faults on the way: a flipped
// byte, a throttled rate, a connection cut after N bytes.
import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';

export interface BodyFaults {
  /** File offset of the body's first byte. */
  readonly startOffset: number;
  readonly corruptByteAt?: number;
  readonly bytesPerSecond?: number;
  /** Destroy the socket once this many body bytes were written. */
  readonly dropAfterBytes?: number;
}

/** Resolves when the response can take more, or false if it closed first. */
function drained(res: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(ok);
    };
    const onDrain = () => done(true);
    const onClose = () => done(false);
    res.on('drain', onDrain);
    res.on('close', onClose);
  });
}

function corrupt(chunk: Buffer, chunkOffset: number, at: number | undefined): Buffer {
  if (at === undefined || at < chunkOffset || at >= chunkOffset + chunk.length) return chunk;
  const copy = Buffer.from(chunk);
  const i = at - chunkOffset;
  copy[i] = (copy[i] ?? 0) ^ 0xff;
  return copy;
}

export async function writeBody(res: ServerResponse, body: Readable, faults: BodyFaults): Promise<void> {
  let offset = faults.startOffset;
  let sent = 0;
  const pieceBytes = faults.bytesPerSecond
    ? Math.max(1, Math.floor(faults.bytesPerSecond / 20))
    : Number.POSITIVE_INFINITY;
  res.flushHeaders();
  try {
    for await (const raw of body as AsyncIterable<Buffer>) {
      let chunk = corrupt(raw, offset, faults.corruptByteAt);
      offset += chunk.length;
      while (chunk.length > 0) {
        let piece = chunk.subarray(0, Math.min(chunk.length, pieceBytes));
        chunk = chunk.subarray(piece.length);
        const drop = faults.dropAfterBytes !== undefined && sent + piece.length >= faults.dropAfterBytes;
        if (drop) piece = piece.subarray(0, (faults.dropAfterBytes ?? 0) - sent);
        if (res.destroyed) return;
        const flowing = piece.length === 0 || res.write(piece);
        sent += piece.length;
        if (drop) {
          // Let the cut bytes reach the socket, then break the connection mid-body.
          res.socket?.end(() => res.socket?.destroy());
          setTimeout(() => res.socket?.destroy(), 50).unref();
          return;
        }
        if (!flowing && !(await drained(res))) return;
        if (faults.bytesPerSecond) await sleep((piece.length / faults.bytesPerSecond) * 1000);
      }
    }
    res.end();
  } finally {
    body.destroy();
  }
}
