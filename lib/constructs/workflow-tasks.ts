// One row per Lambda Task state: its handler module (lambdas/handlers/<file>.ts), what it does, its
// timeout and memory, whether it reads connection secrets, and the bucket access it needs. The function,
// its environment, its IAM grants and the cdk-nag acknowledgements of those grants are all derived from
// the row (workflow-functions.ts), so an access is said once. The local engine binds the same names.
import { Duration } from 'aws-cdk-lib';
import { RETRY_POLICY } from '#shared/retry-policy';
import type { WorkflowTaskName } from '#workflow/state';

export type { WorkflowTaskName } from '#workflow/state';
import { CALL_BUDGET, READS_KEYS, STEP_TIMEOUT, UNDO_OR_FINISH_PUBLISH, type TaskRow } from './task-row';

export const WORKFLOW_TASKS = {
  Plan: {
    handler: 'plan',
    description:
      "Validates the run input, takes the export's lease, finishes dead runs' publishes and plans its windows",
    timeout: STEP_TIMEOUT,
    readsSecrets: true,
    objects: {
      state: {
        actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        why: "takes the export's lease with a conditional write, reads the window ledger (seeded from the watermark once) and records the planned windows; removes the intent and job record of a publish it finishes",
      },
      // A publish a dead run began is finished before planning (manifests: also the ledger's seed).
      ...UNDO_OR_FINISH_PUBLISH,
    },
    bucketActions: [...READS_KEYS, 's3:ListBucketMultipartUploads'],
  },
  ReclaimDeadRuns: {
    handler: 'reclaim-dead-runs',
    description:
      'Finishes the publishes dead runs began; undoes the windows outside the plan that dead runs left behind',
    timeout: STEP_TIMEOUT,
    readsSecrets: true,
    // The undo applied to a dead run's leftovers; the roll-forward of every publish it began.
    objects: {
      callBudgets: CALL_BUDGET,
      state: {
        actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        why: "reads the job records and publish intents, removes them or marks a dead run's cancel pending, records finished publishes in the ledger",
      },
      ...UNDO_OR_FINISH_PUBLISH,
    },
    bucketActions: [...READS_KEYS, 's3:ListBucketMultipartUploads'],
  },
  RefreshReferences: {
    handler: 'refresh-references',
    description: "Refreshes the instance's reference tables (Marketo activity types and assets) under curated/",
    timeout: STEP_TIMEOUT,
    readsSecrets: true,
    bucketActions: READS_KEYS,
    objects: {
      curated: {
        actions: ['s3:PutObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload'],
        why: 'replaces the reference table objects',
      },
      manifests: { actions: ['s3:PutObject'], why: "writes each reference table object's manifest" },
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
    description: 'Converts one split of a verified raw file into typed Parquet under staging/',
    timeout: () => Duration.minutes(15),
    // Memory follows the measured conversion (a 64 MiB row group of CSV held as values), and buys CPU.
    memorySize: 2048,
    readsSecrets: false,
    objects: {
      raw: { actions: ['s3:GetObject'], why: 'reads its byte range of the verified raw file' },
      // Never curated/: a split is published with its whole window by WriteManifest.
      staging: {
        actions: ['s3:PutObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload'],
        why: 'writes the staged Parquet object (and, under badValues "null", its rejects object) as multipart uploads, aborted on failure',
      },
    },
    bucketActions: READS_KEYS,
  },
  WriteManifest: {
    handler: 'write-manifest',
    description: 'Verifies the window and publishes it whole: staged Parquet to curated/, then the manifest',
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
      staging: {
        actions: ['s3:GetObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
        why: 'verifies (reads) the staged Parquet and rejects objects, copies them, removes them once published',
      },
      curated: {
        actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
        why: 'publishes the staged objects (copy), removes unlisted and superseded ones, aborts uploads a dead run left open',
      },
      state: {
        actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        why: 'writes, replays and removes the publish intent, removes the job record, records the window landed in the ledger',
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
        why: "reads and removes the window's job record and publish intent, records its failure (or its finished publish) in the ledger",
      },
      quarantine: { actions: ['s3:PutObject'], why: "keeps a quarantined window's raw files (server-side copy)" },
      ...UNDO_OR_FINISH_PUBLISH,
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
        why: "reads and removes job records and publish intents, marks a failed cancel pending, records finished publishes in the ledger, gives the export's lease back",
      },
      ...UNDO_OR_FINISH_PUBLISH,
    },
    bucketActions: [...READS_KEYS, 's3:ListBucketMultipartUploads'],
    retryOnTimeout: true,
  },
} as const satisfies Record<WorkflowTaskName, TaskRow>;

/** The native EventBridge PutEvents tasks (no Lambda). */
export const EVENT_TASKS = ['PublishSucceeded', 'PublishFailed', 'PublishQuarantined'] as const;

/** A Lambda that ran out of time: safe to re-run where the row says so. */
export const TIMEOUT_ERRORS = ['Sandbox.Timedout', 'States.Timeout'] as const;
