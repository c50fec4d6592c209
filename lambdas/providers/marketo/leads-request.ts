// Validation of a bulk lead export request. PURE (zod only): synth and the provider run the same rules.
// Exactly one of createdAt, updatedAt or a static/smart list selects the leads: with no list, the export
// is incremental and its window becomes `filter.updatedAt` (or `filter.createdAt` with
// `windowFilter: "createdAt"`, new leads only); with a list it is a snapshot of the list's members.
import { z } from 'zod';
import type { ExportWindow } from '#providers/types';
import {
  EntityOptionsShape,
  LIST_FILTERS,
  ListFilterShape,
  checkEntityOptions,
  parseEntityRequest,
  requireLatestFields,
  setFilters,
  withWindow,
  type DateFilter,
} from './entity-request';
import { DateRangeSchema } from './request';

export const LEADS_LATEST = { key: ['id'], orderBy: 'updatedAt' } as const;

const SELECTORS = ['createdAt', 'updatedAt', ...LIST_FILTERS] as const;

const LeadsRequestSchema = z
  .object(
    {
      ...EntityOptionsShape,
      windowFilter: z.enum(['updatedAt', 'createdAt'], { error: 'must be "updatedAt" or "createdAt"' }).optional(),
      filter: z
        .object(
          { createdAt: DateRangeSchema.optional(), updatedAt: DateRangeSchema.optional(), ...ListFilterShape },
          { error: 'must be an object' },
        )
        .strict()
        .default({}),
    },
    { error: 'must be an object' },
  )
  .strict()
  .transform((request, ctx) => {
    checkEntityOptions(request, ctx);
    const chosen = setFilters(request.filter, SELECTORS);
    const [first, second] = chosen;
    if (second !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['filter', second],
        message: `only one of ${SELECTORS.join(', ')} may be set (got ${first} and ${second})`,
      });
      return z.NEVER;
    }
    const isList = first !== undefined && (LIST_FILTERS as readonly string[]).includes(first);
    if (isList && request.windowFilter) {
      ctx.addIssue({
        code: 'custom',
        path: ['windowFilter'],
        message: `an export of a list (filter.${first}) is a snapshot and has no window filter: remove it`,
      });
      return z.NEVER;
    }
    if (!isList && first !== undefined && request.windowFilter !== undefined && first !== request.windowFilter) {
      ctx.addIssue({
        code: 'custom',
        path: ['filter', first],
        message: `the export window sets filter.${request.windowFilter}; leads take only one date filter`,
      });
      return z.NEVER;
    }
    const windowFilter: DateFilter | undefined = isList
      ? undefined
      : (request.windowFilter ?? (first as DateFilter | undefined) ?? 'updatedAt');
    const normalized = { ...request, ...(windowFilter ? { windowFilter } : {}) };
    requireLatestFields(normalized, LEADS_LATEST.key, LEADS_LATEST.orderBy, ctx);
    return normalized;
  });

export type LeadsRequest = z.output<typeof LeadsRequestSchema>;

/** Checks a lead export request before any call; with `window` (incremental only) it becomes the date filter. */
export function validateLeadsRequest(request: unknown, window?: ExportWindow): LeadsRequest {
  return withWindow(parseEntityRequest(LeadsRequestSchema, request), window);
}
