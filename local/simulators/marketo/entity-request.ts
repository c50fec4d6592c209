// Create-job bodies of the entity bulk types (leads, program members, custom objects), checked the way
// Marketo does: 1003 naming the field for anything wrong, 1035 for a filter this "subscription" lacks.
import { z } from 'zod';
import { CUSTOM_OBJECT_API_NAME } from './custom-object-data';
import { EXPORT_FORMATS, type ExportFormat } from './delimited-format';
import type { EntityType } from './entity-schema';
import { schemaOf } from './entity-schemas';
import { MarketoApiFailure } from './marketo-errors';
import { MAX_SPAN_MS } from './create-request';
import { PROGRAMS } from './program-member-data';

/** The instance's lists; a list filter naming another one is refused (1003). */
export const STATIC_LISTS: readonly { readonly id: number; readonly name: string }[] = [
  { id: 3001, name: 'Newsletter subscribers' },
  { id: 3002, name: 'Webinar attendees' },
];
export const SMART_LISTS: readonly { readonly id: number; readonly name: string }[] = [
  { id: 4001, name: 'Active prospects' },
  { id: 4002, name: 'Lapsed customers' },
];

export const MAX_PROGRAM_IDS = 10;
/** A list filter selects this many days' worth of records (a list has no window). */
export const LIST_SPAN_MS = 30 * 86_400_000;

const LIST_FILTERS = ['staticListId', 'staticListName', 'smartListId', 'smartListName'] as const;
const EXCLUSIVE: Readonly<Record<EntityType, readonly string[]>> = {
  leads: ['createdAt', 'updatedAt', ...LIST_FILTERS],
  programMembers: [],
  customObjects: ['updatedAt', ...LIST_FILTERS],
};

export interface EntityExportRequest {
  readonly entity: EntityType;
  /** Custom objects: the object's API name. */
  readonly apiName?: string;
  readonly format: ExportFormat;
  readonly filter: Readonly<Record<string, unknown>>;
  readonly fields: readonly string[];
  readonly columnHeaderNames?: Readonly<Record<string, string>>;
  /** The date filter that bounds the rows, if any. */
  readonly dateFilter?: 'createdAt' | 'updatedAt';
  /** The rows' main instants fall in [startMs, endMs): the date filter's range, or the LIST_SPAN_MS before creation. */
  readonly startMs: number;
  readonly endMs: number;
}

const MARKETO_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:?\d{2})$/;
const Range = z.object({ startAt: z.string(), endAt: z.string() }).strict();

const FilterSchema = z
  .object({
    createdAt: Range.optional(),
    updatedAt: Range.optional(),
    staticListId: z.number().int().positive().optional(),
    staticListName: z.string().min(1).optional(),
    smartListId: z.number().int().positive().optional(),
    smartListName: z.string().min(1).optional(),
    programId: z.number().int().positive().optional(),
    programIds: z.array(z.number().int().positive()).optional(),
    isExhausted: z.boolean().optional(),
    nurtureCadence: z.enum(['paused', 'norm']).optional(),
    statusNames: z.array(z.string().min(1)).optional(),
  })
  .strict();

const BodySchema = z
  .object({
    format: z.string().optional(),
    filter: FilterSchema.optional(),
    fields: z.array(z.string()).optional(),
    columnHeaderNames: z.record(z.string(), z.string()).optional(),
  })
  .strict();

const invalid = (message: string) => new MarketoApiFailure('1003', message);

function issueText(issue: z.core.$ZodIssue): string {
  const path = issue.path
    .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
    .join('')
    .replace(/^\./, '');
  if (issue.code === 'unrecognized_keys')
    return `Invalid parameter${path ? ` in '${path}'` : ''}: ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
  return `Invalid value for '${path || 'body'}': ${issue.message}`;
}

function parseRange(range: { startAt: string; endAt: string }, name: string): { startMs: number; endMs: number } {
  const at = (value: string, part: string) => {
    const ms = MARKETO_DATETIME.test(value) ? Date.parse(value) : Number.NaN;
    if (Number.isNaN(ms))
      throw invalid(
        `Invalid date format for 'filter.${name}.${part}': '${value}' (ISO-8601 with offset, without milliseconds)`,
      );
    return ms;
  };
  const startMs = at(range.startAt, 'startAt');
  const endMs = at(range.endAt, 'endAt');
  if (endMs <= startMs) throw invalid(`'filter.${name}.endAt' must be after 'filter.${name}.startAt'`);
  if (endMs - startMs > MAX_SPAN_MS) throw invalid(`'filter.${name}' date range exceeds the maximum of 31 days`);
  return { startMs, endMs };
}

function checkList(filter: z.infer<typeof FilterSchema>): void {
  const check = (lists: typeof STATIC_LISTS, by: 'id' | 'name', value: number | string | undefined, name: string) => {
    if (value !== undefined && !lists.some((l) => l[by] === value))
      throw invalid(`Invalid value for 'filter.${name}': list '${value}' not found`);
  };
  check(STATIC_LISTS, 'id', filter.staticListId, 'staticListId');
  check(STATIC_LISTS, 'name', filter.staticListName, 'staticListName');
  check(SMART_LISTS, 'id', filter.smartListId, 'smartListId');
  check(SMART_LISTS, 'name', filter.smartListName, 'smartListName');
}

function checkPrograms(filter: z.infer<typeof FilterSchema>): void {
  if (filter.programId !== undefined && filter.programIds !== undefined)
    throw invalid("'filter.programId' and 'filter.programIds' cannot be used together");
  const ids = filter.programIds ?? (filter.programId !== undefined ? [filter.programId] : undefined);
  if (!ids) throw invalid("'filter.programId' or 'filter.programIds' is required");
  if (ids.length === 0) throw invalid("Invalid value for 'filter.programIds': must not be empty");
  if (ids.length > MAX_PROGRAM_IDS)
    throw invalid(`Too many values for 'filter.programIds': ${ids.length} (maximum ${MAX_PROGRAM_IDS})`);
  for (const id of ids)
    if (!PROGRAMS[id]) throw invalid(`Invalid value for 'filter.programIds': program ${id} not found`);
}

/**
 * Throws MarketoApiFailure: 609 for a body that is not a JSON object, 1003 naming the field, 1035 when
 * the filter's type is one `unsupportedFilters` names (Marketo answers it on subscriptions without it).
 */
export function parseEntityCreateRequest(
  entity: EntityType,
  apiName: string | undefined,
  body: unknown,
  nowMs: number,
  unsupportedFilters: readonly string[] = [],
): EntityExportRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new MarketoApiFailure('609', 'Invalid JSON');
  if (entity === 'customObjects' && apiName !== CUSTOM_OBJECT_API_NAME)
    throw invalid(`Invalid custom object: '${apiName ?? ''}'`);
  const parsed = BodySchema.safeParse(body);
  if (!parsed.success) {
    const [first] = parsed.error.issues;
    throw invalid(first ? issueText(first) : 'Invalid request');
  }
  const { format = 'CSV', filter, fields, columnHeaderNames } = parsed.data;
  if (!(EXPORT_FORMATS as readonly string[]).includes(format))
    throw invalid(`Invalid format: '${format}' (one of ${EXPORT_FORMATS.join(', ')})`);
  if (!filter) throw invalid("'filter' is required");
  const used = Object.keys(filter).filter((k) => filter[k as keyof typeof filter] !== undefined);
  const exclusive = EXCLUSIVE[entity];
  if (entity === 'programMembers') {
    const foreign = used.find(
      (k) => !['programId', 'programIds', 'isExhausted', 'nurtureCadence', 'statusNames', 'updatedAt'].includes(k),
    );
    if (foreign) throw invalid(`Invalid parameter in 'filter': '${foreign}'`);
    checkPrograms(filter);
  } else {
    const foreign = used.find((k) => !exclusive.includes(k));
    if (foreign) throw invalid(`Invalid parameter in 'filter': '${foreign}'`);
    const chosen = used.filter((k) => exclusive.includes(k));
    if (chosen.length !== 1)
      throw invalid(
        `Exactly one filter of ${exclusive.map((k) => `'${k}'`).join(', ')} is required${chosen.length > 1 ? ` (got ${chosen.join(', ')})` : ''}`,
      );
    checkList(filter);
  }
  const unsupported = used.find((k) => unsupportedFilters.includes(k));
  if (unsupported)
    throw new MarketoApiFailure('1035', `Unsupported filter type for target subscription: ${unsupported}`);

  if (!fields) throw invalid("'fields' is required");
  if (fields.length === 0) throw invalid("Invalid value for 'fields': must not be empty");
  const known = schemaOf(entity).fields.map((f) => f.name);
  for (const f of fields) if (!known.includes(f)) throw invalid(`Invalid field: '${f}'`);
  const duplicate = fields.find((f, i) => fields.indexOf(f) !== i);
  if (duplicate) throw invalid(`Duplicate field: '${duplicate}'`);
  for (const key of Object.keys(columnHeaderNames ?? {})) {
    if (!fields.includes(key)) throw invalid(`Invalid columnHeaderNames key: '${key}' is not an exported field`);
  }

  const dateFilter = filter.createdAt ? 'createdAt' : filter.updatedAt ? 'updatedAt' : undefined;
  const range = filter.createdAt ?? filter.updatedAt;
  const span = range ? parseRange(range, dateFilter ?? 'updatedAt') : { startMs: nowMs - LIST_SPAN_MS, endMs: nowMs };
  return {
    entity,
    ...(apiName !== undefined ? { apiName } : {}),
    format: format as ExportFormat,
    filter,
    fields,
    ...(columnHeaderNames ? { columnHeaderNames } : {}),
    ...(dateFilter ? { dateFilter } : {}),
    ...span,
  };
}
