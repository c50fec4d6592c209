// The pipeline's custom CloudWatch metrics, said once: the steps emit them (lambdas/shared/metrics.ts)
// and lib/ graphs and alarms on them (lib/constructs/monitoring.ts) by these very names, so a renamed
// metric fails `tsc` on both sides instead of leaving a dashboard graphing nothing. Pure: no I/O.

/** Every custom metric lives in this namespace. */
export const METRICS_NAMESPACE = 'BulkExport';

/** Every metric carries exactly these dimensions (an alarm must name the same set to see it). */
export const METRIC_DIMENSIONS = ['export', 'provider'] as const;
export type MetricDimensions = { readonly [K in (typeof METRIC_DIMENSIONS)[number]]: string } & {
  /** The provider instance (host) a value concerns: also published under {provider, instance} (see below). */
  readonly instance?: string;
};

/**
 * A provider API call also counts under `{provider, instance}` alone: one series per instance, summed
 * over every export and step that calls it, which is what the instance's daily limit counts (Marketo:
 * 50,000 REST calls a day, shared with every other integration on the instance).
 */
export const METRIC_INSTANCE_DIMENSION = 'instance';

/**
 * Metrics that additionally carry a third dimension (the same value is published under both sets,
 * so totals stay one metric and the breakdown is a SEARCH away).
 */
export const METRIC_DETAIL_DIMENSION = 'reason';

/** CloudWatch units the catalogue uses (the EMF spelling). */
export type MetricUnitName = 'Count' | 'Bytes' | 'Seconds' | 'Megabytes/Second' | 'Percent';

export interface MetricSpec {
  readonly unit: MetricUnitName;
  /** The step that emits it, and what one value means. */
  readonly emittedBy: string;
  readonly meaning: string;
}

export const METRICS = {
  WindowsLanded: { unit: 'Count', emittedBy: 'WriteManifest', meaning: 'one per window whose manifest was written' },
  LandedBytes: { unit: 'Bytes', emittedBy: 'WriteManifest', meaning: 'bytes of the window, verified and visible' },
  LandedRecords: { unit: 'Count', emittedBy: 'WriteManifest', meaning: 'records counted in the window' },
  LandedFiles: { unit: 'Count', emittedBy: 'WriteManifest', meaning: 'files of the window' },
  JobsStarted: {
    unit: 'Count',
    emittedBy: 'StartJob',
    meaning: 'one per remote job created or resumed into the queue',
  },
  QuotaDeferrals: { unit: 'Count', emittedBy: 'StartJob', meaning: 'one per start parked until the quota resets' },
  ScheduledStartsSkipped: {
    unit: 'Count',
    emittedBy: 'Plan',
    meaning: 'one per scheduled start that found another run holding its export (skipped, not failed)',
  },
  QueueFullWaits: {
    unit: 'Count',
    emittedBy: 'StartJob',
    meaning: "one per start that found the provider's queue full",
  },
  JobPolls: { unit: 'Count', emittedBy: 'CheckJob', meaning: 'one per status call of a remote job' },
  JobQueueSeconds: {
    unit: 'Seconds',
    emittedBy: 'CheckJob',
    meaning: "a finished job's time in the provider's queue (queued → started)",
  },
  JobProcessingSeconds: {
    unit: 'Seconds',
    emittedBy: 'CheckJob',
    meaning: "a finished job's processing time (started → finished)",
  },
  JobAgeSeconds: {
    unit: 'Seconds',
    emittedBy: 'CheckJob',
    meaning: 'a finished job, from its start to the poll that saw it done (the poll record)',
  },
  MarketoExportQuotaUsedBytes: {
    unit: 'Bytes',
    emittedBy: 'CheckJob',
    meaning: "sum of today's (America/Chicago) bulk export file sizes",
  },
  MarketoExportQuotaUsedPercent: {
    unit: 'Percent',
    emittedBy: 'CheckJob',
    meaning: 'the same, as a share of the 500 MB daily quota',
  },
  TransferredBytes: { unit: 'Bytes', emittedBy: 'TransferChunk', meaning: 'bytes one invocation stored' },
  TransferMegabytesPerSecond: {
    unit: 'Megabytes/Second',
    emittedBy: 'TransferChunk',
    meaning: "one invocation's throughput (MB = 10^6 bytes)",
  },
  FileInvocations: {
    unit: 'Count',
    emittedBy: 'FinishFile',
    meaning: 'TransferChunk invocations the file took (from the cursor)',
  },
  FileRangeRequests: {
    unit: 'Count',
    emittedBy: 'FinishFile',
    meaning: 'ranged GETs the file took (from the cursor): API calls',
  },
  RunsSucceeded: { unit: 'Count', emittedBy: 'CommitWatermark', meaning: 'one per run that landed every window' },
  RunDurationSeconds: {
    unit: 'Seconds',
    emittedBy: 'CommitWatermark',
    meaning: 'a successful run, from Plan to the commit',
  },
  WatermarkAgeSeconds: {
    unit: 'Seconds',
    emittedBy: 'CommitWatermark',
    meaning: 'now minus the watermark after the commit (freshness)',
  },
  RunsFailed: { unit: 'Count', emittedBy: 'Cleanup', meaning: 'one per failed run; `reason` is the error name' },
  ApiCalls: {
    unit: 'Count',
    emittedBy: 'providers',
    meaning:
      'one per provider API call; `reason` is the kind (create, status, file, …); also by `instance` over all exports',
  },
  Retries: {
    unit: 'Count',
    emittedBy: 'providers',
    meaning: 'one per in-process retry; `reason` is why (a Marketo code, http503, …)',
  },
  WindowsQuarantined: {
    unit: 'Count',
    emittedBy: 'CleanupWindow',
    meaning: 'one per window quarantined (its data failed maxWindowAttempts times); `reason` is the error name',
  },
  CuratedRows: { unit: 'Count', emittedBy: 'WriteManifest', meaning: 'rows written to the curated table' },
  JobsReleased: {
    unit: 'Count',
    emittedBy: 'ReleaseJob',
    meaning: 'one per landed job deleted at the provider (where its docs advise it)',
  },
  JobReleasesFailed: {
    unit: 'Count',
    emittedBy: 'ReleaseJob',
    meaning:
      'one per landed job whose delete failed (left to expire; the window stays landed); `reason` is the error name',
  },
  ValuesRejected: {
    unit: 'Count',
    emittedBy: 'WriteManifest',
    meaning: 'values of a landed window written as NULL and listed in the rejects table (`badValues: "null"`)',
  },
  ReferenceRowsRefreshed: {
    unit: 'Count',
    emittedBy: 'RefreshReferences',
    meaning: 'rows of a reference table written by a refresh; `reason` is the table',
  },
  ReferenceRefreshFailures: {
    unit: 'Count',
    emittedBy: 'RefreshReferences',
    meaning: 'one per reference table a refresh could not replace (its previous copy stays); `reason` is the table',
  },
} as const satisfies Record<string, MetricSpec>;

export type MetricName = keyof typeof METRICS;

/** Marketo's daily REST call allowance per instance (607 beyond it), which ApiCalls by instance is measured against. */
export const MARKETO_DAILY_CALL_QUOTA = 50_000;

/** Marketo's daily bulk export allowance (500 MB), which its quota metric is measured against. */
export const MARKETO_DAILY_EXPORT_QUOTA_BYTES = 500 * 1024 * 1024;
