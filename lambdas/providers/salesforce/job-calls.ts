// The query job routes: create (SOQL for the window), read its info, abort, delete. A job that the org
// no longer knows (deleted, or older than 7 days) reads as undefined.
import { ProviderApiError } from '#shared/errors';
import type { ExportWindow } from '#providers/types';
import type { SalesforceApi } from './api';
import { windowSoql, type SalesforceRequest } from './request';
import { JobInfoSchema, type JobInfo } from './schemas';

const jobPath = (api: SalesforceApi, id: string) => api.dataPath(`/jobs/query/${encodeURIComponent(id)}`);

export async function createQueryJob(
  api: SalesforceApi,
  request: SalesforceRequest,
  window: ExportWindow,
): Promise<JobInfo> {
  return api.json(
    {
      method: 'POST',
      path: api.dataPath('/jobs/query'),
      kind: 'create',
      json: {
        operation: request.operation,
        query: windowSoql(request, window),
        contentType: 'CSV',
        columnDelimiter: 'COMMA',
        lineEnding: 'LF',
      },
      // A create that reached the org may have made a job: never sent twice blindly.
      retryTransient: false,
    },
    JobInfoSchema,
  );
}

export async function readJob(api: SalesforceApi, id: string): Promise<JobInfo | undefined> {
  try {
    return await api.json(
      { method: 'GET', path: jobPath(api, id), kind: 'status', retryTransient: true },
      JobInfoSchema,
    );
  } catch (error) {
    if (error instanceof ProviderApiError && error.code === 'NOT_FOUND') return undefined;
    throw error;
  }
}

export async function abortJob(api: SalesforceApi, id: string): Promise<JobInfo> {
  return api.json(
    { method: 'PATCH', path: jobPath(api, id), kind: 'abort', json: { state: 'Aborted' }, retryTransient: true },
    JobInfoSchema,
  );
}

/** Removes a terminal job and its results (204); one already gone is not an error. */
export async function deleteJob(api: SalesforceApi, id: string): Promise<void> {
  try {
    await api.call({ method: 'DELETE', path: jobPath(api, id), kind: 'delete', retryTransient: true });
  } catch (error) {
    if (!(error instanceof ProviderApiError && error.code === 'NOT_FOUND')) throw error;
  }
}
