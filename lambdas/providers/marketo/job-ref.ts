// The JobRef a Marketo job travels in between calls: the provider keeps no state, so every call reads
// the export id (and whether it was enqueued) back from what the workflow recorded.
import { z } from 'zod';
import { ProviderApiError } from '#shared/errors';
import { toValidationError } from '#shared/validation';
import type { JobRef } from '#providers/types';

const JobRefSchema = z.object({
  id: z.string({ error: 'must be a non-empty string' }).min(1, 'must be a non-empty string'),
  enqueued: z.boolean().optional(),
  createdAt: z.string().optional(),
});

export function parseJobRef(job: unknown): JobRef {
  const parsed = JobRefSchema.safeParse(job);
  if (!parsed.success) throw toValidationError(parsed.error, { under: ['job'] });
  return parsed.data;
}

export function isoSeconds(value: string | undefined, fallback: Date): string {
  const ms = value === undefined ? Number.NaN : Date.parse(value);
  return new Date(Number.isNaN(ms) ? fallback.getTime() : ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Marketo's answer for an export id it does not know (1003 "Export id '…' not found"). */
export function isUnknownJob(error: unknown): boolean {
  return error instanceof ProviderApiError && error.code === '1003' && /not found/i.test(error.message);
}
