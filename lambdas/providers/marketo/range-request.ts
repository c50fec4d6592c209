// The byte range a transfer asks a Marketo adapter for, checked before any call (both adapters serve
// ranges: the bulk file route, and the deleted-leads CSV rendered from pages).
import { ValidationError } from '#shared/errors';
import type { RangeRequest } from '#providers/types';

export function parseRange(range: RangeRequest): RangeRequest {
  const start = range?.start;
  if (!Number.isSafeInteger(start) || start < 0)
    throw new ValidationError('range.start', 'must be a non-negative integer');
  const end = range.endInclusive;
  if (end !== undefined && (!Number.isSafeInteger(end) || end < start))
    throw new ValidationError('range.endInclusive', 'must be an integer ≥ range.start');
  return end === undefined ? { start } : { start, endInclusive: end };
}
