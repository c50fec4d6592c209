// What a Salesforce export asks for besides its window: one sObject, its fields, their types and how
// results are paged. Validated before any network call. PURE (zod only): lib/config.ts reaches it at
// synth time, so a bad config fails `cdk synth`.
import { z } from 'zod';
import { toValidationError } from '#shared/validation';
import type { ExportWindow } from '#providers/types';
import { checkRequestWindow } from '#providers/request-window';
import { DEFAULT_PAGE_RECORDS, MAX_PAGE_RECORDS, SALESFORCE_LIMITS } from './constants';

/** sObject API names: standard (`Account`) or custom (`Invoice__c`). */
const OBJECT_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,79}$/;
/** A field or a child-to-parent path (`Account.Name`): what Bulk 2.0 can select. */
const FIELD_PATTERN = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*$/;
/** The window is on SystemModstamp (it moves on every edit, automated ones too); Id keys the latest view. */
export const REQUIRED_FIELDS = ['Id', 'SystemModstamp'] as const;

const FieldsSchema = z
  .array(z.string().trim().regex(FIELD_PATTERN, 'a field is an API name or a dotted parent path (Account.Name)'))
  .min(1)
  .superRefine((fields, ctx) => {
    const missing = REQUIRED_FIELDS.filter((f) => !fields.includes(f));
    if (missing.length > 0)
      ctx.addIssue({ code: 'custom', message: `must include ${missing.join(', ')} (the window and the key)` });
    const seen = new Set<string>();
    for (const f of fields) {
      if (seen.has(f.toLowerCase())) ctx.addIssue({ code: 'custom', message: `"${f}" is listed twice` });
      seen.add(f.toLowerCase());
    }
  });

const SalesforceRequestSchema = z
  .object({
    /** The sObject to export, e.g. `Account`. */
    object: z.string().trim().regex(OBJECT_PATTERN, 'must be an sObject API name such as Account or Invoice__c'),
    /** Columns in order (Bulk results follow SELECT order from API 50.0 on). */
    fields: FieldsSchema,
    /** Describe types of fields beyond the system ones (`npm start -- fields <export>` prints them). */
    fieldTypes: z.record(z.string(), z.string().trim().min(1)).optional(),
    /**
     * `queryAll` (default) also returns records in the Recycle Bin, as rows with IsDeleted = true, so
     * deletions reach the lake; `query` leaves them out.
     */
    operation: z.enum(['queryAll', 'query']).default('queryAll'),
    /** `maxRecords` per result set: each set is held and verified in memory before it is passed on. */
    pageRecords: z.number().int().min(1).max(MAX_PAGE_RECORDS).default(DEFAULT_PAGE_RECORDS),
  })
  .strict()
  .superRefine((request, ctx) => {
    if (request.operation === 'queryAll' && !request.fields.includes('IsDeleted'))
      ctx.addIssue({
        code: 'custom',
        path: ['fields'],
        message: 'must include IsDeleted with operation queryAll (a deleted record lands as a row with isdeleted true)',
      });
    for (const name of Object.keys(request.fieldTypes ?? {}))
      if (!request.fields.includes(name))
        ctx.addIssue({ code: 'custom', path: ['fieldTypes', name], message: 'is not one of the fields' });
  });

export type SalesforceRequest = {
  readonly object: string;
  readonly fields: readonly string[];
  readonly fieldTypes?: Readonly<Record<string, string>>;
  readonly operation: 'queryAll' | 'query';
  readonly pageRecords: number;
};

/** Parses an export's `request` (and its window when given); throws ValidationError naming the field. */
export function validateSalesforceRequest(request: unknown, window?: ExportWindow): SalesforceRequest {
  const parsed = SalesforceRequestSchema.safeParse(request ?? {});
  if (!parsed.success) throw toValidationError(parsed.error, { whole: 'request' });
  checkRequestWindow(window, SALESFORCE_LIMITS.maxWindowDays);
  const { fieldTypes, ...rest } = parsed.data;
  return fieldTypes === undefined ? rest : { ...rest, fieldTypes };
}

/** SOQL dateTime literal: unquoted, UTC, milliseconds (what Airbyte's incremental sync sends). */
function soqlDateTime(iso: string): string {
  return new Date(iso).toISOString();
}

/** The window's query: `SystemModstamp >= start AND SystemModstamp < end`, no ORDER BY (it disables PK chunking). */
export function windowSoql(request: SalesforceRequest, window: ExportWindow): string {
  return (
    `SELECT ${request.fields.join(', ')} FROM ${request.object} ` +
    `WHERE SystemModstamp >= ${soqlDateTime(window.start)} AND SystemModstamp < ${soqlDateTime(window.end)}`
  );
}
