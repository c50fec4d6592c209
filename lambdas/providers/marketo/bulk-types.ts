// Marketo's four bulk export types share one job lifecycle and differ only in their path, filter rules
// and whether `fields` is required. Adding leads, program members or custom objects is an entry here
// (plus its request validator), not a copy of the activity code. Only activities are implemented now.
import type { ExportWindow } from '../types';
import { validateMarketoRequest, type MarketoRequest } from './request';

export interface BulkType {
  /** The export definition's `dataset`. */
  readonly dataset: string;
  /** Every job path hangs off this: `${basePath}/export/create.json`, `${basePath}/export/<id>/status.json`… */
  readonly basePath: string;
  /** Leads, program members and custom objects require `fields`; activities have defaults. */
  readonly fieldsRequired: boolean;
  /** The type's filter rules and options, pure (see request.ts). */
  readonly validate: (request: unknown, window?: ExportWindow) => MarketoRequest;
}

export const BULK_TYPES = {
  activities: { dataset: 'activities', basePath: '/bulk/v1/activities', fieldsRequired: false, validate: validateMarketoRequest },
  // leads:          { basePath: '/bulk/v1/leads', fieldsRequired: true, validate: <exactly one of createdAt, updatedAt, static/smart list> }
  // programMembers: { basePath: '/bulk/v1/program/members', fieldsRequired: true, validate: <programId(s) ≤ 10, …> }
  // customObjects:  { basePath: `/bulk/v1/customobjects/${apiName}`, fieldsRequired: true, validate: <…> }
} as const satisfies Record<string, BulkType>;

export type BulkDataset = keyof typeof BULK_TYPES;

export const bulkPaths = {
  create: (type: BulkType) => `${type.basePath}/export/create.json`,
  list: (type: BulkType) => `${type.basePath}/export.json`,
  enqueue: (type: BulkType, exportId: string) => `${type.basePath}/export/${encodeURIComponent(exportId)}/enqueue.json`,
  status: (type: BulkType, exportId: string) => `${type.basePath}/export/${encodeURIComponent(exportId)}/status.json`,
  cancel: (type: BulkType, exportId: string) => `${type.basePath}/export/${encodeURIComponent(exportId)}/cancel.json`,
  file: (type: BulkType, exportId: string) => `${type.basePath}/export/${encodeURIComponent(exportId)}/file.json`,
};

/** Whether `path` is a bulk file path of `type` (the only thing openRange will fetch with credentials). */
export function isBulkFilePath(type: BulkType, path: string): boolean {
  const prefix = `${type.basePath}/export/`;
  if (!path.startsWith(prefix) || !path.endsWith('/file.json')) return false;
  const id = path.slice(prefix.length, -'/file.json'.length);
  return id.length > 0 && !id.includes('/') && !id.includes('?') && !id.includes('#');
}
