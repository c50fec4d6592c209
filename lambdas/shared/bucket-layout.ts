// The data bucket's top-level prefixes and the partition column, said once: object keys
// (lambdas/workflow/keys.ts), IAM grants and Glue table locations (lib/) all read them from here.
export const BUCKET_PREFIXES = {
  /** The provider's bytes exactly as delivered (audit and replay). */
  raw: 'raw/',
  /** Typed Parquet of every landed window: what Athena queries. */
  curated: 'curated/',
  /** One JSON manifest per landed window. */
  manifests: 'manifests/',
  /** Watermarks and job records. Never under a table's location. */
  state: 'state/',
  /** Each provider instance's daily call budget ledger: one small JSON per instance and day. */
  callBudgets: 'call-budgets/',
  /** Athena query results (expire after a while). */
  athenaResults: 'athena-results/',
} as const;

export type BucketArea = keyof typeof BUCKET_PREFIXES;

/** Name of the partition column of every table (the window's UTC date, from `dt=` in the key). */
export const PARTITION_COLUMN = 'dt';
