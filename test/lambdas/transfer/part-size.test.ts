import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../lambdas/shared/errors';
import { DEFAULT_PART_SIZE, MAX_PARTS, MIB, MIN_PART_SIZE, choosePartSize } from '../../../lambdas/transfer/part-size';

describe('choosePartSize', () => {
  it('uses 8 MiB until 10,000 parts would not hold the file, then whole MiB that do', () => {
    expect(choosePartSize(undefined)).toBe(DEFAULT_PART_SIZE);
    expect(choosePartSize(0)).toBe(8 * MIB);
    expect(choosePartSize(80 * 1024 * MIB)).toBe(9 * MIB);
    for (const size of [1, 5 * MIB, 78 * 1024 * MIB, 78.2 * 1024 * MIB, 500 * 1024 * MIB, 4.9 * 1024 * 1024 * MIB]) {
      const part = choosePartSize(size);
      expect(part % MIB).toBe(0);
      expect(part).toBeGreaterThanOrEqual(MIN_PART_SIZE);
      expect(Math.ceil(size / part)).toBeLessThanOrEqual(MAX_PARTS);
    }
  });

  it('never goes under 5 MiB, whatever is preferred, and refuses what S3 cannot hold', () => {
    expect(choosePartSize(100, 1)).toBe(MIN_PART_SIZE);
    expect(choosePartSize(100, 5.5 * MIB)).toBe(6 * MIB);
    expect(() => choosePartSize(10_000 * 6 * 1024 * MIB)).toThrow(ValidationError);
  });
});
