// A worker thread for work on a file's parts in file order (its SHA-256, its record count), so that
// work runs beside the event loop that reads and uploads. One thread serves any number of sessions
// (concurrent files); it is started on first use and holds the process open only while it has work,
// so an idle Lambda or CLI can exit. Where a thread cannot start, or is turned off, openSession
// answers undefined and the caller does the work on its own thread.
import { PartWorkerError } from '#shared/errors';
import { Worker } from 'node:worker_threads';
import type { Logger } from '#shared/logger';
import { silentLogger } from '#shared/logger';
import type { PartResult, SessionInit, WorkerReply, WorkerRequest } from './part-worker';
import { PART_WORKER_ROLE } from './part-worker-role';
import { PART_WORKER_SOURCE } from './part-worker-source';

/** The worker thread stopped while parts were in its hands (the transfer's Retry re-sends them). */
export { PartWorkerError };

export type PartThread = 'worker' | 'main';

export interface PartWorkersOptions {
  /** Starts the worker; replaceable to test what happens where workers are unavailable. */
  readonly spawn?: () => Worker;
  /** `main` does the work on the calling thread. @default TRANSFER_HASH_THREAD from the environment, else `worker` */
  readonly thread?: PartThread;
  readonly logger?: Logger;
}

interface Waiter {
  resolve(reply: WorkerReply & { ok: true }): void;
  reject(err: Error): void;
}

function spawnPartWorker(): Worker {
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(PART_WORKER_SOURCE)}`), {
    workerData: { role: PART_WORKER_ROLE },
  });
}

function threadFromEnv(): PartThread {
  return process.env.TRANSFER_HASH_THREAD === 'main' ? 'main' : 'worker';
}

/** One file's session on the worker. */
export interface WorkerSession {
  /** Hands over `part` (shared memory: left unchanged until this resolves) and answers with the result after it. */
  update(part: Buffer): Promise<{ result: PartResult; ms: number }>;
  close(): void;
}

export class PartWorkers {
  private worker: Worker | undefined;
  private unavailable = false;
  private readonly waiters = new Map<string, Waiter>();
  private nextSession = 1;
  private readonly spawn: () => Worker;
  private readonly thread: PartThread;
  private readonly logger: Logger;

  constructor(options: PartWorkersOptions = {}) {
    this.spawn = options.spawn ?? spawnPartWorker;
    this.thread = options.thread ?? threadFromEnv();
    this.logger = options.logger ?? silentLogger;
  }

  /** A session on the worker, or undefined when the work is to be done on the calling thread. */
  async openSession(init: SessionInit): Promise<WorkerSession | undefined> {
    if (this.thread === 'main' || this.unavailable) return undefined;
    const firstStart = this.worker === undefined;
    let worker: Worker;
    try {
      worker = this.ensureWorker();
    } catch (err) {
      return this.fallBack(err);
    }
    const session = this.nextSession++;
    try {
      await this.request(worker, { op: 'open', session, seq: 0, init });
    } catch (err) {
      if (firstStart) return this.fallBack(err);
      throw err;
    }
    let seq = 1;
    return {
      update: async (part) => {
        const reply = await this.request(worker, {
          op: 'update',
          session,
          seq: seq++,
          buffer: part.buffer as SharedArrayBuffer,
          offset: part.byteOffset,
          length: part.length,
        });
        return { result: reply.result, ms: reply.ms };
      },
      close: () => {
        if (this.worker === worker) worker.postMessage({ op: 'close', session } satisfies WorkerRequest);
      },
    };
  }

  /** Stops the worker thread; a process that exits needs no call. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private fallBack(err: unknown): undefined {
    this.unavailable = true;
    this.worker = undefined;
    this.logger.warn('part worker thread unavailable; working on the main thread', {
      error: err instanceof Error ? err.message : String(err),
    });
    return undefined;
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = this.spawn();
    worker.unref();
    const fail = (err: Error) => {
      if (this.worker === worker) this.worker = undefined;
      const waiting = [...this.waiters.values()];
      this.waiters.clear();
      for (const w of waiting) w.reject(err);
    };
    worker.on('message', (reply: WorkerReply) => this.settle(worker, reply));
    worker.on('error', (err) => fail(new PartWorkerError(`part worker failed: ${err.message}`, { cause: err })));
    worker.on('exit', (code) => fail(new PartWorkerError(`part worker exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }

  private request(worker: Worker, req: WorkerRequest & { seq: number }): Promise<WorkerReply & { ok: true }> {
    if (this.worker !== worker) return Promise.reject(new PartWorkerError('part worker stopped'));
    if (req.op === 'update' && !(req.buffer instanceof SharedArrayBuffer))
      return Promise.reject(new TypeError('parts handed to a worker must be in shared memory'));
    return new Promise((resolve, reject) => {
      if (this.waiters.size === 0) worker.ref();
      this.waiters.set(`${req.session}:${req.seq}`, { resolve, reject });
      worker.postMessage(req);
    });
  }

  private settle(worker: Worker, reply: WorkerReply): void {
    const id = `${reply.session}:${reply.seq}`;
    const waiter = this.waiters.get(id);
    if (!waiter) return;
    this.waiters.delete(id);
    if (this.waiters.size === 0) worker.unref();
    if (reply.ok) waiter.resolve(reply);
    else waiter.reject(new PartWorkerError(reply.message));
  }
}

/** A part buffer a worker can read without a copy. */
export function allocateSharedPart(size: number): Buffer {
  return Buffer.from(new SharedArrayBuffer(size));
}

/** A part in shared memory: itself when it already is, else a copy (rare: parts come from allocateSharedPart). */
export function sharedPart(part: Buffer): Buffer {
  if (part.buffer instanceof SharedArrayBuffer) return part;
  const copy = allocateSharedPart(part.length);
  part.copy(copy);
  return copy;
}

/** The process's thread for hashing parts and its thread for counting them (two, so both run at once). */
export const hashWorkers = new PartWorkers();
export const countWorkers = new PartWorkers();
