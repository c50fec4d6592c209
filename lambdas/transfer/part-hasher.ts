// SHA-256 of a file's parts in file order, off the event loop when it can be: a worker thread hashes
// part N (reading the part's shared memory, no copy) while the event loop reads, counts and uploads
// part N+1. Each part's answer is the hasher's saved state after its last byte, the same base64 that
// travels in the cursor, so a file crosses invocations exactly as with the in-thread hasher. Where a
// worker cannot start (or is turned off), the same interface hashes on the calling thread.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../shared/logger';
import { silentLogger } from '../shared/logger';
import type { ResumableSha256 } from './resumable-sha256';
import { SHA256_WORKER_ROLE, SHA256_WORKER_URL, type WorkerReply, type WorkerRequest } from './sha256-worker';

export interface PartHasher {
  /** Whether parts are hashed on a worker thread. */
  readonly offThread: boolean;
  /** A part buffer that can be handed to `update` without a copy. */
  allocate(size: number): Buffer;
  /**
   * Hashes `part` after every part given before and resolves with the saved state after its last
   * byte. The caller must leave `part` unchanged until then (the worker reads the same memory).
   */
  update(part: Buffer): Promise<string>;
  /** Milliseconds the worker spent hashing for this hasher (0 on the calling thread). */
  readonly offThreadMs: number;
  close(): void;
}

class InThreadPartHasher implements PartHasher {
  readonly offThread = false;
  readonly offThreadMs = 0;

  constructor(private readonly hasher: ResumableSha256) {}

  allocate(size: number): Buffer {
    return Buffer.allocUnsafeSlow(size);
  }

  update(part: Buffer): Promise<string> {
    this.hasher.update(part);
    return Promise.resolve(this.hasher.save());
  }

  close(): void {}
}

/** The worker thread stopped while parts were being hashed (the transfer's Retry re-sends them). */
export class HashWorkerError extends Error {
  override readonly name = 'HashWorkerError';
}

interface Waiter {
  resolve(reply: WorkerReply & { ok: true }): void;
  reject(err: Error): void;
}

export type HashThread = 'worker' | 'main';

export interface Sha256WorkersOptions {
  /** Starts the worker; replaceable to test what happens where workers are unavailable. */
  readonly spawn?: () => Worker;
  /** `main` hashes on the calling thread. @default TRANSFER_HASH_THREAD from the environment, else `worker` */
  readonly thread?: HashThread;
  readonly logger?: Logger;
}

function spawnSha256Worker(): Worker {
  const workerData = { role: SHA256_WORKER_ROLE };
  if (!SHA256_WORKER_URL.pathname.endsWith('.ts')) return new Worker(SHA256_WORKER_URL, { workerData });
  // Under tsx or vitest this module is TypeScript source, which a worker runs only through tsx's
  // loader (a bundled handler is plain JavaScript and takes the line above). tsx is a devDependency:
  // where it is missing the worker fails to start and hashing falls back to the main thread.
  const tsxRoot = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const tsx = pathToFileURL(join(tsxRoot, 'dist', 'esm', 'api', 'index.mjs')).href;
  const boot = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(SHA256_WORKER_URL.href)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), { workerData });
}

function threadFromEnv(): HashThread {
  return process.env.TRANSFER_HASH_THREAD === 'main' ? 'main' : 'worker';
}

/**
 * One lazily started worker shared by every transfer in the process (concurrent files are sessions
 * on it). It holds the event loop open only while it has work, so an idle Lambda or CLI can exit.
 */
export class Sha256Workers {
  private worker: Worker | undefined;
  private unavailable = false;
  private readonly waiters = new Map<string, Waiter>();
  private nextSession = 1;
  private readonly spawn: () => Worker;
  private readonly thread: HashThread;
  private readonly logger: Logger;

  constructor(options: Sha256WorkersOptions = {}) {
    this.spawn = options.spawn ?? spawnSha256Worker;
    this.thread = options.thread ?? threadFromEnv();
    this.logger = options.logger ?? silentLogger;
  }

  /** A hasher resuming from `state` (already validated: `hasher` is that state loaded in this thread). */
  async open(state: string, hasher: ResumableSha256): Promise<PartHasher> {
    if (this.thread === 'main' || this.unavailable) return new InThreadPartHasher(hasher);
    const firstStart = this.worker === undefined;
    let worker: Worker;
    try {
      worker = this.ensureWorker();
    } catch (err) {
      return this.fallBack(hasher, err);
    }
    const session = this.nextSession++;
    try {
      await this.request(worker, { op: 'open', session, seq: 0, state });
    } catch (err) {
      if (firstStart) return this.fallBack(hasher, err);
      throw err;
    }
    return new WorkerPartHasher(this, worker, session);
  }

  /** Stops the worker (tests; a process that exits needs no call). */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private fallBack(hasher: ResumableSha256, err: unknown): PartHasher {
    this.unavailable = true;
    this.worker = undefined;
    this.logger.warn('hash worker unavailable; hashing on the main thread', { error: err instanceof Error ? err.message : String(err) });
    return new InThreadPartHasher(hasher);
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
    worker.on('error', (err) => fail(new HashWorkerError(`hash worker failed: ${err.message}`, { cause: err })));
    worker.on('exit', (code) => fail(new HashWorkerError(`hash worker exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }

  /** @internal */
  request(worker: Worker, req: WorkerRequest & { seq: number }): Promise<WorkerReply & { ok: true }> {
    if (this.worker !== worker) return Promise.reject(new HashWorkerError('hash worker stopped'));
    return new Promise((resolve, reject) => {
      if (this.waiters.size === 0) worker.ref();
      this.waiters.set(`${req.session}:${req.seq}`, { resolve, reject });
      worker.postMessage(req);
    });
  }

  /** @internal */
  post(worker: Worker, req: WorkerRequest): void {
    if (this.worker === worker) worker.postMessage(req);
  }

  private settle(worker: Worker, reply: WorkerReply): void {
    const id = `${reply.session}:${reply.seq}`;
    const waiter = this.waiters.get(id);
    if (!waiter) return;
    this.waiters.delete(id);
    if (this.waiters.size === 0) worker.unref();
    if (reply.ok) waiter.resolve(reply);
    else waiter.reject(new HashWorkerError(reply.message));
  }
}

class WorkerPartHasher implements PartHasher {
  readonly offThread = true;
  offThreadMs = 0;
  private seq = 1;

  constructor(
    private readonly workers: Sha256Workers,
    private readonly worker: Worker,
    private readonly session: number,
  ) {}

  allocate(size: number): Buffer {
    return Buffer.from(new SharedArrayBuffer(size));
  }

  async update(part: Buffer): Promise<string> {
    let shared = part;
    // A part not in shared memory (not from `allocate`) is copied once so the worker can read it.
    if (!(part.buffer instanceof SharedArrayBuffer)) {
      shared = this.allocate(part.length);
      part.copy(shared);
    }
    const buffer = shared.buffer as SharedArrayBuffer;
    const reply = await this.workers.request(this.worker, { op: 'update', session: this.session, seq: this.seq++, buffer, offset: shared.byteOffset, length: shared.length });
    this.offThreadMs += reply.ms;
    return reply.state;
  }

  close(): void {
    this.workers.post(this.worker, { op: 'close', session: this.session });
  }
}

/** The process's shared hashing workers (one worker thread, started on first use). */
export const sha256Workers = new Sha256Workers();
