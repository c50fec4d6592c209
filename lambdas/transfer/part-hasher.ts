// SHA-256 of a file's parts in file order, on a worker thread when one is available: the worker
// hashes part N while the event loop reads part N+1. Each part's answer is the hasher's saved state
// after its last byte, the same base64 that travels in the cursor, so a file crosses invocations
// exactly as with the in-thread hasher (and either can resume the other's state).
import type { PartWorkers, WorkerSession } from './part-workers';
import { sharedPart } from './part-workers';
import type { ResumableSha256 } from './resumable-sha256';

export interface PartHasher {
  /** Whether parts are hashed on a worker thread. */
  readonly offThread: boolean;
  /** Hashes `part` after every part before it; resolves with the saved state after its last byte. Leave `part` unchanged until then. */
  update(part: Buffer): Promise<string>;
  /** Milliseconds the worker spent hashing for this hasher (0 on the calling thread). */
  readonly offThreadMs: number;
  close(): void;
}

/** `hasher` is `state` already loaded on this thread (which also validated it). */
export async function openPartHasher(
  workers: PartWorkers,
  state: string,
  hasher: ResumableSha256,
): Promise<PartHasher> {
  const session = await workers.openSession({ kind: 'sha256', state });
  return session ? new WorkerPartHasher(session) : new InThreadPartHasher(hasher);
}

class InThreadPartHasher implements PartHasher {
  readonly offThread = false;
  readonly offThreadMs = 0;

  constructor(private readonly hasher: ResumableSha256) {}

  update(part: Buffer): Promise<string> {
    this.hasher.update(part);
    return Promise.resolve(this.hasher.save());
  }

  close(): void {}
}

class WorkerPartHasher implements PartHasher {
  readonly offThread = true;
  offThreadMs = 0;

  constructor(private readonly session: WorkerSession) {}

  async update(part: Buffer): Promise<string> {
    const { result, ms } = await this.session.update(sharedPart(part));
    this.offThreadMs += ms;
    if (typeof result !== 'string') throw new TypeError('hash session answered with a count');
    return result;
  }

  close(): void {
    this.session.close();
  }
}
