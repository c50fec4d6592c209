// The exportable fields of a Marketo dataset, with their data types, from its describe route
// (leads: describe2.json, falling back to describe.json; program members; a custom object by apiName).
// Activities have a fixed column list and no describe route. For `npm start -- fields <export>`.
import { z } from 'zod';
import { ProviderApiError } from '../../shared/errors';
import type { ColumnType } from '../descriptor';
import type { ProviderContext } from '../types';
import { ACTIVITY_FIELDS } from './activity-fields';
import { BULK_TYPES, type BulkType } from './bulk-types';
import { parseMarketoCredentials, type MarketoCredentials } from './credentials';
import { columnTypeOf } from './field-types';
import { MarketoApi } from './marketo-api';

export interface MarketoField {
  readonly name: string;
  /** Marketo's data type as describe names it. */
  readonly dataType: string;
  /** The curated column type it becomes. */
  readonly columnType: ColumnType;
}

const FieldSchema = z.looseObject({ name: z.string().min(1), dataType: z.string().min(1) });
// describe.json lists fields with their REST name under `rest`; the others answer one object with `fields`.
const LegacyLeadFieldSchema = z.looseObject({ dataType: z.string().min(1), rest: z.looseObject({ name: z.string().min(1) }) });
const DescribedObjectSchema = z.looseObject({ fields: z.array(FieldSchema) });

const ACTIVITY_DATA_TYPES: Readonly<Record<string, string>> = {
  leadId: 'integer',
  activityDate: 'datetime',
  activityTypeId: 'integer',
  campaignId: 'integer',
  primaryAttributeValueId: 'integer',
};

function toFields(items: readonly { name: string; dataType: string }[]): MarketoField[] {
  return items.map(({ name, dataType }) => ({ name, dataType, columnType: columnTypeOf(name, dataType) }));
}

function parseDescribe(result: unknown[] | undefined, what: string): MarketoField[] {
  const described = z.array(DescribedObjectSchema).min(1).safeParse(result ?? []);
  if (described.success) return toFields(described.data.flatMap((o) => o.fields));
  const legacy = z.array(LegacyLeadFieldSchema).safeParse(result ?? []);
  if (legacy.success) return toFields(legacy.data.map((f) => ({ name: f.rest.name, dataType: f.dataType })));
  throw new ProviderApiError(`Marketo ${what}: unexpected result (no fields with name and dataType)`);
}

async function describe(api: MarketoApi, path: string): Promise<MarketoField[]> {
  const { envelope } = await api.json({ kind: 'describe', method: 'GET', path });
  return parseDescribe(envelope?.result, `GET ${path}`);
}

function bulkTypeOf(dataset: string): BulkType {
  const type = Object.values<BulkType>(BULK_TYPES).find((t) => t.dataset === dataset);
  if (!type) throw new ProviderApiError(`marketo has no dataset "${dataset}"`);
  return type;
}

/**
 * The fields an export of `dataset` may ask for. `request` only supplies what locates the dataset (a
 * custom object's `apiName`): it need not be a valid request yet, since finding its fields is the point.
 */
export async function listMarketoFields(credentials: MarketoCredentials, dataset: string, request: Readonly<Record<string, unknown>>, ctx: ProviderContext): Promise<MarketoField[]> {
  if (dataset === BULK_TYPES.activities.dataset) return toFields(ACTIVITY_FIELDS.map((name) => ({ name, dataType: ACTIVITY_DATA_TYPES[name] ?? 'string' })));
  const type = bulkTypeOf(dataset);
  const api = new MarketoApi({ credentials: parseMarketoCredentials(credentials), clock: ctx.clock, logger: ctx.logger, ...(ctx.telemetry ? { telemetry: ctx.telemetry } : {}) });
  try {
    const path = type.describePath(request);
    try {
      return await describe(api, path);
    } catch (error) {
      // Some instances do not offer describe2.json yet; describe.json has the same fields in its older shape.
      if (type !== BULK_TYPES.leads || !(error instanceof ProviderApiError)) throw error;
      return await describe(api, '/rest/v1/leads/describe.json');
    }
  } finally {
    await api.close();
  }
}
