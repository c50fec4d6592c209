// One row per Lambda Task state: its handler module (lambdas/handlers/<file>.ts), what it does, its
// timeout and memory, whether it reads connection secrets, and the bucket access it needs. The function,
// its environment, its IAM grants and the cdk-nag acknowledgements of those grants are all derived from
// the row (workflow-functions.ts), so an access is said once. The local engine binds the same names.
import { Duration } from 'aws-cdk-lib';
import type { BucketArea } from '#window/bucket-layout';
import { RETRY_POLICY } from '#shared/retry-policy';
import type { WorkflowTaskName } from '#workflow/state';

export type { WorkflowTaskName } from '#workflow/state';

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
const STEP_TIMEOUT = () => Duration.minutes(4);
// A missing key must read as "absent" (404), not "forbidden" (403): that needs ListBucket, and a
// GetObject carries no s3:prefix a condition could match, so it cannot be narrowed by prefix.
const READS_KEYS = ['s3:ListBucket'] as const;
// Every step that calls a provider takes its calls from the instance's daily call budget ledger.
const CALL_BUDGET = {
  actions: ['s3:GetObject', 's3:PutObject'],
  why: "takes calls from the provider instance's daily call budget ledger",
} as const;

export const WORKFLOW_TASKS = {
  Plan: {
    handler: 'plan',
    description: "Validates the run input, takes the export's lease and plans its windows",
    timeout: STEP_TIMEOUT,
    readsSecrets: true,
    objects: {
      state: {
        actions: ['s3:GetObject', 's3:PutObject'],
        why: "takes the export's lease with a conditional write, reads the window ledger (seeded from the watermark once) and records the planned windows",
      },
      manifests: { actions: ['s3:GetObject'], why: "seeds the window ledger from the landed windows' manifests once" },
    },
    bucketActions: READS_KEYS,
  },
  ReclaimDeadRuns: {
    handler: 'reclaim-dead-runs',
    description:
      'Undoes the windows outside the plan that dead runs left behind (cancels their jobs, aborts their uploads)',
    timeout: STEP_TIMEOUT,
    readsSecrets: true,
    // The one undo of a window (lambdas/window/undo-window.ts), applied to a dead run's leftovers.
    objects: {
      callBudgets: CALL_BUDGET,
      state: {
        actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        why: "reads the job records, removes a dead run's record or marks its cancel pending",
      },
      raw: {
        actions: ['s3:GetObject', 's3:AbortMultipartUpload', 's3:DeleteObject'],
        why: 'aborts uploads and removes files of windows a dead run left incomplete',
      },
      curated: {
        actions: ['s3:GetObject', 's3:AbortMultipartUpload', 's3:DeleteObject'],
        why: 'aborts uploads and removes Parquet objects of windows a dead run left incomplete',
      },
      manifests: {
        actions: ['s3:GetObject', 's3:DeleteObject'],
        why: 'reads and removes manifests of windows a dead run left incomplete',
      },
    },
    bucketActions: [...READS_KEYS, 's3:ListBucketMultipartUploads'],
  },
  RefreshReferences: {
    handler: 'refresh-references',
    description: "Refreshes the dataset's reference tables (Marketo activity types) under curated/",
    timeout: STEP_TIMEOUT,
    readsSecrets: true,
    bucketActions: READS_KEYS,
    objects: {
      curated: {
        actions: ['s3:PutObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload'],
        why: 'replaces the reference table objects',
      },
      callBudgets: CALL_BUDGET,
    },
  },
  StartJob: {
    handler: 'start-job',
    description: 'Creates and enqueues (or resumes) the remote export job of a window',
    timeout: STEP_TIMEOUT,
    readsSecrets: true,
    objects: {
      state: {
        actions: ['s3:GetObject', 's3:PutObject'],
        why: 'reads and writes the window job record, records the window running in the ledger',
      },
      callBudgets: CALL_BUDGET,
    },
    bucketActions: READS_KEYS,
    // Few tries, though a retried StartJob resumes the recorded job: why, beside the number.
    transientAttempts: RETRY_POLICY.startJobTransientAttempts,
  },
  CheckJob: {
    handler: 'check-job',
    description: 'Polls the remote job and decides the next wait',
    timeout: STEP_TIMEOUT,
    readsSecrets: true,
    objects: {
      checkpoints: {
        actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        why: 'keeps, reads and deletes how far a deferred count got',
      },
      callBudgets: CALL_BUDGET,
    },
    bucketActions: READS_KEYS,
  },
  BeginFile: {
    handler: 'begin-file',
    description: "Opens the multipart upload at the file's final key",
    timeout: STEP_TIMEOUT,
    readsSecrets: false,
    objects: { raw: { actions: ['s3:PutObject'], why: 'creates the multipart upload' } },
  },
  TransferChunk: {
    handler: 'transfer-chunk',
    description: 'Streams byte ranges of the file into multipart parts',
    // The chunk budget plus three minutes for the last part's upload and the response.
    timeout: (ctx) => Duration.seconds(ctx.chunkBudget.toSeconds() + 180),
    // One full vCPU (1,769 MB): the verified transfer costs ~10 ms of CPU per MB across its threads, so
    // 1 vCPU moves ~85-100 MB/s, about what a provider sends; two vCPUs (3,538 MB) cost 2x per second
    // and only pay off for sources faster than ~90 MB/s (measured: README "Benchmarks").
    memorySize: 1769,
    readsSecrets: true,
    // AbortMultipartUpload: a chunk that finds the source contradicting the file aborts at once.
    bucketActions: READS_KEYS,
    objects: {
      raw: {
        actions: ['s3:PutObject', 's3:AbortMultipartUpload'],
        why: 'uploads parts, aborts on a contradicting source',
      },
      checkpoints: {
        actions: ['s3:GetObject', 's3:PutObject'],
        why: 'keeps and reads the checkpoint a deferral mid-read leaves',
      },
      callBudgets: CALL_BUDGET,
    },
    environment: (ctx) => ({ CHUNK_BUDGET_SECONDS: String(ctx.chunkBudget.toSeconds()) }),
    retryOnTimeout: true,
  },
  FinishFile: {
    handler: 'finish-file',
    description: 'Verifies size, SHA-256 and records, then completes (or aborts) the upload',
    timeout: STEP_TIMEOUT,
    readsSecrets: false,
    // GetObject: a retried finish checks the completed object (HeadObject), a long header is read back.
    objects: {
      raw: {
        actions: ['s3:PutObject', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload'],
        why: 'lists parts, completes or aborts, checks a completed object',
      },
      checkpoints: { actions: ['s3:DeleteObject'], why: "deletes the file's transfer checkpoints once it is complete" },
    },
    bucketActions: READS_KEYS,
  },
  ConvertSplit: {
    handler: 'convert-split',
    description: 'Converts one split of a verified raw file into typed Parquet under curated/',
    timeout: () => Duration.minutes(15),
    // Memory follows the measured conversion (a 64 MiB row group of CSV held as values), and buys CPU.
    memorySize: 2048,
    readsSecrets: false,
    objects: {
      raw: { actions: ['s3:GetObject'], why: 'reads its byte range of the verified raw file' },
      curated: {
        actions: ['s3:PutObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload'],
        why: 'writes the Parquet object (and, under badValues "null", its rejects object) as multipart uploads, aborted on failure',
      },
    },
    bucketActions: READS_KEYS,
  },
  WriteManifest: {
    handler: 'write-manifest',
    description: 'Verifies the curated rows and writes the window manifest',
    timeout: STEP_TIMEOUT,
    readsSecrets: false,
    objects: {
      manifests: {
        actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        why: 'writes the window manifest, retires manifests of windows it supersedes',
      },
      raw: {
        actions: ['s3:GetObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
        why: 'checks the listed files, removes unlisted ones, aborts uploads a dead run left open',
      },
      curated: {
        actions: ['s3:GetObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
        why: 'checks the listed Parquet and rejects objects, removes unlisted and superseded ones, aborts uploads a dead run left open',
      },
      state: {
        actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        why: 'records the window landed in the ledger, removes its job record',
      },
    },
    bucketActions: [...READS_KEYS, 's3:ListBucketMultipartUploads'],
  },
  ReleaseJob: {
    handler: 'release-job',
    description: "Deletes a landed window's job at the provider where its docs advise it (best effort)",
    timeout: STEP_TIMEOUT,
    // Only a provider whose descriptor says it deletes landed jobs is built (Salesforce).
    readsSecrets: true,
    objects: {},
  },
  CleanupWindow: {
    handler: 'cleanup-window',
    description:
      'Undoes one failed window (cancels its job, aborts its uploads) and reports it, leaving its siblings alone',
    timeout: STEP_TIMEOUT,
    readsSecrets: true,
    objects: {
      callBudgets: CALL_BUDGET,
      state: {
        actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        why: "reads and removes the window's job record, records its failure in the ledger",
      },
      raw: {
        actions: ['s3:GetObject', 's3:AbortMultipartUpload', 's3:DeleteObject'],
        why: "aborts the window's uploads, removes its files when it did not land, reads them for quarantine",
      },
      quarantine: { actions: ['s3:PutObject'], why: "keeps a quarantined window's raw files (server-side copy)" },
      curated: {
        actions: ['s3:GetObject', 's3:AbortMultipartUpload', 's3:DeleteObject'],
        why: "aborts the window's uploads, removes its Parquet objects when it did not land",
      },
      manifests: {
        actions: ['s3:GetObject', 's3:DeleteObject'],
        why: "reads the window's manifest, removes it when the window was left incomplete",
      },
    },
    bucketActions: [...READS_KEYS, 's3:ListBucketMultipartUploads'],
    retryOnTimeout: true,
  },
  CommitWatermark: {
    handler: 'commit-watermark',
    description: 'Advances the watermark over the landed windows and builds the outcome event',
    timeout: STEP_TIMEOUT,
    readsSecrets: false,
    objects: {
      state: {
        actions: ['s3:GetObject', 's3:PutObject'],
        why: "reads the window ledger, conditionally writes the watermark it derives, gives the export's lease back",
      },
    },
    bucketActions: READS_KEYS,
  },
  Cleanup: {
    handler: 'cleanup',
    description: 'Cancels remote jobs and aborts open uploads of a failed run',
    timeout: STEP_TIMEOUT,
    readsSecrets: true,
    objects: {
      callBudgets: CALL_BUDGET,
      state: {
        actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        why: "reads and removes job records, marks a failed cancel pending, gives the export's lease back",
      },
      raw: {
        actions: ['s3:GetObject', 's3:AbortMultipartUpload', 's3:DeleteObject'],
        why: 'aborts uploads, removes files of windows that did not land',
      },
      curated: {
        actions: ['s3:GetObject', 's3:AbortMultipartUpload', 's3:DeleteObject'],
        why: 'aborts uploads, removes Parquet objects of windows that did not land',
      },
      manifests: {
        actions: ['s3:GetObject', 's3:DeleteObject'],
        why: 'reads and removes manifests of windows left incomplete',
      },
    },
    bucketActions: [...READS_KEYS, 's3:ListBucketMultipartUploads'],
    retryOnTimeout: true,
  },
} as const satisfies Record<WorkflowTaskName, TaskRow>;

/** The native EventBridge PutEvents tasks (no Lambda). */
export const EVENT_TASKS = ['PublishSucceeded', 'PublishFailed', 'PublishQuarantined'] as const;

/** A Lambda that ran out of time: safe to re-run where the row says so. */
export const TIMEOUT_ERRORS = ['Sandbox.Timedout', 'States.Timeout'] as const;
