// Marketo as the pipeline knows it without calling it: limits, credentials, and one entry per dataset
// (its bulk type, request rules, file columns, mode and latest-view key). Pure: lib/ reads it at
// `cdk synth`. A new Marketo dataset is an entry in `datasets` plus its own request file.
import { assertSafeBaseUrl } from '../../shared/safe-base-url';
import { ValidationError } from '../../shared/errors';
import type { ColumnType, DatasetDescriptor, DatasetLayout, ProviderDescriptor } from '../descriptor';
import type { ProviderLimits, ProviderRequest } from '../types';
import { DEFAULT_ACTIVITY_FIELDS } from './activity-fields';
import { ACTIVITY_TYPES_TABLE } from './activity-types-table';
import { BULK_TYPES, type BulkType } from './bulk-types';
import { marketoFileLayout } from './file-layout';
import { DELETED_LEADS_LAYOUT } from './deleted-leads-fields';
import { validateDeletedLeadsRequest } from './deleted-leads-request';
import { CUSTOM_OBJECTS_DEFAULT_KEY, CUSTOM_OBJECTS_ORDER_BY, type CustomObjectsRequest } from './custom-objects-request';
import { entityLatest, entityLayout, entityModeOf } from './entity-layout';
import { STANDARD_CUSTOM_OBJECT_FIELD_TYPES, STANDARD_LEAD_FIELD_TYPES, STANDARD_PROGRAM_MEMBER_FIELD_TYPES } from './field-types';
import { LEADS_LATEST } from './leads-request';
import { PROGRAM_MEMBERS_LATEST } from './program-members-request';
import type { MarketoRequest } from './request';

export const MARKETO_LIMITS: ProviderLimits = { maxWindowDays: 31, maxConcurrentJobs: 2, minPollSeconds: 60, fileRetentionDays: 7, cancelsJobs: true };

/** A Marketo dataset served by one bulk export type (same job lifecycle, own path and rules). */
export interface MarketoBulkDatasetDescriptor extends DatasetDescriptor {
  /** Which adapter serves the dataset (registry.ts picks it from here); a bulk export when absent. */
  readonly kind?: 'bulk';
  readonly bulkType: BulkType;
}

/** Deleted leads: the REST route Get Deleted Leads, paged and rendered as one CSV (no remote job). */
export interface MarketoDeletedLeadsDatasetDescriptor extends DatasetDescriptor {
  readonly kind: 'deleted-leads';
}

export type MarketoDatasetDescriptor = MarketoBulkDatasetDescriptor | MarketoDeletedLeadsDatasetDescriptor;

const ACTIVITY_FIELD_TYPES: Readonly<Record<string, ColumnType>> = {
  leadId: 'bigint',
  activityDate: 'timestamp',
  activityTypeId: 'int',
  campaignId: 'int',
  primaryAttributeValueId: 'int',
};

function activitiesLayout(request: ProviderRequest): DatasetLayout {
  const activities = request as Partial<MarketoRequest>;
  return marketoFileLayout(activities, activities.fields ?? DEFAULT_ACTIVITY_FIELDS, (field) => ACTIVITY_FIELD_TYPES[field] ?? 'string');
}

const datasets = {
  activities: {
    name: 'activities',
    description: 'Bulk activity extract: every activity (form fills, email events, score changes, …) in a createdAt window.',
    bulkType: BULK_TYPES.activities,
    validate: BULK_TYPES.activities.validate,
    layout: activitiesLayout,
    referenceTables: [ACTIVITY_TYPES_TABLE],
  },
  'deleted-leads': {
    name: 'deleted-leads',
    description:
      'Get Deleted Leads (REST): the "Delete Lead" activities (type 37) the bulk activity extract leaves out, in an activityDate window; paged 300 a call from the shared daily REST budget.',
    kind: 'deleted-leads',
    validate: validateDeletedLeadsRequest,
    layout: () => DELETED_LEADS_LAYOUT,
  },
  leads: {
    name: 'leads',
    description: 'Bulk lead extract: the leads changed (updatedAt) or created (createdAt) in a window, or the members of a static or smart list (a snapshot).',
    bulkType: BULK_TYPES.leads,
    validate: BULK_TYPES.leads.validate,
    layout: entityLayout(STANDARD_LEAD_FIELD_TYPES),
    mode: entityModeOf,
    latest: entityLatest(() => LEADS_LATEST.key, LEADS_LATEST.orderBy),
  },
  'program-members': {
    name: 'program-members',
    description: 'Bulk program member extract: the members of up to 10 programs, as a snapshot or (windowFilter updatedAt) those changed in a window.',
    bulkType: BULK_TYPES.programMembers,
    validate: BULK_TYPES.programMembers.validate,
    layout: entityLayout(STANDARD_PROGRAM_MEMBER_FIELD_TYPES),
    mode: entityModeOf,
    latest: entityLatest(() => PROGRAM_MEMBERS_LATEST.key, PROGRAM_MEMBERS_LATEST.orderBy),
  },
  'custom-objects': {
    name: 'custom-objects',
    description: "Bulk custom object extract of one object (apiName): the records changed in a window, or those of a list's leads (a snapshot).",
    bulkType: BULK_TYPES.customObjects,
    validate: BULK_TYPES.customObjects.validate,
    layout: entityLayout(STANDARD_CUSTOM_OBJECT_FIELD_TYPES),
    mode: entityModeOf,
    latest: entityLatest((request) => (request as Partial<CustomObjectsRequest>).latestKey ?? CUSTOM_OBJECTS_DEFAULT_KEY, CUSTOM_OBJECTS_ORDER_BY),
  },
} as const satisfies Record<string, MarketoDatasetDescriptor>;

export type MarketoDataset = keyof typeof datasets;

export const MARKETO_DESCRIPTOR = {
  name: 'marketo',
  title: 'Marketo Bulk Extract',
  limits: MARKETO_LIMITS,
  datasets,
  credentials: {
    secretFields: ['baseUrl', 'clientId', 'clientSecret'],
    envVariables: ['MARKETO_BASE_URL', 'MARKETO_CLIENT_ID', 'MARKETO_CLIENT_SECRET'],
    fromEnv(env) {
      const { MARKETO_BASE_URL: baseUrl, MARKETO_CLIENT_ID: clientId, MARKETO_CLIENT_SECRET: clientSecret } = env;
      if (!baseUrl && !clientId && !clientSecret) return undefined;
      if (!baseUrl || !clientId || !clientSecret) {
        throw new ValidationError('MARKETO_*', 'set all of MARKETO_BASE_URL, MARKETO_CLIENT_ID and MARKETO_CLIENT_SECRET (or none, to use the simulator)');
      }
      assertSafeBaseUrl('MARKETO_BASE_URL', baseUrl);
      const url = new URL(baseUrl);
      if (url.pathname !== '/' || url.search || url.hash || url.username) {
        throw new ValidationError('MARKETO_BASE_URL', 'must be the bare instance URL without a path, e.g. https://123-ABC-456.mktorest.com');
      }
      return { baseUrl, clientId, clientSecret };
    },
  },
} as const satisfies ProviderDescriptor<MarketoDataset>;
