// The shape of one row of the workflow's task table (workflow-tasks.ts) and the grants several rows
// share, so the table itself holds only the rows.
import { Duration } from 'aws-cdk-lib';
import type { BucketArea } from '#window/bucket-layout';

/** Values a row may depend on (the construct's props). */
export interface TaskRowContext {
  /** How long one TransferChunk invocation streams before handing its cursor back. */
  readonly chunkBudget: Duration;
}

export interface TaskRow {
  /** File name under lambdas/handlers/ without extension. */
  readonly handler: string;
  readonly description: string;
  readonly timeout: (ctx: TaskRowContext) => Duration;
  /** @default 512 */
  readonly memorySize?: number;
  /** Builds a provider, and so reads the exports' connection secrets. */
  readonly readsSecrets: boolean;
  /** Object actions per bucket area, each with why the step needs it (the nag acknowledgement says so). */
  readonly objects: Partial<Record<BucketArea, { readonly actions: readonly string[]; readonly why: string }>>;
  /** Bucket-level actions (ListBucket, ListBucketMultipartUploads). */
  readonly bucketActions?: readonly string[];
  /** Environment besides BUCKET_NAME (which every row gets with its bucket grants). */
  readonly environment?: (ctx: TaskRowContext) => Readonly<Record<string, string>>;
  /** Transient-error attempts of the Task state. @default RETRY_POLICY.states.transient.maxAttempts */
  readonly transientAttempts?: number;
  /** Retried when the Lambda itself timed out: safe because the step only advances after a write. */
  readonly retryOnTimeout?: boolean;
}

// Every step may sit out provider backoff in-process (Marketo's 606 waits ≥ 20 s, a 60 s header
// timeout, Clickwrap's Retry-After), so none gets the 1-minute default.
export const STEP_TIMEOUT = () => Duration.minutes(4);
// A missing key must read as "absent" (404), not "forbidden" (403): that needs ListBucket, and a
// GetObject carries no s3:prefix a condition could match, so it cannot be narrowed by prefix.
export const READS_KEYS = ['s3:ListBucket'] as const;
// Every step that calls a provider takes its calls from the instance's daily call budget ledger.
export const CALL_BUDGET = {
  actions: ['s3:GetObject', 's3:PutObject'],
  why: "takes calls from the provider instance's daily call budget ledger",
} as const;

// The one undo of a window (lambdas/window/undo-window.ts), shared by every row that gives windows up:
// it aborts uploads and removes what did not land, staged objects always, or finishes a publish that
// began (roll-forward.ts: copying a staged object needs GetObject on it, PutObject on its target).
export const UNDO_OR_FINISH_PUBLISH = {
  raw: {
    actions: ['s3:GetObject', 's3:AbortMultipartUpload', 's3:DeleteObject'],
    why: 'aborts uploads, removes files of windows that did not land',
  },
  staging: {
    actions: ['s3:GetObject', 's3:AbortMultipartUpload', 's3:DeleteObject'],
    why: 'copies the staged objects of a publish it finishes, or aborts and removes them',
  },
  curated: {
    actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:DeleteObject'],
    why: 'finishes a begun publish (copy), or removes Parquet objects of windows that did not land',
  },
  manifests: {
    actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
    why: 'writes the manifest of a publish it finishes, removes manifests of windows left incomplete',
  },
} as const;
