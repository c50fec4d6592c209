// Ironclad Clickwrap as the pipeline knows it without calling it: limits, credentials and its one
// dataset (activity export), with the request rules and file columns. Pure: lib/ reads it at synth.
import { assertSafeBaseUrl } from '#shared/safe-base-url';
import type { ColumnType, DatasetDescriptor, DatasetLayout, ProviderDescriptor } from '#providers/descriptor';
import type { ProviderRequest } from '#providers/types';
import { CLICKWRAP_LIMITS } from './constants';
import { validateClickwrapRequest, type ClickwrapRequest } from './request';

const ACTIVITY_FIELD_TYPES: Readonly<Record<string, ColumnType>> = {
  created_time: 'timestamp',
};

function activitiesLayout(request: ProviderRequest): DatasetLayout {
  // validate() fills in the default fields, so a normalized request always lists them.
  const { fields } = request as Pick<ClickwrapRequest, 'fields'>;
  return {
    columns: fields.map((field) => ({ header: field, field, type: ACTIVITY_FIELD_TYPES[field] ?? 'string' })),
    format: 'csv',
    // Clickwrap leaves a field empty when it has no value.
    nullTokens: [''],
    columnsField: 'fields',
  };
}

const datasets = {
  activities: {
    name: 'activities',
    description:
      'Activity export: every acceptance, display and other signer event of the site, in a created_time window.',
    validate: validateClickwrapRequest,
    layout: activitiesLayout,
  },
} as const satisfies Record<string, DatasetDescriptor>;

export type ClickwrapDataset = keyof typeof datasets;

export const CLICKWRAP_DESCRIPTOR = {
  name: 'clickwrap',
  title: 'Ironclad Clickwrap',
  limits: CLICKWRAP_LIMITS,
  datasets,
  credentials: {
    secretFields: ['apiToken', 'baseUrl (optional)'],
    envVariables: ['CLICKWRAP_API_TOKEN', 'CLICKWRAP_BASE_URL'],
    fromEnv(env) {
      const { CLICKWRAP_API_TOKEN: apiToken, CLICKWRAP_BASE_URL: baseUrl } = env;
      if (!apiToken) return undefined;
      if (baseUrl) assertSafeBaseUrl('CLICKWRAP_BASE_URL', baseUrl);
      return { apiToken, ...(baseUrl ? { baseUrl } : {}) };
    },
  },
} as const satisfies ProviderDescriptor<ClickwrapDataset>;
