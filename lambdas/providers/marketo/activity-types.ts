// GET /rest/v1/activities/types.json → rows of the `activity_types` reference table. One REST call
// (against the shared 50,000/day budget) per run of an activities export.
import { z } from 'zod';
import { ProviderApiError } from '#shared/errors';
import type { ReferenceRow } from '#providers/types';
import type { MarketoApi } from './marketo-api';

const AttributeSchema = z.looseObject({ name: z.string(), dataType: z.string().optional() });
const ActivityTypeSchema = z.looseObject({
  id: z.number().int(),
  name: z.string(),
  description: z.string().optional(),
  primaryAttribute: AttributeSchema.optional(),
  attributes: z.array(AttributeSchema).optional(),
});

export async function fetchActivityTypes(
  api: MarketoApi,
  source: string,
  signal?: AbortSignal,
): Promise<ReferenceRow[]> {
  const { envelope } = await api.json({
    kind: 'types',
    method: 'GET',
    path: '/rest/v1/activities/types.json',
    ...(signal ? { signal } : {}),
  });
  const parsed = z.array(ActivityTypeSchema).safeParse(envelope?.result ?? []);
  if (!parsed.success)
    throw new ProviderApiError(
      `Marketo activity types: unexpected result (${parsed.error.issues[0]?.message ?? 'invalid'})`,
    );
  return parsed.data.map((t) => ({
    id: t.id,
    name: t.name,
    description: t.description ?? null,
    primary_attribute: t.primaryAttribute?.name ?? null,
    attributes: JSON.stringify(t.attributes ?? []),
    source,
  }));
}
