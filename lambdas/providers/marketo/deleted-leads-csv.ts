// One deleted-lead record of the REST route → one CSV row of the dataset's columns. Deterministic: the
// same records always render to the same bytes, which is what lets openRange re-page and skip to any
// offset. RFC 4180 quoting by csv-stringify; absent values as Marketo's `null` token.
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import { ProviderApiError } from '#shared/errors';
import { DELETED_LEADS_COLUMNS, DELETED_LEADS_NULL_TOKEN } from './deleted-leads-fields';

const AttributeSchema = z.looseObject({ name: z.string() });

/** One record as the route answers it (`attributes` is kept as sent, for a lossless JSON column). */
export const DeletedLeadSchema = z.looseObject({
  id: z.number().int(),
  marketoGUID: z.union([z.string(), z.number()]).nullish(),
  leadId: z.number().int(),
  activityDate: z.string().min(1),
  activityTypeId: z.number().int(),
  primaryAttributeValueId: z.number().int().nullish(),
  primaryAttributeValue: z.string().nullish(),
  attributes: z.array(AttributeSchema).nullish(),
});
export type DeletedLead = z.infer<typeof DeletedLeadSchema>;

/** Parses one record of a page; a record without its id, lead or date is the provider's error, named. */
export function parseDeletedLead(value: unknown, where: string): DeletedLead {
  const parsed = DeletedLeadSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ProviderApiError(
      `Marketo ${where}: a record is not a deleted lead (${issue?.path.join('.') || 'record'}: ${issue?.message ?? 'invalid'})`,
      'unexpected-body',
    );
  }
  return parsed.data;
}

function text(value: string | number | null | undefined): string {
  return value === null || value === undefined ? DELETED_LEADS_NULL_TOKEN : String(value);
}

function cells(record: DeletedLead): string[] {
  const byField: Readonly<Record<string, string>> = {
    marketoGUID: text(record.marketoGUID),
    id: String(record.id),
    leadId: String(record.leadId),
    activityDate: record.activityDate,
    activityTypeId: String(record.activityTypeId),
    primaryAttributeValueId: text(record.primaryAttributeValueId),
    primaryAttributeValue: text(record.primaryAttributeValue),
    // As the route lists them ([{name, value}, …]): lossless, and still one JSON text like the bulk files' column.
    attributes:
      record.attributes === null || record.attributes === undefined
        ? DELETED_LEADS_NULL_TOKEN
        : JSON.stringify(record.attributes),
  };
  return DELETED_LEADS_COLUMNS.map((c) => byField[c.field] ?? DELETED_LEADS_NULL_TOKEN);
}

function csv(rows: readonly (readonly string[])[]): string {
  // Every cell is already text: csv-stringify only quotes (RFC 4180), it never casts.
  return rows.length === 0 ? '' : stringify(rows as string[][], { record_delimiter: '\n' });
}

/** The header line, as the bulk files name their columns. */
export const DELETED_LEADS_HEADER = Buffer.from(csv([DELETED_LEADS_COLUMNS.map((c) => c.header)]), 'utf8');

/** The rows of some records, LF after each (nothing for none). */
export function renderDeletedLeads(records: readonly DeletedLead[]): Buffer {
  return Buffer.from(csv(records.map(cells)), 'utf8');
}
