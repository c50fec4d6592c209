// Validation of a deleted-leads export request. PURE (zod and luxon only): lib/config.ts runs it at
// `cdk synth`, the adapter again before any call. The route takes no option besides the window, so the
// request is an empty object; the window must be one the route can serve in one pass (≤ 31 days, like
// the bulk activity extract, so both exports of an instance window alike).
import { DateTime } from 'luxon';
import { z } from 'zod';
import { toValidationError } from '#shared/validation';
import type { ExportWindow } from '#providers/types';
import { MAX_WINDOW_DAYS } from './activity-fields';

const ISO_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/;
const ISO_MESSAGE = 'must be ISO-8601 with seconds and an offset, without milliseconds (e.g. 2026-01-01T00:00:00Z)';
const IsoSecondsSchema = z
  .string({ error: ISO_MESSAGE })
  .refine((value) => ISO_SECONDS.test(value) && DateTime.fromISO(value, { setZone: true }).isValid, ISO_MESSAGE);

const DeletedLeadsRequestSchema = z.strictObject(
  {},
  { error: 'must be an object (deleted leads take no options besides the window)' },
);

export type DeletedLeadsRequest = z.infer<typeof DeletedLeadsRequestSchema>;

const WindowSchema = z
  .object({ start: IsoSecondsSchema, end: IsoSecondsSchema }, { error: 'must be an object {start, end}' })
  .superRefine((window, ctx) => {
    const start = Date.parse(window.start);
    const end = Date.parse(window.end);
    if (!(start < end))
      ctx.addIssue({ code: 'custom', path: ['end'], message: `must be after start (${window.start})` });
    else if (end - start > MAX_WINDOW_DAYS * 86_400_000)
      ctx.addIssue({ code: 'custom', path: ['end'], message: `the window may span at most ${MAX_WINDOW_DAYS} days` });
  });

/** The window as instants in UTC without milliseconds; a ValidationError naming `window.start`/`window.end` otherwise. */
export function parseDeletedLeadsWindow(window: unknown): ExportWindow {
  const parsed = WindowSchema.safeParse(window);
  if (!parsed.success) throw toValidationError(parsed.error, { under: ['window'], whole: 'window' });
  const utc = (iso: string) => new Date(Date.parse(iso)).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return { start: utc(parsed.data.start), end: utc(parsed.data.end) };
}

/** Refuses any option (naming it) and, with `window`, a window the route cannot serve. */
export function validateDeletedLeadsRequest(request: unknown, window?: ExportWindow): DeletedLeadsRequest {
  const parsed = DeletedLeadsRequestSchema.safeParse(request === undefined ? {} : request);
  if (!parsed.success) throw toValidationError(parsed.error, { whole: 'request' });
  if (window !== undefined) parseDeletedLeadsWindow(window);
  return parsed.data;
}
