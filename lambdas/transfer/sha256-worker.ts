// The worker side of off-thread hashing: holds one hash-wasm SHA-256 per session and, for each part
// it is handed (shared memory, never copied across threads), hashes it and answers with the saved
// state. It runs from whatever file this module ends up in: this .ts file under tsx/vitest, or the
// one-file ESM bundle of a Lambda handler, which is why the entry is this module's own URL and the
// worker branch below is chosen by workerData rather than by a separate file.
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { createSHA256, type IHasher } from 'hash-wasm';

export const SHA256_WORKER_ROLE = 'transfer-sha256';

/** The file to start the worker from (see the header comment). */
export const SHA256_WORKER_URL = new URL(import.meta.url);

export type WorkerRequest =
  | { readonly op: 'open'; readonly session: number; readonly seq: number; readonly state: string }
  | { readonly op: 'update'; readonly session: number; readonly seq: number; readonly buffer: SharedArrayBuffer; readonly offset: number; readonly length: number }
  | { readonly op: 'close'; readonly session: number };

export type WorkerReply =
  | { readonly session: number; readonly seq: number; readonly ok: true; readonly state: string; readonly ms: number }
  | { readonly session: number; readonly seq: number; readonly ok: false; readonly message: string };

function serve(port: NonNullable<typeof parentPort>): void {
  const hashers = new Map<number, IHasher>();
  // Requests are answered strictly in order: a part's state must follow the part before it.
  let chain: Promise<void> = Promise.resolve();
  const handle = async (req: WorkerRequest): Promise<void> => {
    if (req.op === 'close') {
      hashers.delete(req.session);
      return;
    }
    const started = performance.now();
    try {
      let hasher: IHasher | undefined;
      if (req.op === 'open') {
        hasher = await createSHA256();
        hasher.load(Buffer.from(req.state, 'base64'));
        hashers.set(req.session, hasher);
      } else {
        hasher = hashers.get(req.session);
        if (hasher === undefined) throw new Error(`no hash session ${req.session}`);
        hasher.update(new Uint8Array(req.buffer, req.offset, req.length));
      }
      const state = Buffer.from(hasher.save()).toString('base64');
      port.postMessage({ session: req.session, seq: req.seq, ok: true, state, ms: performance.now() - started } satisfies WorkerReply);
    } catch (err) {
      hashers.delete(req.session);
      port.postMessage({ session: req.session, seq: req.seq, ok: false, message: err instanceof Error ? err.message : String(err) } satisfies WorkerReply);
    }
  };
  port.on('message', (req: WorkerRequest) => {
    chain = chain.then(() => handle(req));
  });
}

const role: unknown = isMainThread ? undefined : (workerData as { role?: unknown } | null)?.role;
if (role === SHA256_WORKER_ROLE && parentPort) serve(parentPort);
