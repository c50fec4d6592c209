// Validation of a bulk custom object export request. PURE (zod only). `apiName` names the object (it
// is part of every job path); exactly one of `updatedAt` (the export window: incremental) or a
// static/smart list (a snapshot) selects the records. The latest view's key is `marketoGUID` unless
// `latestKey` names the object's own dedupe fields.
import { z } from 'zod';
import type { ExportWindow } from '#providers/types';
import {
  EntityOptionsShape,
  FieldNameSchema,
  LIST_FILTERS,
  ListFilterShape,
  checkEntityOptions,
  parseEntityRequest,
  requireLatestFields,
  setFilters,
  withWindow,
} from './entity-request';
import { DateRangeSchema } from './request';

export const CUSTOM_OBJECTS_DEFAULT_KEY = ['marketoGUID'] as const;
export const CUSTOM_OBJECTS_ORDER_BY = 'updatedAt';

const SELECTORS = ['updatedAt', ...LIST_FILTERS] as const;
const API_NAME = /^[A-Za-z][A-Za-z0-9_]{0,99}$/;

const CustomObjectsRequestSchema = z
  .object(
    {
      ...EntityOptionsShape,
      apiName: z
        .string({ error: 'is required: the custom object\'s API name (e.g. "car_c")' })
        .regex(API_NAME, 'must be a custom object API name: letters, digits and _ (e.g. "car_c")'),
      latestKey: z
        .array(FieldNameSchema, { error: 'must be an array of field names' })
        .min(1, 'must not be empty')
        .optional(),
      windowFilter: z
        .literal('updatedAt', { error: 'must be "updatedAt" (custom objects have no other date filter)' })
        .optional(),
      filter: z
        .object({ updatedAt: DateRangeSchema.optional(), ...ListFilterShape }, { error: 'must be an object' })
        .strict()
        .default({}),
    },
    { error: 'must be an object' },
  )
  .strict()
  .transform((request, ctx) => {
    checkEntityOptions(request, ctx);
    const [first, second] = setFilters(request.filter, SELECTORS);
    if (second !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['filter', second],
        message: `only one of ${SELECTORS.join(', ')} may be set (got ${first} and ${second})`,
      });
      return z.NEVER;
    }
    const isList = first !== undefined && first !== 'updatedAt';
    if (isList && request.windowFilter) {
      ctx.addIssue({
        code: 'custom',
        path: ['windowFilter'],
        message: `an export of a list (filter.${first}) is a snapshot and has no window filter: remove it`,
      });
      return z.NEVER;
    }
    const normalized = isList ? request : { ...request, windowFilter: 'updatedAt' as const };
    requireLatestFields(normalized, normalized.latestKey ?? CUSTOM_OBJECTS_DEFAULT_KEY, CUSTOM_OBJECTS_ORDER_BY, ctx);
    return normalized;
  });

export type CustomObjectsRequest = z.output<typeof CustomObjectsRequestSchema>;

export function validateCustomObjectsRequest(request: unknown, window?: ExportWindow): CustomObjectsRequest {
  return withWindow(parseEntityRequest(CustomObjectsRequestSchema, request), window);
}
