// S3 multipart rules: every part but the last is at least 5 MiB, at most 10,000 parts, at most 5 GiB a
// part. The part size is fixed per file at begin, from the file's size when it is known.
import { ValidationError } from '#shared/errors';

export const MIB = 1024 * 1024;
export const MIN_PART_SIZE = 5 * MIB;
export const MAX_PART_SIZE = 5 * 1024 * MIB;
export const MAX_PARTS = 10_000;
/** Big enough that a part's request overhead is noise, small enough that a few in flight stay cheap. */
export const DEFAULT_PART_SIZE = 8 * MIB;

/**
 * The part size for a file: `preferred` (default 8 MiB), raised to what `size` / 10,000 demands,
 * rounded up to whole MiB and never under 5 MiB. A file of unknown size gets `preferred` and may
 * then hold at most MAX_PARTS × that many bytes.
 */
export function choosePartSize(size?: number, preferred: number = DEFAULT_PART_SIZE): number {
  const needed = size === undefined ? 0 : Math.ceil(size / MAX_PARTS);
  const raw = Math.max(preferred, MIN_PART_SIZE, needed);
  const rounded = Math.ceil(raw / MIB) * MIB;
  if (rounded > MAX_PART_SIZE)
    throw new ValidationError('file.size', `${size} bytes would need parts over 5 GiB: larger than S3 allows`);
  return rounded;
}
