// The data bucket's top-level prefixes, each export's place under them, and the partition column, said
// once. Pure (no imports): object keys (keys.ts), IAM grants and Glue table locations (lib/) and the
// local query views (local/) all read them from here instead of spelling paths again.
export const BUCKET_PREFIXES = {
  /** The provider's bytes exactly as delivered (audit and replay). */
  raw: 'raw/',
  /** Typed Parquet of every landed window: what Athena queries. */
  curated: 'curated/',
  /**
   * Curated objects of a window not yet published: written here, verified, then copied under curated/
   * by the publish step. Outside every table location, so no reader ever sees a window's splits one by one.
   */
  staging: 'staging/',
  /** One JSON manifest per landed window. */
  manifests: 'manifests/',
  /** Watermarks, job records and publish intents. Never under a table's location. */
  state: 'state/',
  /**
   * The raw bytes of quarantined windows, kept for inspection: the window's undo would remove them
   * from raw/. Never under a table's location.
   */
  quarantine: 'quarantine/',
  /**
   * What a deferred step got further than the state it runs again on (a transfer's checkpoint, a
   * count's progress): per export and window, deleted once used. Its own area so the steps that keep
   * them are granted nothing else of the export's state.
   */
  checkpoints: 'checkpoints/',
  /** Each provider instance's daily call budget ledger: one small JSON per instance and day. */
  callBudgets: 'call-budgets/',
  /** Athena query results (expire after a while). */
  athenaResults: 'athena-results/',
} as const;

export type BucketArea = keyof typeof BUCKET_PREFIXES;

/** Name of the partition column of every table (the window's UTC date, from `dt=` in the key). */
export const PARTITION_COLUMN = 'dt';

export function rawPrefix(exportName: string): string {
  return `${BUCKET_PREFIXES.raw}${exportName}/`;
}

/** `curated/<export>/`: the export's table location; nothing but Parquet data files live under it. */
export function curatedPrefix(exportName: string): string {
  return `${BUCKET_PREFIXES.curated}${exportName}/`;
}

/** Appended to an export's name for the table of the values a `badValues: "null"` export replaced. */
export const REJECTS_SUFFIX = '_rejects';

/**
 * `curated/<export>_rejects/`: the rejects table's location, a sibling of the export's own (never below
 * it: Athena would read the rejects as rows of the export's table).
 */
export function rejectsPrefix(exportName: string): string {
  return `${BUCKET_PREFIXES.curated}${exportName}${REJECTS_SUFFIX}/`;
}

/** `curated/<table>/`: a reference table's location (one object per connection below it). */
export function referenceTablePrefix(table: string): string {
  return `${BUCKET_PREFIXES.curated}${table}/`;
}

export function manifestsPrefix(exportName: string): string {
  return `${BUCKET_PREFIXES.manifests}${exportName}/`;
}

/** `state/<export>/`: the export's watermark and its windows' job records. */
export function statePrefix(exportName: string): string {
  return `${BUCKET_PREFIXES.state}${exportName}/`;
}

/** `quarantine/<export>/`: the raw files of the export's quarantined windows. */
export function quarantinePrefix(exportName: string): string {
  return `${BUCKET_PREFIXES.quarantine}${exportName}/`;
}

/** `checkpoints/<export>/`: what the export's deferred steps keep for the attempt after the wait. */
export function checkpointsPrefix(exportName: string): string {
  return `${BUCKET_PREFIXES.checkpoints}${exportName}/`;
}
