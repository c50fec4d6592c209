// Public face of the Salesforce provider: what the registry, the CLI and tests import.
export { createSalesforceProvider } from './provider';
export type { SalesforceProvider, SalesforceProviderOptions } from './provider';
export type { SalesforceCredentials } from './credentials';
export { listSalesforceFields, type SalesforceField } from './describe';
export { validateSalesforceRequest, windowSoql, type SalesforceRequest } from './request';
export { SALESFORCE_LIMITS } from './constants';
