// Salesforce Bulk API 2.0 query jobs: the numbers the adapter and its descriptor share.
import type { ProviderLimits } from '#providers/types';

export const SALESFORCE_LIMITS: ProviderLimits = {
  // No span limit exists; a month keeps one job's results (and a failed job's redo) bounded.
  maxWindowDays: 31,
  // Each window is one job; the org runs query jobs in parallel, but they share its daily limits.
  maxConcurrentJobs: 3,
  // Every poll is an API call counted in DailyApiRequests: never faster than this.
  minPollSeconds: 2,
  // Terminal jobs (and their results) are deleted by Salesforce after 7 days.
  fileRetentionDays: 7,
  cancelsJobs: true,
  // The docs advise deleting a query job once its results are retrieved (ReleaseJob does, best effort).
  releasesJobs: true,
};

/**
 * The API version jobs are created with: 58.0 is the first with `resultPages`, and every later version
 * answers query jobs the same way. A job's results are always fetched with the version its job info
 * states (another version answers 409), so changing this never strands a running job.
 */
export const DEFAULT_SALESFORCE_API_VERSION = '58.0';

/** Records asked per result set (`maxRecords`): one set is held in memory to be verified before it is passed on. */
export const DEFAULT_PAGE_RECORDS = 10_000;
export const MAX_PAGE_RECORDS = 50_000;

/**
 * Salesforce's daily limits roll over 24 h: no instant says when a used-up one frees. A deferral
 * re-reads /limits after this long (one API call) instead of guessing midnight.
 */
export const LIMIT_RECHECK_MINUTES = 60;
