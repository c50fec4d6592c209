// Marketo's four bulk export types share one job lifecycle and differ only in their path, filter rules
// and whether `fields` is required. Each is an entry here (plus its own request validator file), not a
// copy of the job code. The path is a function of the validated request: a custom object's jobs live
// under its API name.
import type { ProviderRequest, ExportWindow } from '../types';
import { customObjectsCreateBody, validateCustomObjectsRequest, type CustomObjectsRequest } from './custom-objects-request';
import { leadsCreateBody, validateLeadsRequest } from './leads-request';
import { programMembersCreateBody, validateProgramMembersRequest } from './program-members-request';
import { toCreateJobBody, validateMarketoRequest, type MarketoRequest } from './request';

/** The body of a create-job call, whatever the bulk type. */
export interface CreateJobBody {
  readonly format: string;
  readonly filter: Readonly<Record<string, unknown>>;
  readonly fields?: readonly string[];
  readonly columnHeaderNames?: Readonly<Record<string, string>>;
}

/** Where one export's jobs live: every job path hangs off `basePath`. */
export interface BulkEndpoint {
  readonly basePath: string;
}

export interface BulkType {
  /** The export definition's `dataset`. */
  readonly dataset: string;
  /** `${basePath}/export/create.json`, `${basePath}/export/<id>/status.json`… for a validated request. */
  readonly basePath: (request: ProviderRequest) => string;
  /** The REST route that describes the type's fields (GET), for a validated request. */
  readonly describePath: (request: ProviderRequest) => string;
  /** Leads, program members and custom objects require `fields`; activities have defaults. */
  readonly fieldsRequired: boolean;
  /** The type's filter rules and options, pure (see its request file). */
  readonly validate: (request: unknown, window?: ExportWindow) => ProviderRequest;
  /** The create-job body of a request validated with its window. */
  readonly createBody: (request: ProviderRequest) => CreateJobBody;
}

const customObjectPath = (request: ProviderRequest) => encodeURIComponent((request as Partial<CustomObjectsRequest>).apiName ?? '');

export const BULK_TYPES = {
  activities: {
    dataset: 'activities',
    basePath: () => '/bulk/v1/activities',
    describePath: () => '/rest/v1/activities/types.json',
    fieldsRequired: false,
    validate: validateMarketoRequest,
    createBody: (request) => toCreateJobBody(request as MarketoRequest),
  },
  leads: {
    dataset: 'leads',
    basePath: () => '/bulk/v1/leads',
    describePath: () => '/rest/v1/leads/describe2.json',
    fieldsRequired: true,
    validate: validateLeadsRequest,
    createBody: (request) => leadsCreateBody(request as ReturnType<typeof validateLeadsRequest>),
  },
  programMembers: {
    dataset: 'program-members',
    basePath: () => '/bulk/v1/program/members',
    describePath: () => '/rest/v1/programs/members/describe.json',
    fieldsRequired: true,
    validate: validateProgramMembersRequest,
    createBody: (request) => programMembersCreateBody(request as ReturnType<typeof validateProgramMembersRequest>),
  },
  customObjects: {
    dataset: 'custom-objects',
    basePath: (request) => `/bulk/v1/customobjects/${customObjectPath(request)}`,
    describePath: (request) => `/rest/v1/customobjects/${customObjectPath(request)}/describe.json`,
    fieldsRequired: true,
    validate: validateCustomObjectsRequest,
    createBody: (request) => customObjectsCreateBody(request as CustomObjectsRequest),
  },
} as const satisfies Record<string, BulkType>;

export type BulkDataset = keyof typeof BULK_TYPES;

/** The endpoint of an export of `type` with this (validated) request. */
export function bulkEndpoint(type: BulkType, request: ProviderRequest): BulkEndpoint {
  return { basePath: type.basePath(request) };
}

/** The fixed-path bulk types (every type but custom objects): the endpoints the shared export quota is read from. */
export const FIXED_BULK_ENDPOINTS: readonly BulkEndpoint[] = [BULK_TYPES.activities, BULK_TYPES.leads, BULK_TYPES.programMembers].map((t) => bulkEndpoint(t, {}));

export const bulkPaths = {
  create: (at: BulkEndpoint) => `${at.basePath}/export/create.json`,
  list: (at: BulkEndpoint) => `${at.basePath}/export.json`,
  enqueue: (at: BulkEndpoint, exportId: string) => `${at.basePath}/export/${encodeURIComponent(exportId)}/enqueue.json`,
  status: (at: BulkEndpoint, exportId: string) => `${at.basePath}/export/${encodeURIComponent(exportId)}/status.json`,
  cancel: (at: BulkEndpoint, exportId: string) => `${at.basePath}/export/${encodeURIComponent(exportId)}/cancel.json`,
  file: (at: BulkEndpoint, exportId: string) => `${at.basePath}/export/${encodeURIComponent(exportId)}/file.json`,
};

/** Whether `path` is a bulk file path of `at` (the only thing openRange will fetch with credentials). */
export function isBulkFilePath(at: BulkEndpoint, path: string): boolean {
  const prefix = `${at.basePath}/export/`;
  if (!path.startsWith(prefix) || !path.endsWith('/file.json')) return false;
  const id = path.slice(prefix.length, -'/file.json'.length);
  return id.length > 0 && !id.includes('/') && !id.includes('?') && !id.includes('#');
}
