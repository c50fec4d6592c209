// One Asset API record → one row of its reference table. Asset records differ by type (a program has a
// channel and tags, an email a subject); the common part (id, name, folder, dates) is read the same
// way for all. A record that is not even an {id, name} is refused: the listing is not what we think.
import { z } from 'zod';
import type { ReferenceRow } from '#providers/types';

const ValueSchema = z.union([z.string(), z.number(), z.boolean()]).nullish();
/** Emails give `subject` and `fromEmail` as {type, value}; older answers give the bare text. */
const TextOrValueSchema = z.union([z.string(), z.looseObject({ value: ValueSchema })]).nullish();

const FolderSchema = z
  .looseObject({
    id: z.number().int().nullish(),
    value: z.number().int().nullish(),
    type: z.string().nullish(),
    folderName: z.string().nullish(),
  })
  .nullish();

export const AssetRecordSchema = z.looseObject({
  id: z.number().int(),
  name: z.string(),
  description: z.string().nullish(),
  type: z.string().nullish(),
  status: z.string().nullish(),
  workspace: z.string().nullish(),
  folder: FolderSchema,
  createdAt: z.string().nullish(),
  updatedAt: z.string().nullish(),
  url: z.string().nullish(),
  computedUrl: z.string().nullish(),
  channel: z.string().nullish(),
  tags: z.array(z.unknown()).nullish(),
  isActive: z.boolean().nullish(),
  parentProgramId: z.number().int().nullish(),
  subject: TextOrValueSchema,
  fromEmail: TextOrValueSchema,
});
export type AssetRecord = z.infer<typeof AssetRecordSchema>;

/** The Asset API writes `2024-01-10T18:07:29Z+0000`: the `+0000` after the `Z` says nothing more. */
export function assetTimestamp(text: string | null | undefined): string | null {
  if (!text) return null;
  const normalized = text.replace(/Z\+0000$/, 'Z');
  return Number.isFinite(Date.parse(normalized)) ? normalized : null;
}

function textOf(value: z.infer<typeof TextOrValueSchema>): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  return value.value === null || value.value === undefined ? null : String(value.value);
}

/** Every column any asset table has; a table's columns pick theirs (write-rows reads by column name). */
export function assetRow(record: AssetRecord, source: string): ReferenceRow {
  return {
    id: record.id,
    name: record.name,
    description: record.description ?? null,
    type: record.type ?? null,
    status: record.status ?? null,
    workspace: record.workspace ?? null,
    folder_id: record.folder?.value ?? record.folder?.id ?? null,
    folder_type: record.folder?.type ?? null,
    folder_name: record.folder?.folderName ?? null,
    created_at: assetTimestamp(record.createdAt),
    updated_at: assetTimestamp(record.updatedAt),
    url: record.url ?? null,
    computed_url: record.computedUrl ?? null,
    channel: record.channel ?? null,
    tags: record.tags ? JSON.stringify(record.tags) : null,
    is_active: record.isActive === null || record.isActive === undefined ? null : String(record.isActive),
    program_id: record.parentProgramId ?? null,
    subject: textOf(record.subject),
    from_email: textOf(record.fromEmail),
    source,
  };
}
