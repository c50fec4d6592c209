// Salesforce (Bulk API 2.0 query jobs) as the pipeline knows it without calling it: limits,
// credentials and its one dataset, an sObject named by the request. Pure: lib/ reads it at synth.
import type { DatasetDescriptor, DatasetLayout, ProviderDescriptor } from '#providers/descriptor';
import type { ProviderRequest } from '#providers/types';
import { assertSafeBaseUrl } from '#shared/safe-base-url';
import { SALESFORCE_LIMITS } from './constants';
import { columnTypeOfSalesforce, SYSTEM_FIELD_TYPES } from './field-types';
import { validateSalesforceRequest, type SalesforceRequest } from './request';

function sobjectLayout(request: ProviderRequest): DatasetLayout {
  const { fields, fieldTypes } = request as Pick<SalesforceRequest, 'fields' | 'fieldTypes'>;
  return {
    columns: fields.map((field) => ({
      // Bulk results name each column as the query selects it (Account.Name too).
      header: field,
      field,
      type: columnTypeOfSalesforce(fieldTypes?.[field] ?? SYSTEM_FIELD_TYPES[field] ?? 'string'),
    })),
    format: 'csv',
    // Bulk results write null and empty alike (`""`): neither can be told apart, both are NULL.
    nullTokens: [''],
    columnsField: 'fields',
  };
}

const datasets = {
  sobject: {
    name: 'sobject',
    description:
      'One sObject (request.object) through a Bulk API 2.0 query job per window on SystemModstamp; deleted records as rows with IsDeleted true.',
    validate: validateSalesforceRequest,
    layout: sobjectLayout,
    // Each window holds every version of a record changed in it: the view keeps the newest.
    latest: () => ({ key: ['Id'], orderBy: 'SystemModstamp' }),
  },
} as const satisfies Record<string, DatasetDescriptor>;

export type SalesforceDataset = keyof typeof datasets;

export const SALESFORCE_DESCRIPTOR = {
  name: 'salesforce',
  title: 'Salesforce (Bulk API 2.0 queries)',
  limits: SALESFORCE_LIMITS,
  datasets,
  credentials: {
    secretFields: ['instanceUrl', 'clientId', 'clientSecret', 'apiVersion (optional)'],
    envVariables: [
      'SALESFORCE_INSTANCE_URL',
      'SALESFORCE_CLIENT_ID',
      'SALESFORCE_CLIENT_SECRET',
      'SALESFORCE_API_VERSION',
    ],
    fromEnv(env) {
      const {
        SALESFORCE_INSTANCE_URL: instanceUrl,
        SALESFORCE_CLIENT_ID: clientId,
        SALESFORCE_CLIENT_SECRET: clientSecret,
        SALESFORCE_API_VERSION: apiVersion,
      } = env;
      if (!instanceUrl || !clientId || !clientSecret) return undefined;
      assertSafeBaseUrl('SALESFORCE_INSTANCE_URL', instanceUrl);
      return { instanceUrl, clientId, clientSecret, ...(apiVersion ? { apiVersion } : {}) };
    },
  },
} as const satisfies ProviderDescriptor<SalesforceDataset>;
