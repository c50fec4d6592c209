// The worker side of off-thread part work: sessions that each follow one file in order, either its
// SHA-256 (hash-wasm, answering each part with the saved state) or its CSV record count (answering
// with the counter's state and record starts). Parts arrive as shared memory, never copied across
// threads. The main thread never imports this module: it starts the worker from
// part-worker-source.ts, this module bundled into a string (see bin/build-part-worker.ts).
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { createSHA256 } from 'hash-wasm';
import { type CsvCountState, CsvRecordCounter, type RecordStarts } from './csv-record-counter';
import { PART_WORKER_ROLE } from './part-worker-role';

export type SessionInit =
  | { readonly kind: 'sha256'; readonly state: string }
  | {
      readonly kind: 'csv';
      readonly csv: CsvCountState;
      readonly track?: { readonly offset: number; readonly recordStarts: RecordStarts };
    };

/** A CSV session's answer: the counter after the part's last byte. */
export interface CsvPartResult {
  readonly csv: CsvCountState;
  readonly recordStarts: RecordStarts;
}

/** sha256: the saved state (base64); csv: CsvPartResult. */
export type PartResult = string | CsvPartResult;

export type WorkerRequest =
  | { readonly op: 'open'; readonly session: number; readonly seq: number; readonly init: SessionInit }
  | {
      readonly op: 'update';
      readonly session: number;
      readonly seq: number;
      readonly buffer: SharedArrayBuffer;
      readonly offset: number;
      readonly length: number;
    }
  | { readonly op: 'close'; readonly session: number };

export type WorkerReply =
  | {
      readonly session: number;
      readonly seq: number;
      readonly ok: true;
      readonly result: PartResult;
      readonly ms: number;
    }
  | { readonly session: number; readonly seq: number; readonly ok: false; readonly message: string };

interface Session {
  update(part: Buffer): PartResult;
  current(): PartResult;
}

async function openSession(init: SessionInit): Promise<Session> {
  if (init.kind === 'sha256') {
    const hasher = await createSHA256();
    hasher.load(Buffer.from(init.state, 'base64'));
    const current = () => Buffer.from(hasher.save()).toString('base64');
    return {
      update: (part) => {
        hasher.update(part);
        return current();
      },
      current,
    };
  }
  const counter = new CsvRecordCounter(init.csv, init.track);
  const current = () => ({ csv: counter.state(), recordStarts: counter.recordStarts() });
  return {
    update: (part) => {
      counter.update(part);
      return current();
    },
    current,
  };
}

function serve(port: NonNullable<typeof parentPort>): void {
  const sessions = new Map<number, Session>();
  // Requests are answered strictly in order: a part's answer must follow the part before it.
  let chain: Promise<void> = Promise.resolve();
  const handle = async (req: WorkerRequest): Promise<void> => {
    if (req.op === 'close') {
      sessions.delete(req.session);
      return;
    }
    const started = performance.now();
    try {
      let result: PartResult;
      if (req.op === 'open') {
        const session = await openSession(req.init);
        sessions.set(req.session, session);
        result = session.current();
      } else {
        const session = sessions.get(req.session);
        if (session === undefined) throw new Error(`no session ${req.session}`);
        result = session.update(Buffer.from(req.buffer, req.offset, req.length));
      }
      port.postMessage({
        session: req.session,
        seq: req.seq,
        ok: true,
        result,
        ms: performance.now() - started,
      } satisfies WorkerReply);
    } catch (err) {
      sessions.delete(req.session);
      port.postMessage({
        session: req.session,
        seq: req.seq,
        ok: false,
        message: err instanceof Error ? err.message : String(err),
      } satisfies WorkerReply);
    }
  };
  port.on('message', (req: WorkerRequest) => {
    chain = chain.then(() => handle(req));
  });
}

const role: unknown = isMainThread ? undefined : (workerData as { role?: unknown } | null)?.role;
if (role === PART_WORKER_ROLE && parentPort) serve(parentPort);
