// Where a Marketo bulk export's jobs live and what their create call sends, whatever the dataset: every
// job path hangs off the dataset's base path (its descriptor entry says which). Knows no dataset.

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
