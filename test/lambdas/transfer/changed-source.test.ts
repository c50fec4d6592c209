// A source without Range is re-read from byte 0 by every invocation; if what it sends changed
// between invocations (a list route paged in another order), the bytes skipped no longer hash to the
// stored prefix and the transfer must fail rather than splice two different files together.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import type { OpenedRange } from '../../../lambdas/providers/types';
import { ChecksumMismatchError } from '../../../lambdas/shared/errors';
import { LocalDirObjectStore } from '../../../local/store/local-dir-object-store';
import { MIB, runChunks, runTransfer, sha256Hex } from './support/transfer-harness';

const root = mkdtempSync(path.join(tmpdir(), 'changed-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function csv(seed: string, bytes: number): Buffer {
  const row = `${seed},"a quoted, value",2026-11-01T00:00:00Z\n`;
  return Buffer.from(`id,v,t\n${row.repeat(Math.ceil(bytes / row.length))}`);
}

/** A source that ignores Range and serves `versions[n]` on its n-th open (the last one after that). */
function wholeFileSource(versions: Buffer[]) {
  let opens = 0;
  return async (): Promise<OpenedRange> => {
    const body = versions[Math.min(opens++, versions.length - 1)]!;
    return {
      ranged: false,
      start: 0,
      totalSize: body.length,
      body: Readable.from([body.subarray(0, 3 * MIB), body.subarray(3 * MIB)]),
    };
  };
}

describe('a source that ignores Range', () => {
  it('sending the same bytes every time lands them intact over several invocations', async () => {
    const data = csv('same', 12 * MIB);
    const store = new LocalDirObjectStore({ root: path.join(root, 'same') });
    const { result, cursors } = await runTransfer(
      {
        store,
        openRange: wholeFileSource([data]),
        file: { size: data.length },
        tuning: { maxBytesPerInvocation: 1, safetyMarginMs: 60_000 },
      },
      { size: data.length, sha256: sha256Hex(data) },
    );
    expect(cursors.length).toBeGreaterThan(2);
    expect(result.sha256).toBe(sha256Hex(data));
  });

  it('sending different bytes on a later invocation fails with ChecksumMismatchError', async () => {
    const first = csv('first', 12 * MIB);
    const second = csv('other', 12 * MIB);
    expect(second.length).toBe(first.length);
    const store = new LocalDirObjectStore({ root: path.join(root, 'changed') });
    await expect(
      runChunks({
        store,
        openRange: wholeFileSource([first, second]),
        file: { size: first.length },
        tuning: { maxBytesPerInvocation: 1, safetyMarginMs: 60_000 },
      }),
    ).rejects.toBeInstanceOf(ChecksumMismatchError);
  });
});
