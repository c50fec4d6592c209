// What a Clickwrap export asks for besides its window, validated before any network call. PURE (zod
// only, no I/O): lib/config.ts imports it at synth time, so a bad config fails `cdk synth`.
import { z } from 'zod';
import { toValidationError } from '#shared/validation';
import type { ExportWindow } from '#providers/types';
import { checkRequestWindow } from '#providers/request-window';
import {
  CLICKWRAP_LIMITS,
  DEFAULT_ALLOWED_LINK_HOSTS,
  DEFAULT_FIELDS,
  DEFAULT_PER_PAGE,
  MAX_PER_PAGE,
  REQUIRED_FIELDS,
} from './constants';
import { parseClickwrapFilter } from './filter-grammar';
import { linkHostProblem } from './link-host-rules';

// Dotted paths as the CSV headers spell them (`custom_data.vip`). No commas or spaces: `fields` is a
// comma-separated list on the wire.
const FIELD_PATTERN = /^[A-Za-z0-9_]+(\.[A-Za-z0-9_-]+)*$/;

const FieldsSchema = z
  .union([z.array(z.string()), z.string().transform((s) => s.split(','))])
  .transform((fields) => fields.map((f) => f.trim()))
  .pipe(
    z
      .array(
        z.string().regex(FIELD_PATTERN, 'a field is a dotted path of letters, digits, _ and - (e.g. custom_data.vip)'),
      )
      .min(1)
      .superRefine((fields, ctx) => {
        const missing = REQUIRED_FIELDS.filter((f) => !fields.includes(f));
        if (missing.length > 0)
          ctx.addIssue({
            code: 'custom',
            message: `must include ${missing.join(', ')} (id, signer_id and created_time are required)`,
          });
        const seen = new Set<string>();
        for (const f of fields) {
          if (seen.has(f)) ctx.addIssue({ code: 'custom', message: `"${f}" is listed twice` });
          seen.add(f);
        }
      }),
  );

const FilterSchema = z
  .string()
  .trim()
  .min(1)
  .max(2000)
  .superRefine((filter, ctx) => {
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(filter))
      ctx.addIssue({ code: 'custom', message: 'must not contain control characters' });
    const parsed = parseClickwrapFilter(filter);
    if (!parsed.ok) {
      ctx.addIssue({ code: 'custom', message: parsed.problem });
      return;
    }
    // The window owns created_time: a second bound would silently shrink or contradict it.
    if (parsed.clauses.some((clause) => clause.field.toLowerCase() === 'created_time')) {
      ctx.addIssue({ code: 'custom', message: 'must not constrain created_time: the export window sets it' });
    }
  });

const ClickwrapRequestSchema = z
  .object({
    /** 'export': the asynchronous CSV task (several links); 'list': the paged /activity route, for accounts without the task. */
    mode: z.enum(['export', 'list']).default('export'),
    /** CSV columns, in order; must include id, signer_id and created_time. */
    fields: FieldsSchema.default([...DEFAULT_FIELDS]),
    /** The user's own filter (e.g. `event_type==agreed`), joined to the window with `and`. */
    filter: FilterSchema.optional(),
    /** Hosts a download link may point at, besides the API's own origin; replaces the defaults when given. */
    allowedLinkHosts: z
      .array(
        z
          .string()
          .trim()
          .toLowerCase()
          .superRefine((host, ctx) => {
            const problem = linkHostProblem(host);
            if (problem) ctx.addIssue({ code: 'custom', message: problem });
          }),
      )
      .default([...DEFAULT_ALLOWED_LINK_HOSTS]),
    /** Page size for the list route. */
    perPage: z.number().int().min(1).max(MAX_PER_PAGE).default(DEFAULT_PER_PAGE),
  })
  .strict();

export type ClickwrapRequest = {
  readonly mode: 'export' | 'list';
  readonly fields: readonly string[];
  readonly filter?: string;
  readonly allowedLinkHosts: readonly string[];
  readonly perPage: number;
};

/** Parses an export's `request` (and its window when given); throws ValidationError naming the field. */
export function validateClickwrapRequest(request: unknown, window?: ExportWindow): ClickwrapRequest {
  const parsed = ClickwrapRequestSchema.safeParse(request ?? {});
  if (!parsed.success) throw toValidationError(parsed.error, { whole: 'request' });
  checkRequestWindow(window, CLICKWRAP_LIMITS.maxWindowDays);
  const { filter, ...rest } = parsed.data;
  return filter === undefined ? rest : { ...rest, filter };
}
