// A source that ignored Range sent the whole file again: the bytes skipped up to the read's start must
// hash to the state an earlier invocation saved there, or the source changed between reads.
import { ChecksumMismatchError } from '#shared/errors';
import { ResumableSha256 } from './resumable-sha256';

export async function verifyPrefix(
  replayed: ResumableSha256 | undefined,
  expectedState: string | undefined,
  offset: number,
): Promise<void> {
  if (!replayed || !expectedState) return;
  // Compare digests, not saved states: a saved state may carry stale bytes past the valid buffer.
  const expected = (await ResumableSha256.resume(expectedState)).digestHex();
  if (replayed.digestHex() !== expected) {
    throw new ChecksumMismatchError(
      `the source sent different bytes before offset ${offset} than an earlier invocation stored: it changed between reads`,
    );
  }
}
