// The window a provider's request is made for, checked the same way for every provider whose API takes
// a date range: a real range, no longer than the provider's largest window. Plan checks each window
// before any job is created, so a bad one fails by name instead of at the provider.
import { z } from 'zod';
import { toValidationError } from '#shared/validation';
import type { ExportWindow } from './types';

const MS_PER_DAY = 86_400_000;

function requestWindowSchema(maxWindowDays: number) {
  return z
    .object({ start: z.iso.datetime({ offset: true }), end: z.iso.datetime({ offset: true }) })
    .superRefine((w, ctx) => {
      const start = Date.parse(w.start);
      const end = Date.parse(w.end);
      if (!(start < end)) ctx.addIssue({ code: 'custom', path: ['end'], message: 'must be after window.start' });
      else if (end - start > maxWindowDays * MS_PER_DAY)
        ctx.addIssue({ code: 'custom', path: ['end'], message: `a window spans at most ${maxWindowDays} days` });
    });
}

/** Throws ValidationError naming `window.start`/`window.end` when `window` is not a range the provider takes. */
export function checkRequestWindow(window: ExportWindow | undefined, maxWindowDays: number): void {
  if (window === undefined) return;
  const parsed = requestWindowSchema(maxWindowDays).safeParse(window);
  if (!parsed.success) throw toValidationError(parsed.error, { under: ['window'] });
}
