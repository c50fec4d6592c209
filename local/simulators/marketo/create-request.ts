// Parses and validates a create-job body the way Marketo does: anything wrong is error 1003 with a
// message that names the offending field (Marketo's own wording where it is known).
import { z } from 'zod';
import { ACTIVITY_TYPES_BY_ID, DELETE_LEAD_TYPE_ID, type AssetGroup } from './activity-types';
import { EXPORT_FORMATS, type ExportFormat } from './delimited-format';
import { MarketoApiFailure } from './marketo-errors';

export const DEFAULT_ACTIVITY_FIELDS = [
  'marketoGUID',
  'leadId',
  'activityDate',
  'activityTypeId',
  'campaignId',
  'primaryAttributeValueId',
  'primaryAttributeValue',
  'attributes',
] as const;

export const ACTIVITY_FIELDS: readonly string[] = [...DEFAULT_ACTIVITY_FIELDS, 'actionResult'];

export const MAX_SPAN_MS = 31 * 24 * 60 * 60 * 1000;
export const MAX_PRIMARY_ATTRIBUTE_VALUES = 50;

/** ISO-8601 with a date, a time to the second, and an offset or Z; milliseconds are refused. */
const MARKETO_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:?\d{2})$/;

export interface ExportRequest {
  readonly format: ExportFormat;
  readonly filter: {
    readonly createdAt: { readonly startAt: string; readonly endAt: string };
    readonly activityTypeIds?: readonly number[];
    readonly primaryAttributeValueIds?: readonly number[];
    readonly primaryAttributeValues?: readonly string[];
  };
  readonly fields?: readonly string[];
  readonly columnHeaderNames?: Readonly<Record<string, string>>;
  /** The createdAt window as epoch milliseconds. */
  readonly startMs: number;
  readonly endMs: number;
}

const BodySchema = z
  .object({
    format: z.string().optional(),
    filter: z
      .object({
        createdAt: z.object({ startAt: z.string(), endAt: z.string() }).strict().optional(),
        activityTypeIds: z.array(z.number().int().positive()).optional(),
        primaryAttributeValueIds: z.array(z.number().int().positive()).optional(),
        primaryAttributeValues: z.array(z.string().min(1)).optional(),
      })
      .strict()
      .optional(),
    fields: z.array(z.string()).optional(),
    columnHeaderNames: z.record(z.string(), z.string()).optional(),
  })
  .strict();

const invalid = (message: string) => new MarketoApiFailure('1003', message);

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path
    .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
    .join('')
    .replace(/^\./, '');
  if (issue.code === 'unrecognized_keys') {
    const where = path ? ` in '${path}'` : '';
    return `Invalid parameter${issue.keys.length > 1 ? 's' : ''}${where}: ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
  }
  return `Invalid value for '${path || 'body'}': ${issue.message}`;
}

function parseInstant(value: string, field: string): number {
  if (!MARKETO_DATETIME.test(value)) {
    throw invalid(`Invalid date format for '${field}': '${value}' (ISO-8601 with offset, without milliseconds)`);
  }
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw invalid(`Invalid date for '${field}': '${value}'`);
  return ms;
}

function checkActivityTypes(ids: readonly number[]): void {
  if (ids.length === 0) throw invalid("Invalid value for 'filter.activityTypeIds': must not be empty");
  for (const id of ids) {
    if (id === DELETE_LEAD_TYPE_ID) {
      throw invalid(`Activity type id ${id} (Delete Lead) is not supported by bulk export; use Get Deleted Leads`);
    }
    if (!ACTIVITY_TYPES_BY_ID.has(id)) throw invalid(`Invalid activity type id: ${id}`);
  }
}

/** primaryAttributeValue(Id)s need activityTypeIds that all belong to one filterable asset group. */
function checkPrimaryAttributeFilter(
  field: string,
  count: number,
  activityTypeIds: readonly number[] | undefined,
): AssetGroup {
  if (count === 0) throw invalid(`Invalid value for 'filter.${field}': must not be empty`);
  if (count > MAX_PRIMARY_ATTRIBUTE_VALUES) {
    throw invalid(`Too many values for 'filter.${field}': ${count} (maximum ${MAX_PRIMARY_ATTRIBUTE_VALUES})`);
  }
  if (!activityTypeIds) throw invalid(`'filter.${field}' requires the 'activityTypeIds' filter`);
  const groups = new Set(activityTypeIds.map((id) => ACTIVITY_TYPES_BY_ID.get(id)?.assetGroup));
  const [group] = groups;
  if (groups.size !== 1 || group === undefined) {
    throw invalid(
      `'filter.${field}' requires 'activityTypeIds' of one asset group that supports primary attribute filtering; got ${activityTypeIds.join(', ')}`,
    );
  }
  return group;
}

/** Throws MarketoApiFailure('1003') (or '609' for a body that is not a JSON object) on a bad request. */
export function parseCreateRequest(body: unknown): ExportRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new MarketoApiFailure('609', 'Invalid JSON');
  const parsed = BodySchema.safeParse(body);
  if (!parsed.success) {
    const [first] = parsed.error.issues;
    throw invalid(first ? describeIssue(first) : 'Invalid request');
  }
  const { format = 'CSV', filter, fields, columnHeaderNames } = parsed.data;
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
    throw invalid(`Invalid format: '${format}' (one of ${EXPORT_FORMATS.join(', ')})`);
  }
  if (!filter) throw invalid("'filter' is required");
  if (!filter.createdAt) throw invalid("'filter.createdAt' is required");
  const startMs = parseInstant(filter.createdAt.startAt, 'filter.createdAt.startAt');
  const endMs = parseInstant(filter.createdAt.endAt, 'filter.createdAt.endAt');
  if (endMs <= startMs) throw invalid("'filter.createdAt.endAt' must be after 'filter.createdAt.startAt'");
  if (endMs - startMs > MAX_SPAN_MS) throw invalid("'filter.createdAt' date range exceeds the maximum of 31 days");

  if (filter.activityTypeIds) checkActivityTypes(filter.activityTypeIds);
  if (filter.primaryAttributeValueIds && filter.primaryAttributeValues) {
    throw invalid("'filter.primaryAttributeValueIds' and 'filter.primaryAttributeValues' cannot be used together");
  }
  if (filter.primaryAttributeValueIds) {
    checkPrimaryAttributeFilter(
      'primaryAttributeValueIds',
      filter.primaryAttributeValueIds.length,
      filter.activityTypeIds,
    );
  }
  if (filter.primaryAttributeValues) {
    checkPrimaryAttributeFilter('primaryAttributeValues', filter.primaryAttributeValues.length, filter.activityTypeIds);
  }

  if (fields) {
    if (fields.length === 0) throw invalid("Invalid value for 'fields': must not be empty");
    for (const field of fields) {
      if (!ACTIVITY_FIELDS.includes(field)) throw invalid(`Invalid field: '${field}'`);
    }
    const duplicate = fields.find((f, i) => fields.indexOf(f) !== i);
    if (duplicate) throw invalid(`Duplicate field: '${duplicate}'`);
  }
  if (columnHeaderNames) {
    const exported: readonly string[] = fields ?? DEFAULT_ACTIVITY_FIELDS;
    for (const key of Object.keys(columnHeaderNames)) {
      if (!exported.includes(key)) throw invalid(`Invalid columnHeaderNames key: '${key}' is not an exported field`);
    }
  }
  return {
    format: format as ExportFormat,
    filter: {
      createdAt: filter.createdAt,
      ...(filter.activityTypeIds ? { activityTypeIds: filter.activityTypeIds } : {}),
      ...(filter.primaryAttributeValueIds ? { primaryAttributeValueIds: filter.primaryAttributeValueIds } : {}),
      ...(filter.primaryAttributeValues ? { primaryAttributeValues: filter.primaryAttributeValues } : {}),
    },
    ...(fields ? { fields } : {}),
    ...(columnHeaderNames ? { columnHeaderNames } : {}),
    startMs,
    endMs,
  };
}
