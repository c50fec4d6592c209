// The detail of the completion events, as zod schemas: the TypeScript types derive from them and
// schemas/export-event.schema.json is generated from them (config/write-schema.ts), so the published
// schema cannot drift from what the steps build. Built by Lambda steps and sent by the state machine's
// native EventBridge PutEvents tasks. No secret ever goes in here.
import { z } from 'zod';
import { DETAIL_TYPES } from '#shared/completion-events';
import { EXPORT_NAME_PATTERN, type ExportDefinition } from '#shared/export-definition';
import { PROVIDER_NAMES } from '#shared/provider-names';
import { redactDeep } from '#shared/redact';
import type { WindowSummary } from './state';

const Count = z.number().int().min(0);
const IsoInstant = z.iso.datetime({ offset: true });
const Common = {
  export: z.string().regex(EXPORT_NAME_PATTERN).describe("The export's name from the config."),
  provider: z.enum(PROVIDER_NAMES),
  dataset: z.string().min(1).describe('What was exported, e.g. activities.'),
  window: z
    .object({ start: IsoInstant, end: IsoInstant })
    .strict()
    .nullable()
    .describe(
      'The half-open time range [start, end) the run covered (first window start to last window end), ISO-8601 UTC; null when the run had no window (nothing due yet, or it failed before planning).',
    ),
  jobIds: z.array(z.string().min(1)).describe("The provider's job (export) ids, one per window."),
  durationSeconds: z.number().min(0).describe('Wall-clock seconds since the execution started.'),
  executionId: z
    .string()
    .min(1)
    .optional()
    .describe('The Step Functions execution (its ARN on AWS) that ran the export.'),
  source: z
    .string()
    .regex(/^[^/?#\s]+$/)
    .optional()
    .describe(
      "Where the data came from: `simulator` (the bundled simulator's made-up data) or the provider API's host (never a path or query). Absent when the run failed before planning.",
    ),
};

export const EventFileSchema = z
  .object({
    uri: z
      .string()
      .regex(/^s3:\/\/[^/]+\/.+/)
      .describe('s3://bucket/key of the landed object.'),
    key: z.string().min(1).describe('Object key, under raw/<export>/dt=<YYYY-MM-DD>/.'),
    bytes: Count,
    sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .describe("Lower-case hex SHA-256 of the object's bytes."),
    records: Count.describe('Data rows in the file (header excluded).'),
    verified: z
      .object({
        bytes: z.boolean().describe("The byte count was compared with the provider's announced size."),
        sha256: z.boolean().describe("The SHA-256 was compared with the provider's checksum."),
        records: z.boolean().describe("The record count was compared with the provider's count."),
      })
      .strict()
      .describe(
        'What was compared with figures the provider gave; false where it gave nothing to compare (never claimed otherwise).',
      ),
    curated: z
      .array(
        z
          .object({
            uri: z.string().regex(/^s3:\/\/[^/]+\/.+/),
            key: z.string().min(1).describe('Object key, under curated/<export>/dt=<YYYY-MM-DD>/.'),
            bytes: Count,
            sha256: z.string().regex(/^[0-9a-f]{64}$/),
            rows: Count.describe("Rows of the Parquet object; they add up to the raw file's records."),
          })
          .strict(),
      )
      .describe('The typed Parquet objects made from this file (what Athena queries).'),
  })
  .strict();
export type EventFile = z.infer<typeof EventFileSchema>;

export const ExportSucceededDetailSchema = z
  .object({
    ...Common,
    files: z
      .array(EventFileSchema)
      .describe('Every file the run landed, in window order; empty when the provider produced none.'),
    records: Count.describe('Data rows across all files.'),
    bytes: Count.describe('Bytes across all files.'),
    watermark: IsoInstant.nullable().describe(
      "The export's watermark after the run: the end of the contiguous landed windows from the first start, as the window ledger derives it (a quarantined window does not hold it back), or null if none exists yet.",
    ),
  })
  .strict()
  .meta({ title: DETAIL_TYPES.succeeded });
export type ExportSucceededDetail = z.infer<typeof ExportSucceededDetailSchema>;

export const ExportFailedDetailSchema = z
  .object({
    ...Common,
    provider: z
      .union([z.enum(PROVIDER_NAMES), z.literal('unknown')])
      .describe('"unknown" when the run input named no valid export definition.'),
    error: z
      .object({
        name: z
          .string()
          .min(1)
          .describe(
            'The error class name (lambdas/shared/errors.ts), e.g. JobFailedError, or a Step Functions error such as States.Timeout.',
          ),
        message: z.string(),
      })
      .strict(),
    cleanup: z
      .object({
        cancelledJobs: z.array(z.string().min(1)),
        abortedUploads: Count,
        removedObjects: Count.describe('Completed objects of windows without a manifest that were deleted.'),
        cancelPendingJobs: z
          .array(z.string().min(1))
          .optional()
          .describe(
            'Jobs whose cancel failed (the provider was unreachable): they may still run; their records stay, so the next run resumes them (never a second job) and a later cleanup retries the cancel.',
          ),
      })
      .strict()
      .describe(
        'What the failure path undid: remote jobs cancelled, multipart uploads aborted, and the completed files of windows that did not land removed, so nothing half-written stays visible.',
      ),
    windows: z
      .object({
        landed: z
          .array(
            z
              .object({
                start: IsoInstant,
                end: IsoInstant,
                jobId: z.string().min(1),
                manifest: z.string().min(1).describe("URI of the window's manifest."),
              })
              .strict(),
          )
          .describe('Windows of the run that landed (verified, with their manifest): they stay.'),
        failed: z
          .array(
            z
              .object({
                start: IsoInstant,
                end: IsoInstant,
                jobId: z.string().min(1).nullable().describe("The window's remote job, null when none was created."),
                error: z.object({ name: z.string().min(1), message: z.string() }).strict(),
              })
              .strict(),
          )
          .describe('Windows of the run that did not land, each with its own error; nothing of theirs stays visible.'),
      })
      .strict()
      .describe('Which windows landed and which failed: one failed window does not discard its siblings.'),
    watermark: IsoInstant.nullable()
      .optional()
      .describe(
        "The export's watermark after the run, as the window ledger derives it: never over a failed window (a quarantined one does not hold it back); null if none exists yet; absent when it could not be read.",
      ),
  })
  .strict()
  .meta({ title: DETAIL_TYPES.failed });
export type ExportFailedDetail = z.infer<typeof ExportFailedDetailSchema>;

export const ExportWindowQuarantinedDetailSchema = z
  .object({
    export: Common.export,
    provider: Common.provider,
    dataset: Common.dataset,
    window: z
      .object({ start: IsoInstant, end: IsoInstant })
      .strict()
      .describe('The quarantined window [start, end): scheduled runs no longer export it; later windows land.'),
    attempts: Count.describe("Runs in which the window failed with a data error (the export's maxWindowAttempts)."),
    error: z
      .object({ name: z.string().min(1), message: z.string() })
      .strict()
      .describe('The last failure.'),
    jobId: z.string().min(1).nullable().describe("The last run's remote job, null when none was created."),
    raw: z
      .array(z.string().regex(/^s3:\/\/[^/]+\/.+/))
      .describe(
        "s3:// URIs of the window's raw files kept under quarantine/<export>/<window>/ for inspection; empty when the failure came before a file was complete.",
      ),
    executionId: Common.executionId,
    source: Common.source,
  })
  .strict()
  .meta({ title: DETAIL_TYPES.quarantined });
export type ExportWindowQuarantinedDetail = z.infer<typeof ExportWindowQuarantinedDetailSchema>;

export const ExportEventDetailSchema = z.union([
  ExportSucceededDetailSchema,
  ExportFailedDetailSchema,
  ExportWindowQuarantinedDetailSchema,
]);

/** schemas/export-event.schema.json (JSON Schema draft 2020-12), generated: do not edit the file. */
export function renderExportEventSchema(): string {
  const schema = z.toJSONSchema(ExportEventDetailSchema, { target: 'draft-2020-12', io: 'output' });
  const titled = {
    ...schema,
    title: 'Bulk export completion event detail',
    description: `The \`detail\` of the events the pipeline puts on its bus: detail-type \`${DETAIL_TYPES.succeeded}\` (a run landed and verified all its files and advanced the watermark) or \`${DETAIL_TYPES.failed}\` (a run stopped after cleanup; \`error\` says why), and \`${DETAIL_TYPES.quarantined}\` for a window whose data failed \`maxWindowAttempts\` times. \`source\` is the config's eventSource. Generated from lambdas/workflow/events.ts by config/write-schema.ts: do not edit. No secret ever appears here.`,
  };
  return `${JSON.stringify(titled, null, 2)}\n`;
}

export function spanOf(windows: readonly { start: string; end: string }[]): { start: string; end: string } | null {
  const first = windows[0];
  const last = windows.at(-1);
  return first && last ? { start: first.start, end: last.end } : null;
}

export function succeededDetail(
  def: ExportDefinition,
  summaries: readonly WindowSummary[],
  extra: { durationSeconds: number; watermark: string | null; executionId?: string; source?: string },
): ExportSucceededDetail {
  const files = summaries.flatMap((s) =>
    s.files.map((f) => ({
      uri: f.uri,
      key: f.key,
      bytes: f.bytes,
      sha256: f.sha256,
      records: f.records,
      verified: f.verified,
      curated: f.curated,
    })),
  );
  return redactDeep({
    export: def.name,
    provider: def.provider,
    dataset: def.dataset,
    window: spanOf(summaries.map((s) => s.window)),
    jobIds: summaries.map((s) => s.jobId),
    files,
    records: files.reduce((n, f) => n + f.records, 0),
    bytes: files.reduce((n, f) => n + f.bytes, 0),
    durationSeconds: extra.durationSeconds,
    watermark: extra.watermark,
    ...(extra.executionId ? { executionId: extra.executionId } : {}),
    ...(extra.source ? { source: extra.source } : {}),
  });
}

export type FailedWindows = ExportFailedDetail['windows'];
