// The CSV record count (and record starts) of a file's parts in file order, on a worker thread when
// one is available, beside the hash's: each part's answer is the counter's state after its last
// byte, the same state the cursor carries.
import { type CsvCountState, CsvRecordCounter, type RecordStarts } from './csv-record-counter';
import type { CsvPartResult } from './part-worker';
import type { PartWorkers, WorkerSession } from './part-workers';
import { sharedPart } from './part-workers';

export interface PartCounter {
  readonly offThread: boolean;
  /** Counts `part` after every part before it. Leave `part` unchanged until this resolves. */
  update(part: Buffer): Promise<CsvPartResult>;
  /** Milliseconds the worker spent counting for this counter (0 on the calling thread). */
  readonly offThreadMs: number;
  close(): void;
}

export async function openPartCounter(
  workers: PartWorkers,
  csv: CsvCountState,
  track: { readonly offset: number; readonly recordStarts: RecordStarts } | undefined,
): Promise<PartCounter> {
  const session = await workers.openSession({ kind: 'csv', csv, ...(track ? { track } : {}) });
  return session ? new WorkerPartCounter(session) : new InThreadPartCounter(new CsvRecordCounter(csv, track));
}

class InThreadPartCounter implements PartCounter {
  readonly offThread = false;
  readonly offThreadMs = 0;

  constructor(private readonly counter: CsvRecordCounter) {}

  update(part: Buffer): Promise<CsvPartResult> {
    this.counter.update(part);
    return Promise.resolve({ csv: this.counter.state(), recordStarts: this.counter.recordStarts() });
  }

  close(): void {}
}

class WorkerPartCounter implements PartCounter {
  readonly offThread = true;
  offThreadMs = 0;

  constructor(private readonly session: WorkerSession) {}

  async update(part: Buffer): Promise<CsvPartResult> {
    const { result, ms } = await this.session.update(sharedPart(part));
    this.offThreadMs += ms;
    if (typeof result === 'string') throw new TypeError('count session answered with a hash');
    return result;
  }

  close(): void {
    this.session.close();
  }
}
