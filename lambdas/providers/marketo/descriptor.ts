// Marketo as the pipeline knows it without calling it: limits, credentials, and one entry per dataset
// (where its bulk jobs live and what they send, its request rules, file columns, mode, latest-view key
// and where its fields are described). Pure: lib/ reads it at `cdk synth`. A new Marketo dataset is an
// entry in `datasets` plus its own request and field files.
import { assertSafeBaseUrl } from '#shared/safe-base-url';
import { ValidationError } from '#shared/errors';
import type { ColumnType, DatasetDescriptor, DatasetLayout, ProviderDescriptor } from '#providers/descriptor';
import type { ProviderLimits, ProviderRequest } from '#providers/types';
import { ACTIVITY_FIELD_DATA_TYPES, DEFAULT_ACTIVITY_FIELDS } from './activity-fields';
import type { BulkEndpoint, CreateJobBody } from './bulk-endpoint';
import { CUSTOM_OBJECT_FIELD_TYPES } from './custom-objects-fields';
import {
  CUSTOM_OBJECTS_DEFAULT_KEY,
  CUSTOM_OBJECTS_ORDER_BY,
  validateCustomObjectsRequest,
  type CustomObjectsRequest,
} from './custom-objects-request';
import { DELETED_LEADS_LAYOUT } from './deleted-leads-fields';
import { validateDeletedLeadsRequest } from './deleted-leads-request';
import { entityCreateBody, entityLatest, entityMode } from './entity-request';
import { entityLayout, marketoFileLayout } from './file-layout';
import { LEAD_FIELD_TYPES } from './leads-fields';
import { LEADS_LATEST, validateLeadsRequest } from './leads-request';
import { PROGRAM_MEMBER_FIELD_TYPES } from './program-members-fields';
import { MARKETO_REFERENCE_TABLES } from './reference-tables';
import { PROGRAM_MEMBERS_LATEST, validateProgramMembersRequest } from './program-members-request';
import { toCreateJobBody, validateMarketoRequest, type MarketoRequest } from './request';

export const MARKETO_LIMITS: ProviderLimits = {
  maxWindowDays: 31,
  maxConcurrentJobs: 2,
  minPollSeconds: 60,
  fileRetentionDays: 7,
  cancelsJobs: true,
};

/** A Marketo dataset served by a bulk export type: one job lifecycle, its own path, body and rules. */
export interface MarketoBulkDatasetDescriptor extends DatasetDescriptor {
  /** Which adapter serves the dataset (registry.ts picks it from here); a bulk export when absent. */
  readonly kind?: 'bulk';
  readonly bulk: {
    /** `${basePath}/export/create.json`, `${basePath}/export/<id>/status.json`… for a validated request. */
    basePath(request: ProviderRequest): string;
    /** The path depends on the request (a custom object's apiName): the quota count cannot list every such export. */
    readonly pathFromRequest?: boolean;
    /** The create-job body of a request validated with its window. */
    createBody(request: ProviderRequest): CreateJobBody;
  };
  /**
   * Where `npm start -- fields` finds the exportable fields: a describe route (GET) for a request,
   * with an older route some instances answer instead; or a fixed list (activities have no describe).
   */
  readonly fieldSource:
    | { describePath(request: ProviderRequest): string; readonly legacyDescribePath?: string }
    | { readonly fixed: readonly { readonly name: string; readonly dataType: string }[] };
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
  return marketoFileLayout(
    activities,
    activities.fields ?? DEFAULT_ACTIVITY_FIELDS,
    (field) => ACTIVITY_FIELD_TYPES[field] ?? 'string',
  );
}

const customObjectPath = (request: ProviderRequest) =>
  encodeURIComponent((request as Partial<CustomObjectsRequest>).apiName ?? '');

const datasets = {
  activities: {
    name: 'activities',
    description:
      'Bulk activity extract: every activity (form fills, email events, score changes, …) in a createdAt window.',
    bulk: { basePath: () => '/bulk/v1/activities', createBody: toCreateJobBody },
    fieldSource: { fixed: ACTIVITY_FIELD_DATA_TYPES },
    validate: validateMarketoRequest,
    layout: activitiesLayout,
    referenceTables: MARKETO_REFERENCE_TABLES,
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
    description:
      'Bulk lead extract: the leads changed (updatedAt) or created (createdAt) in a window, or the members of a static or smart list (a snapshot).',
    bulk: { basePath: () => '/bulk/v1/leads', createBody: entityCreateBody },
    // Some instances do not offer describe2.json yet; describe.json has the same fields in its older shape.
    fieldSource: {
      describePath: () => '/rest/v1/leads/describe2.json',
      legacyDescribePath: '/rest/v1/leads/describe.json',
    },
    validate: validateLeadsRequest,
    layout: entityLayout(LEAD_FIELD_TYPES),
    mode: entityMode,
    latest: entityLatest(() => LEADS_LATEST.key, LEADS_LATEST.orderBy),
    referenceTables: MARKETO_REFERENCE_TABLES,
  },
  'program-members': {
    name: 'program-members',
    description:
      'Bulk program member extract: the members of up to 10 programs, as a snapshot or (windowFilter updatedAt) those changed in a window.',
    bulk: { basePath: () => '/bulk/v1/program/members', createBody: entityCreateBody },
    fieldSource: { describePath: () => '/rest/v1/programs/members/describe.json' },
    validate: validateProgramMembersRequest,
    layout: entityLayout(PROGRAM_MEMBER_FIELD_TYPES),
    mode: entityMode,
    latest: entityLatest(() => PROGRAM_MEMBERS_LATEST.key, PROGRAM_MEMBERS_LATEST.orderBy),
    referenceTables: MARKETO_REFERENCE_TABLES,
  },
  'custom-objects': {
    name: 'custom-objects',
    description:
      "Bulk custom object extract of one object (apiName): the records changed in a window, or those of a list's leads (a snapshot).",
    bulk: {
      basePath: (request: ProviderRequest) => `/bulk/v1/customobjects/${customObjectPath(request)}`,
      pathFromRequest: true,
      createBody: entityCreateBody,
    },
    fieldSource: {
      describePath: (request: ProviderRequest) => `/rest/v1/customobjects/${customObjectPath(request)}/describe.json`,
    },
    validate: validateCustomObjectsRequest,
    layout: entityLayout(CUSTOM_OBJECT_FIELD_TYPES),
    mode: entityMode,
    latest: entityLatest(
      (request) => (request as Partial<CustomObjectsRequest>).latestKey ?? CUSTOM_OBJECTS_DEFAULT_KEY,
      CUSTOM_OBJECTS_ORDER_BY,
    ),
    referenceTables: MARKETO_REFERENCE_TABLES,
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
        throw new ValidationError(
          'MARKETO_*',
          'set all of MARKETO_BASE_URL, MARKETO_CLIENT_ID and MARKETO_CLIENT_SECRET (or none, to use the simulator)',
        );
      }
      assertSafeBaseUrl('MARKETO_BASE_URL', baseUrl);
      const url = new URL(baseUrl);
      if (url.pathname !== '/' || url.search || url.hash || url.username) {
        throw new ValidationError(
          'MARKETO_BASE_URL',
          'must be the bare instance URL without a path, e.g. https://123-ABC-456.mktorest.com',
        );
      }
      return { baseUrl, clientId, clientSecret };
    },
  },
} as const satisfies ProviderDescriptor<MarketoDataset>;

/** The endpoint of an export of the bulk `dataset` with this (validated) request. */
export function bulkEndpoint(dataset: MarketoBulkDatasetDescriptor, request: ProviderRequest): BulkEndpoint {
  return { basePath: dataset.bulk.basePath(request) };
}

/** The fixed-path bulk datasets' endpoints (every one but custom objects): where the shared export quota is read. */
export const FIXED_BULK_ENDPOINTS: readonly BulkEndpoint[] = Object.values<MarketoDatasetDescriptor>(datasets).flatMap(
  (dataset) => (dataset.kind !== 'deleted-leads' && !dataset.bulk.pathFromRequest ? [bulkEndpoint(dataset, {})] : []),
);
