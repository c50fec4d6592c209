// A job's results as the contract's RemoteFile: the API path of its results (with the job's own API
// version) and, in a fragment that is never sent, the record count every pass is checked against.
import { ForbiddenLinkError } from '#shared/errors';
import type { RemoteFile } from '#providers/types';
import type { ResultsTarget } from './results-pager';

const RESULTS_PATH =
  /^\/services\/data\/v(\d{2,3}\.\d)\/jobs\/query\/([0-9A-Za-z]{15,18})\/results#records=(\d{1,15})$/;

export function resultsFile(jobId: string, apiVersion: string, records: number): RemoteFile {
  return {
    index: 1,
    source: { kind: 'api', path: `/services/data/v${apiVersion}/jobs/query/${jobId}/results#records=${records}` },
    sendCredentials: true,
    // The provider cuts the pages to any start itself (see openRange).
    rangeSupport: 'yes',
    format: 'csv',
  };
}

export function targetOfFile(file: RemoteFile, pageRecords: number): ResultsTarget {
  const match = file.source.kind === 'api' ? RESULTS_PATH.exec(file.source.path) : null;
  if (!match)
    throw new ForbiddenLinkError(
      'a Salesforce results file must be the API path /services/data/vNN.N/jobs/query/<id>/results#records=<n>',
    );
  return { apiVersion: match[1]!, jobId: match[2]!, records: Number(match[3]), pageRecords };
}

/** Job info writes its version as a JSON number (58.0 reads as 58). */
export function versionText(apiVersion: number): string {
  return apiVersion.toFixed(1);
}
