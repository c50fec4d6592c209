// What the entity bulk types (leads, program members, custom objects) share in their requests: the
// options (`fields` required, `format`, `columnHeaderNames`, `fieldTypes`), the list filters, and how
// the export window becomes the request's date filter. PURE (zod only): it runs at `cdk synth` too.
import { z } from 'zod';
import { ValidationError } from '#shared/errors';
import { toValidationError } from '#shared/validation';
import type { ExportMode, LatestViewKey } from '#providers/descriptor';
import type { ExportWindow, ProviderRequest } from '#providers/types';
import { EXPORT_FORMATS } from './activity-fields';
import type { CreateJobBody } from './bulk-endpoint';
import { DateRangeSchema } from './request';

export type DateFilter = 'createdAt' | 'updatedAt';
export type DateRange = z.infer<typeof DateRangeSchema>;

/** Filters that select a list of records rather than a date range: a request with one is a snapshot. */
export const LIST_FILTERS = ['staticListId', 'staticListName', 'smartListId', 'smartListName'] as const;

const positiveInt = z
  .number({ error: 'must be a positive integer' })
  .int('must be a positive integer')
  .positive('must be a positive integer');
const nonEmpty = z.string({ error: 'must be a non-empty string' }).min(1, 'must be a non-empty string');

export const ListFilterShape = {
  staticListId: positiveInt.optional(),
  staticListName: nonEmpty.optional(),
  smartListId: positiveInt.optional(),
  smartListName: nonEmpty.optional(),
};

export const FieldNameSchema = nonEmpty;

/** The options every entity bulk type takes besides its filter. */
export const EntityOptionsShape = {
  format: z.enum(EXPORT_FORMATS, { error: `must be one of ${EXPORT_FORMATS.join(', ')}` }).default('CSV'),
  fields: z
    .array(FieldNameSchema, {
      error: 'is required: an array of field names (`npm start -- fields <export>` lists them)',
    })
    .min(1, 'must not be empty (`npm start -- fields <export>` lists the exportable fields)'),
  columnHeaderNames: z.record(z.string(), nonEmpty, { error: 'must be an object {field: header}' }).optional(),
  /** Marketo data types of fields the built-in table does not know (as describe names them), for the curated columns. */
  fieldTypes: z.record(z.string(), nonEmpty, { error: 'must be an object {field: Marketo dataType}' }).optional(),
};

// Type aliases, not interfaces: a dataset entry's `createBody` takes the request as a ProviderRequest
// (a record), which only an alias's object type is assignable to.
type EntityOptions = {
  readonly fields: readonly string[];
  readonly columnHeaderNames?: Readonly<Record<string, string>> | undefined;
  readonly fieldTypes?: Readonly<Record<string, string>> | undefined;
};

/** Duplicate fields, and header names or types for fields that are not exported. */
export function checkEntityOptions(request: EntityOptions, ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  for (const [i, field] of request.fields.entries()) {
    if (seen.has(field)) ctx.addIssue({ code: 'custom', path: ['fields', i], message: `duplicate field "${field}"` });
    seen.add(field);
  }
  for (const option of ['columnHeaderNames', 'fieldTypes'] as const) {
    for (const key of Object.keys(request[option] ?? {})) {
      if (!seen.has(key))
        ctx.addIssue({
          code: 'custom',
          path: [option, key],
          message: `"${key}" is not an exported field (exported: ${request.fields.join(', ')})`,
        });
    }
  }
}

/** The filters of `filter` that are set, among `names`. */
export function setFilters(filter: Readonly<Record<string, unknown>>, names: readonly string[]): string[] {
  return names.filter((name) => filter[name] !== undefined);
}

/** A validated entity request: the Marketo body's parts plus the pipeline's own options. */
export type EntityRequest = EntityOptions & {
  readonly format: (typeof EXPORT_FORMATS)[number];
  readonly filter: Readonly<Record<string, unknown>>;
  /** The date filter the export window fills; absent: a snapshot (a list or program without a date filter). */
  readonly windowFilter?: DateFilter | undefined;
};

/** The descriptor's `mode`: a request with a window filter is incremental, one without (a list) a snapshot. */
export function entityMode(request: ProviderRequest): ExportMode {
  return (request as Partial<EntityRequest>).windowFilter ? 'incremental' : 'snapshot';
}

/** The descriptor's `latest`: the view's key for an incremental request; a snapshot is already one row per entity. */
export function entityLatest(key: (request: ProviderRequest) => readonly string[], orderBy: string) {
  return (request: ProviderRequest): LatestViewKey | undefined =>
    entityMode(request) === 'incremental' ? { key: key(request), orderBy } : undefined;
}

function sameRange(a: unknown, b: DateRange): boolean {
  const range = a as Partial<DateRange>;
  return (
    Date.parse(range.startAt ?? '') === Date.parse(b.startAt) && Date.parse(range.endAt ?? '') === Date.parse(b.endAt)
  );
}

/**
 * An incremental request for `window`: the window becomes `filter.<windowFilter>` (≤ 31 days). A date
 * filter the user set is refused unless it is that window (a normalized request validates to itself).
 * A snapshot request is returned as it is: its runs have no date filter whatever their window.
 */
export function withWindow<R extends EntityRequest>(request: R, window?: ExportWindow): R {
  const on = request.windowFilter;
  if (window === undefined || on === undefined) return request;
  const parsed = DateRangeSchema.safeParse({ startAt: window?.start, endAt: window?.end });
  if (!parsed.success) throw toValidationError(parsed.error, { under: ['filter', on] });
  const own = request.filter[on];
  if (own !== undefined && !sameRange(own, parsed.data))
    throw new ValidationError(`filter.${on}`, 'is set by the export window; remove it from the request');
  return { ...request, filter: { ...request.filter, [on]: parsed.data } };
}

/** In incremental mode the `<export>_latest` view needs its key and order fields in the file. */
export function requireLatestFields(
  request: EntityRequest,
  key: readonly string[],
  orderBy: string,
  ctx: z.RefinementCtx,
): void {
  if (!request.windowFilter) return;
  const missing = [...key, orderBy].filter((f, i, all) => all.indexOf(f) === i && !request.fields.includes(f));
  if (missing.length > 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['fields'],
      message: `must include ${missing.map((f) => `"${f}"`).join(' and ')}: an incremental export's latest view keeps the newest row per ${key.join(', ')} by ${orderBy}`,
    });
  }
}

/** The create-job body: Marketo's parts only, with the window's date filter required when incremental. */
export function entityCreateBody(request: EntityRequest): CreateJobBody {
  const on = request.windowFilter;
  if (on && request.filter[on] === undefined)
    throw new ValidationError(`filter.${on}`, 'is required (the export window sets it)');
  return {
    format: request.format,
    filter: request.filter,
    fields: request.fields,
    ...(request.columnHeaderNames ? { columnHeaderNames: request.columnHeaderNames } : {}),
  };
}

/** Parses with `schema`, naming the field of the first problem. */
export function parseEntityRequest<S extends z.ZodType>(schema: S, request: unknown): z.output<S> {
  const parsed = schema.safeParse(request === undefined ? {} : request);
  if (!parsed.success) throw toValidationError(parsed.error, { whole: 'request' });
  return parsed.data;
}
