import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../lambdas/shared/errors';
import { EMPTY_SHA256, ResumableSha256 } from '../../../lambdas/transfer/resumable-sha256';

describe('ResumableSha256', () => {
  it('resumes from a saved state at any byte and ends with the same digest as node:crypto', async () => {
    const data = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 31) % 251));
    for (const cut of [0, 1, 63, 64, 65, 500, 1000]) {
      const first = await ResumableSha256.create();
      first.update(data.subarray(0, cut));
      const saved = first.save();
      expect(saved.length).toBeLessThan(200);
      const second = await ResumableSha256.resume(saved);
      second.update(data.subarray(cut));
      expect(second.digestHex()).toBe(createHash('sha256').update(data).digest('hex'));
    }
    expect((await ResumableSha256.create()).digestHex()).toBe(EMPTY_SHA256);
  });

  it('refuses a state it cannot resume, naming the cursor field', async () => {
    await expect(ResumableSha256.resume(Buffer.from('garbage').toString('base64'))).rejects.toThrow(ValidationError);
  });
});
