import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { HashWorkerError, Sha256Workers } from '../../../lambdas/transfer/part-hasher';
import { ResumableSha256 } from '../../../lambdas/transfer/resumable-sha256';

const parts = [Buffer.from('a,b\n1,"x\ny"\n'), Buffer.alloc(3 * 1024 * 1024 + 7, 0x61), Buffer.alloc(0), Buffer.from('2,z\r\n')];
const whole = Buffer.concat(parts);

/** Hashes `parts` through `workers` from an empty state; returns every saved state and the digest. */
async function hashThrough(workers: Sha256Workers): Promise<{ offThread: boolean; states: string[]; digest: string }> {
  const start = (await ResumableSha256.create()).save();
  const hasher = await workers.open(start, await ResumableSha256.resume(start));
  const states: string[] = [];
  for (const p of parts) {
    const buf = hasher.allocate(p.length);
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

describe('part hasher', () => {
  const workers = new Sha256Workers();
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
    const [a, b] = await Promise.all([workers.open(mid, await ResumableSha256.resume(mid)), workers.open(mid, await ResumableSha256.resume(mid))]);
    const [sa, sb] = await Promise.all([a.update(Buffer.from(parts[1]!)), b.update(Buffer.from('other'))]);
    a.close();
    b.close();
    expect((await ResumableSha256.resume(sa)).digestHex()).toBe(createHash('sha256').update(Buffer.concat([parts[0]!, parts[1]!])).digest('hex'));
    expect((await ResumableSha256.resume(sb)).digestHex()).toBe(createHash('sha256').update(Buffer.concat([parts[0]!, Buffer.from('other')])).digest('hex'));
  });

  it('falls back to the main thread when a worker cannot be started', async () => {
    const noWorkers = new Sha256Workers({
      spawn: () => {
        throw new Error('worker_threads unavailable');
      },
    });
    const got = await hashThrough(noWorkers);
    expect(got.offThread).toBe(false);
    expect(got.states).toEqual(await inThreadStates());
  });

  it('falls back to the main thread when the worker dies before answering', async () => {
    const dying = new Sha256Workers({ spawn: () => new Worker('process.exit(3)', { eval: true }) });
    const got = await hashThrough(dying);
    expect(got.offThread).toBe(false);
    expect(got.states).toEqual(await inThreadStates());
  });

  it('hashes on the main thread when told to', async () => {
    expect((await hashThrough(new Sha256Workers({ thread: 'main' }))).offThread).toBe(false);
  });

  it('fails the parts in flight when a working worker dies, and starts a new one next time', async () => {
    const own = new Sha256Workers();
    const start = (await ResumableSha256.create()).save();
    const hasher = await own.open(start, await ResumableSha256.resume(start));
    expect(hasher.offThread).toBe(true);
    const pending = hasher.update(hasher.allocate(64 * 1024 * 1024));
    await own.close();
    await expect(pending).rejects.toBeInstanceOf(HashWorkerError);
    const again = await hashThrough(own);
    expect(again.offThread).toBe(true);
    await own.close();
  });
});
