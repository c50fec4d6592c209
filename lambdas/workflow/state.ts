// The shapes that travel between states, parsed with zod at every handler's door: the state machine
// input comes from schedules, the CLI or a person at the console, so none of it is trusted. Payloads
// name the export, never carry its definition: each step reads the definition from the deployed
// catalog (shared/export-catalog.ts), so there is one source of truth and state stays small.
import { z } from 'zod';
import { EXPORT_NAME_PATTERN } from '#shared/export-definition';
import { RejectsObjectSchema } from '#window/rejects-ref';
import { JobRefSchema, WindowSchema } from '#window/window-ref';
import type { ReleaseJobInput } from './release-job-input';

export const RemoteFileSchema = z
  .object({
    index: z.number().int().min(1),
    source: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('api'), path: z.string() }).strict(),
      z.object({ kind: z.literal('url'), url: z.string() }).strict(),
    ]),
    sendCredentials: z.boolean(),
    size: z.number().int().min(0).optional(),
    sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .optional(),
    rangeSupport: z.enum(['yes', 'no', 'unknown']),
    format: z.enum(['csv', 'tsv', 'ssv']),
  })
  .strict();

/** An export of the deployment, by name (its definition comes from the catalog). */
export const ExportNameSchema = z.string().regex(EXPORT_NAME_PATTERN, 'must name an export of the deployed config');

/** What a run is started with: a request (schedules add `trigger`, manual runs may add from/to). */
export const ExecutionInputSchema = z
  .object({
    export: ExportNameSchema,
    from: z.string().optional(),
    to: z.string().optional(),
    /** Set by the export's schedule: a start that finds the export busy is skipped, not failed. */
    trigger: z.literal('schedule').optional(),
    retryWindow: z.string().optional(), // an operator's `retry`: the start of a failed or quarantined window
  })
  .strict()
  .refine((v) => (v.from === undefined) === (v.to === undefined), { message: 'from and to go together', path: ['to'] });
export type ExecutionInput = z.infer<typeof ExecutionInputSchema>;

export const PlanInputSchema = z.object({
  input: z.unknown(),
  startedAt: z.string(),
  /** The run, which takes the export's lease (lambdas/window/lease.ts). */
  executionId: z.string().optional(),
});

export const PlanSchema = z.object({
  export: ExportNameSchema,
  windows: z.array(WindowSchema),
  /** How the run was started (`snapshot`: one snapshot window, no watermark). */
  mode: z.enum(['scheduled', 'explicit', 'snapshot']),
  end: z.string().nullable(),
  truncated: z.boolean(),
  maxConcurrency: z.number().int().min(1),
  startedAt: z.string(),
  /** A scheduled start that found the export busy: nothing to do, the run ends as skipped. */
  skipped: z.object({ holder: z.string(), message: z.string() }).optional(),
  /** Where the data comes from: `simulator` or the provider API's host (data-source.ts). */
  source: z.string().min(1).optional(),
});
export type Plan = z.infer<typeof PlanSchema>;

/** The run's plan is made: windows outside it that dead runs left behind are undone. */
export const ReclaimDeadRunsInputSchema = z.object({
  export: ExportNameSchema,
  planned: z.array(WindowSchema),
  executionId: z.string().optional(),
});

export const RefreshReferencesInputSchema = z.object({ plan: PlanSchema });

export const ReferenceRefreshSchema = z.object({
  refreshed: z.array(z.object({ table: z.string(), key: z.string(), uri: z.string(), rows: z.number().int().min(0) })),
  failed: z.array(z.object({ table: z.string(), error: z.string() })),
});
export type ReferenceRefresh = z.infer<typeof ReferenceRefreshSchema>;

/** The previous StartJob outcome, fed back in so a busy/deferred job is resumed, never duplicated. */
export const StartOutcomeSchema = z.object({
  kind: z.enum(['init', 'started', 'deferred', 'busy']),
  job: JobRefSchema.nullable().optional(),
  waitSeconds: z.number().optional(),
  until: z.string().optional(),
  reason: z.string().optional(),
  startedAt: z.string().optional(),
  /** How many times in a row the provider's queue was full for this window. */
  busyCount: z.number().int().min(0).optional(),
});
export type StartOutcome = z.infer<typeof StartOutcomeSchema>;

export const StartJobInputSchema = z.object({
  export: ExportNameSchema,
  window: WindowSchema,
  previous: StartOutcomeSchema,
  executionId: z.string().optional(),
});

export const PollSchema = z.object({
  count: z.number().int().min(0),
  waitSeconds: z.number().min(0),
  /** Sum of the waits the state machine was asked to make: the job's age even where Wait states are shortened (local runs). */
  waitedSeconds: z.number().min(0),
  /** When the job was (last) started: its deadline counts from here. */
  since: z.string().optional(),
});
export type Poll = z.infer<typeof PollSchema>;

export const CheckJobInputSchema = z.object({
  export: ExportNameSchema,
  window: WindowSchema,
  job: JobRefSchema,
  poll: PollSchema,
});

export const JobCheckSchema = PollSchema.extend({
  state: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']),
  providerStatus: z.string(),
  files: z.array(RemoteFileSchema),
  fileCount: z.number().int().min(0),
  records: z.number().int().min(0).nullable(),
});
export type JobCheck = z.infer<typeof JobCheckSchema>;

export const CursorSchema = z.record(z.string(), z.unknown());

export const FileTaskSchema = z.object({
  export: ExportNameSchema,
  window: WindowSchema,
  job: JobRefSchema,
  file: RemoteFileSchema,
  fileCount: z.number().int().min(1),
  jobRecords: z.number().int().min(0).nullable(),
});

export const TransferStateSchema = z.object({
  file: RemoteFileSchema,
  cursor: CursorSchema,
  stalled: z.number().int().min(0).optional(),
});

export const ChunkInputSchema = FileTaskSchema.extend({ transfer: TransferStateSchema });

/** A byte range of a raw file, whole records only, converted to one Parquet object. */
export const SplitSchema = z
  .object({ index: z.number().int().min(0), start: z.number().int().min(0), end: z.number().int().min(0) })
  .strict();

export const FileResultSchema = z.object({
  index: z.number().int(),
  key: z.string(),
  uri: z.string(),
  format: z.enum(['csv', 'tsv', 'ssv']),
  bytes: z.number().int().min(0),
  sha256: z.string(),
  records: z.number().int().min(0),
  header: z.array(z.string()),
  expectedSha256: z.string().nullable(),
  expectedBytes: z.number().int().nullable(),
  /** Records the provider announced for this file (compared when it is the job's only file). */
  expectedRecords: z.number().int().nullable(),
  /** How the file is cut for conversion (at record starts the transfer recorded). */
  splits: z.array(SplitSchema).min(1),
});
export type FileResult = z.infer<typeof FileResultSchema>;

/** One curated (Parquet) object by its final key, as ConvertSplit wrote it (staged until published). */
export const CuratedPartSchema = z.object({
  split: z.number().int().min(0),
  key: z.string(),
  uri: z.string(),
  rows: z.number().int().min(0),
  bytes: z.number().int().min(0),
  sha256: z.string(),
  rejects: RejectsObjectSchema.optional(),
});
export type CuratedPart = z.infer<typeof CuratedPartSchema>;

export const ConvertSplitInputSchema = z.object({
  export: ExportNameSchema,
  window: WindowSchema,
  file: FileResultSchema,
  split: SplitSchema,
  fileCount: z.number().int().min(1),
});

/** A file's iteration output: the verified raw file and its curated parts. */
export const LandedFileSchema = FileResultSchema.extend({ curated: z.array(CuratedPartSchema) });
export type LandedFile = z.infer<typeof LandedFileSchema>;

export const WriteManifestInputSchema = z.object({
  export: ExportNameSchema,
  window: WindowSchema,
  job: JobRefSchema,
  poll: JobCheckSchema,
  files: z.array(LandedFileSchema),
  runStartedAt: z.string(),
  source: z.string().min(1).optional(),
});

export const WindowSummarySchema = z.object({
  /** The window landed: its files are verified and visible, its manifest written. */
  outcome: z.literal('landed'),
  window: WindowSchema,
  jobId: z.string(),
  manifest: z.string(),
  files: z.array(
    z.object({
      uri: z.string(),
      key: z.string(),
      bytes: z.number(),
      sha256: z.string(),
      records: z.number(),
      /** What was compared with the provider's own figures (false: the provider gave nothing to compare). */
      verified: z.object({ bytes: z.boolean(), sha256: z.boolean(), records: z.boolean() }),
      curated: z.array(
        z.object({ uri: z.string(), key: z.string(), bytes: z.number(), sha256: z.string(), rows: z.number() }),
      ),
    }),
  ),
  records: z.number(),
  bytes: z.number(),
});
export type WindowSummary = z.infer<typeof WindowSummarySchema>;

/** Step Functions' Catch output: `Cause` is the Lambda's JSON error report on AWS, plain text locally. */
export const CaughtErrorSchema = z.object({ Error: z.string(), Cause: z.string().optional() });

export const NamedErrorSchema = z.object({ name: z.string(), message: z.string() });

/** What the failure path of one window undid (or left, saying why). */
export const WindowCleanupSchema = z.object({
  cancelledJobs: z.array(z.string()),
  abortedUploads: z.number().int().min(0),
  removedObjects: z.number().int().min(0),
  /** The job record stays when its job may still run (the cancel failed): a later run resumes or cancels it. */
  keptJobRecord: z.boolean(),
  /** Jobs whose cancel failed: their records stay, marked cancelPending. */
  cancelPendingJobs: z.array(z.string()).optional(),
});
export type WindowCleanup = z.infer<typeof WindowCleanupSchema>;

/** A window's iteration output when it did not land: its own error, and what its cleanup did. */
export const WindowFailureSchema = z.object({
  outcome: z.literal('failed'),
  window: WindowSchema,
  jobId: z.string().nullable(),
  error: NamedErrorSchema,
  cleanup: WindowCleanupSchema,
});
export type WindowFailure = z.infer<typeof WindowFailureSchema>;

export const WindowResultSchema = z.discriminatedUnion('outcome', [WindowSummarySchema, WindowFailureSchema]);
export type WindowResult = z.infer<typeof WindowResultSchema>;

export const CleanupWindowInputSchema = z.object({
  export: ExportNameSchema,
  window: WindowSchema,
  error: CaughtErrorSchema,
  executionId: z.string().optional(),
});

export const CommitInputSchema = z.object({
  plan: PlanSchema,
  windows: z.array(WindowResultSchema),
  executionId: z.string().optional(),
});

export const CleanupInputSchema = z.object({
  input: z.unknown(),
  plan: z.object({ windows: z.array(WindowSchema) }).passthrough(),
  error: CaughtErrorSchema,
  startedAt: z.string(),
  executionId: z.string().optional(),
});

/** What each Task state hands its handler: lib/constructs/lambda-task.ts builds payloads against it. */
export interface TaskInputs {
  Plan: z.input<typeof PlanInputSchema>;
  ReclaimDeadRuns: z.input<typeof ReclaimDeadRunsInputSchema>;
  RefreshReferences: z.input<typeof RefreshReferencesInputSchema>;
  StartJob: z.input<typeof StartJobInputSchema>;
  CheckJob: z.input<typeof CheckJobInputSchema>;
  BeginFile: z.input<typeof FileTaskSchema>;
  TransferChunk: z.input<typeof ChunkInputSchema>;
  FinishFile: z.input<typeof ChunkInputSchema>;
  ConvertSplit: z.input<typeof ConvertSplitInputSchema>;
  WriteManifest: z.input<typeof WriteManifestInputSchema>;
  ReleaseJob: ReleaseJobInput;
  CleanupWindow: z.input<typeof CleanupWindowInputSchema>;
  CommitWatermark: z.input<typeof CommitInputSchema>;
  Cleanup: z.input<typeof CleanupInputSchema>;
}

export type WorkflowTaskName = keyof TaskInputs;
