import { describe, expect, it } from 'vitest';
import { PartUploadQueue } from '../../../lambdas/transfer/part-upload-queue';

function deferred(): { promise: Promise<void>; resolve: () => void; reject: (e: unknown) => void } {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('PartUploadQueue', () => {
  it('advances only over an unbroken run of finished parts, whatever order they finish in', async () => {
    const pending = new Map<number, ReturnType<typeof deferred>>();
    const released: number[] = [];
    const queue = new PartUploadQueue<{ partNumber: number }>(
      (n) => {
        const d = deferred();
        pending.set(n, d);
        return d.promise;
      },
      3,
      4,
    );
    for (const n of [4, 5, 6]) queue.start({ partNumber: n }, Buffer.alloc(0), () => released.push(n));
    expect(queue.size).toBe(3);
    pending.get(6)?.resolve();
    pending.get(5)?.resolve();
    await new Promise((r) => setImmediate(r));
    expect(queue.committed).toBeUndefined();
    pending.get(4)?.resolve();
    await queue.drain();
    expect(queue.committed).toEqual({ partNumber: 6 });
    expect(released.sort()).toEqual([4, 5, 6]);
  });

  it('bounds the parts in flight and reports the first failure without rejecting', async () => {
    const pending = new Map<number, ReturnType<typeof deferred>>();
    const queue = new PartUploadQueue<{ partNumber: number }>(
      (n) => {
        const d = deferred();
        pending.set(n, d);
        return d.promise;
      },
      2,
      1,
    );
    queue.start({ partNumber: 1 }, Buffer.alloc(0), () => undefined);
    queue.start({ partNumber: 2 }, Buffer.alloc(0), () => undefined);
    let slot = false;
    const waiting = queue.waitForSlot().then(() => (slot = true));
    await new Promise((r) => setImmediate(r));
    expect(slot).toBe(false);
    pending.get(2)?.reject(new Error('boom'));
    await waiting;
    expect(queue.hasFailed).toBe(true);
    pending.get(1)?.resolve();
    await queue.drain();
    expect(queue.committed).toEqual({ partNumber: 1 });
    expect((queue.error as Error).message).toBe('boom');
  });
});
