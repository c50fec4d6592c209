// The exportable fields of a Marketo dataset, with their data types, from its describe route
// (leads: describe2.json, falling back to describe.json; program members; a custom object by apiName).
// Activities have a fixed column list and no describe route. For `npm start -- fields <export>`.
import { z } from 'zod';
import { ProviderApiError } from '#shared/errors';
import type { ColumnType } from '#providers/descriptor';
import type { ProviderContext } from '#providers/types';
import { parseMarketoCredentials, type MarketoCredentials } from './credentials';
import { MARKETO_DESCRIPTOR, type MarketoBulkDatasetDescriptor, type MarketoDatasetDescriptor } from './descriptor';
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
const LegacyLeadFieldSchema = z.looseObject({
  dataType: z.string().min(1),
  rest: z.looseObject({ name: z.string().min(1) }),
});
const DescribedObjectSchema = z.looseObject({ fields: z.array(FieldSchema) });

function toFields(items: readonly { name: string; dataType: string }[]): MarketoField[] {
  return items.map(({ name, dataType }) => ({ name, dataType, columnType: columnTypeOf(name, dataType) }));
}

function parseDescribe(result: unknown[] | undefined, what: string): MarketoField[] {
  const described = z
    .array(DescribedObjectSchema)
    .min(1)
    .safeParse(result ?? []);
  if (described.success) return toFields(described.data.flatMap((o) => o.fields));
  const legacy = z.array(LegacyLeadFieldSchema).safeParse(result ?? []);
  if (legacy.success) return toFields(legacy.data.map((f) => ({ name: f.rest.name, dataType: f.dataType })));
  throw new ProviderApiError(`Marketo ${what}: unexpected result (no fields with name and dataType)`);
}

async function describe(api: MarketoApi, path: string): Promise<MarketoField[]> {
  const { envelope } = await api.json({ kind: 'describe', method: 'GET', path });
  return parseDescribe(envelope?.result, `GET ${path}`);
}

function datasetOf(dataset: string): MarketoBulkDatasetDescriptor {
  const datasets: Readonly<Record<string, MarketoDatasetDescriptor>> = MARKETO_DESCRIPTOR.datasets;
  const found = Object.hasOwn(datasets, dataset) ? datasets[dataset] : undefined;
  if (!found || found.kind === 'deleted-leads') throw new ProviderApiError(`marketo has no dataset "${dataset}"`);
  return found;
}

/**
 * The fields an export of `dataset` may ask for. `request` only supplies what locates the dataset (a
 * custom object's `apiName`): it need not be a valid request yet, since finding its fields is the point.
 */
export async function listMarketoFields(
  credentials: MarketoCredentials,
  dataset: string,
  request: Readonly<Record<string, unknown>>,
  ctx: ProviderContext,
): Promise<MarketoField[]> {
  const source = datasetOf(dataset).fieldSource;
  if ('fixed' in source) return toFields(source.fixed);
  const api = new MarketoApi({
    credentials: parseMarketoCredentials(credentials),
    clock: ctx.clock,
    logger: ctx.logger,
    ...(ctx.telemetry ? { telemetry: ctx.telemetry } : {}),
  });
  try {
    try {
      return await describe(api, source.describePath(request));
    } catch (error) {
      if (source.legacyDescribePath === undefined || !(error instanceof ProviderApiError)) throw error;
      return await describe(api, source.legacyDescribePath);
    }
  } finally {
    await api.close();
  }
}
