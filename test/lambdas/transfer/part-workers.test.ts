import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { PART_WORKER_SOURCE_FILE, buildPartWorker, partWorkerModule } from '../../../bin/build-part-worker';
import { initialCsvState, CsvRecordCounter } from '../../../lambdas/transfer/csv-record-counter';
import { openPartCounter } from '../../../lambdas/transfer/part-counter';
import { openPartHasher } from '../../../lambdas/transfer/part-hasher';
import { PartWorkerError, PartWorkers, allocateSharedPart } from '../../../lambdas/transfer/part-workers';
import { ResumableSha256 } from '../../../lambdas/transfer/resumable-sha256';

const parts = [
  Buffer.from('a,b\n1,"x\ny"\n'),
  Buffer.alloc(3 * 1024 * 1024 + 7, 0x61),
  Buffer.alloc(0),
  Buffer.from('2,z\r\n'),
];
const whole = Buffer.concat(parts);

/** Hashes `parts` through `workers` from an empty state; returns every saved state and the digest. */
async function hashThrough(workers: PartWorkers): Promise<{ offThread: boolean; states: string[]; digest: string }> {
  const start = (await ResumableSha256.create()).save();
  const hasher = await openPartHasher(workers, start, await ResumableSha256.resume(start));
  const states: string[] = [];
  for (const p of parts) {
    const buf = allocateSharedPart(p.length);
    p.copy(buf);
    states.push(await hasher.update(buf));
  }
  hasher.close();
  return { offThread: hasher.offThread, states, digest: (await ResumableSha256.resume(states.at(-1)!)).digestHex() };
}

async function inThreadStates(): Promise<string[]> {
  const h = await ResumableSha256.create();
  return parts.map((p) => {
    h.update(p);
    return h.save();
  });
}

describe('part workers', () => {
  const workers = new PartWorkers();
  afterAll(() => workers.close());

  it('hashes on a worker thread with the same saved states as the in-thread hasher', async () => {
    const got = await hashThrough(workers);
    expect(got.offThread).toBe(true);
    expect(got.states).toEqual(await inThreadStates());
    expect(got.digest).toBe(createHash('sha256').update(whole).digest('hex'));
  });

  it('resumes a state saved on the main thread, and concurrent sessions stay apart', async () => {
    const h = await ResumableSha256.create();
    h.update(parts[0]!);
    const mid = h.save();
    const [a, b] = await Promise.all([
      openPartHasher(workers, mid, await ResumableSha256.resume(mid)),
      openPartHasher(workers, mid, await ResumableSha256.resume(mid)),
    ]);
    const [sa, sb] = await Promise.all([a.update(Buffer.from(parts[1]!)), b.update(Buffer.from('other'))]);
    a.close();
    b.close();
    expect((await ResumableSha256.resume(sa)).digestHex()).toBe(
      createHash('sha256')
        .update(Buffer.concat([parts[0]!, parts[1]!]))
        .digest('hex'),
    );
    expect((await ResumableSha256.resume(sb)).digestHex()).toBe(
      createHash('sha256')
        .update(Buffer.concat([parts[0]!, Buffer.from('other')]))
        .digest('hex'),
    );
  });

  it('counts on a worker thread with the same states and record starts as the in-thread counter', async () => {
    const track = { offset: 0, recordStarts: { interval: 3, starts: [] } };
    const counter = await openPartCounter(workers, initialCsvState(), track);
    const local = new CsvRecordCounter(initialCsvState(), track);
    expect(counter.offThread).toBe(true);
    for (const p of parts) {
      local.update(p);
      expect(await counter.update(p)).toEqual({ csv: local.state(), recordStarts: local.recordStarts() });
    }
    counter.close();
    expect(local.recordStarts().starts.length).toBeGreaterThan(0);
    expect(counter.offThreadMs).toBeGreaterThan(0);
  });

  it('falls back to the main thread when a worker cannot be started', async () => {
    const noWorkers = new PartWorkers({
      spawn: () => {
        throw new Error('worker_threads unavailable');
      },
    });
    const got = await hashThrough(noWorkers);
    expect(got.offThread).toBe(false);
    expect((await openPartCounter(noWorkers, initialCsvState(), undefined)).offThread).toBe(false);
    expect(got.states).toEqual(await inThreadStates());
  });

  it('falls back to the main thread when the worker dies before answering', async () => {
    const dying = new PartWorkers({ spawn: () => new Worker('process.exit(3)', { eval: true }) });
    const got = await hashThrough(dying);
    expect(got.offThread).toBe(false);
    expect(got.states).toEqual(await inThreadStates());
  });

  it('hashes on the main thread when told to', async () => {
    expect((await hashThrough(new PartWorkers({ thread: 'main' }))).offThread).toBe(false);
  });

  it('fails the parts in flight when a working worker dies, and starts a new one next time', async () => {
    const own = new PartWorkers();
    const start = (await ResumableSha256.create()).save();
    const hasher = await openPartHasher(own, start, await ResumableSha256.resume(start));
    expect(hasher.offThread).toBe(true);
    const pending = hasher.update(allocateSharedPart(64 * 1024 * 1024));
    await own.close();
    await expect(pending).rejects.toBeInstanceOf(PartWorkerError);
    const again = await hashThrough(own);
    expect(again.offThread).toBe(true);
    await own.close();
  });
});

describe('the worker thread source', () => {
  it('is part-worker.ts as built now (run `npm run build:part-worker` after changing it)', async () => {
    expect(await readFile(PART_WORKER_SOURCE_FILE, 'utf8')).toBe(partWorkerModule(await buildPartWorker()));
  });
});
