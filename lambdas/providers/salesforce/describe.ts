// `npm start -- fields <export>` for a Salesforce export: the object's fields from describe, with the
// curated column each becomes and whether the Bulk API can select it (compound fields cannot).
import type { ProviderContext } from '#providers/types';
import { SalesforceApi } from './api';
import { parseSalesforceCredentials, type SalesforceCredentials } from './credentials';
import { columnTypeOfSalesforce } from './field-types';
import { DescribeSchema } from './schemas';

export interface SalesforceField {
  readonly name: string;
  /** The describe type (`string`, `currency`, `datetime`, …). */
  readonly type: string;
  readonly columnType: ReturnType<typeof columnTypeOfSalesforce>;
  /** Compound fields (`address`, `location`) are refused by Bulk queries: select their components. */
  readonly selectable: boolean;
}

const COMPOUND_TYPES = new Set(['address', 'location']);

export async function listSalesforceFields(
  credentials: SalesforceCredentials,
  object: string,
  ctx: ProviderContext,
): Promise<SalesforceField[]> {
  const api = new SalesforceApi({
    credentials: parseSalesforceCredentials(credentials),
    clock: ctx.clock,
    logger: ctx.logger,
  });
  try {
    const described = await api.json(
      {
        method: 'GET',
        path: api.dataPath(`/sobjects/${encodeURIComponent(object)}/describe`),
        kind: 'describe',
        retryTransient: true,
      },
      DescribeSchema,
    );
    return described.fields.map((f) => ({
      name: f.name,
      type: f.type,
      columnType: columnTypeOfSalesforce(f.type),
      selectable: !COMPOUND_TYPES.has(f.type.toLowerCase()),
    }));
  } finally {
    await api.close();
  }
}
