// Validation of a Marketo bulk activity export request. PURE on purpose (zod and luxon only, no I/O,
// no undici): lib/config.ts runs it at `cdk synth`, the provider runs it again before any API call, so a
// bad request is refused with the same field-naming message in both places and never reaches Marketo.
import { DateTime } from 'luxon';
import { z } from 'zod';
import { ValidationError } from '#shared/errors';
import { toValidationError } from '#shared/validation';
import type { ExportWindow } from '#providers/types';
import {
  ACTIVITY_FIELDS,
  DEFAULT_ACTIVITY_FIELDS,
  EXPORT_FORMATS,
  MAX_PRIMARY_ATTRIBUTE_VALUES,
  MAX_WINDOW_DAYS,
  PRIMARY_ATTRIBUTE_GROUPS,
} from './activity-fields';

// Marketo wants seconds precision and an explicit offset ("2021-07-01T23:59:59-00:00" or "...Z").
const ISO_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/;
const ISO_MESSAGE = 'must be ISO-8601 with seconds and an offset, without milliseconds (e.g. 2026-01-01T00:00:00Z)';

function isIsoSeconds(value: string): boolean {
  return ISO_SECONDS.test(value) && DateTime.fromISO(value, { setZone: true }).isValid;
}

const IsoSecondsSchema = z.string({ error: ISO_MESSAGE }).refine(isIsoSeconds, ISO_MESSAGE);

/** A {startAt, endAt} range of at most 31 days, as every bulk type's date filters take it. */
export const DateRangeSchema = z
  .object({ startAt: IsoSecondsSchema, endAt: IsoSecondsSchema }, { error: 'must be an object {startAt, endAt}' })
  .strict()
  .superRefine((range, ctx) => {
    const start = Date.parse(range.startAt);
    const end = Date.parse(range.endAt);
    if (!(start < end)) {
      ctx.addIssue({ code: 'custom', path: ['endAt'], message: `must be after startAt (${range.startAt})` });
    } else if (end - start > MAX_WINDOW_DAYS * 86_400_000) {
      ctx.addIssue({ code: 'custom', path: ['endAt'], message: `the range may span at most ${MAX_WINDOW_DAYS} days` });
    }
  });

// "Delete Lead" is not exported by the bulk activity extract (Marketo answers 1003 at create time);
// deleted leads have their own REST route.
const DELETE_LEAD_ACTIVITY_TYPE_ID = 37;
const DELETE_LEAD_MESSAGE =
  'activity type 37 ("Delete Lead") is not supported by the bulk activity extract: read deleted leads from the Get Deleted Leads route (GET /rest/v1/activities/deletedleads.json) instead';

const positiveInt = (what: string) =>
  z
    .number({ error: `${what} must be a positive integer` })
    .int(`${what} must be a positive integer`)
    .positive(`${what} must be a positive integer`);

const FilterSchema = z
  .object(
    {
      createdAt: DateRangeSchema.optional(),
      activityTypeIds: z
        .array(positiveInt('an activity type id'), { error: 'must be an array of positive integers' })
        .min(1, 'must not be empty')
        .optional(),
      primaryAttributeValueIds: z
        .array(positiveInt('a primary attribute value id'), { error: 'must be an array of positive integers' })
        .min(1, 'must not be empty')
        .max(MAX_PRIMARY_ATTRIBUTE_VALUES, `at most ${MAX_PRIMARY_ATTRIBUTE_VALUES} ids`)
        .optional(),
      primaryAttributeValues: z
        .array(z.string({ error: 'must be a non-empty string' }).min(1, 'must be a non-empty string'), {
          error: 'must be an array of strings',
        })
        .min(1, 'must not be empty')
        .max(MAX_PRIMARY_ATTRIBUTE_VALUES, `at most ${MAX_PRIMARY_ATTRIBUTE_VALUES} values`)
        .optional(),
    },
    { error: 'must be an object' },
  )
  .strict()
  .superRefine((filter, ctx) => {
    for (const [i, id] of (filter.activityTypeIds ?? []).entries()) {
      if (id === DELETE_LEAD_ACTIVITY_TYPE_ID) {
        ctx.addIssue({ code: 'custom', path: ['activityTypeIds', i], message: DELETE_LEAD_MESSAGE });
        return;
      }
    }
    const byIds = filter.primaryAttributeValueIds !== undefined;
    const byValues = filter.primaryAttributeValues !== undefined;
    if (byIds && byValues) {
      ctx.addIssue({
        code: 'custom',
        path: ['primaryAttributeValues'],
        message: 'cannot be used together with primaryAttributeValueIds',
      });
      return;
    }
    if (!byIds && !byValues) return;
    const by = byIds ? 'primaryAttributeValueIds' : 'primaryAttributeValues';
    if (!filter.activityTypeIds) {
      ctx.addIssue({ code: 'custom', path: ['activityTypeIds'], message: `is required when filtering by ${by}` });
      return;
    }
    const groups = new Set<string>();
    for (const [i, id] of filter.activityTypeIds.entries()) {
      const group = Object.entries(PRIMARY_ATTRIBUTE_GROUPS).find(([, ids]) => ids.includes(id))?.[0];
      if (!group) {
        ctx.addIssue({
          code: 'custom',
          path: ['activityTypeIds', i],
          message: `activity type ${id} does not support filtering by ${by}`,
        });
        return;
      }
      groups.add(group);
    }
    if (groups.size > 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['activityTypeIds'],
        message: `must all belong to one asset group when filtering by ${by} (got ${[...groups].join(', ')})`,
      });
    }
  });

const fieldList = ACTIVITY_FIELDS.join(', ');

const ActivitiesRequestSchema = z
  .object(
    {
      format: z.enum(EXPORT_FORMATS, { error: `must be one of ${EXPORT_FORMATS.join(', ')}` }).default('CSV'),
      fields: z
        .array(
          z.enum(ACTIVITY_FIELDS, {
            error: (issue) => `unknown field ${JSON.stringify(issue.input)} (allowed: ${fieldList})`,
          }),
          {
            error: 'must be an array of field names',
          },
        )
        .min(1, 'must not be empty (omit it for the default fields)')
        .optional(),
      columnHeaderNames: z
        .record(z.string(), z.string({ error: 'must be a non-empty string' }).min(1, 'must be a non-empty string'), {
          error: 'must be an object {field: header}',
        })
        .optional(),
      filter: FilterSchema.default({}),
    },
    { error: 'must be an object' },
  )
  .strict()
  .superRefine((request, ctx) => {
    const seen = new Set<string>();
    for (const [i, field] of (request.fields ?? []).entries()) {
      if (seen.has(field)) ctx.addIssue({ code: 'custom', path: ['fields', i], message: `duplicate field "${field}"` });
      seen.add(field);
    }
    const exported: readonly string[] = request.fields ?? DEFAULT_ACTIVITY_FIELDS;
    for (const key of Object.keys(request.columnHeaderNames ?? {})) {
      if (!exported.includes(key)) {
        ctx.addIssue({
          code: 'custom',
          path: ['columnHeaderNames', key],
          message: `"${key}" is not an exported field (exported: ${exported.join(', ')})`,
        });
      }
    }
  });

/** A validated, normalized bulk activity export request: the body of Create Export Activity Job. */
export type MarketoRequest = z.infer<typeof ActivitiesRequestSchema>;
export type MarketoCreatedAt = NonNullable<MarketoRequest['filter']['createdAt']>;

function parseCreatedAt(window: ExportWindow): MarketoCreatedAt {
  const parsed = DateRangeSchema.safeParse({ startAt: window?.start, endAt: window?.end });
  if (!parsed.success) throw toValidationError(parsed.error, { under: ['filter', 'createdAt'] });
  return parsed.data;
}

function sameInstant(a: string, b: string): boolean {
  return Date.parse(a) === Date.parse(b);
}

/**
 * Validates a bulk activity export request before any network call; each failure is a ValidationError
 * naming the field. With `window`, the window becomes `filter.createdAt` (required for a job). Without
 * one (at synth time) only the options are checked, since the window is chosen at run time.
 */
export function validateMarketoRequest(request: unknown, window?: ExportWindow): MarketoRequest {
  const parsed = ActivitiesRequestSchema.safeParse(request === undefined ? {} : request);
  if (!parsed.success) throw toValidationError(parsed.error, { whole: 'request' });
  const normalized = parsed.data;
  if (window === undefined) return normalized;
  const createdAt = parseCreatedAt(window);
  const own = normalized.filter.createdAt;
  if (own && !(sameInstant(own.startAt, createdAt.startAt) && sameInstant(own.endAt, createdAt.endAt))) {
    throw new ValidationError('filter.createdAt', 'is set by the export window; remove it from the request');
  }
  return { ...normalized, filter: { ...normalized.filter, createdAt } };
}

/** The create-job body; refuses a request that has no createdAt window (Marketo requires one). */
export function toCreateJobBody(request: MarketoRequest): MarketoRequest & { filter: { createdAt: MarketoCreatedAt } } {
  const createdAt = request.filter.createdAt;
  if (!createdAt) throw new ValidationError('filter.createdAt', 'is required (the export window sets it)');
  return { ...request, filter: { ...request.filter, createdAt } };
}
