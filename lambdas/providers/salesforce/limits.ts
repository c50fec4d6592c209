// The org's daily limits, read from /limits before a job is created: a used-up allowance of query jobs
// (10,000 per rolling 24 h), of result storage (1 TB) or of API requests defers the step instead of
// spending a create that would only be refused (or, for requests, leave the org's other integrations
// without calls). Rolling windows have no reset instant: the deferral re-reads /limits later.
import { QuotaExceededError } from '#shared/errors';
import type { SalesforceApi } from './api';
import { limitRecheckInstant } from './error-codes';
import { LimitsSchema, type OrgLimits } from './schemas';

/** Limits a query job needs, with what each one's exhaustion means. */
type LimitName = 'DailyBulkV2QueryJobs' | 'DailyBulkV2QueryFileStorageMB' | 'DailyApiRequests';
const NEEDED: ReadonlyArray<{ readonly key: LimitName; readonly what: string }> = [
  { key: 'DailyBulkV2QueryJobs', what: 'Bulk API 2.0 query jobs per 24 h' },
  { key: 'DailyBulkV2QueryFileStorageMB', what: 'Bulk API 2.0 query result storage (MB) per 24 h' },
  { key: 'DailyApiRequests', what: 'API requests per 24 h' },
];

export async function readLimits(api: SalesforceApi, signal?: AbortSignal): Promise<OrgLimits> {
  return api.json(
    {
      method: 'GET',
      path: api.dataPath('/limits'),
      kind: 'limits',
      retryTransient: true,
      ...(signal ? { signal } : {}),
    },
    LimitsSchema,
  );
}

/** Throws QuotaExceededError (deferred, re-checked later) when a limit a job needs has nothing left. */
export function assertLimitsLeft(limits: OrgLimits, now: Date): void {
  for (const { key, what } of NEEDED) {
    const limit = limits[key];
    if (limit && limit.Remaining <= 0)
      throw new QuotaExceededError(
        `Salesforce ${key} used up (${limit.Max} ${what}, rolling)`,
        limitRecheckInstant(now),
        key,
      );
  }
}
