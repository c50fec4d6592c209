// The Marketo provider's public surface: the adapter, its pure request validation, the shared lists and field discovery.
export { createMarketoProvider, MARKETO_LIMITS, type MarketoProvider, type MarketoProviderOptions } from './provider';
export type { MarketoCredentials } from './credentials';
export { validateMarketoRequest, type MarketoRequest } from './request';
export { ACTIVITY_FIELDS, DEFAULT_ACTIVITY_FIELDS, EXPORT_FORMATS } from './activity-fields';
export {
  createDeletedLeadsProvider,
  DELETED_LEADS_LIMITS,
  deletedLeadsFilePath,
  deletedLeadsJobId,
  type DeletedLeadsProviderOptions,
} from './deleted-leads-provider';
export { listMarketoFields, type MarketoField } from './describe-fields';
export { columnTypeOf } from './field-types';
