// GET /sites/:id/exportFields: which columns a site can export. The answer's shape is undocumented, so
// strings, objects naming the field under a few likely keys, and a {field: label} map are all read.
import { z } from 'zod';
import { ProviderApiError, ValidationError } from '#shared/errors';
import { apiUrl } from './credentials';
import { callJson } from './http';
import type { HttpDeps } from './http';

export interface ExportField {
  /** The dotted path to put in `fields` (and the CSV header). */
  readonly field: string;
  readonly label?: string;
  readonly type?: string;
}

const Item = z.union([z.string(), z.record(z.string(), z.unknown())]);
const Listing = z.union([z.array(Item), z.record(z.string(), z.unknown())]);
const ResponseSchema = z.union([z.object({ data: Listing }).transform((r) => r.data), Listing]);

const NAME_KEYS = ['field', 'key', 'path', 'name', 'id', 'value'];
const LABEL_KEYS = ['label', 'title', 'display_name', 'displayName', 'name'];

function firstString(o: Record<string, unknown>, keys: readonly string[], except?: string): string | undefined {
  for (const k of keys) {
    const v = o[k];
    if (typeof v === 'string' && v.trim() && k !== except) return v.trim();
  }
  return undefined;
}

function toField(item: z.infer<typeof Item>): ExportField | undefined {
  if (typeof item === 'string') return item.trim() ? { field: item.trim() } : undefined;
  const nameKey = NAME_KEYS.find((k) => typeof item[k] === 'string' && (item[k] as string).trim());
  if (!nameKey) return undefined;
  const label = firstString(item, LABEL_KEYS, nameKey);
  const type = typeof item.type === 'string' ? item.type : undefined;
  return { field: (item[nameKey] as string).trim(), ...(label ? { label } : {}), ...(type ? { type } : {}) };
}

export function parseExportFields(listing: z.infer<typeof Listing>): ExportField[] {
  const fields: ExportField[] = Array.isArray(listing)
    ? listing.map(toField).filter((f): f is ExportField => f !== undefined)
    : Object.entries(listing).map(([field, label]) =>
        typeof label === 'string' && label ? { field, label } : { field },
      );
  if (Array.isArray(listing) && fields.length < listing.length) {
    throw new ProviderApiError(
      `exportFields: ${listing.length - fields.length} item(s) name no field`,
      'unexpected-body',
    );
  }
  return fields;
}

export async function fetchExportFields(deps: HttpDeps, siteId: string): Promise<ExportField[]> {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(siteId))
    throw new ValidationError('site', 'a site id is letters, digits, _ or - (e.g. 5193)');
  const url = apiUrl(deps.apiBaseUrl, `/sites/${encodeURIComponent(siteId)}/exportFields`);
  return parseExportFields(await callJson(deps, 'GET', url, ResponseSchema, `GET /sites/${siteId}/exportFields`));
}
