// Public face of the Clickwrap provider: what handlers, the CLI and config import.
export { createClickwrapProvider, listExportFields } from './provider';
export type { ClickwrapProviderOptions } from './provider';
export type { ClickwrapCredentials } from './credentials';
export type { ExportField } from './export-fields';
export { validateClickwrapRequest } from './request';
export type { ClickwrapRequest } from './request';
export { CLICKWRAP_LIMITS, DEFAULT_CLICKWRAP_BASE_URL } from './constants';
