// Facts about the Ironclad Clickwrap (PactSafe) v1.1 API that several modules share. Pure values only:
// request.ts imports this at synth time.
import type { ProviderLimits } from '#providers/types';

export const DEFAULT_CLICKWRAP_BASE_URL = 'https://api.pactsafe.com/v1.1';

/** The export refuses to run without these columns; `id` is the key when rows repeat across files. */
export const REQUIRED_FIELDS = ['id', 'signer_id', 'created_time'] as const;

/** Columns exported when a request names none: the documented top-level activity fields, in a stable order. */
export const DEFAULT_FIELDS = [
  'id',
  'uuid',
  'version',
  'contract',
  'group',
  'site',
  'account',
  'signer_id',
  'event_type',
  'batch',
  'created_time',
] as const;

/**
 * Link hosts trusted when a request names none. Links are most likely pre-signed object-store URLs
 * (S3); the vendor's own domains cover links served by the vendor. The API's own origin is always
 * trusted on top of this list. Anything else must be named in the request's `allowedLinkHosts`.
 */
export const DEFAULT_ALLOWED_LINK_HOSTS = [
  '*.amazonaws.com',
  '*.pactsafe.com',
  '*.pactsafe.io',
  '*.ironcladapp.com',
] as const;

export const CLICKWRAP_LIMITS: ProviderLimits = {
  // Nothing is documented. A year (leap year included) bounds one task's size for backfills with a
  // coarse grain; the usual day/week/month grains split far below it anyway.
  maxWindowDays: 366,
  // Export tasks run in the vendor's background queue; one at a time is the polite reading of
  // "limit your use of these routes to what is absolutely necessary".
  maxConcurrentJobs: 1,
  // The notes ask for polls every 30-60 s at most.
  minPollSeconds: 30,
  // "these CSVs are automatically deleted after 30 days".
  fileRetentionDays: 30,
  // There is no route to cancel an export task: it runs to its end at the vendor.
  cancelsJobs: false,
};

/** Page size for the list route when a request names none. */
export const DEFAULT_PER_PAGE = 100;
export const MAX_PER_PAGE = 1000;
